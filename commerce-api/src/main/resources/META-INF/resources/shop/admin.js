// The admin pages of the storefront (an admin session): products, stock, images, orders, deals, dead letters, notices.
import { ApiError, api, explain, h, refusedType, showProblem, uploadImage, uploadProblem, won } from './api.js';
import { kst } from './look.js';

const STATUSES = ['PENDING', 'STOCK_RESERVED', 'PAID', 'PARTIALLY_CANCELLED', 'CANCELLED', 'REJECTED', 'PAYMENT_FAILED', 'EXPIRED', 'REFUNDED'];

function input(name, label, type = 'text', value = '', attrs = '') {
  const id = `admin-${name.replace(/[^\w]/g, '-')}`;
  return `<label for="${id}">${label}<input id="${id}" name="${h(name)}" type="${type}" value="${h(value)}" ${attrs}></label>
    <span class="error" id="${id}-error"></span>`;
}

export async function adminHome(main) {
  main.innerHTML = `<h1>관리자</h1>
    <ul>
      <li><a href="#/admin/products/new">상품 등록</a></li>
      <li><a href="#/admin/orders">주문 (상태별)</a></li>
      <li><a href="#/admin/deals">타임딜</a></li>
      <li><a href="#/admin/dead-letters">처리 실패 메시지 (재처리)</a></li>
      <li><a href="#/admin/notices">전체 공지 보내기</a></li>
      <li><a href="#/admin/users">회원 조회 (인증 상태)</a></li>
    </ul>
    <p class="muted">상품을 수정하려면 상품 페이지에서 ‘관리’를 누르세요.</p>`;
}

export async function adminNewProduct(main) {
  const categories = await api('/api/v1/categories');
  const flat = (nodes, depth = 0) => nodes.flatMap((c) => [`<option value="${c.id}">${'· '.repeat(depth)}${h(c.name)}</option>`,
    ...flat(c.children || [], depth + 1)]).join('');
  main.innerHTML = `<h1>상품 등록</h1>
    <form class="form" id="product-form" novalidate>
      ${input('name', '상품명')}
      ${input('brand', '브랜드')}
      <label for="admin-categoryId">카테고리<select id="admin-categoryId" name="categoryId">${flat(categories)}</select></label>
      <span class="error" id="admin-categoryId-error"></span>
      ${input('price', '가격 (원)', 'number', '', 'min="1"')}
      <label for="admin-description">설명<textarea id="admin-description" name="description" rows="3"></textarea></label>
      <label for="admin-imageUrls">이미지 URL (한 줄에 하나)<textarea id="admin-imageUrls" name="imageUrls" rows="2"></textarea></label>
      <span class="error" id="admin-imageUrls-error"></span>
      <fieldset id="options"><legend>옵션 (사이즈, 색상, SKU, 초기 재고)</legend></fieldset>
      <button type="button" class="secondary" id="add-option">옵션 추가</button>
      <p class="error form-error" role="alert"></p>
      <button type="submit">등록</button>
    </form>`;
  const options = document.getElementById('options');
  const addOption = () => {
    const i = options.querySelectorAll('.option').length;
    options.insertAdjacentHTML('beforeend', `<div class="option row">
      ${input(`options[${i}].size`, '사이즈')}${input(`options[${i}].color`, '색상')}
      ${input(`options[${i}].sku`, 'SKU')}${input(`options[${i}].initialStock`, '초기 재고', 'number', '0', 'min="0"')}</div>`);
  };
  addOption();
  document.getElementById('add-option').addEventListener('click', addOption);
  const form = document.getElementById('product-form');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const body = {
      name: data.get('name'), brand: data.get('brand'), categoryId: Number(data.get('categoryId')),
      price: Number(data.get('price')) || null, description: data.get('description'),
      imageUrls: data.get('imageUrls').split('\n').map((u) => u.trim()).filter(Boolean),
      options: [...options.querySelectorAll('.option')].map((_, i) => ({
        size: data.get(`options[${i}].size`) || null, color: data.get(`options[${i}].color`) || null,
        sku: data.get(`options[${i}].sku`), initialStock: Number(data.get(`options[${i}].initialStock`) || 0),
      })),
    };
    try {
      const created = await api('/api/v1/admin/products', { method: 'POST', body });
      location.hash = `#/admin/products/${created.id}`;
    } catch (error) {
      showProblem(form, error);
    }
  });
}

