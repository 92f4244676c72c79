/*
 * The playground page: the channel as the Slack stand-in holds it (snapshot from /api/state, then live changes over
 * Server-Sent Events), a composer and buttons that become real signed requests to Lookout (via /api/send and
 * /api/action), a user switcher, a thread pane, confirmation dialogs and the sandbox panel.
 */
(function () {
  'use strict';
  var md = window.LookoutMrkdwn;
  var bk = window.LookoutBlockKit;
  var toDom = window.LookoutDom.toDom;
  var h = window.LookoutDom.h;
  var $ = function (id) { return document.getElementById(id); };

  var state = { messages: new Map(), rendered: new Map(), notes: [], dismissed: new Set(), me: null, users: [], directory: {}, bot: {}, channel: {}, thread: null, loading: null };

  var cmpTs = function (a, b) { return a.ts.length - b.ts.length || (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0); };
  var nowTs = function () { return (Date.now() / 1000).toFixed(6); };
  var visible = function (m) { return !m.deleted && !state.dismissed.has(m.ts) && (!m.ephemeralTo || m.ephemeralTo === state.me); };
  var isReply = function (m) { return m.threadTs && m.threadTs !== m.ts; };
  var repliesTo = function (ts) { return all().filter(function (m) { return m.threadTs === ts && m.ts !== ts; }); };
  var all = function () { return Array.from(state.messages.values()).filter(visible); };
  var ctx = function () { return { users: state.directory.users, channels: state.directory.channels }; };

  function post(path, body) {
    return fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      .then(function (r) { return r.json().catch(function () { return { ok: false, status: r.status, detail: 'HTTP ' + r.status }; }); })
      .catch(function (err) { return { ok: false, status: 0, detail: err.message }; });
  }

  /** A local error line (like Slack's own "failed with the error…"), shown where the request was made. */
  function addNote(what, r, threadTs) {
    var why = r.status === 0 ? 'could not reach Lookout' : r.status === 401 ? 'Lookout refused the request signature (HTTP 401)' : 'Lookout answered HTTP ' + r.status;
    state.notes.push({ ts: nowTs(), threadTs: threadTs, text: what + ' failed: ' + why + (r.detail ? ' — ' + r.detail : '') });
    schedule();
  }

  function openConfirm(c, go) {
    var modal = $('modal');
    $('modal-title').textContent = c.title;
    $('modal-text').replaceChildren(toDom(c.text, document.createDocumentFragment()));
    $('modal-confirm').textContent = c.confirm;
    $('modal-confirm').className = 'bk-button ' + c.style;
    $('modal-deny').textContent = c.deny;
    var close = function (confirmed) {
      modal.hidden = true;
      $('modal-confirm').onclick = $('modal-deny').onclick = modal.onclick = null;
      if (confirmed) go();
    };
    $('modal-confirm').onclick = function () { close(true); };
    $('modal-deny').onclick = function () { close(false); };
    modal.onclick = function (ev) { if (ev.target === modal) close(false); };
    modal.hidden = false;
    $('modal-confirm').focus();
  }

  function clickButton(message, action, button) {
    var go = function () {
      if (action.url) window.open(action.url, '_blank', 'noopener,noreferrer');
      button.disabled = true;
      post('/api/action', { user: state.me, ts: message.ts, actionId: action.actionId, value: action.value }).then(function (r) {
        button.disabled = false;
        if (!r.ok) addNote('The "' + button.textContent + '" button', r, isReply(message) ? message.threadTs : undefined);
      });
    };
    if (action.confirm) openConfirm(action.confirm, go);
    else go();
  }

  /** A message's element, rebuilt only when it, the reader or its reply count changed (images stay loaded). */
  function messageElement(m, inThread) {
    var key = (inThread ? 't' : 'c') + m.ts;
    var replies = inThread ? 0 : repliesTo(m.ts).length;
    var hit = state.rendered.get(key);
    if (hit && hit.m === m && hit.me === state.me && hit.replies === replies) return hit.el;
    var el = renderMessage(m, replies);
    state.rendered.set(key, { m: m, me: state.me, replies: replies, el: el });
    return el;
  }

  function renderMessage(m, replies) {
    var bot = m.user === state.bot.id;
    var name = (state.directory.users || {})[m.user] || m.user;
    var row = h('div', 'msg' + (m.ephemeralTo ? ' ephemeral' : ''));
    row.dataset.ts = m.ts;
    row.appendChild(h('div', 'avatar' + (bot ? ' bot' : ''), name.slice(0, 1).toUpperCase()));
    var body = row.appendChild(h('div', 'msg-body'));
    var meta = body.appendChild(h('div', 'msg-meta'));
    meta.appendChild(h('span', 'msg-author', name));
    if (bot) meta.appendChild(h('span', 'app-badge', 'APP'));
    meta.appendChild(h('span', 'msg-time', new Date(Number(m.ts) * 1000).toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' })));
    if (m.edited) meta.appendChild(h('span', 'msg-time', '(edited)'));
    var content = m.blocks && m.blocks.length ? bk.renderBlocks(m.blocks, ctx()) : md.parseMrkdwn(m.text, ctx());
    content = content.concat(bk.renderAttachments(m.attachments, ctx()), bk.renderFiles(m.files));
    toDom(content, body.appendChild(h('div', 'msg-content')), function (action, button) { clickButton(m, action, button); });
    if (m.ephemeralTo) {
      var note = body.appendChild(h('div', 'ephemeral-note', 'Only visible to you · '));
      var dismiss = note.appendChild(h('button', 'link', 'Dismiss'));
      dismiss.onclick = function () { state.dismissed.add(m.ts); schedule(); };
    }
    if (replies > 0) {
      var link = body.appendChild(h('button', 'link replies', replies + (replies === 1 ? ' reply' : ' replies')));
      link.onclick = function () { state.thread = m.ts; schedule(); };
    }
    return row;
  }

  function renderNote(n) {
    return h('div', 'note error', '⚠ ' + n.text);
  }

  function renderList(el, items, inThread) {
    var atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 60;
    el.replaceChildren.apply(el, items.sort(cmpTs).map(function (x) { return x.note ? renderNote(x) : messageElement(x, inThread); }));
    if (atBottom || state.stick) el.scrollTop = el.scrollHeight;
  }

  function render() {
    state.pending = false;
    var top = all().filter(function (m) { return !isReply(m); });
    var notes = function (t) { return state.notes.filter(function (n) { return n.threadTs === t; }).map(function (n) { return Object.assign({ note: true }, n); }); };
    if (top.length === 0 && state.notes.length === 0) {
      $('messages').replaceChildren(h('div', 'empty', 'This is the very beginning of #' + state.channel.name + '. Try /lookout help, or a suggestion on the left.'));
    } else renderList($('messages'), top.concat(notes(undefined)), false);
    var parent = state.thread && state.messages.get(state.thread);
    if (parent && !visible(parent)) parent = undefined;
    $('thread').hidden = !parent;
    if (parent) renderList($('thread-messages'), [parent].concat(repliesTo(parent.ts), notes(parent.ts)), true);
    else $('thread-messages').replaceChildren();
    state.stick = false;
  }

  function schedule() {
    if (!state.pending) requestAnimationFrame(render);
    state.pending = true;
  }

  function upsert(m) {
    state.messages.set(m.ts, m);
    if (state.loading) state.loading.add(m.ts);
  }

  function setup(s) {
    state.users = s.users;
    state.directory = s.directory;
    state.bot = s.bot;
    state.channel = s.channel;
    $('team').textContent = s.team;
    $('channel-name').textContent = $('channel-title').textContent = '# ' + s.channel.name;
    $('composer-input').placeholder = 'Message #' + s.channel.name + ' — /lookout help, @Lookout whoami';
    var select = $('user-switch');
    select.replaceChildren.apply(select, s.users.map(function (u) {
      var o = h('option', null, u.name + ' — ' + u.role);
      o.value = u.id;
      return o;
    }));
    state.me = state.me || (s.users[0] && s.users[0].id);
    select.value = state.me;
    if (s.sandbox) {
      $('sandbox').hidden = false;
      $('resources').replaceChildren.apply($('resources'), s.sandbox.resources.map(function (r) {
        var li = h('li', null);
        li.append(h('span', 'kind', r.kind), h('b', null, r.name), h('code', null, r.id));
        if (r.note) li.appendChild(h('div', 'res-note', r.note));
        return li;
      }));
      $('suggestions').replaceChildren.apply($('suggestions'), s.sandbox.suggestions.map(function (x) {
        var b = h('button', 'suggestion');
        b.type = 'button';
        b.append(h('code', null, x.command), h('span', null, x.why));
        b.onclick = function () { $('composer-input').value = x.command; $('composer-input').focus(); };
        var li = h('li', null);
        li.appendChild(b);
        return li;
      }));
    }
  }

  /** Snapshot after each (re)connect; changes that arrived while it loaded win over the snapshot. */
  function load() {
    var touched = (state.loading = new Set());
    fetch('/api/state').then(function (r) { return r.json(); }).then(function (s) {
      if (!state.users.length) setup(s);
      var fresh = new Map();
      var latest = function (ts) { return touched.has(ts) && state.messages.get(ts); };
      s.messages.forEach(function (m) { fresh.set(m.ts, latest(m.ts) || m); });
      touched.forEach(function (ts) { if (latest(ts)) fresh.set(ts, latest(ts)); });
      state.messages = fresh;
      state.loading = null;
      state.stick = true;
      schedule();
    });
  }

  function connect() {
    var es = new EventSource('/api/events');
    es.onopen = function () { $('conn').textContent = 'live'; $('conn').className = 'conn live'; load(); };
    es.onerror = function () { $('conn').textContent = 'reconnecting…'; $('conn').className = 'conn'; };
    es.onmessage = function (ev) {
      var change = JSON.parse(ev.data);
      if (change.kind === 'reset') {
        state.messages.clear();
        state.rendered.clear();
        state.notes = [];
        state.thread = null;
      } else if (change.kind === 'message') upsert(change.message);
      schedule();
    };
  }

  /** A message box: the channel's and the thread's differ only in names and in which thread a message goes to. */
  function composer(form, inputId, label, placeholder, threadTs) {
    var input = h('input');
    input.id = inputId;
    input.autocomplete = 'off';
    input.setAttribute('aria-label', label);
    input.placeholder = placeholder;
    var send = h('button', '', 'Send');
    send.type = 'submit';
    form.replaceChildren(input, send);
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var text = input.value.trim();
      if (!text) return;
      input.value = '';
      state.stick = true;
      var thread = threadTs();
      post('/api/send', { user: state.me, text: text, threadTs: thread }).then(function (r) {
        if (!r.ok) addNote(text, r, thread);
      });
    });
  }

  composer($('composer'), 'composer-input', 'Message', 'Message', function () { return undefined; });
  composer($('thread-composer'), 'thread-input', 'Reply', 'Reply… (@Lookout answers here)', function () { return state.thread; });
  $('user-switch').onchange = function (ev) { state.me = ev.target.value; schedule(); };
  $('thread-close').onclick = function () { state.thread = null; schedule(); };
  document.addEventListener('keydown', function (ev) { if (ev.key === 'Escape' && !$('modal').hidden) $('modal-deny').click(); });
  connect();
})();
