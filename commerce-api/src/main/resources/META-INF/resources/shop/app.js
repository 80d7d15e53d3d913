// SANSAM storefront: a single page over the public API (hash routes, no build step).
import { api, ApiError, explain, field, h, newKey, refusedType, showCount, showProblem, uploadImage, uploadProblem, won } from './api.js';
import { bindPhoneSection, dealRequirement, followEmailLink, localPhone, phoneSection, showEmailBanner } from './verify.js';
import { chatRoom, chatRooms, connectChat } from './chat.js';
import { bindDraw, bindQueue, drawPanel, queuePanel } from './drops.js';
import { bindGallery, dealCard, dealClock, dealPrices, dropHero, empty, gallery, kst, picture, replaceBrokenPictures, runCountdowns, skeletonCards } from './look.js';

const root = document.getElementById('main');
const state = { me: null, config: null, bell: null, cleanup: [], screen: null };

/**
 * The element the current page renders into. Each render gets a new one, and every view takes it (first thing, before
 * any await): a slow earlier page that finishes late writes into its own, detached element, never over the new page.
 */
function screen() {
  return state.screen;
}

// ------------------------------------------------------------------------------------------ routing

const routes = [
  [/^\/$/, home],
  [/^\/search$/, home],
  [/^\/products\/(\d+)$/, product],
  [/^\/login$/, login],
  [/^\/signup$/, signup],
  [/^\/me$/, profile],
  [/^\/cart$/, cart],
  [/^\/checkout$/, checkout],
  [/^\/orders$/, orders],
  [/^\/orders\/([\w-]+)$/, order],
  [/^\/deals$/, deals],
  [/^\/deals\/(\d+)$/, deal],
  [/^\/notifications$/, notifications],
  [/^\/chat$/, (params) => requireLogin() && chatRooms(screen(), params, state.cleanup)],
  [/^\/chat\/(\d+)$/, (id) => requireLogin() && chatRoom(screen(), id, state.me, state.cleanup)],
  [/^\/admin$/, admin('adminHome')],
  [/^\/admin\/products\/new$/, admin('adminNewProduct')],
  [/^\/admin\/products\/(\d+)$/, admin('adminProduct')],
  [/^\/admin\/orders$/, admin('adminOrders')],
  [/^\/admin\/deals$/, admin('adminDeals')],
  [/^\/admin\/dead-letters$/, admin('adminDeadLetters')],
  [/^\/admin\/notices$/, admin('adminNotices')],
  [/^\/admin\/users$/, admin('adminUsers')],
];

/** An admin page: only for an admin session (the API refuses others anyway); its code loads only then. */
function admin(page) {
  return async (...args) => {
    const main = screen();
    if (!requireLogin()) return;
    if (state.me.role !== 'ADMIN') {
      main.innerHTML = '<h1>관리자만 볼 수 있습니다</h1>';
      return;
    }
    const pages = await import('./admin.js');
    await pages[page](main, ...args);
  };
}

function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path, query = ''] = raw.split('?');
  return { path, params: new URLSearchParams(query) };
}

async function render() {
  state.cleanup.forEach((stop) => stop());
  state.cleanup = [];
  const { path, params } = parseHash();
  const route = routes.find(([pattern]) => pattern.test(path));
  const main = document.createElement('div');
  state.screen = main;
  root.replaceChildren(main);
  main.innerHTML = '<div class="loading" role="status"><span class="sr-only">불러오는 중…</span><span class="bar wide"></span><span class="bar"></span><span class="bar short"></span></div>';
  try {
    if (!route) {
      main.innerHTML = '<h1>페이지를 찾을 수 없습니다</h1><p><a href="#/">홈으로</a></p>';
      return;
    }
    await route[1](...path.match(route[0]).slice(1), params);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      location.hash = `#/login?next=${encodeURIComponent(location.hash)}`;
      return;
    }
    const missing = error instanceof ApiError && error.status === 404;
    main.innerHTML = `<div class="empty failed"><h1>${missing ? '찾을 수 없습니다' : '문제가 생겼습니다'}</h1>
      <div class="notice bad" role="alert">${h(explain(error))}</div>
      <p><a class="button" href="#/">홈으로</a> <button type="button" class="secondary" id="retry">다시 시도</button></p></div>`;
    main.querySelector('#retry').addEventListener('click', render);
    main.dataset.error = String(error); // for a developer (and a failing browser test's report)
    console.error(error);
  }
  const heading = main.querySelector('h1');
  if (heading) {
    heading.tabIndex = -1;
    heading.focus({ preventScroll: true });
  }
}

window.addEventListener('hashchange', render);
// Leaving the page closes its live streams: a page kept in the back/forward cache would otherwise hold its
// connections, and a browser has six per host over HTTP/1.1. Coming back opens them again.
window.addEventListener('pagehide', () => {
  state.cleanup.forEach((stop) => stop());
  state.cleanup = [];
  state.bell?.close();
  state.bell = null;
});
window.addEventListener('pageshow', (event) => {
  if (event.persisted) {
    watchBell();
    render();
  }
});
document.getElementById('search-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const q = new FormData(event.target).get('q').trim();
  location.hash = `#/search?q=${encodeURIComponent(q)}`;
});

// ------------------------------------------------------------------------------------------ session

async function loadMe() {
  try {
    state.me = (await api('/api/v1/sessions/current')).user; // null for a visitor: no 401 in the console
  } catch (error) {
    state.me = null;
  }
  document.getElementById('nav-login').hidden = !!state.me;
  for (const id of ['nav-me', 'nav-orders', 'nav-bell', 'nav-chat']) {
    document.getElementById(id).hidden = !state.me;
  }
  document.getElementById('nav-admin').hidden = state.me?.role !== 'ADMIN';
  showEmailBanner(state.me);
  watchBell();
  if (state.me && !state.config) {
    state.config = await api('/api/v1/storefront/config').catch(() => null);
  }
  connectChat(state.config, !!state.me);
}