export async function adminProduct(main, id) {
  const p = await api(`/api/v1/admin/products/${id}`);
  main.innerHTML = `<h1>${h(p.name)} <span class="muted">(${h(p.status)})</span></h1>
    <form class="form" id="edit-form" novalidate>
      ${input('name', '상품명', 'text', p.name)}
      ${input('price', '가격 (원)', 'number', p.price, 'min="1"')}
      <p class="error form-error" role="alert"></p>
      <p class="notice" id="edit-done" hidden role="status">저장했습니다.</p>
      <button type="submit">저장</button>
    </form>
    <h2>옵션별 재고</h2>
    <table><thead><tr><th scope="col">SKU</th><th scope="col">옵션</th><th scope="col">판매 가능</th><th scope="col">재고 조정</th></tr></thead>
      <tbody>${p.options.map((o, i) => `<tr><td>${h(o.sku)}</td><td>${h([o.color, o.size].filter(Boolean).join(' / '))}</td>
        <td>${o.available}</td><td><form class="row stock-form" data-sku="${h(o.sku)}" novalidate>
          <label class="sr-only" for="delta-${i}">증감</label><input id="delta-${i}" name="delta" type="number" value="0" size="5">
          <label class="sr-only" for="reason-${i}">사유</label><input id="reason-${i}" name="reason" placeholder="사유" size="10">
          <button type="submit" class="secondary">적용</button><span class="error form-error" role="alert"></span></form></td></tr>`).join('')}</tbody></table>
    <h2>재고 조정 내역</h2>
    <div id="adjustments" aria-live="polite"></div>
    <h2>이미지</h2>
    <p class="muted">JPEG, PNG, WebP · 한 장에 10MB 이하 · 상품당 10장까지. 첫 번째가 대표 이미지입니다.</p>
    <ol class="admin-images" id="admin-images" aria-label="상품 이미지 (순서대로)"></ol>
    <form class="form" id="image-form" novalidate>
      <label for="admin-image-files">이미지 파일<input id="admin-image-files" name="files" type="file"
        accept="image/jpeg,image/png,image/webp" multiple></label>
      <p class="error form-error" role="alert"></p>
      <p class="muted" id="image-progress" role="status"></p>
      <button type="submit">올리기</button>
    </form>
    <p><button type="button" class="secondary" id="retire" ${p.status === 'RETIRED' ? 'disabled' : ''}>판매 종료</button></p>`;
  productImages(id);
  stockAdjustments(id);
  const form = document.getElementById('edit-form');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    try {
      await api(`/api/v1/admin/products/${id}`, { method: 'PATCH', body: { name: data.get('name'), price: Number(data.get('price')) } });
      showProblem(form, null);
      document.getElementById('edit-done').hidden = false;
    } catch (error) {
      showProblem(form, error);
    }
  });
  main.querySelectorAll('.stock-form').forEach((stock) => stock.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(stock);
    try {
      await api(`/api/v1/admin/skus/${encodeURIComponent(stock.dataset.sku)}/stock`, {
        method: 'POST', body: { delta: Number(data.get('delta')), reason: data.get('reason') },
      });
      stock.querySelector('.form-error').textContent = '요청했습니다. 결과는 아래 재고 조정 내역에 표시됩니다.';
      stockAdjustments(id, 10);
    } catch (error) {
      stock.querySelector('.form-error').textContent = error instanceof ApiError && error.status === 409
        && error.problem.extra?.available !== undefined
        ? `재고가 부족합니다: 판매 가능 ${error.problem.extra.available}개` : explain(error);
    }
  }));
  document.getElementById('retire').addEventListener('click', async () => {
    if (!confirm('이 상품의 판매를 종료할까요?')) return;
    await api(`/api/v1/admin/products/${id}`, { method: 'DELETE' });
    adminProduct(main, id);
  });
}

const OUTCOMES = { REQUESTED: '처리 중', APPLIED: '반영됨', REFUSED: '거절됨' };

/**
 * The product's latest stock adjustments with the stock service's answer (applied, or refused and why). After a new
 * one, looks again every second (at most {@code polls} times) until none is still being processed.
 */
