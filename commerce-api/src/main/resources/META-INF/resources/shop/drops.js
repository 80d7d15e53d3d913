// Fair drops on a deal's page: the waiting room of a QUEUE deal and the entry of a DRAW deal.
import { api, explain, h } from './api.js';
import { countdown, everySecond, kst } from './look.js';

// ------------------------------------------------------------------------------------------ waiting room

/** The waiting room's panel; {@code bindQueue} fills it. */
export function queuePanel(d) {
  return `<section class="drop-panel" aria-labelledby="queue-title">
    <h2 id="queue-title">대기열</h2>
    <p class="muted">오픈 전에 들어온 분들의 순서는 오픈 시각에 무작위로 정해집니다. 먼저 오셨다고 유리하지 않으니 편하게 기다려 주세요.
      이후에는 들어온 순서대로 초당 ${d.queue.ratePerSecond}명씩 입장하며, 입장하면 ${Math.round(d.queue.passTtlSeconds / 60)}분 안에 구매하실 수 있습니다.</p>
    <p id="queue-status" aria-live="polite"></p>
    <p><button type="button" id="queue-join" hidden>대기열 입장</button></p>
    <p class="error" id="queue-error" role="alert"></p>
  </section>`;
}

/**
 * Shows the buyer's place live (SSE) and calls {@code onTurn(passExpiresAt | null)} when buying opens or closes.
 * Without a login the panel asks for one.
 */
export function bindQueue(d, me, cleanup, onTurn) {
  const status = document.getElementById('queue-status');
  const join = document.getElementById('queue-join');
  let place = null;
  let stream = null;
  const show = () => {
    if (!me) {
      status.innerHTML = '<a href="#/login">로그인</a>하고 대기열에 들어가세요.';
      return;
    }
    if (!place) return;
    const opensAt = d.queue.opensAt;
    const texts = {
      'not-joined': Date.now() < new Date(opensAt) ? `대기열은 ${kst(opensAt)}에 열립니다 (${countdown(opensAt)} 남음).`
        : '아직 대기열에 들어오지 않으셨습니다.',
      'pre-queue': `오픈 전 대기 중입니다. 지금 ${place.waiting.toLocaleString('ko-KR')}명이 기다리고 있어요. 오픈까지 ${countdown(place.startsAt)}.`,
      waiting: `내 순번 ${place.place?.toLocaleString('ko-KR')}번 · 앞에 ${place.ahead?.toLocaleString('ko-KR')}명 · 예상 대기 약 ${place.estimatedWaitSeconds}초`,
      'your-turn': `내 차례입니다. ${place.passExpiresAt ? countdown(place.passExpiresAt) : ''} 안에 구매해 주세요.`,
      'sold-out': `모두 판매되었습니다. 결제되지 않은 수량이 돌아오면 순번대로 안내해 드립니다 (내 순번 ${place.place}번).`,
      ordered: '주문하셨습니다. <a href="#/orders">주문 내역</a>에서 결제를 마쳐 주세요.',
      'pass-expired': '구매 가능 시간이 지났습니다.',
      ended: '종료된 딜입니다.',
    };
    status.innerHTML = texts[place.state] || '';
    join.hidden = place.state !== 'not-joined' || Date.now() < new Date(opensAt) || d.state === 'ended';
  };
  const listen = () => {
    if (stream || !place || place.state === 'not-joined') return;
    stream = new EventSource(`/api/v1/deals/${d.id}/queue/stream`);
    stream.onmessage = (event) => {
      const before = place.state;
      place = JSON.parse(event.data);
      if (before !== place.state) onTurn(place.state === 'your-turn' ? place.passExpiresAt : null);
      show();
    };
    cleanup.push(() => stream.close());
  };
  everySecond(show, cleanup);
  if (!me) return;
  api(`/api/v1/deals/${d.id}/queue`).then((now) => {
    place = now;
    onTurn(place.state === 'your-turn' ? place.passExpiresAt : null);
    show();
    listen();
  });
  join.addEventListener('click', async () => {
    try {
      place = await api(`/api/v1/deals/${d.id}/queue`, { method: 'POST' });
      document.getElementById('queue-error').textContent = '';
      show();
      listen();
    } catch (error) {
      document.getElementById('queue-error').textContent = explain(error);
    }
  });
}

// ------------------------------------------------------------------------------------------ draw