/** The notification bell: the unread count, live (SSE). */
function watchBell() {
  // the same account's stream stays open: a browser holds six connections per host over HTTP/1.1, and a stream
  // closed while it was still being opened can keep its connection busy a while
  if (state.bell && state.bell.readyState !== EventSource.CLOSED && state.bellUser === state.me?.id) {
    return;
  }
  state.bellUser = state.me?.id;
  if (state.bell) {
    state.bell.close();
    state.bell = null;
  }
  if (!state.me) {
    return;
  }
  const badge = document.getElementById('bell-count');
  state.bell = new EventSource('/api/v1/notifications/stream');
  state.bell.onmessage = (event) => {
    const data = JSON.parse(event.data);
    if (data.unreadCount >= 0) {
      showCount(badge, data.unreadCount, '알림');
    }
  };
}

// ------------------------------------------------------------------------------------------ catalogue

const SORTS = { newest: '신상품순', popular: '인기순', price_asc: '낮은 가격순', price_desc: '높은 가격순', rating: '평점순' };

async function home(params) {
  const main = screen();
  const q = params.get('q') || '';
  const query = new URLSearchParams(params);
  const front = !q && ![...params.keys()].length && parseHash().path === '/';
  const [categories, drop] = await Promise.all([api('/api/v1/categories'), front ? leadingDrop() : null]);
  const options = (nodes, depth = 0) => nodes.flatMap((c) => [
    `<option value="${c.id}" ${query.get('category') === String(c.id) ? 'selected' : ''}>${'· '.repeat(depth)}${h(c.name)}</option>`,
    ...options(c.children || [], depth + 1)]).join('');
  main.innerHTML = `${drop ? dropHero(drop) : ''}
    <h1>${q ? `‘${h(q)}’ 검색 결과` : '새로 들어온 상품'}</h1>
    <form class="toolbar" id="filters">
      <input type="hidden" name="q" value="${h(q)}">
      <label>카테고리<select name="category"><option value="">전체</option>${options(categories)}</select></label>
      <label>브랜드<input name="brand" value="${h(query.get('brand') || '')}" size="10"></label>
      <label>최저가<input name="minPrice" type="number" min="0" value="${h(query.get('minPrice') || '')}" size="8"></label>
      <label>최고가<input name="maxPrice" type="number" min="0" value="${h(query.get('maxPrice') || '')}" size="8"></label>
      <label><span>재고</span><span><input name="inStock" type="checkbox" value="true" ${query.get('inStock') ? 'checked' : ''}> 구매 가능만</span></label>
      <label>정렬<select name="sort">${Object.entries(SORTS).map(([v, t]) =>
        `<option value="${v}" ${query.get('sort') === v ? 'selected' : ''}>${t}</option>`).join('')}</select></label>
      <button type="submit">적용</button>
    </form>
    <ul class="grid" id="products" aria-busy="true">${skeletonCards()}</ul>
    <p class="muted" id="list-end" role="status"></p>
    <div class="sentinel" id="sentinel"></div>`;
  document.getElementById('filters').addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = new URLSearchParams();
    for (const [k, v] of new FormData(event.target)) {
      if (v) chosen.set(k, v);
    }
    location.hash = `#/search?${chosen}`;
  });
  const list = document.getElementById('products');
  let cursor = null;
  let done = false;
  let loading = false;
  const more = async () => {
    if (done || loading) return;
    loading = true;
    const page = new URLSearchParams(query);
    page.set('size', '20');
    if (cursor) page.set('cursor', cursor);
    const result = await api(`/api/v1/products?${page}`);
    list.querySelectorAll('.skeleton').forEach((el) => el.remove());
    list.removeAttribute('aria-busy');
    list.insertAdjacentHTML('beforeend', result.items.map(card).join(''));
    cursor = result.nextCursor;
    done = !cursor;
    loading = false;
    const end = document.getElementById('list-end');
    end.textContent = done && list.children.length ? '모든 상품을 보았습니다.' : '';
    if (done && !list.children.length) {
      end.outerHTML = empty('조건에 맞는 상품이 없습니다. 검색어나 조건을 바꿔 보세요.', '<a class="button secondary" href="#/">전체 상품 보기</a>');
    }
  };
  await more();
  const observer = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) more();
  });
  observer.observe(document.getElementById('sentinel'));
  state.cleanup.push(() => observer.disconnect());
  if (drop) watchDrops(main, drop.state === 'live' ? [drop] : []);
}

/** The drop the home page leads with: the live one ending first, else the next to open. */
async function leadingDrop() {
  try {
    const [live, upcoming] = await Promise.all([api('/api/v1/deals?state=live'), api('/api/v1/deals?state=upcoming')]);
    const soonest = (list, key) => list.slice().sort((a, b) => new Date(a[key]) - new Date(b[key]))[0];
    return soonest(live.filter((d) => d.remaining > 0), 'endsAt') || soonest(upcoming, 'startsAt') || soonest(live, 'endsAt') || null;
  } catch (error) {
    return null; // the shop's own listing still shows
  }
}

/**
 * The clocks of the page (one at zero redraws it) and the units left of {@code streamed} deals, live from each deal's
 * stream into its {@code [data-remaining]} elements.
 */
function watchDrops(main, streamed) {
  runCountdowns(main, state.cleanup, render);
  for (const d of streamed) {
    const stream = new EventSource(`/api/v1/deals/${d.id}/stream`);
    stream.onmessage = (event) => {
      const left = JSON.parse(event.data).remaining;
      main.querySelectorAll(`[data-remaining="${d.id}"]`).forEach((el) => { el.textContent = left; });
    };
    state.cleanup.push(() => stream.close());
  }
}