async function stockAdjustments(id, polls = 0) {
  const box = document.getElementById('adjustments');
  if (!box) return;
  const list = await api(`/api/v1/admin/products/${id}/stock-adjustments`);
  box.innerHTML = list.length === 0 ? '<p class="muted">아직 없습니다.</p>'
    : `<table><thead><tr><th scope="col">요청 시각</th><th scope="col">SKU</th><th scope="col">증감</th><th scope="col">사유</th>
      <th scope="col">결과</th></tr></thead><tbody>${list.map((a) => `<tr class="adjustment" data-outcome="${h(a.outcome)}">
      <td>${kst(a.requestedAt)}</td><td>${h(a.sku)}</td><td>${a.delta > 0 ? '+' : ''}${a.delta}</td>
      <td>${h(a.reason)}</td><td>${h(OUTCOMES[a.outcome] || a.outcome)}${a.outcome === 'APPLIED' ? ` (판매 가능 ${a.available}개)` : ''}${
        a.outcome === 'REFUSED' ? `<div class="soldout">판매 가능 ${a.available}개라 줄일 수 없습니다 (${h(a.refusal)})</div>` : ''}</td></tr>`).join('')}
      </tbody></table>`;
  if (polls > 0 && list.some((a) => a.outcome === 'REQUESTED')) {
    setTimeout(() => stockAdjustments(id, polls - 1), 1000);
  }
}

/** A product's uploaded images: the list in order (move, delete) and the upload form ({@link uploadImage}). */
async function productImages(id) {
  const base = `/api/v1/admin/products/${id}/images`;
  const list = document.getElementById('admin-images');
  const form = document.getElementById('image-form');
  const progress = document.getElementById('image-progress');
  const render = (images) => {
    list.innerHTML = images.length ? images.map((image, i) => `<li data-id="${image.id}">
        <img src="${h(image.thumbnailUrl)}" alt="이미지 ${i + 1}${i === 0 ? ' (대표)' : ''}" width="80" height="80">
        <button type="button" class="secondary" data-move="-1" ${i === 0 ? 'disabled' : ''}>앞으로</button>
        <button type="button" class="secondary" data-move="1" ${i === images.length - 1 ? 'disabled' : ''}>뒤로</button>
        <button type="button" class="secondary" data-delete>삭제</button></li>`).join('')
      : '<li class="muted">올린 이미지가 없습니다.</li>';
  };
  const reload = async () => render(await api(base));
  list.addEventListener('click', async (event) => {
    const button = event.target.closest('button');
    if (!button) return;
    const ids = [...list.querySelectorAll('li[data-id]')].map((li) => Number(li.dataset.id));
    const imageId = Number(button.closest('li').dataset.id);
    try {
      if (button.hasAttribute('data-delete')) {
        if (!confirm('이 이미지를 삭제할까요?')) return;
        await api(`${base}/${imageId}`, { method: 'DELETE' });
        await reload();
      } else {
        const from = ids.indexOf(imageId);
        const to = from + Number(button.dataset.move);
        [ids[from], ids[to]] = [ids[to], ids[from]];
        render(await api(`${base}/order`, { method: 'PUT', body: { imageIds: ids } }));
      }
      showProblem(form, null);
    } catch (error) {
      showProblem(form, error);
    }
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const files = [...document.getElementById('admin-image-files').files];
    showProblem(form, null);
    if (!files.length) {
      form.querySelector('.form-error').textContent = '올릴 파일을 고르세요.';
      return;
    }
    const refused = refusedType(files);
    if (refused) {
      form.querySelector('.form-error').textContent = refused;
      return;
    }
    for (const [i, file] of files.entries()) {
      progress.textContent = `${file.name} 올리는 중 (${i + 1}/${files.length})…`;
      try {
        await uploadImage(base, file);
      } catch (error) {
        progress.textContent = '';
        form.querySelector('.form-error').textContent = uploadProblem(file, error);
        await reload();
        return;
      }
    }
    progress.textContent = `${files.length}장을 올렸습니다.`;
    form.reset();
    await reload();
  });
  try {
    await reload();
  } catch (error) {
    showProblem(form, error);
  }
}

export async function adminOrders(main, params) {
  const status = params.get('status') || '';
  const page = await api(`/api/v1/admin/orders?size=50${status ? `&status=${status}` : ''}`);
  main.innerHTML = `<h1>주문 관리</h1>
    <form class="toolbar" id="status-form"><label>상태<select name="status"><option value="">전체</option>
      ${STATUSES.map((s) => `<option ${s === status ? 'selected' : ''}>${s}</option>`).join('')}</select></label>
      <button type="submit">보기</button></form>
    <table><thead><tr><th scope="col">주문</th><th scope="col">금액</th><th scope="col">상태</th><th scope="col">주문일</th></tr></thead>
      <tbody>${page.items.map((o) => `<tr><td><a href="#/orders/${h(o.orderId)}">${h(o.orderId)}</a><div class="muted">${h(o.orderName)}</div></td>
        <td>${won(o.amount)}</td><td>${h(o.status)}</td><td>${kst(o.createdAt)}</td></tr>`).join('')}</tbody></table>`;
  document.getElementById('status-form').addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = `#/admin/orders?status=${new FormData(event.target).get('status')}`;
  });
}