/** The draw's panel; {@code bindDraw} fills it. */
export function drawPanel(d) {
  const draw = d.draw;
  return `<section class="drop-panel" aria-labelledby="draw-title">
    <h2 id="draw-title">드로우 응모</h2>
    <p>응모 ${kst(draw.entriesOpenAt)} ~ ${kst(draw.entriesCloseAt)} · 응모 마감 즉시 추첨 · 당첨 후 ${Math.round(draw.payWithinSeconds / 60)}분 안에 결제</p>
    <p id="draw-clock" aria-live="off"></p>
    <p>지금까지 <strong id="draw-entries">${draw.entries.toLocaleString('ko-KR')}</strong>명 응모</p>
    <div id="draw-mine" aria-live="polite"></div>
    <p class="error" id="draw-error" role="alert"></p>
    <details class="proof"><summary>공정한 추첨인가요?</summary>
      <p class="muted">응모가 시작되기 전에 추첨 시드의 SHA-256 값을 공개합니다. 마감 후 시드를 공개하면 누구나 같은 당첨자를 다시 계산할 수 있습니다.</p>
      <p>시드 해시 <code class="wrap">${h(draw.commitment)}</code></p>
      <p id="draw-proof"></p>
    </details>
  </section>`;
}

/** Shows the buyer's entry (enter, withdraw, result) and the entry count, refreshed while the deal is shown. */
export function bindDraw(d, me, cleanup) {
  const draw = d.draw;
  const mine = document.getElementById('draw-mine');
  const error = document.getElementById('draw-error');
  const options = d.lines.map((l) => `<option value="${h(l.sku)}">${h(l.optionLabel || l.sku)}</option>`).join('');
  let entry = null;
  let wasOpen = null;
  everySecond(() => {
    const clock = document.getElementById('draw-clock');
    const now = Date.now();
    const isOpen = now >= new Date(draw.entriesOpenAt) && now < new Date(draw.entriesCloseAt);
    if (wasOpen !== null && wasOpen !== isOpen) showMine(); // the window opened or closed while shown
    wasOpen = isOpen;
    clock.textContent = now < new Date(draw.entriesOpenAt) ? `응모 시작까지 ${countdown(draw.entriesOpenAt)}`
      : now < new Date(draw.entriesCloseAt) ? `응모 마감까지 ${countdown(draw.entriesCloseAt)}` : '응모가 마감되었습니다.';
  }, cleanup);
  const showMine = () => {
    if (!me) {
      mine.innerHTML = '<p><a href="#/login">로그인</a>하고 응모하세요.</p>';
      return;
    }
    if (!entry) return;
    const open = Date.now() >= new Date(draw.entriesOpenAt) && Date.now() < new Date(draw.entriesCloseAt);
    const views = {
      'not-entered': open ? `<label for="draw-sku">옵션<select id="draw-sku">${options}</select></label>
          <button type="button" id="draw-enter">응모하기</button>` : '<p class="muted">응모하지 않으셨습니다.</p>',
      entered: `<p>응모 완료 · 응모번호 <code>${h(entry.ticket)}</code></p>
          ${open ? '<button type="button" class="secondary" id="draw-withdraw">응모 취소</button>' : '<p class="muted">추첨 중입니다.</p>'}`,
      won: `<p class="won">당첨되셨습니다! ${entry.payBy ? `${kst(entry.payBy)}까지` : ''} 결제해 주세요.</p>
          ${entry.orderId ? `<p><a class="button" href="#/orders/${h(entry.orderId)}">결제하기</a></p>` : '<p class="muted">주문을 만드는 중입니다…</p>'}`,
      'in-line': `<p>이번에는 당첨되지 않으셨습니다. 당첨자가 결제하지 않으면 순서대로 기회가 넘어갑니다 (앞에 ${entry.ahead}명).</p>`,
      'not-selected': '<p>아쉽게도 당첨되지 않으셨습니다.</p>',
    };
    mine.innerHTML = views[entry.state] || '';
    document.getElementById('draw-enter')?.addEventListener('click', () => act('PUT', { sku: document.getElementById('draw-sku').value }));
    document.getElementById('draw-withdraw')?.addEventListener('click', () => act('DELETE'));
  };
  const act = async (method, body) => {
    try {
      const answer = await api(`/api/v1/deals/${d.id}/entry`, { method, body });
      entry = method === 'DELETE' ? { state: 'not-entered' } : answer;
      error.textContent = '';
      showMine();
      refresh();
    } catch (failure) {
      error.textContent = explain(failure);
    }
  };
  const refresh = async () => {
    const proof = await api(`/api/v1/deals/${d.id}/draw`);
    document.getElementById('draw-entries').textContent = proof.entries.toLocaleString('ko-KR');
    if (proof.seed) {
      document.getElementById('draw-proof').innerHTML = `공개된 시드 <code class="wrap">${h(proof.seed)}</code><br>
        <a href="/api/v1/deals/${d.id}/draw">추첨 결과 전체 (JSON)</a> · ${h(proof.rule)}`;
    }
    if (me) {
      const now = await api(`/api/v1/deals/${d.id}/entry`);
      if (JSON.stringify(now) !== JSON.stringify(entry)) {
        entry = now;
        showMine();
      }
    }
  };
  showMine();
  refresh();
  const timer = setInterval(refresh, 5000);
  cleanup.push(() => clearInterval(timer));
}