function card(p) {
  return `<li class="card">
    <a href="#/products/${p.id}">
      ${picture(p.imageUrl, p.brand)}
      <div class="brand">${h(p.brand)}</div>
      <div class="name">${h(p.name)}</div>
    </a>
    <div class="price">${won(p.price)}</div>
    ${p.inStock ? '' : '<div class="soldout">품절</div>'}
  </li>`;
}

async function product(id) {
  const main = screen();
  const [p, reviews] = await Promise.all([api(`/api/v1/products/${id}`), api(`/api/v1/products/${id}/reviews?size=10`)]);
  const wished = state.me ? (await api('/api/v1/wishlist')).some?.((w) => (w.id ?? w.productId) === p.id) : false;
  const optionLabel = (o) => [o.color, o.size].filter(Boolean).join(' / ');
  const optionText = (o) => `${optionLabel(o)} — ${o.inStock ? `재고 ${o.available}` : '품절'}`;
  main.innerHTML = `
    <article class="product">
      ${gallery(p.imageUrls || [], p.name, p.brand)}
      <div>
        <div class="brand">${h(p.brand)}</div>
        <h1>${h(p.name)}</h1>
        ${state.me?.role === 'ADMIN' ? `<p><a href="#/admin/products/${p.id}">관리</a></p>` : ''}
        <p class="price">${won(p.price)}</p>
        <p class="muted">평점 ${Number(p.ratingAvg).toFixed(1)} (${p.ratingCount}개 리뷰) · 관심 ${p.wishlistCount}</p>
        <form class="form" id="buy">
          <label for="buy-sku">옵션
            <select id="buy-sku" name="sku" required>
              ${p.options.map((o) => `<option value="${h(o.sku)}" ${o.inStock ? '' : 'disabled'}>${h(optionText(o))}</option>`).join('')}
            </select></label>
          <span class="error" id="buy-sku-error"></span>
          <label for="buy-quantity">수량 <input id="buy-quantity" name="quantity" type="number" min="1" max="10" value="1" required></label>
          <span class="error" id="buy-quantity-error"></span>
          <div class="row">
            <button type="submit" name="action" value="cart">장바구니 담기</button>
            <button type="button" class="heart" id="wish" aria-pressed="${wished}">♥ 관심상품</button>
          </div>
          <p class="error form-error" role="alert"></p>
          <p class="notice" id="buy-done" hidden role="status"></p>
        </form>
        <p>${h(p.description)}</p>
      </div>
    </article>
    <section aria-labelledby="reviews-title">
      <h2 id="reviews-title">리뷰</h2>
      ${reviews.reviews.length ? reviews.reviews.map((r) => `<div class="notice"><strong>${'★'.repeat(r.rating)}${'☆'.repeat(5 - r.rating)} ${h(r.title)}</strong>
        <p>${h(r.body)}</p>${(r.imageUrls || []).length ? `<p class="row review-photos">${r.imageUrls.map((url, i) =>
          `<a href="${h(url)}" target="_blank" rel="noopener"><img src="${h(url)}/thumbnail" alt="${h(r.title)} 사진 ${i + 1}" width="96" height="96" loading="lazy"></a>`).join('')}</p>` : ''}
        <p class="muted">${h(r.authorName)}</p></div>`).join('') : '<p class="muted">아직 리뷰가 없습니다.</p>'}
    </section>`;
  bindGallery(main, p.name);
  const form = document.getElementById('buy');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!requireLogin()) return;
    const data = new FormData(form);
    try {
      await api('/api/v1/cart/items', { method: 'POST', body: { sku: data.get('sku'), quantity: Number(data.get('quantity')) } });
      showProblem(form, null);
      const done = document.getElementById('buy-done');
      done.hidden = false;
      done.innerHTML = '장바구니에 담았습니다. <a href="#/cart">장바구니로 가기</a>';
    } catch (error) {
      showProblem(form, error);
    }
  });
  document.getElementById('wish').addEventListener('click', async (event) => {
    if (!requireLogin()) return;
    const button = event.currentTarget;
    const on = button.getAttribute('aria-pressed') !== 'true';
    await api(`/api/v1/wishlist/${p.id}`, { method: on ? 'PUT' : 'DELETE' });
    button.setAttribute('aria-pressed', String(on));
  });
  // Live availability: ask again every few seconds; the browser revalidates with the ETag, so an unchanged product
  // costs a 304 and no body.
  const select = document.getElementById('buy-sku');
  const timer = setInterval(async () => {
    if (document.visibilityState === 'hidden') return;
    try {
      const now = await api(`/api/v1/products/${id}`);
      for (const o of now.options) {
        const option = [...select.options].find((el) => el.value === o.sku);
        if (option && option.textContent !== optionText(o)) {
          option.textContent = optionText(o);
          option.disabled = !o.inStock;
        }
      }
    } catch (error) {
      // retired or unreachable: keep what is shown, the next page load tells
    }
  }, 3000);
  state.cleanup.push(() => clearInterval(timer));
}

function requireLogin() {
  if (state.me) return true;
  location.hash = `#/login?next=${encodeURIComponent(location.hash)}`;
  return false;
}

// ------------------------------------------------------------------------------------------ accounts

