// Open chat in the storefront: rooms (search, create, join, leave) over chat-gateway's REST API, and one WebSocket
// per tab for live messages, read receipts and unread badges. Behind the ingress the gateway shares the shop's
// origin; in the local run it is on another port of the same host (config chatUrl ":8081").
import { api, ApiError, conditionText, explain, h, newKey, showCount, showProblem, won } from './api.js';

const chat = {
  base: null,          // origin of chat-gateway ('' = this one)
  socket: null,
  open: false,
  retry: 0,
  listeners: new Set(), // frame handlers of the open page
  unread: { total: 0, rooms: {} },
  pending: [],          // frames to send once connected
};

/** The gateway's origin from the storefront config: '', ':port' (this host) or an absolute origin. */
export function chatBase(config) {
  const url = config?.chatUrl || '';
  if (url.startsWith(':')) return `${location.protocol}//${location.hostname}${url}`;
  return url.replace(/\/$/, '');
}

const rest = (path, options) => api(`${chat.base}/api/v1/chat${path}`, options);

/** Opens (or reopens) the tab's chat connection; badges update everywhere, pages add their own listeners. */
export function connectChat(config, loggedIn) {
  chat.base = chatBase(config);
  if (!loggedIn) {
    disconnectChat();
    return;
  }
  if (chat.socket) return;
  const origin = chat.base || location.origin;
  const socket = new WebSocket(`${origin.replace(/^http/, 'ws')}/ws/chat`);
  chat.socket = socket;
  socket.onopen = () => {
    chat.open = true;
    chat.retry = 0;
    chat.pending.splice(0).forEach((frame) => socket.send(frame));
    chat.listeners.forEach((listener) => listener({ type: 'connected' }));
  };
  socket.onmessage = (event) => {
    const frame = JSON.parse(event.data);
    if (frame.type === 'badge') {
      chat.unread = { total: frame.totalUnread, rooms: frame.rooms || {} };
      showBadge();
    }
    chat.listeners.forEach((listener) => listener(frame));
  };
  socket.onclose = (event) => {
    chat.socket = null;
    chat.open = false;
    chat.listeners.forEach((listener) => listener({ type: 'disconnected' }));
    if (event.code === 1008) return; // the session ended: no reconnecting (a logout removes this handler first)
    const delay = Math.min(10_000, 500 * 2 ** chat.retry++);
    setTimeout(() => connectChat(config, true), delay);
  };
}

export function disconnectChat() {
  if (chat.socket) {
    const socket = chat.socket;
    chat.socket = null;
    socket.onclose = null;
    socket.close();
  }
  chat.unread = { total: 0, rooms: {} };
  showBadge();
}

function send(frame) {
  const text = JSON.stringify(frame);
  if (chat.open) chat.socket.send(text);
  else chat.pending.push(text);
}

function showBadge() {
  const badge = document.getElementById('chat-count');
  if (badge) showCount(badge, chat.unread.total, '채팅');
}

/** Subscribes a page to frames; the page's cleanup unsubscribes. */
function listen(cleanup, listener) {
  chat.listeners.add(listener);
  cleanup.push(() => chat.listeners.delete(listener));
}

const conditionsOf = (room) => [
  room.minAnnualIncome ? `연 소득 ${won(room.minAnnualIncome)} 이상 (본인이 입력한 소득 기준)` : null,
  room.minLifetimeSpend ? `누적 구매 ${won(room.minLifetimeSpend)} 이상` : null,
].filter(Boolean).join(' · ') || '누구나';

// ------------------------------------------------------------------------------------------ room list

