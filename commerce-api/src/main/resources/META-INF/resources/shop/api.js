// The public API as any client uses it: JSON over fetch with the SESSION cookie, problem+json errors.

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

const RETRIES = 10;

/**
 * A call to the API; an absolute URL (chat-gateway on another origin in the local run) sends the cookie too.
 * 503 means "many people at once": a call that is safe to repeat (a read, a PUT or DELETE, or a POST with an
 * Idempotency-Key) waits the Retry-After and tries again, up to 10 times, while the page says so calmly.
 */
export async function api(path, { method = 'GET', body, headers = {} } = {}) {
  const init = { method, headers: { Accept: 'application/json', ...headers },
    credentials: /^https?:/.test(path) ? 'include' : 'same-origin' };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const repeatable = ['GET', 'HEAD', 'PUT', 'DELETE'].includes(method) || 'Idempotency-Key' in headers;
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(path, init);
    if (response.status === 503 && repeatable && attempt < RETRIES) {
      busy(true);
      const seconds = Number(response.headers.get('Retry-After')) || 1;
      await new Promise((resolve) => setTimeout(resolve, Math.min(seconds, 10) * 1000 * (0.5 + Math.random())));
      continue;
    }
    busy(false);
    const type = response.headers.get('Content-Type') || '';
    const data = response.status === 204 ? null
      : type.includes('json') ? await response.json() : await response.text();
    if (!response.ok) {
      throw new ApiError(response.status, typeof data === 'object' ? data : { detail: data });
    }
    return data;
  }
}

/** The calm "many people are here" line under the header while a call waits its turn. */
function busy(on) {
  const line = document.getElementById('busy');
  if (line) line.hidden = !on;
}

/** A count badge: hidden at 0, the number, and its meaning for screen readers ("읽지 않은 <what> n개"). */
export function showCount(badge, n, what) {
  badge.hidden = !n;
  badge.textContent = n;
  badge.setAttribute('aria-label', `읽지 않은 ${what} ${n}개`);
}

export const won = (amount) => `${Number(amount).toLocaleString('ko-KR')}원`;