async function login(params) {
  const main = screen();
  main.innerHTML = `<h1>로그인</h1>
    <form class="form" id="login-form" novalidate>
      ${field('login-email', '이메일', 'email', 'autocomplete="username" required')}
      ${field('login-password', '비밀번호', 'password', 'autocomplete="current-password" required')}
      <div id="login-code-box" hidden>
        <p class="notice" role="status">최근 이 계정에 틀린 비밀번호가 많이 입력되어, 처음 쓰는 기기에서는 확인이 필요합니다.
          이메일로 보낸 6자리 코드를 입력해 주세요.</p>
        ${field('login-code', '이메일로 받은 코드', 'text', 'inputmode="numeric" autocomplete="one-time-code" maxlength="6"')}
      </div>
      <p class="error form-error" role="alert"></p>
      <button type="submit">로그인</button>
      <p>처음이신가요? <a href="#/signup">회원가입</a></p>
    </form>`;
  const form = document.getElementById('login-form');
  const codeBox = document.getElementById('login-code-box');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    if (codeBox.hidden || !data.code) delete data.code;
    try {
      await api('/api/v1/sessions', { method: 'POST', body: data });
      await loadMe();
      location.hash = params.get('next') || '#/';
    } catch (error) {
      const slug = (error?.problem?.type || '').split('/').pop();
      if (slug === 'login-code-required' || slug === 'login-code-invalid') {
        codeBox.hidden = false;
        document.getElementById('login-code').focus();
        form.querySelector('.form-error').textContent = slug === 'login-code-required'
          ? '코드를 이메일로 보냈습니다.' : '코드가 맞지 않거나 만료되었습니다. 코드 없이 다시 로그인하면 새 코드를 보내 드립니다.';
        return;
      }
      showProblem(form, error);
    }
  });
}

async function signup() {
  const main = screen();
  main.innerHTML = `<h1>회원가입</h1>
    <form class="form" id="signup-form" novalidate>
      ${field('signup-email', '이메일', 'email', 'autocomplete="email" required')}
      ${field('signup-password', '비밀번호 (8자 이상)', 'password', 'autocomplete="new-password" required')}
      ${field('signup-name', '이름', 'text', 'autocomplete="name" required')}
      ${field('signup-phone', '휴대폰 번호', 'tel', 'autocomplete="tel" placeholder="010-1234-5678" required')}
      <p class="error form-error" role="alert"></p>
      <button type="submit">가입하기</button>
    </form>`;
  const form = document.getElementById('signup-form');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    try {
      await api('/api/v1/users', { method: 'POST', body: data });
      await api('/api/v1/sessions', { method: 'POST', body: { email: data.email, password: data.password } });
      await loadMe();
      location.hash = '#/';
    } catch (error) {
      showProblem(form, error);
    }
  });
}

/** The address inputs, named as the API names them ({@code shippingAddress.zipCode} …) so problems land on them. */
function addressFields(prefix, address = {}) {
  const a = address || {};
  const f = (key, label, type, attrs) => field(`${prefix}-${key}`, label, type, attrs, `shippingAddress.${key}`);
  return `
    ${f('recipient', '받는 분', 'text', `value="${h(a.recipient || state.me?.name || '')}" required`)}
    ${f('phone', '연락처', 'tel', `value="${h(a.phone || localPhone(state.me?.phone))}" required`)}
    ${f('zipCode', '우편번호', 'text', `value="${h(a.zipCode || '')}" inputmode="numeric" required`)}
    ${f('address1', '주소', 'text', `value="${h(a.address1 || '')}" required`)}
    ${f('address2', '상세주소', 'text', `value="${h(a.address2 || '')}"`)}`;
}

function readAddress(form) {
  const data = new FormData(form);
  return Object.fromEntries(['recipient', 'phone', 'zipCode', 'address1', 'address2']
    .map((k) => [k, data.get(`shippingAddress.${k}`) || null]));
}

async function profile() {
  const main = screen();
  if (!requireLogin()) return;
  const me = await api('/api/v1/users/me');
  main.innerHTML = `<h1>내 정보</h1>${flashes()}
    <p class="muted">${h(me.email)} · ${me.emailVerified ? '이메일 확인됨' : '이메일 확인 전'}${me.pendingEmail ? ` · ${h(me.pendingEmail)}(으)로 변경 확인 대기 중` : ''}</p>
    ${phoneSection(me)}
    <h2>기본 정보</h2>
    <form class="form" id="profile-form" novalidate>
      ${field('profile-name', '이름', 'text', `value="${h(me.name)}"`)}
      <h2>배송지</h2>
      ${addressFields('profile', me.shippingAddress)}
      ${field('profile-annualIncome', '연 소득 (원, 선택 · 채팅방 참여 조건에 그대로 쓰이며 따로 확인하지 않습니다)', 'number', `min="0" value="${h(me.annualIncome ?? '')}"`)}
      <label><span><input type="checkbox" name="emailOptIn" ${me.emailOptIn ? 'checked' : ''}> 이메일 소식 받기</span></label>
      <p class="error form-error" role="alert"></p>
      <p class="notice" id="profile-done" hidden role="status">저장했습니다.</p>
      <button type="submit">저장</button>
    </form>
    <h2>비밀번호 변경</h2>
    <form class="form" id="password-form" novalidate>
      ${field('password-currentPassword', '현재 비밀번호', 'password', 'autocomplete="current-password"')}
      ${field('password-newPassword', '새 비밀번호 (8자 이상)', 'password', 'autocomplete="new-password"')}
      <p class="error form-error" role="alert"></p>
      <p class="notice" id="password-done" hidden role="status">비밀번호를 바꿨습니다.</p>
      <button type="submit">변경</button>
    </form>
    <h2>이메일 변경</h2>
    <form class="form" id="email-form" novalidate>
      ${field('email-email', '새 이메일 (확인 메일의 링크를 열면 바뀝니다)', 'email', 'autocomplete="email"')}
      ${field('email-currentPassword', '현재 비밀번호', 'password', 'autocomplete="current-password"')}
      <p class="error form-error" role="alert"></p>
      <p class="notice" id="email-done" hidden role="status">새 주소로 확인 메일을 보냈습니다.</p>
      <button type="submit">변경 요청</button>
    </form>
    <p><button type="button" class="secondary" id="logout">로그아웃</button></p>
    <h2>회원 탈퇴</h2>
    <form class="form" id="withdraw-form" novalidate>
      ${field('withdraw-password', '비밀번호 확인', 'password', 'autocomplete="current-password"')}
      <p class="error form-error" role="alert"></p>
      <button type="submit" class="secondary">탈퇴하기</button>
    </form>`;
  document.getElementById('password-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.target;
    try {
      await api('/api/v1/users/me', { method: 'PATCH', body: Object.fromEntries(new FormData(form)) });
      showProblem(form, null);
      document.getElementById('password-done').hidden = false;
      form.reset();
    } catch (error) {
      showProblem(form, error);
    }
  });
  bindPhoneSection(async () => {
    await loadMe();
    render();
  }, state.cleanup);
  document.getElementById('email-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.target;
    try {
      state.me = await api('/api/v1/users/me', { method: 'PATCH', body: Object.fromEntries(new FormData(form)) });
      showProblem(form, null);
      showEmailBanner(state.me);
      document.getElementById('email-done').hidden = false;
      form.reset();
    } catch (error) {
      showProblem(form, error);
    }
  });
  document.getElementById('withdraw-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.target;
    if (!confirm('정말 탈퇴하시겠어요? 되돌릴 수 없습니다.')) return;
    try {
      await api('/api/v1/users/me', { method: 'DELETE', body: Object.fromEntries(new FormData(form)) });
      await loadMe();
      location.hash = '#/';
    } catch (error) {
      showProblem(form, error);
    }
  });
  const form = document.getElementById('profile-form');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const address = readAddress(form);
    const data = new FormData(form);
    const body = { name: data.get('name'), emailOptIn: form.emailOptIn.checked };
    if (data.get('annualIncome')) body.annualIncome = Number(data.get('annualIncome'));
    if (address.address1 || address.zipCode) body.shippingAddress = address;
    try {
      state.me = await api('/api/v1/users/me', { method: 'PATCH', body });
      showProblem(form, null);
      document.getElementById('profile-done').hidden = false;
    } catch (error) {
      showProblem(form, error);
    }
  });
  document.getElementById('logout').addEventListener('click', async () => {
    await api('/api/v1/sessions/current', { method: 'DELETE' }).catch(() => {});
    await loadMe();
    location.hash = '#/';
  });
}

