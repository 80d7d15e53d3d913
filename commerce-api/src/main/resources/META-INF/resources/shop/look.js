// How the shop looks: dates in KST, countdowns, pictures (thumbnails, placeholders, the gallery), the drop hero,
// skeletons and empty states. Views only: no calls to the API here.
import { h, won } from './api.js';

const KST_DATE = { timeZone: 'Asia/Seoul', month: 'long', day: 'numeric', weekday: 'short', hour: '2-digit', minute: '2-digit' };

/** "12월 5일 (토) 오후 03:00" in Korea's time, wherever the browser is. */
export const kst = (at) => new Date(at).toLocaleString('ko-KR', KST_DATE);

/** "1:05", "12:03:09" or "2일 3:00:00" until {@code at}. */
export function countdown(at) {
  let s = Math.max(0, Math.round((new Date(at) - Date.now()) / 1000));
  const days = Math.floor(s / 86400);
  s %= 86400;
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  const clock = hh ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
  return days ? `${days}일 ${clock}` : clock;
}

/** Ticks every second while the page is shown: {@code tick()} redraws what counts down. */
export function everySecond(tick, cleanup) {
  tick();
  const timer = setInterval(tick, 1000);
  cleanup.push(() => clearInterval(timer));
}

/**
 * Keeps every {@code [data-countdown]} under {@code main} counting down to its instant; when one reaches zero,
 * {@code onZero} runs once (the page redraws: an upcoming drop has opened, a live one has ended).
 */
export function runCountdowns(main, cleanup, onZero) {
  let fired = false;
  everySecond(() => {
    for (const el of main.querySelectorAll('[data-countdown]')) {
      el.textContent = countdown(el.dataset.countdown);
      if (!fired && new Date(el.dataset.countdown) <= Date.now()) {
        fired = true;
        setTimeout(onZero, 1000); // a moment for the server's clock to agree
      }
    }
  }, cleanup);
}

/** An uploaded image's listing thumbnail; other links as they are. */
export const thumb = (url) => (/^\/api\/v1\/images\/\d+$/.test(url || '') ? `${url}/thumbnail` : url);

/** The designed stand-in for a product without a picture (or whose picture failed): its brand's initial. */
export function placeholder(brand) {
  const initial = (String(brand || 'S').trim()[0] || 'S').toUpperCase();
  return `<span class="ph" aria-hidden="true"><span>${h(initial)}</span></span>`;
}

/** A square listing picture: the thumbnail with its size set (no layout shift), else the placeholder. */
export function picture(url, brand, alt = '') {
  return url
    ? `<img src="${h(thumb(url))}" alt="${h(alt)}" width="400" height="400" loading="lazy" decoding="async" data-brand="${h(brand)}">`
    : placeholder(brand);
}

/** A picture that fails to load becomes the placeholder: no broken image anywhere. */
export function replaceBrokenPictures() {
  document.addEventListener('error', (event) => {
    const img = event.target;
    if (img instanceof HTMLImageElement && !img.dataset.broken) {
      img.dataset.broken = 'true';
      img.insertAdjacentHTML('afterend', placeholder(img.dataset.brand || ''));
      img.hidden = true;
    }
  }, true);
}

/**
 * A product's pictures: the main one large, the others as thumbnails below. Thumbnails are buttons; the arrow keys
 * move through the pictures while the gallery has focus, and a swipe on the main picture does too.
 */
export function gallery(urls, name, brand) {
  if (!urls.length) {
    return `<div class="gallery">${placeholder(brand)}</div>`;
  }
  return `<div class="gallery" data-count="${urls.length}">
    <img class="gallery-main" src="${h(urls[0])}" alt="${h(name)} 이미지 1/${urls.length}" width="1200" height="1200" data-brand="${h(brand)}">
    ${urls.length > 1 ? `<div class="thumbs" role="group" aria-label="${h(name)} 이미지 선택">${urls.map((url, i) =>
      `<button type="button" class="thumb" data-index="${i}" data-src="${h(url)}" aria-pressed="${i === 0}" aria-label="이미지 ${i + 1}">
        <img src="${h(thumb(url))}" alt="" width="72" height="72" loading="lazy" data-brand="${h(brand)}"></button>`).join('')}</div>` : ''}
  </div>`;
}