export async function chatRooms(main, params, cleanup) {
  const q = params.get('q') || '';
  const [mine, found] = await Promise.all([rest('/rooms/mine'), rest(`/rooms?size=20&q=${encodeURIComponent(q)}`)]);
  main.innerHTML = `<h1>오픈 채팅</h1>
    <h2>참여 중인 방</h2>
    <ul class="rooms" id="my-rooms">${mine.length ? mine.map((m) => `<li><a href="#/chat/${m.room.id}">${h(m.room.name)}</a>
      <span class="badge" data-room="${m.room.id}" ${m.unread ? '' : 'hidden'} aria-label="읽지 않은 메시지 ${m.unread}개">${m.unread}</span>
      <span class="muted">${m.lastMessage ? h(m.lastMessage.deleted ? '삭제된 메시지' : `${m.lastMessage.senderName}: ${m.lastMessage.content}`) : '아직 메시지가 없습니다'}</span></li>`).join('')
      : '<li class="muted">참여 중인 방이 없습니다.</li>'}</ul>
    <h2>방 찾기</h2>
    <form class="toolbar" id="room-search" role="search">
      <label>방 이름 <input name="q" type="search" value="${h(q)}"></label><button type="submit">검색</button>
    </form>
    <ul class="rooms" id="found-rooms"></ul>
    <p><button type="button" class="secondary" id="more-rooms" hidden>더 보기</button></p>
    <h2>새 방 만들기</h2>
    <form class="form" id="new-room" novalidate>
      <label for="room-name">방 이름 <input id="room-name" name="name" required maxlength="60"></label>
      <span class="error" id="room-name-error"></span>
      <label for="room-income">참여 조건: 연 소득 (원, 선택) <input id="room-income" name="minAnnualIncome" type="number" min="0"></label>
      <span class="error" id="room-income-error"></span>
      <label for="room-spend">참여 조건: 누적 구매 금액 (원, 선택) <input id="room-spend" name="minLifetimeSpend" type="number" min="0"></label>
      <span class="error" id="room-spend-error"></span>
      <p class="error form-error" role="alert"></p>
      <button type="submit">만들기</button>
    </form>`;
  const list = main.querySelector('#found-rooms');
  const more = main.querySelector('#more-rooms');
  const show = (page) => {
    list.insertAdjacentHTML('beforeend', page.rooms.map((room) => `<li><a href="#/chat/${room.id}">${h(room.name)}</a>
      <span class="muted">${room.memberCount}명 · ${h(conditionsOf(room))}${room.joined ? ' · 참여 중' : ''}</span></li>`).join('')
      || (list.children.length ? '' : '<li class="muted">찾는 방이 없습니다.</li>'));
    more.hidden = !page.nextCursor;
    more.onclick = async () => show(await rest(`/rooms?size=20&q=${encodeURIComponent(q)}&cursor=${encodeURIComponent(page.nextCursor)}`));
  };
  show(found);
  main.querySelector('#room-search').addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = `#/chat?q=${encodeURIComponent(new FormData(event.target).get('q').trim())}`;
  });
  main.querySelector('#new-room').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.target;
    const data = new FormData(form);
    const number = (name) => (data.get(name) ? Number(data.get(name)) : null);
    try {
      const room = await rest('/rooms', { method: 'POST',
        body: { name: data.get('name').trim(), minAnnualIncome: number('minAnnualIncome'), minLifetimeSpend: number('minLifetimeSpend') } });
      location.hash = `#/chat/${room.id}`;
    } catch (error) {
      showProblem(form, error);
    }
  });
  listen(cleanup, (frame) => {
    if (frame.type !== 'badge') return;
    main.querySelectorAll('[data-room]').forEach((badge) => showCount(badge, frame.rooms?.[badge.dataset.room] || 0, '메시지'));
  });
}

// ------------------------------------------------------------------------------------------ one room