// ------------------------------------------------------------------------------------------ cart and checkout

async function cart() {
  const main = screen();
  if (!requireLogin()) return;
  const c = await api('/api/v1/cart');
  main.innerHTML = `<h1>장바구니</h1>
    ${c.lines.length ? `<table><caption class="sr-only">장바구니 상품</caption>
      <thead><tr><th scope="col">상품</th><th scope="col">수량</th><th scope="col">금액</th><th scope="col"><span class="sr-only">삭제</span></th></tr></thead>
      <tbody>${c.lines.map((l) => `<tr>
        <td><a href="#/products/${l.productId}">${h(l.brand)} ${h(l.name)}</a><div class="muted">${h([l.color, l.size].filter(Boolean).join(' / '))}</div>
          ${l.retired ? '<div class="soldout">판매 종료된 상품</div>' : l.outOfStock ? '<div class="soldout">재고 부족</div>' : ''}</td>
        <td><label class="sr-only" for="qty-${l.itemId}">수량</label><input id="qty-${l.itemId}" type="number" min="1" max="10" value="${l.quantity}" data-item="${l.itemId}" class="qty"></td>
        <td>${won(l.lineTotal)}</td>
        <td><button type="button" class="secondary remove" data-item="${l.itemId}">삭제</button></td></tr>`).join('')}</tbody></table>
      <p class="price" aria-live="polite">합계 ${won(c.total)}</p>
      <p class="error" id="cart-error" role="alert"></p>
      ${c.orderableLines === c.lines.length ? '<a class="button" id="to-checkout" href="#/checkout">주문하기</a>'
        : '<p class="muted">판매 종료되었거나 재고가 부족한 상품을 먼저 빼 주세요.</p>'}`
    : empty('장바구니가 비어 있습니다.')}`;
  main.querySelectorAll('.qty').forEach((input) => input.addEventListener('change', async () => {
    try {
      await api(`/api/v1/cart/items/${input.dataset.item}`, { method: 'PATCH', body: { quantity: Number(input.value) } });
      render();
    } catch (error) {
      document.getElementById('cart-error').textContent = explain(error);
    }
  }));
  main.querySelectorAll('.remove').forEach((button) => button.addEventListener('click', async () => {
    await api(`/api/v1/cart/items/${button.dataset.item}`, { method: 'DELETE' });
    render();
  }));
}

async function checkout() {
  const main = screen();
  if (!requireLogin()) return;
  const c = await api('/api/v1/cart');
  if (!c.lines.length) {
    location.hash = '#/cart';
    return;
  }
  // One key per checkout: pressing "pay" twice (or a retry after a network error) places one order.
  const key = sessionStorage.getItem('checkout-key') || newKey();
  sessionStorage.setItem('checkout-key', key);
  main.innerHTML = `<h1>주문/결제</h1>
    <p>${c.lines.map((l) => `${h(l.name)} × ${l.quantity}`).join(', ')}</p>
    <p class="price">결제 금액 ${won(c.total)}</p>
    <form class="form" id="checkout-form" novalidate>
      <h2>배송지</h2>
      ${addressFields('ship', state.me?.shippingAddress)}
      <p class="error form-error" role="alert"></p>
      <button type="submit">${won(c.total)} 결제하기</button>
    </form>`;
  const form = document.getElementById('checkout-form');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    form.querySelector('button').disabled = true;
    try {
      const cartPrices = Object.fromEntries(c.lines.map((l) => [l.sku, l.unitPrice]));
      // Prefer: wait — answered once the stock is reserved or refused, so usually no second request
      const placed = await api('/api/v1/orders', {
        method: 'POST', headers: { 'Idempotency-Key': key, Prefer: 'wait=20' },
        body: { fromCart: true, cartPrices, shippingAddress: readAddress(form) },
      });
      const status = placed.status === 'PENDING' ? await settled(placed.orderId, 'PENDING') : placed.status;
      if (status !== 'STOCK_RESERVED') {
        throw new Error(status === 'REJECTED' ? '품절되어 주문할 수 없습니다. 장바구니를 확인해 주세요.'
          : `주문을 진행할 수 없습니다 (${STATUS[status] || status}).`);
      }
      sessionStorage.removeItem('checkout-key');
      await pay(placed);
    } catch (error) {
      form.querySelector('button').disabled = false;
      showProblem(form, error instanceof ApiError ? error : new ApiError(0, { detail: error.message }));
    }
  });
}