/** Escapes text for HTML templates. */
export const h = (value) => String(value ?? '').replace(/[&<>"']/g,
  (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));

export const newKey = () => (crypto.randomUUID ? crypto.randomUUID()
  : `${Date.now()}-${Math.random().toString(36).slice(2)}`);

/** Korean words for the problem types and fields the shop shows. */
const TYPES = {
  'sold-out': '품절되었습니다.',
  'deal-not-started': '아직 타임딜이 시작되지 않았습니다.',
  'deal-ended': '타임딜이 종료되었습니다.',
  'deal-limit': '1인 구매 한도를 넘었습니다. (한도는 인증된 휴대폰 번호 기준으로, 계정이 여러 개여도 같습니다.)',
  'verification-required': '타임딜 구매에는 이메일과 휴대폰 인증이 필요합니다. 내 정보에서 인증해 주세요.',
  'verification-link-invalid': '올바르지 않은 인증 링크입니다. 가장 최근에 받은 메일의 링크를 열거나 새 메일을 요청해 주세요.',
  'verification-link-expired': '인증 링크가 만료되었습니다. 내 정보에서 새 메일을 요청해 주세요.',
  'verification-link-used': '이미 사용했거나 새 메일로 바뀐 링크입니다. 가장 최근에 받은 메일의 링크를 열어 주세요.',
  'verification-resend-too-soon': '방금 메일을 보냈습니다. 받은편지함(스팸함 포함)을 확인해 주세요.',
  'email-already-verified': '이미 확인된 이메일입니다.',
  'email-taken': '다른 계정이 쓰고 있는 이메일입니다.',
  'phone-taken': '다른 계정에서 이미 인증한 번호입니다. 한 번호는 한 계정에서만 쓸 수 있습니다.',
  'phone-already-verified': '이미 이 계정에 인증된 번호입니다.',
  'phone-code-invalid': '인증번호가 맞지 않습니다.',
  'phone-code-expired': '인증번호가 만료되었거나 이미 사용되었습니다. 새 인증번호를 받아 주세요.',
  'code-resend-too-soon': '방금 인증번호를 보냈습니다. 잠시 후 다시 요청해 주세요.',
  'too-many-codes': '인증번호 요청이 너무 많습니다. 잠시 후 다시 시도해 주세요.',
  'sms-unavailable': '문자를 보내지 못했습니다. 잠시 후 다시 시도해 주세요.',
  'sms-unsure': '문자 발송이 늦어지고 있습니다. 곧 도착하지 않으면 잠시 후 다시 요청해 주세요.',
};

/** A chat room's unmet condition (403 from joining): extra.condition / extra.required. */
export function conditionText(problem) {
  const required = problem?.extra?.required ?? problem?.required;
  const condition = problem?.extra?.condition ?? problem?.condition;
  if (condition === 'minAnnualIncome') return `연 소득 ${won(required)} 이상인 회원만 참여할 수 있습니다. (내 정보에 직접 입력한 연 소득을 기준으로 하며, 따로 확인하지 않습니다.)`;
  if (condition === 'minLifetimeSpend') return `누적 구매 금액 ${won(required)} 이상인 회원만 참여할 수 있습니다.`;
  return null;
}

/** A labelled input named like the API field it fills (the id's last part, or {@code name}), with its error line. */
export function field(id, label, type = 'text', attrs = '', name = id.split('-').pop()) {
  return `<label for="${id}">${label}<input id="${id}" name="${name}" type="${type}" ${attrs}></label>
    <span class="error" id="${id}-error"></span>`;
}

/** What to tell the shopper about a failed call. */
export function explain(error) {
  if (!(error instanceof ApiError)) {
    return '서버에 연결할 수 없습니다. 잠시 후 다시 시도해 주세요.';
  }
  const slug = (error.problem.type || '').split('/').pop();
  if (TYPES[slug]) {
    const left = error.problem.extra?.attemptsLeft;
    return slug === 'phone-code-invalid' && left !== undefined
      ? (left > 0 ? `${TYPES[slug]} (남은 시도 ${left}회)` : '인증번호를 너무 많이 틀렸습니다. 새 인증번호를 받아 주세요.')
      : TYPES[slug];
  }
  if (error.status === 503) {
    return '많은 분들이 접속 중입니다. 잠시 후 다시 시도해 주세요.';
  }
  if (error.status === 402) { // the card company refused at confirm (extra.code: Toss's code)
    return `카드사에서 결제를 거절했습니다. 다른 결제 수단으로 다시 시도해 주세요. (${error.problem.extra?.code || error.problem.code || ''})`;
  }
  if (error.status === 401 && !error.problem.detail) {
    return '로그인이 필요합니다.';
  }
  return error.problem.detail || error.problem.title || `오류 (${error.status})`;
}

/**
 * Shows a problem next to the form fields it names (field / violations[].field = the input's name), or at the
 * form's own error line. Answers true when it was shown.
 */
export function showProblem(form, error) {
  form.querySelectorAll('.error').forEach((el) => { el.textContent = ''; });
  form.querySelectorAll('[aria-invalid]').forEach((el) => el.removeAttribute('aria-invalid'));
  if (!error) {
    return false;
  }
  const problems = error instanceof ApiError && error.problem.violations?.length
    ? error.problem.violations.map((v) => ({ field: v.field, message: v.message }))
    : [{ field: error instanceof ApiError ? error.problem.field : null, message: explain(error) }];
  for (const { field, message } of problems) {
    const input = field ? form.querySelector(`[name="${CSS.escape(field)}"]`) : null;
    const slot = input ? form.querySelector(`#${input.id}-error`) : form.querySelector('.form-error');
    if (input) {
      input.setAttribute('aria-invalid', 'true');
    }
    if (slot) {
      slot.textContent = slot.textContent ? `${slot.textContent} ${message}` : message;
    }
  }
  return true;
}

/** The image types the shop takes (the API refuses others too). */
export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'];

/**
 * Uploads one image file of an owner (`base`: its images URL): a ticket from the API, a PUT of the file straight
 * to storage with the presigned URL and the ticket's headers, then confirm (the API checks the stored bytes). The
 * bucket must allow PUT from the shop's origin (CORS, deploy/README.md). Answers the confirmed image; throws an
 * ApiError for the API's refusals, an Error when storage could not be reached.
 */
export async function uploadImage(base, file) {
  const ticket = await api(base, { method: 'POST', body: { contentType: file.type, size: file.size } });
  // the browser sets Content-Length itself (a script may not)
  const headers = Object.fromEntries(Object.entries(ticket.headers || {})
    .filter(([name]) => !['content-length', 'host'].includes(name.toLowerCase())));
  const put = await fetch(ticket.uploadUrl, { method: ticket.method || 'PUT', headers, body: file });
  if (!put.ok) {
    throw new Error(`storage answered ${put.status}`);
  }
  return api(ticket.confirmUrl, { method: 'POST' });
}

/** Words for a failed upload of `file`. */
export function uploadProblem(file, error) {
  return error instanceof ApiError ? `${file.name}: ${explain(error)}`
    : `${file.name}: 저장소에 올리지 못했습니다 (${error.message}).`;
}

/** The first file of a type the shop does not take, if any, in words. */
export function refusedType(files) {
  const refused = files.find((file) => !IMAGE_TYPES.includes(file.type));
  return refused ? `${refused.name}: JPEG, PNG, WebP 파일만 올릴 수 있습니다.` : null;
}