export async function chatRoom(main, id, me, cleanup) {
  const roomId = Number(id);
  const room = await rest(`/rooms/${roomId}`);
  main.innerHTML = `<h1>${h(room.name)}</h1>
    <p class="muted">${room.memberCount}명 · 참여 조건: ${h(conditionsOf(room))}</p>
    <div id="room-body"></div>`;
  const body = main.querySelector('#room-body');
  if (!room.joined) {
    body.innerHTML = `<form id="join" class="form"><p class="error form-error" role="alert"></p>
      <button type="submit">참여하기</button></form>`;
    body.querySelector('#join').addEventListener('submit', async (event) => {
      event.preventDefault();
      try {
        await rest(`/rooms/${roomId}/members`, { method: 'POST' });
        await chatRoom(main, id, me, cleanup);
      } catch (error) {
        const unmet = error instanceof ApiError && error.status === 403 ? conditionText(error.problem) : null;
        event.target.querySelector('.form-error').textContent = unmet || explain(error);
      }
    });
    return;
  }
  body.innerHTML = `<p class="muted" id="link-state" role="status">연결 중…</p>
    <p><button type="button" class="secondary" id="older" hidden>이전 메시지 보기</button></p>
    <ol class="messages" id="messages" aria-live="polite" aria-label="메시지"></ol>
    <form id="send" class="row" autocomplete="off">
      <label for="message-content" class="sr-only">메시지</label>
      <input id="message-content" name="content" maxlength="1000" required placeholder="메시지를 입력하세요">
      <button type="submit">보내기</button>
      <p class="error form-error" role="alert"></p>
    </form>
    <p><button type="button" class="secondary" id="leave">방 나가기</button></p>`;
  const list = body.querySelector('#messages');
  const reads = new Map(); // userId -> the last message they read (receipts of others)
  let last = 0;

  const receipt = (message) => {
    if (message.senderId !== me.id) return '';
    const readers = [...reads.entries()].filter(([user, upTo]) => user !== me.id && upTo >= message.messageId).length;
    return readers ? `<span class="receipt" data-receipt>읽음 ${readers}</span>` : '<span class="receipt muted" data-receipt>안 읽음</span>';
  };
  const add = (message) => {
    if (list.querySelector(`[data-id="${message.messageId}"]`)) return; // a resume may repeat what we have
    const item = document.createElement('li');
    item.dataset.id = message.messageId;
    item.dataset.sender = message.senderId;
    item.className = message.senderId === me.id ? 'mine' : '';
    item.innerHTML = `<strong>${h(message.senderName)}</strong> <span class="content">${message.deleted ? '<em class="muted">삭제된 메시지</em>' : h(message.content)}</span>
      <time class="muted">${new Date(message.sentAt).toLocaleTimeString('ko-KR', { timeZone: 'Asia/Seoul', hour: '2-digit', minute: '2-digit' })}</time> ${receipt(message)}
      ${message.senderId === me.id && !message.deleted ? `<button type="button" class="link delete" data-delete="${message.messageId}" aria-label="이 메시지 삭제">삭제</button>` : ''}`;
    const after = [...list.children].find((li) => Number(li.dataset.id) > message.messageId);
    list.insertBefore(item, after || null);
    last = Math.max(last, message.messageId);
  };
  const refreshReceipts = () => list.querySelectorAll('li.mine').forEach((li) => {
    const slot = li.querySelector('[data-receipt]');
    const html = receipt({ senderId: me.id, messageId: Number(li.dataset.id) });
    if (slot) slot.outerHTML = html; else li.insertAdjacentHTML('beforeend', html);
  });
  const markRead = () => {
    if (last && document.visibilityState !== 'hidden') send({ type: 'read', roomId, messageId: last });
  };

  const history = await rest(`/rooms/${roomId}/messages?size=50`);
  history.messages.slice().reverse().forEach(add);
  const older = body.querySelector('#older');
  let before = history.nextBefore;
  older.hidden = !before;
  older.addEventListener('click', async () => {
    const page = await rest(`/rooms/${roomId}/messages?size=50&before=${before}`);
    page.messages.forEach(add); // add() keeps id order
    before = page.nextBefore;
    older.hidden = !before;
  });
  list.addEventListener('click', async (event) => {
    const id = event.target.dataset?.delete;
    if (!id) return;
    try {
      await rest(`/rooms/${roomId}/messages/${id}`, { method: 'DELETE' });
    } catch (error) {
      body.querySelector('#send .form-error').textContent = explain(error);
    }
  });
  const linkState = body.querySelector('#link-state');
  listen(cleanup, (frame) => {
    if (frame.type === 'connected') {
      linkState.textContent = '';
      send({ type: 'resume', roomId, afterMessageId: last }); // whatever arrived while we were away
    } else if (frame.type === 'disconnected') {
      linkState.textContent = '연결이 끊겼습니다. 다시 연결하는 중…';
    } else if (frame.type === 'message' && frame.roomId === roomId) {
      add(frame);
      markRead();
    } else if (frame.type === 'read' && frame.roomId === roomId) {
      reads.set(frame.userId, Math.max(reads.get(frame.userId) || 0, frame.messageId));
      refreshReceipts();
    } else if (frame.type === 'deleted' && frame.roomId === roomId) {
      const content = list.querySelector(`[data-id="${frame.messageId}"] .content`);
      if (content) content.innerHTML = '<em class="muted">삭제된 메시지</em>';
      list.querySelector(`[data-delete="${frame.messageId}"]`)?.remove();
    } else if (frame.type === 'error') {
      body.querySelector('#send .form-error').textContent = frame.detail || '메시지를 보내지 못했습니다.';
    }
  });
  if (chat.open) {
    linkState.textContent = '';
    send({ type: 'resume', roomId, afterMessageId: last });
  }
  markRead();
  const onVisible = () => markRead();
  document.addEventListener('visibilitychange', onVisible);
  cleanup.push(() => document.removeEventListener('visibilitychange', onVisible));

  body.querySelector('#send').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = event.target.elements.content;
    const content = input.value.trim();
    if (!content) return;
    event.target.querySelector('.form-error').textContent = '';
    send({ type: 'send', roomId, clientMsgId: newKey(), content });
    input.value = '';
    input.focus();
  });
  body.querySelector('#leave').addEventListener('click', async () => {
    await rest(`/rooms/${roomId}/members/me`, { method: 'DELETE' });
    location.hash = '#/chat';
  });
}