export async function adminDeals(main) {
  const deals = await api('/api/v1/admin/deals');
  const local = (d) => new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
  const soon = new Date(Date.now() + 3600_000);
  main.innerHTML = `<h1>타임딜 관리</h1>
    <table><thead><tr><th scope="col">딜</th><th scope="col">상태</th><th scope="col">기간</th><th scope="col">수량 (남음)</th><th scope="col"></th></tr></thead>
      <tbody>${deals.map((d) => `<tr><td>${h(d.title)}<div class="muted">${h(d.productName)}</div></td>
        <td>${h(d.status)} · ${h(d.state)}${d.refusal ? `<div class="soldout">재고 부족: ${h(d.refusal.sku)} (${d.refusal.available}개 가능)</div>` : ''}</td>
        <td>${kst(d.startsAt)} ~ ${kst(d.endsAt)}</td>
        <td>${d.lines.map((l) => `${h(l.sku)}: ${l.quantity} (${l.remaining})`).join('<br>')}${dropStats(d)}</td>
        <td>${d.status !== 'ENDED' ? `<button type="button" class="secondary end-deal" data-id="${d.id}">종료</button>` : ''}</td></tr>`).join('')}</tbody></table>
    <h2>새 타임딜</h2>
    <form class="form" id="deal-form" novalidate>
      ${input('title', '제목')}
      ${input('productId', '상품 ID', 'number')}
      ${input('lines[0].sku', 'SKU')}
      ${input('lines[0].dealPrice', '딜 가격 (원)', 'number')}
      ${input('lines[0].quantity', '수량', 'number', '10')}
      ${input('perBuyerLimit', '1인 한도', 'number', '1')}
      ${input('startsAt', '시작', 'datetime-local', local(soon))}
      ${input('endsAt', '종료', 'datetime-local', local(new Date(soon.getTime() + 3600_000)))}
      <label for="admin-mode">판매 방식<select id="admin-mode" name="mode">
        <option value="OPEN">선착순</option><option value="QUEUE">대기열 (선착순, 오픈 전 도착은 무작위)</option>
        <option value="DRAW">드로우 (추첨)</option></select></label>
      <fieldset class="mode-QUEUE" hidden><legend>대기열</legend>
        ${input('ratePerSecond', '초당 입장 인원', 'number', '50')}
        ${input('passTtl', '구매 가능 시간 (분)', 'number', '2')}
        ${input('queueOpensBefore', '오픈 전 대기 시작 (분)', 'number', '30')}</fieldset>
      <fieldset class="mode-DRAW" hidden><legend>드로우</legend>
        ${input('entriesOpenAt', '응모 시작', 'datetime-local', local(soon))}
        ${input('entriesCloseAt', '응모 마감', 'datetime-local', local(new Date(soon.getTime() + 1800_000)))}
        ${input('payWithin', '당첨 후 결제 기한 (분)', 'number', '60')}</fieldset>
      <p class="error form-error" role="alert"></p>
      <button type="submit">만들기</button>
    </form>`;
  const modeSelect = document.getElementById('admin-mode');
  modeSelect.addEventListener('change', () => main.querySelectorAll('fieldset').forEach((set) => {
    set.hidden = !set.classList.contains(`mode-${modeSelect.value}`);
  }));
  main.querySelectorAll('.end-deal').forEach((button) => button.addEventListener('click', async () => {
    await api(`/api/v1/admin/deals/${button.dataset.id}`, { method: 'DELETE' });
    adminDeals(main);
  }));
  const form = document.getElementById('deal-form');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    try {
      await api('/api/v1/admin/deals', {
        method: 'POST', body: {
          title: data.get('title'), productId: Number(data.get('productId')) || null,
          lines: [{ sku: data.get('lines[0].sku'), dealPrice: Number(data.get('lines[0].dealPrice')) || null,
            quantity: Number(data.get('lines[0].quantity')) }],
          perBuyerLimit: Number(data.get('perBuyerLimit')),
          startsAt: new Date(data.get('startsAt')).toISOString(), endsAt: new Date(data.get('endsAt')).toISOString(),
          ...modeSettings(data),
        },
      });
      adminDeals(main);
    } catch (error) {
      showProblem(form, error);
    }
  });
}

