// tgsim sandbox UI: a small Telegram-Web-like client over tgsim's control API (/control/…).
// Vanilla JS, no dependencies. Everything the page shows is re-fetched on each server-sent
// `change` event from /control/events; nothing is cached beyond what is on screen.
'use strict';
(() => {
  // ----- small helpers ---------------------------------------------------------------------
  const $ = (id) => document.getElementById(id);
  const store = {
    get(k, d) { try { const v = localStorage.getItem('tgsim.' + k); return v === null ? d : JSON.parse(v); } catch (_) { return d; } },
    set(k, v) { try { localStorage.setItem('tgsim.' + k, JSON.stringify(v)); } catch (_) { /* private mode */ } },
  };

  function h(tag, props, ...kids) {
    const el = document.createElement(tag);
    if (props) {
      for (const [k, v] of Object.entries(props)) {
        if (v === undefined || v === null || v === false) continue;
        if (k === 'class') el.className = v;
        else if (k === 'text') el.textContent = v;
        else if (k === 'svg') el.innerHTML = v; // only ever the constant icons below
        else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
        else if (k === 'style') el.style.cssText = v;
        else el.setAttribute(k, v === true ? '' : String(v));
      }
    }
    for (const kid of kids.flat(Infinity)) {
      if (kid === null || kid === undefined || kid === false) continue;
      el.append(kid instanceof Node ? kid : String(kid));
    }
    return el;
  }

  const svg = (body, vb = '0 0 24 24', fill = true) =>
    `<svg viewBox="${vb}" ${fill ? 'fill="currentColor"' : 'fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"'}>${body}</svg>`;
  const ICON = {
    menu: svg('<path d="M4 6h16M4 12h16M4 18h16"/>', '0 0 24 24', false),
    back: svg('<path d="M19 12H5M11 18l-6-6 6-6"/>', '0 0 24 24', false),
    close: svg('<path d="M6 6l12 12M18 6L6 18"/>', '0 0 24 24', false),
    attach: svg('<path d="M20.5 11.5l-8.1 8.1a5.2 5.2 0 0 1-7.4-7.4l8.1-8.1a3.5 3.5 0 0 1 4.9 4.9l-8.1 8.1a1.7 1.7 0 0 1-2.5-2.5l7.5-7.5"/>', '0 0 24 24', false),
    send: svg('<path d="M3.4 20.4l17.45-7.48a1 1 0 0 0 0-1.84L3.4 3.6a.99.99 0 0 0-1.39.91L2 9.12c0 .5.37.93.87.99L17 12 2.87 13.88c-.5.07-.87.5-.87 1l.01 4.61c0 .71.73 1.2 1.39.91z"/>'),
    check: svg('<path d="M5 12.5l4.5 4.5L19 7.5"/>', '0 0 24 24', false),
    reply: svg('<path d="M10 9V5l-7 7 7 7v-4.1c5 0 8.5 1.6 11 5.1-1-5-4-10-11-11z"/>'),
    forward: svg('<path d="M14 9V5l7 7-7 7v-4.1c-5 0-8.5 1.6-11 5.1 1-5 4-10 11-11z"/>'),
    edit: svg('<path d="M3 17.25V21h3.75L17.81 9.94l-3.75-3.75L3 17.25zM20.71 7.04a1 1 0 0 0 0-1.41l-2.34-2.34a1 1 0 0 0-1.41 0l-1.83 1.83 3.75 3.75 1.83-1.83z"/>'),
    trash: svg('<path d="M6 19c0 1.1.9 2 2 2h8c1.1 0 2-.9 2-2V7H6v12zM19 4h-3.5l-1-1h-5l-1 1H5v2h14V4z"/>'),
    keyboard: svg('<path d="M20 5H4a2 2 0 0 0-2 2v10a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2V7a2 2 0 0 0-2-2zm-9 3h2v2h-2V8zm0 3h2v2h-2v-2zM8 8h2v2H8V8zm0 3h2v2H8v-2zm-1 2H5v-2h2v2zm0-3H5V8h2v2zm9 7H8v-2h8v2zm0-4h-2v-2h2v2zm0-3h-2V8h2v2zm3 3h-2v-2h2v2zm0-3h-2V8h2v2z"/>'),
    group: svg('<path d="M16 11a3 3 0 1 0 0-6 3 3 0 0 0 0 6zm-8 0a3 3 0 1 0 0-6 3 3 0 0 0 0 6zm0 2c-2.33 0-7 1.17-7 3.5V19h14v-2.5c0-2.33-4.67-3.5-7-3.5zm8 0c-.29 0-.62.02-.97.05 1.16.84 1.97 1.97 1.97 3.45V19h6v-2.5c0-2.33-4.67-3.5-7-3.5z"/>'),
    forum: svg('<path d="M4 4h11a2 2 0 0 1 2 2v6a2 2 0 0 1-2 2H9l-4 3v-3H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm15 5h1a2 2 0 0 1 2 2v6a2 2 0 0 1-2 2h-1v3l-4-3h-4a2 2 0 0 1-2-2v-1h6a4 4 0 0 0 4-4V9z"/>'),
    channel: svg('<path d="M3 10v4a1 1 0 0 0 1 1h3l5 4V5L7 9H4a1 1 0 0 0-1 1zm13.5 2A4.5 4.5 0 0 0 14 8v8a4.5 4.5 0 0 0 2.5-4z"/>'),
    link: svg('<path d="M4 2h6v6M10 2L3 9"/>', '0 0 12 12', false),
    ticks: svg('<path d="M1 6.5l3 3 6.5-7.5M6.5 8.5l1 1 6.5-7.5"/>', '0 0 16 11', false),
    tick: svg('<path d="M3 6.5l3 3 6.5-7.5"/>', '0 0 16 11', false),
    play: svg('<path d="M8 5v14l11-7z"/>'),
    pause: svg('<path d="M6 19h4V5H6v14zm8-14v14h4V5h-4z"/>'),
  };

  const pad = (n) => String(n).padStart(2, '0');
  const colorIdx = (id) => Math.abs(Number(id) || 0) % 7;
  const fullName = (u) => (u ? [u.first_name, u.last_name].filter(Boolean).join(' ') : '');
  const chatName = (c) => (c ? (c.title || fullName(c) || c.username || String(c.id)) : '');
  const initials = (name) => {
    const words = String(name || '?').replace(/[^\p{L}\p{N}\s]/gu, ' ').trim().split(/\s+/).filter(Boolean);
    if (!words.length) return String(name || '?').slice(0, 1);
    return (words[0][0] + (words[1] ? words[1][0] : '')).toUpperCase();
  };
  const avatar = (id, name, size) => h('span', { class: `avatar ${size || ''} c${colorIdx(id)}`, text: initials(name) });
  const hhmm = (sec) => { const d = new Date(sec * 1000); return `${pad(d.getHours())}:${pad(d.getMinutes())}`; };
  const sameDay = (a, b) => a.toDateString() === b.toDateString();
  function dayLabel(sec) {
    const d = new Date(sec * 1000); const now = new Date(S.clockMs);
    if (sameDay(d, now)) return 'Today';
    const y = new Date(now); y.setDate(y.getDate() - 1);
    if (sameDay(d, y)) return 'Yesterday';
    return d.toLocaleDateString(undefined, { month: 'long', day: 'numeric', year: d.getFullYear() === now.getFullYear() ? undefined : 'numeric' });
  }
  function listTime(sec) {
    const d = new Date(sec * 1000); const now = new Date(S.clockMs);
    if (sameDay(d, now)) return hhmm(sec);
    if (now - d < 6 * 86400e3 && now >= d) return d.toLocaleDateString(undefined, { weekday: 'short' });
    return `${pad(d.getDate())}.${pad(d.getMonth() + 1)}.${String(d.getFullYear()).slice(2)}`;
  }
  const fmtSize = (n) => (n == null ? '' : n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1048576).toFixed(1)} MB`);
  const fmtDur = (s) => `${Math.floor((s || 0) / 60)}:${pad((s || 0) % 60)}`;
  const fileUrl = (f) => `/ui/file/${encodeURIComponent(f.file_id)}`;

  // ----- the control API -------------------------------------------------------------------
  async function api(method, path, body) {
    const init = { method, headers: {} };
    if (body !== undefined) { init.headers['content-type'] = 'application/json'; init.body = JSON.stringify(body); }
    const r = await fetch('/control' + path, init);
    let j;
    try { j = await r.json(); } catch (_) { throw new Error(`HTTP ${r.status}`); }
    if (!j.ok) throw new Error(j.error || `HTTP ${r.status}`);
    // What the person just did shows at once, without waiting for the event stream.
    if (method !== 'GET') setTimeout(() => refresh().catch(() => {}), 0);
    return j.result;
  }
  const get = (p) => api('GET', p);
  const post = (p, b) => api('POST', p, b);
  const patch = (p, b) => api('PATCH', p, b);
  // A one-to-one chat: with a bot, or with another person (a business account's chat).
  const isPrivate = (d) => d.type === 'bot' || d.type === 'person';

  // ----- state -----------------------------------------------------------------------------
  const S = {
    me: null,
    world: null,
    dialogs: [],
    clockMs: Date.now(),
    chat: null,      // the open chat as the person addresses it (bot id or group id)
    thread: null,    // forum: the open topic (0: General, null: none chosen)
    forumList: null, // forum whose topic list replaces the chat list
    timeline: [],
    renderedKey: '',
    renderedJson: '',
    replyTo: null,
    editing: null,
    html: store.get('html', false),
    kbHidden: {},
    panel: store.get('panel', true),
    stick: true,     // the conversation is scrolled to its newest message
    showAll: '',     // the conversation whose whole history is shown
  };

  const dialog = (id) => S.dialogs.find((d) => d.id === id);
  const isBot = (id) => !!(S.world && S.world.bots.some((b) => b.user.id === id));
  const botByName = (name) => S.world && S.world.bots.find((b) => (b.user.username || '').toLowerCase() === String(name).toLowerCase());
  const memberStatus = (chatId, userId) => {
    const c = S.world && S.world.chats.find((x) => x.id === chatId);
    const m = c && c.members.find((x) => x.id === userId);
    return m ? m.status : null;
  };

  // ----- URL hash: #as=ID&chat=ID&thread=ID ------------------------------------------------------
  function readHash() {
    const p = new URLSearchParams(location.hash.slice(1));
    const num = (k) => (p.has(k) && p.get(k) !== '' && !Number.isNaN(Number(p.get(k))) ? Number(p.get(k)) : null);
    return { as: num('as'), chat: num('chat'), thread: num('thread') };
  }
  function writeHash() {
    const p = new URLSearchParams();
    if (S.me) p.set('as', S.me);
    if (S.chat) p.set('chat', S.chat);
    if (S.chat && S.thread !== null) p.set('thread', S.thread);
    const next = '#' + p.toString();
    if (location.hash !== next) history.replaceState(null, '', next);
  }

  // ----- seen marks (unread badges) ----------------------------------------------------------
  const seenKey = (chat, thread) => `${chat}:${thread == null ? '' : thread}`;
  function seenMap() { return store.get('seen.' + S.me, {}); }
  function markSeen(chat, thread, id) {
    const m = seenMap(); const k = seenKey(chat, thread);
    if ((m[k] || 0) < id) { m[k] = id; store.set('seen.' + S.me, m); }
  }
  const unread = (incoming, seen) => (incoming || []).filter((id) => id > (seen || 0)).length;
  function dialogUnread(d, seen) {
    if (d.topics) return d.topics.reduce((n, t) => n + unread(t.incoming, seen[seenKey(d.id, t.id)]), 0);
    return unread(d.incoming, seen[seenKey(d.id, null)]);
  }

  // ----- toasts and dialogs -------------------------------------------------------------------
  // Bot answers to button presses are `toast`s; the sandbox's own notes are `notice`s.
  function toast(text, opts = {}) {
    const testid = opts.error ? 'error' : opts.answer ? 'toast' : 'notice';
    const el = h('div', { class: `toast${opts.error ? ' error' : ''}${opts.alert ? ' alert' : ''}`, 'data-testid': testid, role: 'status' }, text);
    const close = () => el.remove();
    if (opts.alert) el.append(h('button', { class: 'ok', onclick: close }, 'OK'));
    else setTimeout(close, opts.error ? 6000 : 3500);
    $('toasts').append(el);
  }
  const fail = (e) => toast(String(e && e.message ? e.message : e), { error: true });
  const act = (fn) => async (...args) => { try { await fn(...args); } catch (e) { fail(e); } };

  function openModal(title, note, body) {
    $('modal-title').textContent = title;
    $('modal-note').textContent = note || '';
    $('modal-body').replaceChildren(body);
    $('modal-back').hidden = false;
  }
  function closeModal() { $('modal-back').hidden = true; $('modal-body').replaceChildren(); }

  // A list of chats to choose from; items carry data-testid=pick-chat and data-chat-id.
  function pickChat(title, note, chats, onPick) {
    const body = chats.length
      ? h('div', null, chats.map((c) => h('div', {
        class: 'chat-item', 'data-testid': 'pick-chat', 'data-chat-id': c.id,
        onclick: act(async () => { closeModal(); await onPick(c); }),
      }, avatar(c.id, chatName(c), 'small'), h('div', { class: 'body' },
        h('div', { class: 'line1' }, h('span', { class: 'title' }, h('span', { class: 'name', text: chatName(c) }))),
        h('div', { class: 'line2' }, h('span', { class: 'sub', text: c.pickNote || '' }))))))
      : h('div', { class: 'nothing' }, 'No suitable chat: you are in no group that fits.');
    openModal(title, note, body);
  }

  function popup(anchor, items) {
    const el = $('popup');
    el.replaceChildren(...items.map((it) => (it === '-' ? h('hr') : h('button', {
      'data-testid': it.testid, onclick: act(async () => { hidePopup(); await it.run(); }),
    }, h('span', { class: 'pic', text: it.icon }), it.label))));
    el.hidden = false;
    const r = anchor.getBoundingClientRect();
    const w = el.offsetWidth; const ht = el.offsetHeight;
    el.style.left = `${Math.max(8, Math.min(r.left, innerWidth - w - 8))}px`;
    el.style.top = `${Math.max(8, r.top - ht - 8)}px`;
  }
  function hidePopup() { $('popup').hidden = true; }
  document.addEventListener('mousedown', (e) => {
    if (!$('popup').hidden && !$('popup').contains(e.target) && !e.target.closest('#attach-btn')) hidePopup();
  });

  // ----- formatting: entities <-> DOM and HTML ------------------------------------------------
  // Offsets and lengths are UTF-16 code units, which is what JavaScript strings index by.
  function renderEntities(text, entities) {
    const frag = document.createDocumentFragment();
    const list = (entities || []).filter((e) => e.length > 0 && e.offset >= 0 && e.offset < text.length)
      .map((e) => ({ ...e, end: Math.min(e.offset + e.length, text.length) }))
      .sort((a, b) => a.offset - b.offset || b.end - a.end);
    build(frag, 0, text.length, list);
    return frag;

    function build(parent, start, end, ents) {
      let pos = start;
      const queue = ents.slice();
      while (queue.length) {
        const e = queue.shift();
        if (e.offset >= end) break;
        const eEnd = Math.min(e.end, end);
        if (e.offset > pos) parent.append(text.slice(pos, e.offset));
        const inner = [];
        while (queue.length && queue[0].offset < eEnd) {
          const x = queue.shift();
          if (x.end > eEnd) { // crosses the boundary: split it
            inner.push({ ...x, end: eEnd });
            queue.push({ ...x, offset: eEnd });
            queue.sort((a, b) => a.offset - b.offset || b.end - a.end);
          } else inner.push(x);
        }
        const node = entityNode(e, text.slice(e.offset, eEnd));
        build(node.inner || node, e.offset, eEnd, inner);
        parent.append(node.outer || node);
        pos = Math.max(pos, eEnd);
      }
      if (pos < end) parent.append(text.slice(pos, end));
    }
  }

  function entityNode(e, slice) {
    switch (e.type) {
      case 'bold': return h('b');
      case 'italic': return h('i');
      case 'underline': return h('u');
      case 'strikethrough': return h('s');
      case 'spoiler': return h('span', { class: 'spoiler', onclick: (ev) => ev.currentTarget.classList.add('shown') });
      case 'code': return h('code');
      case 'pre': { const c = h('code'); const p = h('pre', null, c); return { outer: p, inner: c }; }
      case 'blockquote': case 'expandable_blockquote': return h('blockquote');
      case 'text_link': return h('a', { href: e.url, 'data-link': e.url });
      case 'url': { const u = /^[a-z][a-z0-9+.-]*:/i.test(slice) ? slice : `https://${slice}`; return h('a', { href: u, 'data-link': u }); }
      case 'email': return h('a', { href: `mailto:${slice}` });
      case 'phone_number': return h('a', { href: `tel:${slice}` });
      case 'mention': return h('a', { class: 'link', 'data-mention': slice.slice(1) });
      case 'bot_command': return h('a', { class: 'link', 'data-command': slice });
      case 'hashtag': case 'cashtag': case 'text_mention': return h('span', { class: 'link' });
      default: return h('span');
    }
  }

  const escHtml = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const HTML_TAGS = { bold: 'b', italic: 'i', underline: 'u', strikethrough: 's', code: 'code', pre: 'pre', spoiler: 'tg-spoiler', blockquote: 'blockquote', expandable_blockquote: 'blockquote' };
  // The message's text as Bot API HTML (to edit it in HTML mode).
  function entitiesToHtml(text, entities) {
    const ents = (entities || []).filter((e) => HTML_TAGS[e.type] || e.type === 'text_link')
      .map((e) => ({ ...e, end: e.offset + e.length })).sort((a, b) => a.offset - b.offset || b.end - a.end);
    let out = ''; const stack = [];
    for (let i = 0; i <= text.length; i++) {
      while (stack.length && stack[stack.length - 1].end === i) {
        const e = stack.pop(); out += e.type === 'text_link' ? '</a>' : `</${HTML_TAGS[e.type]}>`;
      }
      for (const e of ents) {
        if (e.offset !== i) continue;
        if (stack.length && e.end > stack[stack.length - 1].end) continue; // not nested: dropped
        out += e.type === 'text_link' ? `<a href="${escHtml(e.url || '').replace(/"/g, '&quot;')}">` : `<${HTML_TAGS[e.type]}>`;
        stack.push(e);
      }
      if (i < text.length) out += escHtml(text[i]);
    }
    return out;
  }
  // Bot API HTML to (text, entities), for edits (/control/edit takes entities, not parse_mode).
  function htmlToEntities(html) {
    const doc = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
    const TYPES = { b: 'bold', strong: 'bold', i: 'italic', em: 'italic', u: 'underline', ins: 'underline', s: 'strikethrough', strike: 'strikethrough', del: 'strikethrough', code: 'code', pre: 'pre', blockquote: 'blockquote', 'tg-spoiler': 'spoiler' };
    let text = ''; const entities = [];
    (function walk(node, inPre) {
      for (const c of node.childNodes) {
        if (c.nodeType === 3) { text += c.data; continue; }
        if (c.nodeType !== 1) continue;
        const tag = c.tagName.toLowerCase();
        if (tag === 'br') { text += '\n'; continue; }
        const start = text.length;
        walk(c, inPre || tag === 'pre');
        const length = text.length - start;
        if (!length) continue;
        let type = TYPES[tag];
        if (tag === 'span' && c.classList.contains('tg-spoiler')) type = 'spoiler';
        if (tag === 'code' && inPre) type = null;
        if (tag === 'a' && c.getAttribute('href')) entities.push({ type: 'text_link', offset: start, length, url: c.getAttribute('href') });
        else if (type) entities.push({ type, offset: start, length });
      }
    })(doc.body, false);
    entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
    return { text, entities };
  }

  // ----- what a message is ----------------------------------------------------------------------
  const CONTENT = ['text', 'animation', 'photo', 'video', 'audio', 'voice', 'document', 'sticker', 'video_note', 'location', 'venue', 'contact', 'poll', 'dice', 'game', 'invoice', 'story', 'paid_media'];
  const META = new Set(['message_id', 'message_thread_id', 'from', 'sender_chat', 'date', 'chat', 'forward_origin', 'is_topic_message',
    'reply_to_message', 'quote', 'edit_date', 'has_protected_content', 'media_group_id', 'author_signature', 'entities', 'caption',
    'caption_entities', 'reply_markup', 'reply_keyboard', 'link_preview_options', 'show_caption_above_media', 'via_bot',
    'is_automatic_forward', 'effect_id', 'sender_boost_count', 'business_connection_id', 'external_reply', 'has_media_spoiler']);
  const isService = (m) => !CONTENT.some((k) => k in m);
  const isOwn = (m) => !!(m.from && m.from.id === S.me && !m.sender_chat);
  const who = (u) => (u ? (u.id === S.me ? 'You' : fullName(u)) : 'Someone');
  const short = (s, n = 40) => (s.length > n ? s.slice(0, n - 1) + '…' : s);

  function mediaLabel(m) {
    if (m.photo) return 'Photo';
    if (m.sticker) return `${m.sticker.emoji || ''} Sticker`.trim();
    if (m.animation) return 'GIF';
    if (m.video) return 'Video';
    if (m.video_note) return 'Video message';
    if (m.voice) return 'Voice message';
    if (m.audio) return [m.audio.performer, m.audio.title].filter(Boolean).join(' – ') || 'Audio';
    if (m.document) return m.document.file_name || 'File';
    if (m.venue) return `Venue: ${m.venue.title || ''}`;
    if (m.location) return 'Location';
    if (m.contact) return `Contact: ${fullName(m.contact)}`;
    if (m.poll) return `📊 ${m.poll.question}`;
    if (m.dice) return m.dice.emoji || '🎲';
    if (m.game) return `🎮 ${m.game.title || 'Game'}`;
    if (m.invoice) return `Invoice: ${m.invoice.title || ''}`;
    return '';
  }

  function serviceText(m) {
    const actor = who(m.from);
    if (m.new_chat_members) {
      const ms = m.new_chat_members;
      if (m.from && ms.length === 1 && ms[0].id === m.from.id) return `${actor} joined the group`;
      return `${actor} added ${ms.map(who).join(', ')}`;
    }
    if (m.left_chat_member) {
      const u = m.left_chat_member;
      return m.from && u.id === m.from.id ? `${who(u)} left the group` : `${actor} removed ${who(u)}`;
    }
    if (m.forum_topic_created) return `${actor} created the topic «${m.forum_topic_created.name}»`;
    if (m.forum_topic_edited) {
      const e = m.forum_topic_edited;
      return e.name !== undefined ? `${actor} renamed the topic to «${e.name}»` : `${actor} changed the topic icon`;
    }
    if (m.forum_topic_closed) return `${actor} closed the topic`;
    if (m.forum_topic_reopened) return `${actor} reopened the topic`;
    if (m.general_forum_topic_hidden) return `${actor} hid the General topic`;
    if (m.general_forum_topic_unhidden) return `${actor} unhid the General topic`;
    if (m.group_chat_created || m.supergroup_chat_created) return `${actor} created the group «${chatName(m.chat)}»`;
    if (m.channel_chat_created) return 'Channel created';
    if (m.new_chat_title) return `${actor} changed the group name to «${m.new_chat_title}»`;
    if (m.new_chat_photo) return `${actor} changed the group photo`;
    if (m.delete_chat_photo) return `${actor} removed the group photo`;
    if (m.pinned_message) return `${actor} pinned «${short(summarize(m.pinned_message))}»`;
    if (m.chat_shared) return `${actor} shared ${m.chat_shared.title ? `the group «${m.chat_shared.title}»` : `chat ${m.chat_shared.chat_id}`} with the bot`;
    if (m.users_shared) return `${actor} shared ${m.users_shared.users ? m.users_shared.users.length : ''} user(s) with the bot`;
    if (m.migrate_to_chat_id) return 'The group was upgraded to a supergroup';
    if (m.migrate_from_chat_id) return 'The group was upgraded from a basic group';
    if (m.write_access_allowed) return 'You allowed this bot to message you';
    if (m.message_auto_delete_timer_changed) return `${actor} set messages to auto-delete`;
    const key = Object.keys(m).find((k) => !META.has(k));
    return key ? key.replace(/_/g, ' ') : 'Service message';
  }

  function summarize(m) {
    if (!m) return '';
    if (m.text !== undefined) return m.text;
    const media = mediaLabel(m);
    if (media) return m.caption ? `${media}, ${m.caption}` : media;
    return serviceText(m);
  }

  // ----- sidebar: identity, chat list, forum topics ---------------------------------------------
  function renderIdentity() {
    const sel = $('identity');
    const users = S.world.users;
    const sig = JSON.stringify(users.map((u) => [u.id, u.first_name, u.last_name, u.username]));
    if (sel.dataset.sig !== sig) {
      sel.replaceChildren(...users.map((u) => h('option', { value: u.id },
        `${fullName(u)}${u.username ? ' @' + u.username : ''} · ${u.id}`)));
      sel.dataset.sig = sig;
    }
    if (S.me) sel.value = String(S.me);
    const me = users.find((u) => u.id === S.me);
    $('identity-avatar').replaceChildren(me ? avatar(me.id, fullName(me), 'tiny') : '');
  }

  function topicIcon(t, size = 36) {
    const color = t.icon_color == null ? null : `#${Number(t.icon_color).toString(16).padStart(6, '0')}`;
    if (color === null) {
      return h('span', { class: 'topic-icon', svg: `<svg viewBox="0 0 36 36" width="${size}" height="${size}"><text x="18" y="26" text-anchor="middle" font-size="24" font-weight="600" fill="#707579">#</text></svg>` });
    }
    const letter = (String(t.name).match(/[\p{L}\p{N}]/u) || ['?'])[0].toUpperCase();
    return h('span', {
      class: 'topic-icon', title: `icon_color ${color}`,
      svg: `<svg viewBox="0 0 36 36" width="${size}" height="${size}"><defs><linearGradient id="g${t.id}" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${color}" stop-opacity=".75"/><stop offset="1" stop-color="${color}"/></linearGradient></defs><path d="M18 4C9.7 4 3 9.6 3 16.6c0 3.6 1.8 6.8 4.6 9.1L6.2 32l7-3.4c1.5.4 3.1.6 4.8.6 8.3 0 15-5.6 15-12.6S26.3 4 18 4z" fill="url(#g${t.id})"/><text x="18" y="21.5" text-anchor="middle" font-size="14" font-weight="700" fill="#fff">${escHtml(letter)}</text></svg>`,
    });
  }

  function previewLine(d, last, inForum) {
    if (!last) {
      if (d.type === 'bot') return h('span', { class: 'sub' }, d.blocked ? 'blocked' : d.started ? '' : 'bot · not started');
      if (d.type === 'person') return h('span', { class: 'sub' }, d.business_bot ? 'business account' : '');
      return h('span', { class: 'sub' }, '');
    }
    const svc = isService(last);
    let from = '';
    if (!svc) {
      if (isOwn(last)) from = 'You';
      else if (!isPrivate(d) && last.from) from = last.from.first_name;
    }
    if (inForum && d.topics && last.is_topic_message) {
      const t = d.topics.find((x) => x.id === last.message_thread_id);
      if (t) from = from ? `${t.name} · ${from}` : t.name;
    }
    return h('span', { class: 'sub' }, from ? h('span', { class: 'preview-from', text: `${from}: ` }) : null, summarize(last).replace(/\s+/g, ' '));
  }

  function renderChatList() {
    const seen = seenMap();
    const items = S.dialogs.map((d) => {
      const n = dialogUnread(d, seen);
      const kind = isPrivate(d) ? null : d.type === 'channel' ? ICON.channel : d.is_forum ? ICON.forum : ICON.group;
      const active = d.id === S.chat;
      return h('div', {
        class: `chat-item${active ? ' active' : ''}`, 'data-testid': 'chat', 'data-chat-id': d.id,
        'data-chat-type': d.type, title: d.username ? `@${d.username}` : chatName(d),
        onclick: () => openChat(d.id),
      }, avatar(d.id, chatName(d)), h('div', { class: 'body' },
        h('div', { class: 'line1' },
          h('span', { class: 'title' }, kind ? h('span', { class: 'kind-icon', svg: kind }) : null,
            h('span', { class: 'name', text: chatName(d) }),
            d.type === 'bot' && d.blocked ? h('span', { class: 'pill', text: 'blocked' }) : null),
          d.last ? h('span', { class: 'time', text: listTime(d.last.date) }) : null),
        h('div', { class: 'line2' }, previewLine(d, d.last, true),
          n ? h('span', { class: 'badge hot', text: n > 49 ? '50+' : n }) : null)));
    });
    const list = $('chatlist');
    if (!items.length) list.replaceChildren(h('div', { class: 'sub', style: 'padding:20px', text: 'No chats' }));
    else list.replaceChildren(...items);
  }

  function renderTopicList(d) {
    const seen = seenMap();
    $('forum-avatar').replaceChildren(avatar(d.id, chatName(d), 'small'));
    $('forum-title').textContent = chatName(d);
    $('forum-sub').textContent = `${d.members} members · ${d.topics.length} topics`;
    // General first, then the most recently active.
    const topics = d.topics.slice().sort((a, b) => (a.id === 0 ? -1 : b.id === 0 ? 1 : (b.last_ms || 0) - (a.last_ms || 0)));
    $('topiclist').replaceChildren(...topics.map((t) => {
      const n = unread(t.incoming, seen[seenKey(d.id, t.id)]);
      const active = S.chat === d.id && S.thread === t.id;
      return h('div', {
        class: `chat-item topic-item${active ? ' active' : ''}`, 'data-topic-id': t.id,
        onclick: () => openTopic(d.id, t.id),
      }, topicIcon(t), h('div', { class: 'body' },
        h('div', { class: 'line1' },
          h('span', { class: 'title' },
            h('span', { class: 'name', 'data-testid': 'topic', 'data-thread-id': t.id, text: t.name }),
            t.closed ? h('span', { class: 'lock', title: 'closed', 'data-testid': 'topic-closed', text: '🔒' }) : null,
            t.archived ? h('span', { class: 'pill', text: 'archived' }) : null),
          t.last ? h('span', { class: 'time', text: listTime(t.last.date) }) : null),
        h('div', { class: 'line2' }, previewLine(d, t.last, false),
          n ? h('span', { class: 'badge hot', text: n > 49 ? '50+' : n }) : null)));
    }));
  }

  let leftSig = '';
  function renderLeft() {
    const d = S.forumList !== null ? dialog(S.forumList) : null;
    if (S.forumList !== null && !(d && d.topics)) S.forumList = null;
    const forum = S.forumList !== null;
    $('forum-head').hidden = !forum;
    $('topiclist').hidden = !forum;
    $('chatlist').hidden = forum;
    // Redrawn only when something shown changed, so items stay put under the pointer.
    const sig = JSON.stringify([S.me, S.chat, S.thread, S.forumList, S.dialogs, seenMap(), Math.floor(S.clockMs / 60000)]);
    if (sig === leftSig) return;
    leftSig = sig;
    if (forum) renderTopicList(d); else renderChatList();
  }

  // ----- opening chats --------------------------------------------------------------------------
  function resetComposer() {
    S.replyTo = null; S.editing = null;
    renderContextBar();
  }
  function openChat(id) {
    const d = dialog(id);
    if (S.chat !== id) resetComposer();
    S.chat = id;
    S.thread = null;
    S.forumList = d && d.is_forum ? id : null;
    writeHash();
    renderLeft();
    loadConversation().catch(fail);
  }
  function openTopic(chat, thread) {
    if (S.chat !== chat || S.thread !== thread) resetComposer();
    S.chat = chat; S.thread = thread; S.forumList = chat;
    writeHash();
    renderLeft();
    loadConversation().catch(fail);
    setTimeout(() => $('composer').focus(), 0);
  }

  // ----- the conversation -----------------------------------------------------------------------
  function showEmpty(text) {
    $('conv').hidden = true; $('empty').hidden = false;
    $('empty-text').textContent = text;
    $('messages').replaceChildren();
    $('reply-kb').replaceChildren();
    S.renderedKey = ''; S.renderedJson = ''; S.timeline = [];
  }

  async function loadConversation() {
    const d = S.chat === null ? null : dialog(S.chat);
    if (!d) { showEmpty(S.me ? 'Select a chat to start messaging' : 'Add a person to the world first'); renderChatTools(); return; }
    if (d.is_forum && S.thread === null) { showEmpty('Select a topic'); renderChatTools(); return; }
    if (d.is_forum && !d.topics.some((t) => t.id === S.thread)) { S.thread = null; writeHash(); showEmpty('The topic was deleted'); renderChatTools(); return; }
    let q = `/timeline?as=${S.me}&chat=${d.id}`;
    if (d.is_forum) q += `&thread=${S.thread}`;
    const key = `${S.me}|${d.id}|${d.is_forum ? S.thread : ''}`;
    if (key !== S.renderedKey) {
      // Another chat: nothing of the previous one stays on screen while this one loads.
      $('messages').replaceChildren();
      $('reply-kb').replaceChildren(); $('reply-kb').dataset.sig = ''; $('reply-kb').hidden = true;
      $('empty').hidden = true; $('conv').hidden = false;
      renderHeader(d);
      renderBottom(d);
    }
    // A bot never started has no chat yet: nothing to fetch.
    const list = d.type === 'bot' && !d.started && !d.last ? [] : await get(q);
    if (key !== `${S.me}|${S.chat}|${d.is_forum ? S.thread : ''}`) return; // switched meanwhile
    S.timeline = list;
    $('empty').hidden = true; $('conv').hidden = false;
    renderHeader(d);
    renderBottom(d);
    renderMessages(d, key, list);
    renderChatTools();
  }

  function renderHeader(d) {
    let title; let sub; let av;
    if (d.type === 'bot') {
      av = avatar(d.id, chatName(d), 'small');
      title = [h('span', { text: chatName(d) })];
      sub = `bot${d.username ? ' · @' + d.username : ''}${d.blocked ? ' · blocked' : ''}`;
    } else if (d.type === 'person') {
      av = avatar(d.id, chatName(d), 'small');
      title = [h('span', { text: chatName(d) })];
      sub = `${d.username ? '@' + d.username + ' · ' : ''}${d.business_bot ? `business account · @${d.business_bot.username} answers` : 'person'}`;
    } else if (d.is_forum) {
      const t = d.topics.find((x) => x.id === S.thread);
      av = topicIcon(t, 40);
      title = [h('span', { text: t.name }), t.closed ? h('span', { class: 'lock', text: '🔒' }) : null];
      sub = chatName(d);
    } else {
      av = avatar(d.id, chatName(d), 'small');
      title = [h('span', { text: chatName(d) })];
      sub = d.type === 'channel' ? `${d.members} subscribers` : `${d.members} members`;
    }
    $('conv-avatar').replaceWith(Object.assign(av, { id: 'conv-avatar' }));
    $('conv-title').replaceChildren(...title.filter(Boolean));
    $('conv-sub').textContent = sub;
    document.title = `${chatName(d)} — tgsim`;
  }

  function canWrite(d) {
    if (d.type === 'channel') return d.rights.includes('can_post_messages') || d.status === 'creator';
    if (d.is_forum) {
      const t = d.topics.find((x) => x.id === S.thread);
      const manager = d.status === 'creator' || d.rights.includes('can_manage_topics');
      return !(t && t.closed) || manager;
    }
    return true;
  }

  function renderBottom(d) {
    const notStarted = d.type === 'bot' && !d.started;
    const blocked = d.type === 'bot' && d.started && d.blocked;
    const closed = !notStarted && !blocked && !canWrite(d);
    $('start-area').hidden = !notStarted;
    $('blocked-area').hidden = !blocked;
    $('closed-area').hidden = !closed;
    $('closed-area').textContent = d.type === 'channel' ? 'Only administrators post in this channel.' : 'The topic is closed: only topic managers can write here.';
    $('composer-wrap').hidden = notStarted || blocked || closed;
  }

  function roleOf(chatId, userId) {
    const st = memberStatus(chatId, userId);
    return st === 'creator' ? 'owner' : st === 'administrator' ? 'admin' : '';
  }

  // Long histories: the newest messages, and a button for the rest.
  const SHOWN = 300;
  function renderMessages(d, key, all) {
    const box = $('messages');
    const list = S.showAll === key ? all : all.slice(-SHOWN);
    const json = JSON.stringify(list) + '|' + S.me + '|' + S.world.chats.length;
    const switched = key !== S.renderedKey;
    if (!switched && json === S.renderedJson) { renderKeyboard(d, all); return; }
    const atBottom = S.stick;
    const oldTop = box.scrollTop;
    const inner = h('div', { class: 'msgs-inner' });
    const isGroup = !isPrivate(d);
    if (list.length < all.length) {
      inner.append(h('div', { class: 'service' }, h('a', {
        class: 'more', 'data-testid': 'show-earlier',
        onclick: () => { S.showAll = key; S.renderedJson = ''; renderMessages(d, key, all); },
      }, `Show ${all.length - list.length} earlier messages`)));
    }
    let lastDay = '';
    for (let i = 0; i < list.length; i++) {
      const m = list[i];
      const day = new Date(m.date * 1000).toDateString();
      if (day !== lastDay) { inner.append(h('div', { class: 'day' }, h('span', { text: dayLabel(m.date) }))); lastDay = day; }
      if (isService(m)) {
        inner.append(h('div', { class: 'service', 'data-testid': 'message', 'data-message-id': m.message_id, 'data-service': 'true' },
          h('span', { text: serviceText(m) })));
        continue;
      }
      // Albums: consecutive messages of one media group share a bubble.
      const group = [m];
      while (m.media_group_id && i + 1 < list.length && list[i + 1].media_group_id === m.media_group_id) group.push(list[++i]);
      const prev = list[i - group.length];
      const next = list[i + 1];
      const sameSeries = (a, b) => a && b && !isService(a) && !isService(b) && senderKey(a) === senderKey(b)
        && Math.abs(a.date - b.date) < 300 && new Date(a.date * 1000).toDateString() === new Date(b.date * 1000).toDateString();
      inner.append(messageEl(d, group, { isGroup, first: !sameSeries(prev, m), last: !sameSeries(group[group.length - 1], next) }));
    }
    if (!list.length) inner.append(h('div', { class: 'service' }, h('span', { text: d.type === 'bot' ? 'No messages here yet' : 'No messages in this chat yet' })));
    box.replaceChildren(inner);
    if (switched || atBottom) { box.scrollTop = box.scrollHeight; S.stick = true; } else box.scrollTop = oldTop;
    S.renderedKey = key; S.renderedJson = json;
    const maxId = list.reduce((a, m) => Math.max(a, m.message_id), 0);
    if (maxId) { markSeen(d.id, d.is_forum ? S.thread : null, maxId); renderLeft(); }
    renderKeyboard(d, all);
  }
  const senderKey = (m) => (m.sender_chat ? `c${m.sender_chat.id}` : m.from ? `u${m.from.id}` : '');

  function metaEl(m, own, over) {
    return h('span', { class: `meta${over ? ' over' : ''}` },
      m.edit_date ? h('span', { class: 'edited', 'data-testid': 'edited', text: 'edited' }) : null,
      h('span', { text: hhmm(m.date) }),
      own ? h('span', { class: 'ticks', svg: ICON.ticks }) : null);
  }

  function messageEl(d, group, pos) {
    const m = group[0];
    const own = isOwn(m);
    const captioned = group.find((x) => x.caption) || m;
    const main = group.length > 1 ? captioned : m;
    const row = h('div', {
      class: `msg ${own ? 'out' : 'in'}${pos.first ? ' first' : ''}${pos.last ? ' last' : ''}`,
      'data-testid': 'message', 'data-message-id': m.message_id,
      'data-message-ids': group.length > 1 ? group.map((x) => x.message_id).join(',') : null,
      'data-from': m.from ? m.from.id : null,
    });
    if (pos.isGroup && !own) {
      row.append(h('div', { class: 'av-slot' }, pos.last
        ? (m.sender_chat ? avatar(m.sender_chat.id, chatName(m.sender_chat), 'tiny') : avatar(m.from && m.from.id, fullName(m.from), 'tiny'))
        : null));
    }
    const col = h('div', { class: 'col' });
    const bubble = h('div', { class: 'bubble' });
    const bare = group.length === 1 && (m.sticker || (m.dice && !m.caption));
    if (pos.isGroup && !own && pos.first && !bare) {
      const name = m.sender_chat ? chatName(m.sender_chat) : fullName(m.from);
      const id = m.sender_chat ? m.sender_chat.id : m.from && m.from.id;
      const role = m.author_signature || (m.from ? roleOf(d.id, m.from.id) : '');
      bubble.append(h('div', { class: `sender n${colorIdx(id)}` }, h('span', { text: name }), role ? h('span', { class: 'role', text: role }) : null));
    }
    if (m.forward_origin) bubble.append(h('div', { class: 'fwd' }, 'Forwarded from ', h('b', { text: originName(m.forward_origin) })));
    const r = m.reply_to_message;
    const topicRoot = r && m.is_topic_message && r.message_id === m.message_thread_id && r.forum_topic_created;
    if (r && !topicRoot) {
      bubble.append(h('div', { class: 'quote', onclick: () => flashMessage(r.message_id) },
        h('div', { class: 'qname', text: r.sender_chat ? chatName(r.sender_chat) : who(r.from) }),
        h('div', { class: 'qtext', text: m.quote ? m.quote.text : summarize(r).replace(/\s+/g, ' ') })));
    }
    // Media
    let hasMedia = false;
    if (group.length > 1) {
      bubble.append(h('div', { class: 'album' }, group.map((x) => mediaEl(x, own))));
      hasMedia = true;
    } else {
      const media = mediaEl(m, own);
      if (media) { bubble.append(media); hasMedia = true; }
    }
    const text = main.text !== undefined ? main.text : main.caption;
    const ents = main.text !== undefined ? main.entities : main.caption_entities;
    if (text) {
      const t = h('div', { class: 'text clearfix' }, renderEntities(text, ents));
      t.append(metaEl(main, own, false));
      bubble.append(t);
    } else if (m.sticker || m.dice) {
      bubble.classList.add('bare');
      bubble.append(metaEl(m, own, true));
    } else if (hasMedia && (m.photo || group.length > 1)) {
      const last = bubble.querySelector('.media:last-child, .album');
      (last || bubble).append(metaEl(m, own, true));
      bubble.classList.add('photo-only');
    } else {
      bubble.append(h('div', { class: 'clearfix' }, metaEl(m, own, false)));
    }
    if (hasMedia && !text && !m.sticker && !m.dice) bubble.querySelectorAll(':scope > .media, :scope > .album').forEach((x) => x.classList.add('only'));
    col.append(bubble);
    const kb = m.reply_markup && m.reply_markup.inline_keyboard;
    if (kb) col.append(inlineKeyboard(d, m, kb));
    row.append(col);
    row.append(actionsEl(d, group, main, own));
    return row;
  }

  function originName(o) {
    if (o.type === 'user') return fullName(o.sender_user);
    if (o.type === 'hidden_user') return o.sender_user_name || 'Hidden user';
    if (o.type === 'chat') return chatName(o.sender_chat);
    if (o.type === 'channel') return chatName(o.chat);
    return 'someone';
  }

  // Pictures load after the list is drawn: keep the newest message in view meanwhile.
  function stickToBottom() {
    const box = $('messages');
    if (S.stick) box.scrollTop = box.scrollHeight;
  }

  function placeholder(icon, label, name) {
    return h('div', { class: 'placeholder' }, h('span', { class: 'pi', text: icon }), h('span', { text: label }), name ? h('span', { class: 'pn', text: name }) : null);
  }

  function imageOr(url, alt, fallback, cls) {
    const img = h('img', { class: cls, src: url, alt, loading: 'lazy' });
    img.addEventListener('error', () => { img.replaceWith(fallback()); stickToBottom(); });
    img.addEventListener('load', stickToBottom);
    return img;
  }

  function waveform(seed, playing) {
    let x = 0;
    for (const ch of String(seed)) x = (x * 31 + ch.charCodeAt(0)) >>> 0;
    const bars = [];
    for (let i = 0; i < 32; i++) { x = (x * 1103515245 + 12345) >>> 0; bars.push(h('i', { style: `height:${4 + (x >>> 16) % 18}px` })); }
    return h('div', { class: `wave${playing ? ' playing' : ''}` }, bars);
  }

  let audio = null;
  function playVoice(url, btn, wave) {
    if (audio && audio.dataset === url && !audio.el.paused) { audio.el.pause(); return; }
    if (audio) audio.el.pause();
    const el = new Audio(url);
    audio = { el, dataset: url };
    btn.innerHTML = ICON.pause; wave.classList.add('playing');
    const done = () => { btn.innerHTML = ICON.play; wave.classList.remove('playing'); };
    el.addEventListener('ended', done); el.addEventListener('pause', done);
    el.play().catch(() => { done(); toast('This voice message is not playable audio (the sender uploaded other bytes).'); });
  }

  function mediaEl(m, own) {
    if (m.photo) {
      const p = m.photo[m.photo.length - 1];
      return h('div', { class: 'media', 'data-media': 'photo' },
        imageOr(fileUrl(p), 'Photo', () => placeholder('🖼', 'Photo', `${p.width}×${p.height} · ${fmtSize(p.file_size)}`), 'photo'));
    }
    if (m.sticker) {
      const s = m.sticker;
      return h('div', { class: 'media sticker', 'data-media': 'sticker' },
        imageOr(fileUrl(s), s.emoji || 'Sticker', () => h('div', { class: 'big-emoji', text: s.emoji || '🖼' })));
    }
    if (m.dice) return h('div', { class: 'media sticker', 'data-media': 'dice', title: `value ${m.dice.value}` }, h('div', { class: 'big-emoji', text: m.dice.emoji }), h('div', { class: 'sub', style: 'text-align:center', text: `rolled ${m.dice.value}` }));
    if (m.voice) {
      const v = m.voice; const btn = h('span', { class: 'ticon', svg: ICON.play, style: 'cursor:pointer' });
      const wave = waveform(v.file_unique_id, false);
      btn.addEventListener('click', () => playVoice(fileUrl(v), btn, wave));
      return h('div', { class: 'tile', 'data-media': 'voice' }, btn, h('div', { class: 'tbody' }, wave, h('div', { class: 'tsub', text: `${fmtDur(v.duration)} · ${fmtSize(v.file_size)}` })));
    }
    if (m.video || m.animation || m.video_note) {
      const v = m.video || m.animation || m.video_note;
      const label = m.video ? 'Video' : m.animation ? 'GIF' : 'Video message';
      return h('div', { class: 'media', 'data-media': m.video ? 'video' : m.animation ? 'animation' : 'video_note' },
        placeholder('▶', `${label} · ${fmtDur(v.duration)}`, [v.file_name, fmtSize(v.file_size)].filter(Boolean).join(' · ')));
    }
    if (m.audio) {
      const a = m.audio;
      return h('div', { class: 'tile', 'data-media': 'audio' }, h('span', { class: 'ticon', text: '♫' }),
        h('div', { class: 'tbody' }, h('div', { class: 'tname', text: [a.performer, a.title].filter(Boolean).join(' – ') || a.file_name || 'Audio' }),
          h('div', { class: 'tsub', text: `${fmtDur(a.duration)} · ${fmtSize(a.file_size)}` })));
    }
    if (m.document) {
      const f = m.document; const name = f.file_name || 'file';
      const ext = (name.includes('.') ? name.split('.').pop() : 'file').slice(0, 4);
      return h('div', { class: 'tile', 'data-media': 'document' },
        h('a', { class: 'ticon square', href: fileUrl(f), download: name, title: 'Download', text: ext.toUpperCase() }),
        h('div', { class: 'tbody' }, h('div', { class: 'tname', text: name }), h('div', { class: 'tsub', text: [fmtSize(f.file_size), f.mime_type].filter(Boolean).join(' · ') })));
    }
    if (m.venue || m.location) {
      const l = m.location || m.venue.location;
      return h('div', { class: 'media', 'data-media': 'location' },
        h('div', { class: 'map', title: `${l.latitude}, ${l.longitude}` }, h('span', { class: 'pin', text: '📍' })),
        m.venue ? h('div', { class: 'tile', style: 'padding:6px 8px' }, h('div', { class: 'tbody' }, h('div', { class: 'tname', text: m.venue.title }), h('div', { class: 'tsub', text: m.venue.address }))) : null);
    }
    if (m.contact) {
      const c = m.contact;
      return h('div', { class: 'tile', 'data-media': 'contact' }, avatar(c.user_id || 0, fullName(c), 'small'),
        h('div', { class: 'tbody' }, h('div', { class: 'tname', text: fullName(c) }), h('div', { class: 'tsub', text: c.phone_number })));
    }
    if (m.poll) {
      const p = m.poll; const total = p.total_voter_count || 0;
      return h('div', { class: 'poll', 'data-media': 'poll' }, h('div', { class: 'q', text: p.question }),
        h('div', { class: 'kind', text: `${p.is_anonymous === false ? 'Public' : 'Anonymous'} ${p.type === 'quiz' ? 'quiz' : 'poll'} · ${total} votes` }),
        (p.options || []).map((o) => h('div', { class: 'opt' }, h('div', { text: typeof o === 'string' ? o : o.text }),
          h('div', { class: 'bar', style: `width:${total ? Math.max(3, 100 * (o.voter_count || 0) / total) : 3}%` }))));
    }
    if (m.game || m.invoice || m.story || m.paid_media) {
      return h('div', { class: 'tile' }, h('span', { class: 'ticon', text: '★' }), h('div', { class: 'tbody' }, h('div', { class: 'tname', text: mediaLabel(m) || 'Media' })));
    }
    return null;
  }

  function flashMessage(id) {
    const el = document.querySelector(`#messages [data-message-id="${id}"]`)
      || Array.from(document.querySelectorAll('#messages [data-message-ids]')).find((x) => x.dataset.messageIds.split(',').includes(String(id)));
    if (!el) { toast('That message is not in this view'); return; }
    el.scrollIntoView({ block: 'center', behavior: 'smooth' });
    el.classList.remove('flash'); void el.offsetWidth; el.classList.add('flash');
  }

  function actionsEl(d, group, main, own) {
    const m = group[0];
    const canDelete = own || isPrivate(d) || d.status === 'creator' || d.rights.includes('can_delete_messages');
    const editable = own && !m.forward_origin && (main.text !== undefined || main.photo || main.document || main.video || main.audio || main.voice || main.animation);
    return h('div', { class: 'actions' },
      h('button', { 'data-testid': 'reply-action', title: 'Reply', svg: ICON.reply, onclick: () => startReply(main) }),
      editable ? h('button', { 'data-testid': 'edit-action', title: 'Edit', svg: ICON.edit, onclick: () => startEdit(main) }) : null,
      h('button', { 'data-testid': 'forward-action', title: 'Forward', svg: ICON.forward, onclick: () => forwardPicker(group) }),
      canDelete ? h('button', { 'data-testid': 'delete-action', title: 'Delete', svg: ICON.trash, onclick: act(() => deleteMessages(group)) }) : null);
  }

  // ----- inline keyboards and links ---------------------------------------------------------------
  function inlineKeyboard(d, m, rows) {
    return h('div', { class: 'ikb' }, rows.map((row) => h('div', { class: 'row' }, row.map((b) => {
      const url = b.url || (b.login_url && b.login_url.url) || (b.web_app && b.web_app.url);
      const btn = h('button', {
        'data-testid': 'inline-button', 'data-callback': b.callback_data, 'data-url': url, title: url || b.text,
      }, b.text, url ? h('span', { class: 'corner', svg: ICON.link }) : null);
      btn.addEventListener('click', act(async () => {
        if (b.callback_data !== undefined) await pressButton(d, m, b.callback_data, btn);
        else if (url) await openUrl(url);
        else if (b.copy_text) { await navigator.clipboard.writeText(b.copy_text.text); toast('Copied to clipboard'); }
        else toast('This kind of button is not emulated in the sandbox');
      }));
      return btn;
    }))));
  }

  async function pressButton(d, m, data, btn) {
    btn.classList.add('loading');
    try {
      const r = await post('/press', { from: S.me, chat: d.id, message_id: m.message_id, data });
      const a = await get(`/callbacks/${encodeURIComponent(r.callback_query_id)}?timeout_ms=3000`);
      const ans = a.answer;
      if (ans && ans.text) toast(ans.text, { answer: true, alert: !!ans.show_alert });
      if (ans && ans.url) await openUrl(ans.url);
    } finally { btn.classList.remove('loading'); }
  }

  // Deep-link rights names (?startgroup=…&admin=a+b) to ChatAdministratorRights.
  function deepLinkRights(admin) {
    const rights = {};
    for (const name of String(admin).split(/[+\s,]+/).filter(Boolean)) {
      if (name === 'anonymous') rights.is_anonymous = true;
      else rights[name.startsWith('can_') ? name : `can_${name}`] = true;
    }
    return rights;
  }

  function parseTme(url) {
    let u;
    try { u = new URL(url); } catch (_) { return null; }
    if (u.protocol === 'tg:' && (u.hostname === 'resolve' || u.pathname.replace(/^\/+/, '') === 'resolve')) {
      return { name: u.searchParams.get('domain'), params: u.searchParams, path: [] };
    }
    if (!/^(www\.)?(t\.me|telegram\.me)$/i.test(u.hostname)) return null;
    const path = u.pathname.split('/').filter(Boolean);
    return { name: path[0], params: u.searchParams, path: path.slice(1) };
  }

  async function openUrl(url) {
    const t = parseTme(url);
    if (!t || !t.name) { window.open(url, '_blank', 'noopener'); return; }
    if (t.name === 'c' && t.path.length) { // t.me/c/<id>/<thread>/<message> or /c/<id>/<message>
      const chat = -(1e12 + Number(t.path[0]));
      const d = dialog(chat);
      if (!d) { toast('You are not a member of that chat'); return; }
      const nums = t.path.slice(1).map(Number);
      if (d.is_forum) {
        const topic = d.topics.find((x) => x.id === nums[0]) ? nums[0] : 0;
        openTopic(chat, topic);
      } else openChat(chat);
      const msg = nums[nums.length - 1];
      if (msg) setTimeout(() => flashMessage(msg), 300);
      return;
    }
    const bot = botByName(t.name);
    if (!bot) {
      const group = S.dialogs.find((x) => (x.username || '').toLowerCase() === t.name.toLowerCase());
      if (group) { openChat(group.id); return; }
      window.open(url, '_blank', 'noopener');
      return;
    }
    const id = bot.user.id;
    if (t.params.has('startgroup') || t.params.has('startchannel')) {
      const channel = t.params.has('startchannel');
      const payload = t.params.get(channel ? 'startchannel' : 'startgroup');
      const admin = t.params.get('admin');
      const rights = admin ? deepLinkRights(admin) : null;
      const groups = S.dialogs.filter((x) => !isPrivate(x) && (x.type === 'channel') === channel).map((x) => {
        const can = x.status === 'creator' || x.rights.includes('can_promote_members');
        return { ...x, pickNote: rights && !can ? 'you cannot add administrators here' : x.is_forum ? 'forum' : x.type };
      });
      const note = rights ? `@${bot.user.username} will be an administrator with: ${Object.keys(rights).map((r) => r.replace(/^can_/, '').replace(/_/g, ' ')).join(', ')}` : `Add @${bot.user.username} to a ${channel ? 'channel' : 'group'}`;
      pickChat(channel ? 'Choose a channel' : 'Choose a group', note, groups, async (c) => {
        const body = { from: S.me, bot: id, chat: c.id };
        if (rights) body.rights = rights;
        if (payload) body.start_payload = payload;
        await post('/add_bot', body);
        toast(`@${bot.user.username} added to ${chatName(c)}`);
        await refresh();
        if (c.is_forum) openTopic(c.id, 0); else openChat(c.id);
      });
      return;
    }
    openChat(id);
    if (t.params.has('start')) {
      await post('/start', { user: S.me, bot: id, payload: t.params.get('start') || undefined });
    }
  }

  document.addEventListener('click', (e) => {
    const a = e.target.closest('#messages a');
    if (!a) return;
    if (a.dataset.command !== undefined) { e.preventDefault(); act(() => sendText(a.dataset.command))(); return; }
    if (a.dataset.mention !== undefined) {
      e.preventDefault();
      const bot = botByName(a.dataset.mention);
      if (bot) openChat(bot.user.id); else toast(`@${a.dataset.mention}`);
      return;
    }
    if (a.dataset.link) { e.preventDefault(); act(() => openUrl(a.dataset.link))(); return; }
    if (a.hasAttribute('download')) return;
    if (a.href && !a.href.startsWith('mailto:') && !a.href.startsWith('tel:')) { e.preventDefault(); window.open(a.href, '_blank', 'noopener'); }
  });

  // ----- reply keyboards ----------------------------------------------------------------------------
  function currentKeyboard(list) {
    for (let i = list.length - 1; i >= 0; i--) {
      const m = list[i]; const rk = m.reply_keyboard;
      if (!rk || !(m.from && m.from.is_bot)) continue;
      if (rk.remove_keyboard) return null;
      if (rk.keyboard) return { m, rk, used: list.slice(i + 1).some(isOwn) };
    }
    return null;
  }

  function renderKeyboard(d, list) {
    const k = currentKeyboard(list);
    const box = $('reply-kb'); const toggle = $('kb-toggle');
    if (!k) { box.hidden = true; toggle.hidden = true; box.replaceChildren(); box.dataset.sig = ''; return; }
    const id = k.m.message_id;
    if (S.kbHidden[id] === undefined) S.kbHidden[id] = !!(k.rk.one_time_keyboard && k.used);
    toggle.hidden = false;
    box.hidden = S.kbHidden[id];
    // Redrawn only when it changes, so buttons stay put under the pointer.
    const sig = `${S.me}|${d.id}|${id}|${JSON.stringify(k.rk.keyboard)}`;
    if (box.dataset.sig === sig) return;
    box.dataset.sig = sig;
    box.replaceChildren(...k.rk.keyboard.map((row) => h('div', { class: 'row' }, row.map((b) => {
      const btn = typeof b === 'string' ? { text: b } : b;
      return h('button', {
        'data-testid': 'reply-button', 'data-request-chat': btn.request_chat ? btn.request_chat.request_id : null,
        onclick: act(() => keyboardPress(d, k, btn)),
      }, btn.text);
    }))));
  }

  async function keyboardPress(d, k, b) {
    const hideAfter = () => { if (k.rk.one_time_keyboard) { S.kbHidden[k.m.message_id] = true; $('reply-kb').hidden = true; } };
    if (b.request_chat) {
      const rc = b.request_chat;
      const chats = S.dialogs.filter((x) => !isPrivate(x))
        .filter((x) => (x.type === 'channel') === !!rc.chat_is_channel)
        .filter((x) => rc.chat_is_forum === undefined || !!x.is_forum === rc.chat_is_forum)
        .filter((x) => rc.chat_has_username === undefined || !!x.username === rc.chat_has_username)
        .filter((x) => !rc.chat_is_created || x.status === 'creator')
        .map((x) => ({ ...x, pickNote: `${x.is_forum ? 'forum' : x.type} · you are ${x.status}` }));
      const wants = rc.bot_administrator_rights
        ? `The bot will be added as an administrator with: ${Object.entries(rc.bot_administrator_rights).filter(([r, v]) => v === true && r !== 'can_manage_chat').map(([r]) => r.replace(/^can_/, '').replace(/_/g, ' ')).join(', ')}`
        : '';
      pickChat(rc.chat_is_channel ? 'Choose a channel' : 'Choose a group', wants, chats, async (c) => {
        await post('/share_chat', { from: S.me, bot: k.m.from.id, message_id: k.m.message_id, request_id: rc.request_id, chat_id: c.id });
        hideAfter();
        await refresh();
      });
      return;
    }
    if (b.request_contact) {
      const me = S.world.users.find((u) => u.id === S.me);
      await post('/send', { ...target(), contact: { phone_number: `+1555${String(S.me).slice(-7)}`, first_name: me.first_name, last_name: me.last_name, user_id: S.me } });
      hideAfter(); return;
    }
    if (b.request_location) { await post('/send', { ...target(), location: { latitude: 40.4168, longitude: -3.7038 } }); hideAfter(); return; }
    if (b.request_users || b.request_poll || b.web_app) { toast('This kind of keyboard button is not emulated in the sandbox'); return; }
    await sendText(b.text);
    hideAfter();
  }

  // ----- composing ---------------------------------------------------------------------------------
  function target() {
    const d = dialog(S.chat);
    const b = { from: S.me, chat: S.chat };
    if (d && d.is_forum && S.thread) b.thread_id = S.thread;
    return b;
  }
  function withReply(b) { if (S.replyTo) b.reply_to = S.replyTo.message_id; return b; }

  function renderContextBar() {
    const bar = $('context-bar');
    const m = S.editing || S.replyTo;
    if (!m) { bar.hidden = true; return; }
    bar.hidden = false;
    $('ctx-icon').innerHTML = S.editing ? ICON.edit : ICON.reply;
    $('ctx-title').textContent = S.editing ? 'Edit message' : `Reply to ${m.sender_chat ? chatName(m.sender_chat) : who(m.from)}`;
    $('ctx-text').textContent = summarize(m).replace(/\s+/g, ' ');
  }
  function startReply(m) {
    if (S.editing) { S.editing = null; $('composer').value = ''; }
    S.replyTo = m; renderContextBar(); $('composer').focus();
  }
  function startEdit(m) {
    S.replyTo = null; S.editing = m;
    const text = m.text !== undefined ? m.text : (m.caption || '');
    const ents = m.text !== undefined ? m.entities : m.caption_entities;
    $('composer').value = S.html ? entitiesToHtml(text, ents) : text;
    renderContextBar(); autoGrow(); $('composer').focus();
  }
  function cancelContext() {
    if (S.editing) $('composer').value = '';
    S.replyTo = null; S.editing = null; renderContextBar(); autoGrow();
  }

  async function sendText(text) {
    if (!text || !text.trim()) return;
    const body = withReply(target());
    body.text = text;
    if (S.html) body.parse_mode = 'HTML';
    await post('/send', body);
    S.replyTo = null; renderContextBar();
  }

  async function submit() {
    const ta = $('composer');
    const text = ta.value;
    if (!text.trim()) return;
    ta.value = ''; autoGrow();
    try {
      if (S.editing) {
        const m = S.editing;
        const body = { from: S.me, chat: S.chat, message_id: m.message_id };
        const f = S.html ? htmlToEntities(text) : { text, entities: [] };
        if (m.text !== undefined) { body.text = f.text; body.entities = f.entities; } else body.caption = f.text;
        await post('/edit', body);
        S.editing = null; renderContextBar();
      } else {
        await sendText(text);
      }
    } catch (e) { ta.value = text; autoGrow(); throw e; }
  }

  async function deleteMessages(group) {
    await post('/delete', { from: S.me, chat: S.chat, message_ids: group.map((m) => m.message_id) });
    if (S.editing && group.includes(S.editing)) cancelContext();
  }

  function forwardPicker(group) {
    const from = S.chat;
    const chats = S.dialogs.filter((x) => (x.type === 'bot' ? x.started && !x.blocked : x.type !== 'channel'))
      .map((x) => ({ ...x, pickNote: x.type === 'bot' ? 'bot' : x.type === 'person' ? 'person' : x.is_forum ? 'forum (General)' : x.type }));
    pickChat('Forward to…', null, chats, async (c) => {
      for (const m of group) await post('/send', { from: S.me, chat: c.id, forward_from: [from, m.message_id] });
      toast(`Forwarded to ${chatName(c)}`);
    });
  }

  const samples = {};
  async function sample(name) {
    if (!samples[name]) {
      const buf = new Uint8Array(await (await fetch(`/ui/samples/${name}`)).arrayBuffer());
      samples[name] = b64(buf);
    }
    return samples[name];
  }
  function b64(bytes) {
    let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    return btoa(s);
  }
  // The composer's text becomes the caption of what is attached.
  function takeCaption(spec) {
    const ta = $('composer'); const text = ta.value.trim();
    if (!text || S.editing) return spec;
    if (S.html) { const f = htmlToEntities(text); spec.caption = f.text; if (f.entities.length) spec.caption_entities = f.entities; } else spec.caption = text;
    ta.value = ''; autoGrow();
    return spec;
  }
  const photoSpec = async (name) => ({ type: 'photo', data_base64: await sample(name), file_name: name, mime_type: 'image/png', width: 320, height: 240 });
  async function sendMedia(spec) { await post('/send', withReply({ ...target(), media: takeCaption(spec) })); S.replyTo = null; renderContextBar(); }
  async function sendOther(fields) { await post('/send', withReply({ ...target(), ...fields })); S.replyTo = null; renderContextBar(); }

  function attachMenu(anchor) {
    popup(anchor, [
      { icon: '🖼', label: 'Photo', testid: 'attach-photo', run: async () => sendMedia(await photoSpec('photo.png')) },
      {
        icon: '🗂', label: 'Album of two photos', testid: 'attach-album',
        run: async () => {
          const album = [takeCaption(await photoSpec('photo.png')), await photoSpec('photo2.png')];
          await post('/send', withReply({ ...target(), album })); S.replyTo = null; renderContextBar();
        },
      },
      { icon: '📄', label: 'Document (invoice.pdf)', testid: 'attach-document', run: async () => sendMedia({ type: 'document', data_base64: await sample('invoice.pdf'), file_name: 'invoice.pdf', mime_type: 'application/pdf' }) },
      { icon: '🎤', label: 'Voice message', testid: 'attach-voice', run: async () => sendMedia({ type: 'voice', data_base64: await sample('voice.ogg'), mime_type: 'audio/ogg', duration: 1 }) },
      { icon: '😀', label: 'Sticker', testid: 'attach-sticker', run: async () => sendMedia({ type: 'sticker', data_base64: await sample('sticker.png'), mime_type: 'image/png', emoji: '😀' }) },
      '-',
      { icon: '📍', label: 'Location', testid: 'attach-location', run: () => sendOther({ location: { latitude: 40.4168, longitude: -3.7038 } }) },
      {
        icon: '👤', label: 'My contact', testid: 'attach-contact',
        run: () => { const me = S.world.users.find((u) => u.id === S.me); return sendOther({ contact: { phone_number: `+1555${String(S.me).slice(-7)}`, first_name: me.first_name, last_name: me.last_name, user_id: S.me } }); },
      },
      { icon: '📊', label: 'Poll', testid: 'attach-poll', run: () => sendOther({ poll: { question: 'How did we do?', options: [{ text: 'Great', voter_count: 0 }, { text: 'OK', voter_count: 0 }, { text: 'Not good', voter_count: 0 }], is_anonymous: true, type: 'regular', allows_multiple_answers: false, is_closed: false } }) },
      { icon: '🎲', label: 'Dice', testid: 'attach-dice', run: () => sendOther({ dice: '🎲' }) },
      '-',
      { icon: '📁', label: 'File from this computer…', testid: 'attach-file', run: () => $('file-input').click() },
    ]);
  }

  const fileInput = h('input', { type: 'file', id: 'file-input', hidden: true });
  document.body.append(fileInput);
  fileInput.addEventListener('change', act(async () => {
    const f = fileInput.files[0];
    fileInput.value = '';
    if (!f) return;
    if (f.size > 20 * 1048576) throw new Error('Files over 20 MB are not sent from the sandbox');
    const data = b64(new Uint8Array(await f.arrayBuffer()));
    const type = /^image\/(png|jpeg|gif|webp)$/.test(f.type) ? 'photo' : /^audio\/ogg/.test(f.type) ? 'voice' : 'document';
    await sendMedia({ type, data_base64: data, file_name: f.name, mime_type: f.type || undefined });
  }));

  function autoGrow() {
    const ta = $('composer');
    ta.style.height = 'auto';
    ta.style.height = `${Math.min(ta.scrollHeight, 220)}px`;
  }

  // ----- world panel --------------------------------------------------------------------------------
  function kvTable(el, obj, empty) {
    const rows = [];
    (function flat(prefix, v) {
      if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length) {
        for (const [k, x] of Object.entries(v)) flat(prefix ? `${prefix}.${k}` : k, x);
      } else rows.push([prefix, typeof v === 'string' ? v : JSON.stringify(v)]);
    })('', obj);
    const usable = rows.filter(([k]) => k);
    if (!usable.length) { el.replaceChildren(h('div', { class: 'none', text: empty })); return; }
    el.replaceChildren(h('table', null, usable.map(([k, v]) => h('tr', { 'data-key': k }, h('td', { text: k }), h('td', { text: v })))));
  }

  function renderChatTools() {
    const box = $('chat-tools-body');
    const d = S.chat === null ? null : dialog(S.chat);
    const tools = [];
    if (d && d.type === 'bot') {
      tools.push(h('button', {
        'data-testid': 'block-bot', class: d.blocked ? '' : 'danger',
        onclick: act(async () => { await post('/block', { user: S.me, bot: d.id, blocked: !d.blocked }); toast(d.blocked ? 'Bot unblocked' : 'Bot blocked'); }),
      }, d.blocked ? 'Unblock bot' : 'Block bot'));
      tools.push(h('button', { 'data-testid': 'restart', onclick: act(() => post('/start', { user: S.me, bot: d.id })) }, 'Send /start'));
    } else if (d && d.is_forum && S.thread) {
      const t = d.topics.find((x) => x.id === S.thread);
      if (t) {
        tools.push(h('button', { 'data-testid': t.closed ? 'reopen-topic' : 'close-topic', onclick: act(() => post('/topics', { chat: d.id, action: t.closed ? 'reopen' : 'close', thread_id: t.id, actor: S.me })) }, t.closed ? 'Reopen topic' : 'Close topic'));
        tools.push(h('button', {
          'data-testid': 'delete-topic', class: 'danger',
          onclick: act(async () => { await post('/topics', { chat: d.id, action: 'delete', thread_id: t.id, actor: S.me }); toast(`Topic «${t.name}» deleted`); }),
        }, 'Delete topic'));
      }
    } else if (d && d.is_forum) {
      tools.push(h('span', { class: 'muted', text: 'Open a topic to close or delete it.' }));
    }
    if (d && !isPrivate(d)) tools.push(h('span', { class: 'muted', style: 'width:100%', text: `You are ${d.status} here${d.rights.length ? ` (${d.rights.length} rights)` : ''}.` }));
    if (!d) tools.push(h('span', { class: 'muted', text: 'Open a chat for its tools.' }));
    tools.push(businessTools());
    box.replaceChildren(...tools);
  }

  // Telegram Business for the current person: Premium, then a chatbot with Business Mode
  // answering their private chats (Settings → Telegram Business → Chatbots).
  const BUSINESS_RIGHTS = ['can_reply', 'can_read_messages', 'can_delete_sent_messages', 'can_delete_all_messages'];
  const RECIPIENTS = ['existing_chats', 'new_chats', 'contacts', 'non_contacts'];
  // Rebuilt only when what it shows changes, so ticks being set survive other refreshes.
  let businessCache = { sig: null, el: null };
  function businessTools() {
    const me = (S.world.users || []).find((u) => u.id === S.me);
    const sig = JSON.stringify([S.me, me && me.is_premium, (S.world.business || []).find((c) => c.owner === S.me) || null,
      (S.world.bots || []).filter((b) => b.business).map((b) => b.user.id)]);
    if (businessCache.sig !== sig) businessCache = { sig, el: businessPanel(me) };
    return businessCache.el;
  }
  function businessPanel(me) {
    const wrap = h('div', { class: 'business', 'data-testid': 'business', style: 'width:100%' },
      h('div', { class: 'muted', text: 'Telegram Business' }));
    if (!me) return wrap;
    if (!me.is_premium) {
      wrap.append(h('button', {
        'data-testid': 'business-premium',
        onclick: act(async () => { await patch(`/users/${S.me}`, { is_premium: true }); toast('Telegram Premium: on'); }),
      }, 'Get Telegram Premium'));
      return wrap;
    }
    const conn = (S.world.business || []).find((c) => c.owner === S.me);
    const bots = (S.world.bots || []).filter((b) => b.business);
    if (conn) {
      wrap.append(h('div', { 'data-testid': 'business-connected', text: `Chatbot: @${conn.bot.username} · ${conn.rights.map((r) => r.replace(/^can_/, '').replace(/_/g, ' ')).join(', ') || 'no rights'}` }));
    }
    if (!bots.length) {
      wrap.append(h('span', { class: 'muted', text: 'No bot has Business Mode enabled.' }));
      return wrap;
    }
    const select = h('select', { 'data-testid': 'business-bot' }, bots.map((b) => h('option', { value: b.user.id, text: `@${b.user.username}`, selected: conn && conn.bot.id === b.user.id })));
    const box = (name, checked) => h('label', null, h('input', { type: 'checkbox', 'data-testid': `business-${name}`, 'data-name': name, checked }), ` ${name.replace(/^can_/, '').replace(/_/g, ' ')}`);
    const recipients = h('div', null, RECIPIENTS.map((r) => box(r, conn ? !!conn.recipients[r] : true)));
    const rights = h('div', null, BUSINESS_RIGHTS.map((r) => box(r, conn ? conn.rights.includes(r) : r === 'can_reply')));
    const picked = (el) => [...el.querySelectorAll('input:checked')].map((i) => i.dataset.name);
    wrap.append(select, h('div', { class: 'muted', text: 'Chats' }), recipients, h('div', { class: 'muted', text: 'Rights' }), rights,
      h('button', {
        'data-testid': 'business-connect',
        onclick: act(async () => {
          const rec = {};
          for (const r of picked(recipients)) rec[r] = true;
          await post('/business/connect', { owner: S.me, bot: Number(select.value), recipients: rec, rights: picked(rights) });
          toast('Chatbot connected');
        }),
      }, conn ? 'Save' : 'Connect chatbot'),
      conn ? h('button', {
        'data-testid': 'business-disconnect', class: 'danger',
        onclick: act(async () => { await post('/business/disconnect', { owner: S.me }); toast('Chatbot disconnected'); }),
      }, 'Disconnect') : null);
    return wrap;
  }

  async function renderPanel() {
    if (!S.panel) return;
    const [stats, faults, host] = await Promise.all([get('/stats'), get('/faults'), get('/panel')]);
    const calls = Object.entries(stats.calls).sort((a, b) => b[1] - a[1]);
    const st = Object.entries(stats.statuses).map(([k, v]) => `${k}: ${v}`).join(', ');
    const statsObj = {};
    for (const [k, v] of calls) statsObj[k] = v;
    if (st) statsObj['HTTP statuses'] = st;
    statsObj['flood limits refused'] = stats.limited.refused;
    statsObj['faults fired'] = stats.faults_fired;
    kvTable($('stats'), statsObj, 'No calls yet');
    kvTable($('host-panel'), host, 'The host program shows nothing here.');
    $('faults-state').textContent = faults.rules.length ? `${faults.rules.length} rule(s), ${faults.fired} fired` : `none · ${faults.fired} fired`;
    $('clock-now').textContent = new Date(S.clockMs).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
    renderBots();
    renderChatTools();
  }

  function renderBots() {
    const sig = JSON.stringify(S.world.bots);
    const box = $('bots-list');
    if (box.dataset.sig === sig) return;
    box.dataset.sig = sig;
    box.replaceChildren(...S.world.bots.map((b) => h('div', { class: 'bot', 'data-bot-id': b.user.id },
      h('div', null, h('span', { class: 'uname', text: `@${b.user.username}` }), ' ', h('span', { class: 'muted', text: `${b.user.first_name} · ${b.user.id}` })),
      h('div', { class: 'token' }, h('code', { 'data-testid': 'bot-token', text: b.token, title: b.token }),
        h('button', { onclick: act(async () => { await navigator.clipboard.writeText(b.token); toast('Token copied'); }) }, 'copy')))));
  }

  function applyPanelVisibility() {
    document.body.classList.toggle('panel-hidden', !S.panel);
    store.set('panel', S.panel);
  }

  // ----- refresh loop --------------------------------------------------------------------------------
  let running = false; let pending = false;
  async function refresh() {
    if (running) { pending = true; return; }
    running = true;
    try {
      do {
        pending = false;
        await refreshOnce();
      } while (pending);
    } finally { running = false; }
  }

  async function refreshOnce() {
    const [world, clock] = await Promise.all([get('/world'), get('/clock')]);
    S.world = world; S.clockMs = clock.now_ms;
    if (S.me !== null && !world.users.some((u) => u.id === S.me)) S.me = null;
    if (S.me === null && world.users.length) setMe(world.users[0].id, false);
    renderIdentity();
    if (S.me === null) { S.dialogs = []; renderLeft(); showEmpty('Add a person to the world first'); return; }
    S.dialogs = await get(`/dialogs?as=${S.me}`);
    if (S.chat !== null && !dialog(S.chat)) { S.chat = null; S.thread = null; writeHash(); }
    if (S.fromHash) { // a forum opened through the URL shows its topics
      S.fromHash = false;
      const d = dialog(S.chat);
      if (d && d.is_forum) S.forumList = d.id;
    }
    renderLeft();
    try { await loadConversation(); } catch (e) { showEmpty(String(e.message || e)); }
    if (S.panel) await renderPanel().catch(() => {});
  }

  function setMe(id, reset = true) {
    if (S.me === id) return;
    S.me = id;
    store.set('me', id);
    if (reset) {
      S.renderedKey = ''; resetComposer(); S.kbHidden = {};
      // Nothing of the previous person's view stays on screen.
      S.dialogs = []; S.forumList = null; renderLeft();
      showEmpty('Loading…');
    }
    writeHash();
  }

  // ----- wiring ---------------------------------------------------------------------------------------
  function wire() {
    $('panel-toggle').innerHTML = ICON.menu;
    $('panel-close').innerHTML = ICON.close;
    $('forum-back').innerHTML = ICON.back;
    $('attach-btn').innerHTML = ICON.attach;
    $('send-btn').innerHTML = ICON.send;
    $('kb-toggle').innerHTML = ICON.keyboard;
    $('ctx-cancel').innerHTML = ICON.close;
    $('modal-close').innerHTML = ICON.close;
    $('html-toggle').classList.toggle('on', S.html);

    $('identity').addEventListener('change', (e) => { setMe(Number(e.target.value)); refresh().catch(fail); });
    $('panel-toggle').addEventListener('click', () => { S.panel = !S.panel; applyPanelVisibility(); refresh().catch(fail); });
    $('panel-close').addEventListener('click', () => { S.panel = false; applyPanelVisibility(); });
    $('forum-back').addEventListener('click', () => { S.forumList = null; renderLeft(); });
    const start = act(async () => {
      await post('/start', { user: S.me, bot: S.chat });
      const d = dialog(S.chat);
      if (d) { d.started = true; d.blocked = false; renderBottom(d); }
    });
    $('start-btn').addEventListener('click', start);
    $('restart-btn').addEventListener('click', start);
    $('send-btn').addEventListener('click', act(submit));
    $('attach-btn').addEventListener('click', (e) => { if ($('popup').hidden) attachMenu(e.currentTarget); else hidePopup(); });
    $('html-toggle').addEventListener('click', () => { S.html = !S.html; store.set('html', S.html); $('html-toggle').classList.toggle('on', S.html); });
    $('kb-toggle').addEventListener('click', () => {
      const k = currentKeyboard(S.timeline); if (!k) return;
      S.kbHidden[k.m.message_id] = !S.kbHidden[k.m.message_id];
      $('reply-kb').hidden = S.kbHidden[k.m.message_id];
    });
    $('ctx-cancel').addEventListener('click', cancelContext);
    $('modal-close').addEventListener('click', closeModal);
    $('modal-back').addEventListener('click', (e) => { if (e.target === $('modal-back')) closeModal(); });
    $('messages').addEventListener('scroll', () => {
      const box = $('messages');
      S.stick = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
    });
    const ta = $('composer');
    ta.addEventListener('input', autoGrow);
    ta.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); act(submit)(); }
      else if (e.key === 'Escape') cancelContext();
      else if (e.key === 'ArrowUp' && !ta.value) {
        const mine = S.timeline.filter((m) => isOwn(m) && (m.text !== undefined || m.caption !== undefined) && !m.forward_origin);
        if (mine.length) { e.preventDefault(); startEdit(mine[mine.length - 1]); }
      }
    });
    document.addEventListener('keydown', (e) => { if (e.key === 'Escape') { closeModal(); hidePopup(); } });

    $('add-user').addEventListener('submit', act(async (e) => {
      e.preventDefault();
      const f = new FormData(e.target);
      const first = String(f.get('first_name') || '').trim();
      const u = await post('/users', { first_name: first, language_code: String(f.get('language_code')) });
      e.target.reset();
      setMe(u.id);
      toast(`${first} joined the world; you are now ${first}`);
      await refresh();
    }));
    $('advance').addEventListener('click', act(async () => {
      const n = Number($('advance-hours').value);
      if (!(n > 0)) throw new Error('Enter a positive number of hours');
      const c = await post('/clock', { advance_hours: Math.round(n) });
      toast(`Clock moved ${Math.round(n)} h forward: ${new Date(c.now_ms).toLocaleString()}`);
    }));
    $('fault-429').addEventListener('click', act(async () => {
      await post('/faults', { rules: [{ kind: '429', rate: 0.5, retry_after: 3, count: 40 }] });
      toast('429 storm: half of all Bot API calls answer 429 (40 times)');
      await renderPanel();
    }));
    $('fault-5xx').addEventListener('click', act(async () => {
      await post('/faults', { rules: [{ kind: '5xx', rate: 0.2, status: 502 }] });
      toast('20% of all Bot API calls answer 502 Bad Gateway');
      await renderPanel();
    }));
    $('fault-clear').addEventListener('click', act(async () => {
      await api('DELETE', '/faults');
      toast('Faults cleared');
      await renderPanel();
    }));
    window.addEventListener('hashchange', () => {
      const hs = readHash();
      if (hs.as !== null && hs.as !== S.me) setMe(hs.as);
      if (hs.chat !== S.chat || hs.thread !== S.thread) {
        S.chat = hs.chat; S.thread = hs.chat === null ? null : hs.thread;
        S.forumList = null; S.fromHash = true;
        resetComposer();
      }
      refresh().catch(fail);
    });
  }

  function connect() {
    const es = new EventSource('/control/events');
    es.addEventListener('change', () => refresh().catch(fail));
    es.addEventListener('panel', () => { if (S.panel) renderPanel().catch(() => {}); });
    es.addEventListener('error', () => { document.body.classList.add('offline'); });
    es.addEventListener('open', () => { document.body.classList.remove('offline'); });
  }

  function init() {
    const hs = readHash();
    const saved = store.get('me', null);
    S.me = hs.as !== null ? hs.as : typeof saved === 'number' ? saved : null;
    S.chat = hs.chat;
    S.thread = hs.chat === null ? null : hs.thread;
    wire();
    applyPanelVisibility();
    connect();
    S.fromHash = true;
    refresh().catch(fail);
  }

  init();
})();