/** Waits (long-polling the status) until the order leaves {@code status}. */
async function settled(orderId, status) {
  for (let i = 0; i < 10; i++) {
    const now = await api(`/api/v1/orders/${encodeURIComponent(orderId)}/status?waitWhile=${status}&wait=20`);
    if (now.status !== status) return now.status;
  }
  return status;
}

/** The payment step: Toss's checkout page (here the simulator's), which comes back to /?pay=success|fail. */
async function pay(placed) {
  if (!state.config) state.config = await api('/api/v1/storefront/config');
  const back = `${location.origin}/`;
  const query = new URLSearchParams({
    orderId: placed.orderId, amount: placed.amount, orderName: placed.orderName,
    successUrl: `${back}?pay=success`, failUrl: `${back}?pay=fail`,
  });
  location.assign(`${state.config.paymentPageUrl}?${query}`);
}

/** An order id as Toss and the API know it: only these reach a fetch path (and are encoded even so). */
const ORDER_ID = /^[A-Za-z0-9_-]{6,64}$/;

/** What a payment page's failure code means (Toss's codes); its free-text message is never shown. */
const PAY_FAILURES = {
  PAY_PROCESS_CANCELED: '결제를 취소하셨습니다.',
  PAY_PROCESS_ABORTED: '결제가 중단되었습니다. 다시 시도해 주세요.',
  REJECT_CARD_COMPANY: '카드사에서 결제를 거절했습니다. 다른 결제 수단으로 다시 시도해 주세요.',
};

/**
 * Back from the payment page: confirm (the API checks the amount), then show the order. The query is the
 * outside world's: an orderId that is not an order id is refused before any call, and it is encoded in the path.
 */
async function paymentReturn() {
  const params = new URLSearchParams(location.search);
  const outcome = params.get('pay');
  if (!outcome) return false;
  const orderId = params.get('orderId') || '';
  const valid = ORDER_ID.test(orderId);
  history.replaceState(null, '', valid ? `/#/orders/${encodeURIComponent(orderId)}` : '/#/orders');
  if (!valid) {
    sessionStorage.setItem('flash-bad', '결제 정보가 올바르지 않습니다. 주문내역에서 주문 상태를 확인해 주세요.');
  } else if (outcome === 'success') {
    try {
      await api(`/api/v1/orders/${encodeURIComponent(orderId)}/payment`, {
        method: 'POST', body: { paymentKey: params.get('paymentKey'), amount: Number(params.get('amount')) },
      });
      sessionStorage.setItem('flash', '결제가 완료되었습니다.');
    } catch (error) {
      sessionStorage.setItem('flash-bad', `결제에 실패했습니다: ${explain(error)}`);
    }
  } else {
    sessionStorage.setItem('flash-bad', PAY_FAILURES[params.get('code')] || '결제가 완료되지 않았습니다. 다시 시도해 주세요.');
  }
  return true;
}

// ------------------------------------------------------------------------------------------ orders

const STATUS = {
  PENDING: '재고 확인 중', STOCK_RESERVED: '결제 대기', PAID: '결제 완료', PARTIALLY_CANCELLED: '부분 취소',
  CANCELLED: '취소됨', REJECTED: '품절로 주문 불가', PAYMENT_FAILED: '결제 실패', EXPIRED: '결제 시간 초과', REFUNDED: '환불됨',
};

/** The message a payment return left for the next page (shown once). */
function flashes() {
  const flash = sessionStorage.getItem('flash');
  const flashBad = sessionStorage.getItem('flash-bad');
  sessionStorage.removeItem('flash');
  sessionStorage.removeItem('flash-bad');
  return `${flash ? `<p class="notice" role="status">${h(flash)}</p>` : ''}
    ${flashBad ? `<p class="notice bad" role="alert">${h(flashBad)}</p>` : ''}`;
}

async function orders() {
  const main = screen();
  if (!requireLogin()) return;
  const page = await api('/api/v1/orders?size=20');
  main.innerHTML = `<h1>주문내역</h1>${flashes()}
    ${page.items.length ? `<table><thead><tr><th scope="col">주문</th><th scope="col">금액</th><th scope="col">상태</th></tr></thead>
      <tbody>${page.items.map((o) => `<tr><td><a href="#/orders/${h(o.orderId)}">${h(o.orderName)}</a><div class="muted">${h(o.orderId)}</div></td>
        <td>${won(o.amount)}</td><td>${STATUS[o.status] || h(o.status)}</td></tr>`).join('')}</tbody></table>`
    : empty('아직 주문한 상품이 없습니다.')}`;
}

