// Verified buyers: the emailed link, the banner that asks for it, and the phone code form (docs/shop.md).
import { api, explain, field, h, showProblem } from './api.js';

/**
 * Back from the emailed link (/?verify-email=…): follows it once, then shows the profile with the outcome. The token
 * is the outside world's text: it only travels in a JSON body, never into a path or the page.
 */
export async function followEmailLink() {
  const token = new URLSearchParams(location.search).get('verify-email');
  if (token === null) return false;
  history.replaceState(null, '', '/#/me');
  try {
    await api('/api/v1/email-verifications', { method: 'POST', body: { token } });
    sessionStorage.setItem('flash', '이메일 주소를 확인했습니다.');
  } catch (error) {
    sessionStorage.setItem('flash-bad', explain(error));
  }
  return true;
}

/** Under the header, while the signed-in account's email is not verified: what to do, and a resend button. */
export function showEmailBanner(me) {
  const banner = document.getElementById('verify-banner');
  const waiting = me && (!me.emailVerified || me.pendingEmail);
  banner.hidden = !waiting;
  if (!waiting) {
    banner.replaceChildren();
    return;
  }
  const address = me.pendingEmail || me.email;
  banner.innerHTML = `<span>${h(address)}(으)로 보낸 메일의 링크를 열어 이메일 주소를 확인해 주세요.
    ${me.pendingEmail ? '확인을 마치면 새 주소로 바뀝니다.' : '확인을 마쳐야 타임딜에서 구매할 수 있습니다.'}</span>
    <button type="button" class="secondary" id="verify-resend">메일 다시 받기</button>
    <span id="verify-resend-result" role="status"></span>`;
  document.getElementById('verify-resend').addEventListener('click', async (event) => {
    const result = document.getElementById('verify-resend-result');
    try {
      await api('/api/v1/users/me/email-verification', { method: 'POST' });
      result.textContent = '메일을 다시 보냈습니다.';
      event.target.disabled = true;
    } catch (error) {
      result.textContent = explain(error);
    }
  });
}

/** +821012345678 as a Korean reads it: 010-1234-5678. */
export function localPhone(phone) {
  const m = /^\+82(1[0-9])([0-9]{3,4})([0-9]{4})$/.exec(phone || '');
  return m ? `0${m[1]}-${m[2]}-${m[3]}` : (phone || '');
}

/** What a deal page says before the buy button when the buyer still has to verify something. */
export function dealRequirement(me) {
  if (!me) return '<p class="notice" id="deal-requirement">타임딜은 로그인하고 이메일과 휴대폰을 인증한 회원만 구매할 수 있습니다. (1인 한도는 휴대폰 번호 기준)</p>';
  const missing = [!me.emailVerified && '이메일', !me.phoneVerified && '휴대폰'].filter(Boolean);
  if (!missing.length) return '';
  return `<p class="notice" id="deal-requirement">구매하려면 ${missing.join('과 ')} 인증이 필요합니다.
    <a href="#/me">내 정보에서 인증하기</a> (1인 한도는 인증된 휴대폰 번호 기준으로 셉니다)</p>`;
}

/** The profile's phone section: the verified number, or a form that sends a code and takes it with a countdown. */
export function phoneSection(me) {
  return `<section aria-labelledby="phone-title"><h2 id="phone-title">휴대폰 인증</h2>
    ${me.phoneVerified
      ? `<p class="notice" id="phone-verified" role="status">인증된 번호 ${h(localPhone(me.phone))}</p>`
      : '<p class="muted">타임딜과 드롭은 휴대폰 인증을 마친 회원만 구매할 수 있고, 한 번호는 한 계정에서만 인증할 수 있습니다.</p>'}
    <form class="form" id="phone-send-form" novalidate>
      ${field('verify-phone', me.phoneVerified ? '다른 번호로 바꾸기' : '휴대폰 번호', 'tel', `autocomplete="tel" placeholder="010-1234-5678" value="${me.phoneVerified ? '' : h(localPhone(me.phone))}"`, 'phone')}
      <p class="error form-error" role="alert"></p>
      <button type="submit" id="phone-send">인증번호 받기</button>
    </form>
    <form class="form" id="phone-code-form" novalidate hidden>
      ${field('verify-code', '문자로 받은 인증번호 6자리', 'text', 'inputmode="numeric" autocomplete="one-time-code" maxlength="6"', 'code')}
      <p class="muted" id="phone-countdown" aria-live="off"></p>
      <p class="error form-error" role="alert"></p>
      <button type="submit">확인</button>
    </form></section>`;
}

/** Wires {@link phoneSection}; {@code onVerified} gets the account once the code was right. */
export function bindPhoneSection(onVerified, cleanup) {
  const sendForm = document.getElementById('phone-send-form');
  const codeForm = document.getElementById('phone-code-form');
  const countdown = document.getElementById('phone-countdown');
  const sendButton = document.getElementById('phone-send');
  let timer = null;
  const stop = () => clearInterval(timer);
  cleanup.push(stop);
  sendForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const sent = await api('/api/v1/users/me/phone-verification', {
        method: 'POST', body: { phone: new FormData(sendForm).get('phone') },
      });
      showProblem(sendForm, null);
      codeForm.hidden = false;
      document.getElementById('verify-code').focus();
      const expires = Date.now() + sent.expiresInSeconds * 1000;
      const resend = Date.now() + sent.resendAfterSeconds * 1000;
      stop();
      const tick = () => {
        const left = Math.max(0, Math.round((expires - Date.now()) / 1000));
        const again = Math.max(0, Math.round((resend - Date.now()) / 1000));
        countdown.textContent = left > 0
          ? `${sent.phone}(으)로 보냈습니다. ${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')} 안에 입력해 주세요.`
          : '인증번호가 만료되었습니다. 다시 받아 주세요.';
        sendButton.disabled = again > 0;
        sendButton.textContent = again > 0 ? `다시 받기 (${again}초)` : '인증번호 다시 받기';
        if (left === 0 && again === 0) stop();
      };
      tick();
      timer = setInterval(tick, 1000);
    } catch (error) {
      showProblem(sendForm, error);
    }
  });
  codeForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const me = await api('/api/v1/users/me/phone-verification/confirm', {
        method: 'POST', body: { code: new FormData(codeForm).get('code').trim() },
      });
      stop();
      await onVerified(me);
    } catch (error) {
      showProblem(codeForm, error);
    }
  });
}