/** Makes the gallery under {@code main} respond to clicks, arrow keys and swipes. */
export function bindGallery(main, name) {
  const box = main.querySelector('.gallery[data-count]');
  if (!box) return;
  const big = box.querySelector('.gallery-main');
  const buttons = [...box.querySelectorAll('.thumb')];
  const count = Number(box.dataset.count);
  let shown = 0;
  const show = (index) => {
    shown = (index + count) % count;
    if (big.dataset.broken) { // the last one failed and was replaced: show this one again
      delete big.dataset.broken;
      big.hidden = false;
      big.nextElementSibling?.remove();
    }
    big.src = buttons[shown]?.dataset.src || big.src;
    big.alt = `${name} 이미지 ${shown + 1}/${count}`;
    buttons.forEach((b, i) => b.setAttribute('aria-pressed', String(i === shown)));
  };
  buttons.forEach((b) => b.addEventListener('click', () => show(Number(b.dataset.index))));
  box.addEventListener('keydown', (event) => {
    const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    if (!step || count < 2) return;
    event.preventDefault();
    show(shown + step);
    buttons[shown].focus();
  });
  let startX = null;
  big.addEventListener('touchstart', (event) => { startX = event.touches[0].clientX; }, { passive: true });
  big.addEventListener('touchend', (event) => {
    const dx = event.changedTouches[0].clientX - startX;
    if (startX !== null && Math.abs(dx) > 40 && count > 1) show(shown + (dx < 0 ? 1 : -1));
    startX = null;
  }, { passive: true });
}

/** The lowest deal price of a deal, its regular price and the saving in per cent. */
export function dealPrices(d) {
  const line = d.lines.reduce((a, b) => (b.dealPrice < a.dealPrice ? b : a));
  const off = Math.round((1 - line.dealPrice / line.regularPrice) * 100);
  return `<span class="price">${won(line.dealPrice)}</span><span class="was">${won(line.regularPrice)}</span>${off > 0 ? `<span class="off">${off}%</span>` : ''}`;
}

const MODES = { QUEUE: '대기열 드롭', DRAW: '드로우', OPEN: '선착순 드롭' };

/** The clock of a deal: until it starts, or until it ends. */
export function dealClock(d) {
  if (d.state === 'ended') return '<span class="muted">종료된 드롭입니다</span>';
  const upcoming = d.state === 'upcoming';
  return `<span class="clock" role="timer" aria-label="${upcoming ? `${kst(d.startsAt)} 시작` : `${kst(d.endsAt)} 종료`}">
    <span>${upcoming ? '오픈까지' : '종료까지'}</span> <strong data-countdown="${h(upcoming ? d.startsAt : d.endsAt)}">${countdown(upcoming ? d.startsAt : d.endsAt)}</strong></span>`;
}

/** The home page's lead: the drop that is live (or next), with its picture, prices, clock and units left. */
export function dropHero(d) {
  const live = d.state === 'live';
  return `<section class="drop" aria-label="${live ? '진행 중인 드롭' : '다가오는 드롭'}">
    <a class="drop-media" href="#/deals/${d.id}" tabindex="-1" aria-hidden="true">${d.imageUrl
      ? `<img src="${h(d.imageUrl)}" alt="" width="1200" height="1200" fetchpriority="high" data-brand="${h(d.brand)}">` : placeholder(d.brand)}</a>
    <div class="drop-body">
      <p class="eyebrow">${live ? 'LIVE' : 'COMING'} · ${MODES[d.mode] || '드롭'}</p>
      <p class="brand">${h(d.brand)}</p>
      <p class="drop-title">${h(d.title)}</p>
      <p class="prices">${dealPrices(d)}</p>
      <p>${dealClock(d)}</p>
      <p class="muted">${live ? `남은 수량 <strong data-remaining="${d.id}">${d.remaining}</strong>개` : `${kst(d.startsAt)} 오픈 · 한정 ${d.remaining}개`}</p>
      <p><a class="button" href="#/deals/${d.id}">${live ? '지금 구매하기' : '드롭 보러 가기'}</a></p>
    </div>
  </section>`;
}

/** A deal as a card on the deals page. */
export function dealCard(d) {
  return `<li class="card">
    <a href="#/deals/${d.id}">${picture(d.imageUrl, d.brand)}<div class="brand">${h(d.brand)}</div><div class="name">${h(d.title)}</div></a>
    <div class="prices">${dealPrices(d)}</div>
    <div class="muted">${d.state === 'live' ? `남은 수량 <strong data-remaining="${d.id}">${d.remaining}</strong>개 · ` : ''}${dealClock(d)}</div>
  </li>`;
}

/** Grey cards that hold the grid's place while it loads. */
export const skeletonCards = (n = 8) => Array.from({ length: n },
  () => '<li class="card skeleton" aria-hidden="true"><span class="ph"></span><span class="bar"></span><span class="bar short"></span></li>').join('');

/** A designed empty state: what is (not) here, and where to go instead. */
export const empty = (text, link = '<a class="button secondary" href="#/">쇼핑 계속하기</a>') =>
  `<div class="empty"><p>${text}</p>${link ? `<p>${link}</p>` : ''}</div>`;