/** The settings of the chosen mode, as the API takes them (minutes as ISO-8601 durations). */
function modeSettings(data) {
  const minutes = (name) => `PT${Number(data.get(name)) || 0}M`;
  const at = (name) => new Date(data.get(name)).toISOString();
  switch (data.get('mode')) {
    case 'QUEUE': return { mode: 'QUEUE', ratePerSecond: Number(data.get('ratePerSecond')) || null,
      passTtl: minutes('passTtl'), queueOpensBefore: minutes('queueOpensBefore') };
    case 'DRAW': return { mode: 'DRAW', entriesOpenAt: at('entriesOpenAt'), entriesCloseAt: at('entriesCloseAt'),
      payWithin: minutes('payWithin') };
    default: return {};
  }
}

/** What a waiting room or a draw did so far. */
function dropStats(d) {
  const s = d.stats;
  if (!s) return '';
  return d.mode === 'QUEUE'
    ? `<div class="muted">대기열: 입장 ${s.queued} · 허용 ${s.admitted} · 구매 ${s.passesUsed} · 구매 가능 ${s.passesLive}</div>`
    : `<div class="muted">드로우: 응모 ${s.entries} · 당첨 ${s.winners} · 결제 ${s.paid}</div>`;
}

export async function adminDeadLetters(main) {
  const letters = await api('/api/v1/admin/dead-letters');
  main.innerHTML = `<h1>처리 실패 메시지</h1>
    ${letters.length ? `<table><thead><tr><th scope="col">채널</th><th scope="col">종류</th><th scope="col">오류</th><th scope="col"></th></tr></thead>
      <tbody>${letters.map((l) => `<tr><td>${h(l.channel)}</td><td>${h(l.type)}</td><td>${h(l.error)}</td>
        <td><button type="button" class="secondary replay" data-id="${l.id}">재처리</button></td></tr>`).join('')}</tbody></table>`
    : '<p class="muted">없습니다.</p>'}
    <p class="error" id="replay-error" role="alert"></p>`;
  main.querySelectorAll('.replay').forEach((button) => button.addEventListener('click', async () => {
    try {
      await api(`/api/v1/admin/dead-letters/${button.dataset.id}/replay`, { method: 'POST' });
      adminDeadLetters(main);
    } catch (error) {
      document.getElementById('replay-error').textContent = explain(error);
    }
  }));
}

export async function adminNotices(main) {
  main.innerHTML = `<h1>전체 공지</h1>
    <form class="form" id="notice-form" novalidate>
      ${input('title', '제목')}
      <label for="admin-body">내용<textarea id="admin-body" name="body" rows="3"></textarea></label>
      <span class="error" id="admin-body-error"></span>
      ${input('link', '링크 (선택)')}
      <p class="error form-error" role="alert"></p>
      <p class="notice" id="notice-done" hidden role="status"></p>
      <button type="submit">보내기</button>
    </form>`;
  const form = document.getElementById('notice-form');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    try {
      const sent = await api('/api/v1/admin/notifications/broadcast', {
        method: 'POST', body: { title: data.get('title'), body: data.get('body'), link: data.get('link') || null },
      });
      showProblem(form, null);
      const done = document.getElementById('notice-done');
      done.hidden = false;
      done.textContent = `보냈습니다 (${Object.values(sent)[0]}명).`;
    } catch (error) {
      showProblem(form, error);
    }
  });
}

/** A buyer by email: whether the email and the phone are verified (the number masked, as the API gives it). */
export async function adminUsers(main) {
  main.innerHTML = `<h1>회원 조회</h1>
    <form class="form" id="user-form" novalidate>
      <label for="admin-user-email">이메일<input id="admin-user-email" name="email" type="email" required></label>
      <p class="error form-error" role="alert"></p>
      <button type="submit">조회</button>
    </form>
    <div id="user-result" aria-live="polite"></div>`;
  const form = document.getElementById('user-form');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const result = document.getElementById('user-result');
    try {
      const u = await api(`/api/v1/admin/users?email=${encodeURIComponent(new FormData(form).get('email'))}`);
      showProblem(form, null);
      const when = (t) => (t ? kst(t) : '');
      result.innerHTML = `<table><caption>${h(u.name)} (${h(u.email)})</caption><tbody>
        <tr><th scope="row">이메일 인증</th><td id="user-email-verified">${u.emailVerified ? `인증됨 ${when(u.emailVerifiedAt)}` : '미인증'}</td></tr>
        <tr><th scope="row">휴대폰 인증</th><td id="user-phone-verified">${u.phoneVerified ? `${h(u.verifiedPhone)} 인증됨 ${when(u.phoneVerifiedAt)}` : '미인증'}</td></tr>
        <tr><th scope="row">가입</th><td>${when(u.createdAt)}</td></tr></tbody></table>`;
    } catch (error) {
      result.replaceChildren();
      showProblem(form, error);
    }
  });
}