async function order(orderId) {
  const main = screen();
  if (!requireLogin()) return;
  const o = await api(`/api/v1/orders/${encodeURIComponent(orderId)}`);
  main.innerHTML = `<h1>주문 ${h(o.orderName)}</h1>${flashes()}
    <p>주문번호 ${h(o.orderId)} · ${won(o.amount)}</p>
    <p>상태: <span class="status" id="order-status" data-status="${o.status}" aria-live="polite">${STATUS[o.status] || h(o.status)}</span></p>
    <table><tbody>${o.lines.map((l) => `<tr><td>${h(l.productName)} <span class="muted">${h(l.optionLabel || '')}</span></td>
      <td>${l.quantity}개${l.cancelledQuantity ? ` (취소 ${l.cancelledQuantity})` : ''}</td><td>${won(l.unitPrice * l.quantity)}</td></tr>`).join('')}</tbody></table>
    <p class="error" id="order-error" role="alert"></p>
    ${['PAID', 'PARTIALLY_CANCELLED'].includes(o.status) ? reviewAndCancelForms(o) : ''}
    <div class="row">
      ${o.status === 'STOCK_RESERVED' ? '<button type="button" id="order-pay">결제하기</button>' : ''}
      ${['PENDING', 'STOCK_RESERVED', 'PAID', 'PARTIALLY_CANCELLED'].includes(o.status)
        ? '<button type="button" class="secondary" id="order-cancel">주문 취소</button>' : ''}
    </div>`;
  document.getElementById('order-pay')?.addEventListener('click', () => pay(o));
  main.querySelectorAll('form.review').forEach((form) => form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const photos = [...form.querySelector('input[type=file]').files];
    const refused = refusedType(photos);
    if (refused) {
      showProblem(form, null);
      form.querySelector('.form-error').textContent = refused;
      return;
    }
    let review;
    try {
      review = await api(`/api/v1/products/${form.dataset.product}/reviews`, {
        method: 'POST', body: { rating: Number(data.get('rating')), title: data.get('title'), body: data.get('body') },
      });
    } catch (error) {
      showProblem(form, error);
      return;
    }
    // the review stands; its photos go straight to storage, one by one
    const failed = [];
    for (const photo of photos) {
      try {
        await uploadImage(`/api/v1/reviews/${review.id}/images`, photo);
      } catch (error) {
        failed.push(uploadProblem(photo, error));
      }
    }
    form.innerHTML = `<p class="notice" role="status">리뷰를 남겨 주셔서 감사합니다.${photos.length > failed.length
      ? ` (사진 ${photos.length - failed.length}장)` : ''}</p>${failed.length
      ? `<p class="error" role="alert">사진을 올리지 못했습니다: ${h(failed.join(' '))}</p>` : ''}`;
  }));
  document.getElementById('cancel-lines')?.addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.target;
    const lines = [...form.querySelectorAll('input[data-sku]')].map((input) => ({ sku: input.dataset.sku, quantity: Number(input.value) }))
      .filter((line) => line.quantity > 0);
    try {
      await api(`/api/v1/orders/${encodeURIComponent(orderId)}/cancel`, { method: 'POST', body: { reason: '고객 요청 (일부 취소)', lines } });
      render();
    } catch (error) {
      showProblem(form, error);
    }
  });
  document.getElementById('order-cancel')?.addEventListener('click', async () => {
    try {
      await api(`/api/v1/orders/${encodeURIComponent(orderId)}/cancel`, { method: 'POST', body: { reason: '고객 요청' } });
      render();
    } catch (error) {
      document.getElementById('order-error').textContent = explain(error);
    }
  });
  // The status changes live: long-poll while the page is open.
  let open = true;
  state.cleanup.push(() => { open = false; });
  (async () => {
    let status = o.status;
    while (open) {
      const now = await api(`/api/v1/orders/${encodeURIComponent(orderId)}/status?waitWhile=${status}&wait=25`).catch(() => null);
      if (!open) return;
      if (now && now.status !== status) {
        status = now.status;
        const el = document.getElementById('order-status');
        if (el) {
          el.dataset.status = status;
          el.textContent = STATUS[status] || status;
        }
      } else if (!now) {
        await new Promise((r) => setTimeout(r, 2000));
      }
    }
  })();
}

/** A paid order's lines: a review per product, and cancelling some units. */
function reviewAndCancelForms(o) {
  const open = o.lines.filter((l) => l.quantity > l.cancelledQuantity);
  return `<h2>리뷰 쓰기</h2>${open.map((l, i) => `<form class="form review" data-product="${l.productId}" novalidate>
      <strong>${h(l.productName)}</strong>
      <label for="review-rating-${i}">평점<select id="review-rating-${i}" name="rating">
        ${[5, 4, 3, 2, 1].map((r) => `<option value="${r}">${'★'.repeat(r)}</option>`).join('')}</select></label>
      <span class="error" id="review-rating-${i}-error"></span>
      <label for="review-title-${i}">제목<input id="review-title-${i}" name="title" maxlength="100"></label>
      <span class="error" id="review-title-${i}-error"></span>
      <label for="review-body-${i}">내용<textarea id="review-body-${i}" name="body" rows="3"></textarea></label>
      <span class="error" id="review-body-${i}-error"></span>
      <label for="review-photos-${i}">사진 (3장까지, JPEG·PNG·WebP)<input id="review-photos-${i}" name="photos" type="file"
        accept="image/jpeg,image/png,image/webp" multiple></label>
      <p class="error form-error" role="alert"></p>
      <button type="submit">리뷰 등록</button></form>`).join('')}
    <h2>일부 취소</h2>
    <form class="form" id="cancel-lines" novalidate>
      ${open.map((l, i) => `<label for="cancel-${i}">${h(l.productName)} (최대 ${l.quantity - l.cancelledQuantity}개)
        <input id="cancel-${i}" type="number" min="0" max="${l.quantity - l.cancelledQuantity}" value="0" data-sku="${h(l.sku)}"></label>`).join('')}
      <p class="error form-error" role="alert"></p>
      <button type="submit" class="secondary">선택한 수량 취소</button>
    </form>`;
}

// ------------------------------------------------------------------------------------------ deals

async function deals() {
  const main = screen();
  const [live, upcoming] = await Promise.all([api('/api/v1/deals?state=live'), api('/api/v1/deals?state=upcoming')]);
  const section = (title, list, none) => `<h2>${title}</h2>${list.length
    ? `<ul class="grid">${list.map(dealCard).join('')}</ul>` : `<p class="muted">${none}</p>`}`;
  main.innerHTML = `<h1>타임딜</h1>
    ${live.length || upcoming.length ? '' : empty('지금은 진행 중이거나 예정된 드롭이 없습니다. 새 드롭이 열리면 알림으로 알려 드려요.')}
    ${section('진행 중', live, '지금 진행 중인 드롭이 없습니다. 곧 열릴 드롭을 확인해 보세요.')}
    ${section('오픈 예정', upcoming, '예정된 드롭이 아직 없습니다.')}`;
  // units left change on each deal's own page (one stream each); here the clocks run
  watchDrops(main, []);
}

async function deal(id) {
  const main = screen();
  const d = await api(`/api/v1/deals/${id}`);
  const p = await api(`/api/v1/products/${d.productId}`).catch(() => null);
  const queued = d.mode === 'QUEUE';
  main.innerHTML = `<article class="product deal-page">
    ${gallery(p?.imageUrls || (d.imageUrl ? [d.imageUrl] : []), d.productName, d.brand)}
    <div>
    <p class="brand">${h(d.brand)} · <a href="#/products/${d.productId}">${h(d.productName)}</a></p>
    <h1>${h(d.title)}</h1>
    <p class="prices">${dealPrices(d)}</p>
    <p>${dealClock(d)}</p>
    <p class="muted">${kst(d.startsAt)} ~ ${kst(d.endsAt)} · 1인 ${d.perBuyerLimit}개</p>
    <p>남은 수량 <strong id="deal-remaining" data-remaining="${d.id}" aria-live="polite">${d.remaining}</strong></p>
    ${queued ? queuePanel(d) : ''}
    ${d.mode === 'DRAW' ? `${d.state === 'ended' ? '' : dealRequirement(state.me)}${drawPanel(d)}` : `<form class="form" id="deal-form">
      <label for="deal-sku">옵션<select id="deal-sku" name="sku">${d.lines.map((l) => `<option value="${h(l.sku)}" data-price="${l.dealPrice}">
        ${h(l.optionLabel || l.sku)} — ${won(l.dealPrice)} (정가 ${won(l.regularPrice)})</option>`).join('')}</select></label>
      ${state.me && (d.state === 'live' || (queued && d.state === 'upcoming')) ? `<h2>배송지</h2>${addressFields('deal', state.me.shippingAddress)}` : ''}
      ${d.state === 'ended' ? '' : dealRequirement(state.me)}
      <p class="error form-error" role="alert"></p>
      <button type="submit" ${d.state === 'live' ? '' : 'disabled'}>${d.state === 'live' ? '바로 구매' : d.state === 'upcoming' ? '오픈 예정' : '종료'}</button>
      ${d.state === 'upcoming' && state.me ? '<button type="button" class="secondary" id="deal-remind">오픈 알림 받기</button>' : ''}
    </form>`}
    </div></article>`;
  bindGallery(main, d.productName);
  watchDrops(main, [d]);
  document.getElementById('deal-remind')?.addEventListener('click', async (event) => {
    await api(`/api/v1/deals/${id}/reminder`, { method: 'PUT' });
    event.target.textContent = '알림 신청됨';
    event.target.disabled = true;
  });
  if (d.mode === 'DRAW') {
    bindDraw(d, state.me, state.cleanup);
    return;
  }
  const form = document.getElementById('deal-form');
  if (queued) { // buying opens at the buyer's turn only
    const buy = form.querySelector('button[type=submit]');
    buy.disabled = true;
    bindQueue(d, state.me, state.cleanup, (passExpiresAt) => {
      buy.disabled = !passExpiresAt; // the turn comes from the server: the deal is live by then
      buy.textContent = passExpiresAt ? '지금 구매' : '내 차례를 기다리는 중';
    });
  }
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!requireLogin()) return;
    const option = form.sku.selectedOptions[0];
    try {
      const placed = await api('/api/v1/orders', {
        method: 'POST', headers: { 'Idempotency-Key': newKey() },
        body: { items: [{ sku: option.value, quantity: 1, price: Number(option.dataset.price), dealId: d.id }],
          shippingAddress: readAddress(form) },
      });
      location.hash = `#/orders/${placed.orderId}`;
    } catch (error) {
      showProblem(form, error);
    }
  });
}

// ------------------------------------------------------------------------------------------ notifications

async function notifications() {
  const main = screen();
  if (!requireLogin()) return;
  const page = await api('/api/v1/notifications?size=30');
  main.innerHTML = `<h1>알림</h1>
    <p><button type="button" class="secondary" id="read-all">모두 읽음</button></p>
    ${page.notifications.length ? page.notifications.map((n) => `<div class="notice${n.read ? '' : ' unread'}">
      <strong>${h(n.title)}</strong><p>${h(n.body)}</p><span class="muted">${kst(n.createdAt)}</span></div>`).join('')
    : empty('새 알림이 없습니다. 주문, 드롭, 채팅 소식이 여기에 모입니다.')}`;
  document.getElementById('read-all').addEventListener('click', async () => {
    await api('/api/v1/notifications/read-all', { method: 'POST' });
    render();
  });
}

// ------------------------------------------------------------------------------------------ start

replaceBrokenPictures();
(async () => {
  const returned = await loadMe().then(async () => (await followEmailLink()) || paymentReturn());
  if (returned) {
    await loadMe();
  }
  render();
})();
