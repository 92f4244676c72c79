/*
 * Slack mrkdwn → a small DOM model: a node is a string (text) or { tag, cls?, href?, title?, children? }.
 * The model never carries HTML: the page turns it into DOM nodes (createElement/textContent) and the tests read it
 * (or `toHtml`, which escapes everything), so message text can never inject markup.
 * Loaded as a plain <script> in the page (window.LookoutMrkdwn) and with require() in jest.
 */
(function (root, factory) {
  if (typeof module === 'object' && module.exports) module.exports = factory(require('./slack-date.js'));
  else root.LookoutMrkdwn = factory(root.LookoutSlackDate);
})(typeof self !== 'undefined' ? self : this, function (dates) {
  'use strict';

  /** A node of the model; `extra` adds fields such as href or action. */
  function el(tag, cls, children, extra) {
    var node = { tag: tag, cls: cls, children: children || [] };
    for (var k in extra || {}) node[k] = extra[k];
    return node;
  }

  var ENTITIES = { '&lt;': '<', '&gt;': '>', '&amp;': '&' };
  /** One pass, so `&amp;lt;` becomes `&lt;` and stays that way (decoded exactly once). */
  function decode(s) {
    return String(s).replace(/&(?:lt|gt|amp);/g, function (m) { return ENTITIES[m]; });
  }

  /** Links only to the web and mail: `javascript:`, `data:` and friends render as plain text. */
  function safeUrl(url) {
    return /^(https?:\/\/|mailto:)[^\s]*$/i.test(url) ? url : undefined;
  }

  // The shortcodes Lookout uses (and a few common ones); others stay as `:name:` text.
  var EMOJI = {
    warning: '⚠️', x: '❌', octagonal_sign: '🛑', no_entry: '⛔', white_check_mark: '✅', heavy_check_mark: '✔️',
    hourglass: '⌛', hourglass_flowing_sand: '⏳', grey_question: '❔', mag: '🔍', zzz: '💤', rocket: '🚀',
    large_green_circle: '🟢', large_blue_circle: '🔵', red_circle: '🔴', white_circle: '⚪', eyes: '👀',
    wastebasket: '🗑️', recycle: '♻️', no_bell: '🔕', lock: '🔒', information_source: 'ℹ️', heavy_minus_sign: '➖',
    fast_forward: '⏩', alarm_clock: '⏰', rotating_light: '🚨', tada: '🎉', '+1': '👍', thumbsup: '👍',
    bar_chart: '📊', chart_with_upwards_trend: '📈', link: '🔗', gear: '⚙️', bulb: '💡', wave: '👋', boom: '💥',
  };

  /** Plain text with :emoji: shortcodes turned into characters (text leaves only, never inside code). */
  function emojify(text) {
    var out = [];
    var last = 0;
    text.replace(/:([a-z0-9_+-]+):/g, function (m, name, at) {
      if (!EMOJI[name]) return m;
      if (at > last) out.push(text.slice(last, at));
      out.push({ tag: 'span', cls: 'emoji', title: m, children: [EMOJI[name]] });
      last = at + m.length;
      return m;
    });
    if (last < text.length) out.push(text.slice(last));
    return out;
  }

  function mention(text, cls) {
    return { tag: 'span', cls: cls || 'mention', children: [text] };
  }

  /** One `<…>` control sequence (raw, still entity-encoded): mentions, channels, broadcasts, dates, links. */
  function renderToken(inner, ctx) {
    var bar = inner.indexOf('|');
    var target = bar >= 0 ? inner.slice(0, bar) : inner;
    var label = bar >= 0 ? decode(inner.slice(bar + 1)) : '';
    var users = ctx.users || {};
    var channels = ctx.channels || {};
    if (target[0] === '@') return mention('@' + (label || users[target.slice(1)] || target.slice(1)));
    if (target[0] === '#') return mention('#' + (label || channels[target.slice(1)] || target.slice(1)));
    if (target[0] === '!') {
      var parts = target.slice(1).split('^');
      if (['here', 'channel', 'everyone'].indexOf(parts[0]) >= 0) return mention('@' + parts[0], 'mention broadcast');
      if (parts[0] === 'subteam') return mention(label || '@' + (parts[1] || 'group'));
      if (parts[0] === 'date') {
        var shown = dates.formatDate(parts[1], parts[2] || '', ctx);
        var when = { tag: 'span', cls: 'date', title: label || '', children: [shown === undefined ? label : decode(shown)] };
        var dateLink = parts[3] ? safeUrl(decode(parts[3])) : undefined;
        return dateLink ? { tag: 'a', href: dateLink, children: [when] } : when;
      }
      return label || decode('<' + inner + '>');
    }
    var url = decode(target);
    var href = safeUrl(url);
    if (!href) return label || decode('<' + inner + '>');
    return { tag: 'a', href: href, children: [label || url] };
  }

  /** Text where only `<…>` tokens count (inside code spans and pre blocks). */
  function parseTokensOnly(s, ctx) {
    var out = [];
    var re = /<([^<>]+)>/g;
    var last = 0;
    var m;
    while ((m = re.exec(s))) {
      if (m.index > last) out.push(decode(s.slice(last, m.index)));
      out.push(renderToken(m[1], ctx));
      last = re.lastIndex;
    }
    if (last < s.length) out.push(decode(s.slice(last)));
    return out;
  }

  var MARKS = { '*': 'b', _: 'i', '~': 's' };
  var WORD = /[A-Za-z0-9]/;

  /** Index of the `<…>` or `` `…` `` span starting at i, so formatting never closes inside a URL or code. */
  function skipSpan(s, i) {
    var close = s[i] === '<' ? '>' : s[i] === '`' ? '`' : null;
    if (!close) return i;
    var end = s.indexOf(close, i + 1);
    return end > i + 1 ? end : i;
  }

  function findClose(s, i, mark) {
    if (i + 1 >= s.length || /\s/.test(s[i + 1])) return -1;
    for (var j = i + 1; j < s.length; j++) {
      j = skipSpan(s, j);
      if (s[j] === mark && j > i + 1 && !/\s/.test(s[j - 1]) && (j + 1 === s.length || !WORD.test(s[j + 1]))) return j;
    }
    return -1;
  }

  /** One line of mrkdwn: *bold*, _italic_, ~strike~, `code`, tokens; formatting opens only at a word boundary. */
  function parseInline(s, ctx) {
    var out = [];
    var buf = '';
    var flush = function () {
      if (buf) out.push.apply(out, emojify(decode(buf)));
      buf = '';
    };
    for (var i = 0; i < s.length; i++) {
      var ch = s[i];
      var end = ch === '<' || ch === '`' ? skipSpan(s, i) : -1;
      if (end > i) {
        flush();
        out.push(ch === '<' ? renderToken(s.slice(i + 1, end), ctx) : { tag: 'code', children: parseTokensOnly(s.slice(i + 1, end), ctx) });
        i = end;
        continue;
      }
      if (MARKS[ch] && (i === 0 || !WORD.test(s[i - 1]))) {
        end = findClose(s, i, ch);
        if (end > 0) {
          flush();
          out.push({ tag: MARKS[ch], children: parseInline(s.slice(i + 1, end), ctx) });
          i = end;
          continue;
        }
      }
      buf += ch;
    }
    flush();
    return out;
  }

  var QUOTE = /^(?:&gt;|>)\s?/;
  var QUOTE_REST = /^(?:&gt;|>){3}\s?/;

  /** Lines outside pre blocks: consecutive `>` lines become one blockquote; `>>>` quotes everything after it. */
  function parseLines(seg, ctx, out) {
    var groups = [];
    var rest = false;
    seg.split('\n').forEach(function (line) {
      if (!rest && QUOTE_REST.test(line)) {
        rest = true;
        line = line.replace(QUOTE_REST, '');
      }
      var quoted = rest || QUOTE.test(line);
      var text = quoted && !rest ? line.replace(QUOTE, '') : line;
      var last = groups[groups.length - 1];
      if (last && last.quoted === quoted) last.lines.push(text);
      else groups.push({ quoted: quoted, lines: [text] });
    });
    groups.forEach(function (g) {
      var nodes = [];
      g.lines.forEach(function (l, n) {
        if (n > 0) nodes.push({ tag: 'br' });
        nodes.push.apply(nodes, parseInline(l, ctx));
      });
      if (g.quoted) out.push({ tag: 'blockquote', children: nodes });
      else out.push.apply(out, nodes);
    });
  }

  /**
   * Slack mrkdwn (entity-encoded, as in message payloads) → DOM model nodes.
   * ctx: { users: {id: name}, channels: {id: name}, timeZone?, now?() } for mentions and dates.
   */
  function parseMrkdwn(text, ctx) {
    ctx = ctx || {};
    var s = String(text == null ? '' : text);
    var out = [];
    var re = /```([\s\S]*?)```/g;
    var last = 0;
    var m;
    while ((m = re.exec(s))) {
      var before = s.slice(last, m.index).replace(/\n$/, '');
      if (before) parseLines(before, ctx, out);
      out.push({ tag: 'pre', children: parseTokensOnly(m[1].replace(/^\n/, '').replace(/\n$/, ''), ctx) });
      last = re.lastIndex;
      if (s[last] === '\n') last += 1;
    }
    if (last < s.length) parseLines(s.slice(last), ctx, out);
    return out;
  }

  /** A plain_text object: entities decoded once, emoji when allowed, nothing else interpreted. */
  function parsePlain(text, emoji) {
    var decoded = decode(text == null ? '' : text);
    return emoji === false ? [decoded] : emojify(decoded);
  }

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  var VOID = { br: true, hr: true, img: true };

  /** The model as escaped HTML, for tests and debugging (the page builds DOM nodes instead). */
  function toHtml(nodes) {
    return [].concat(nodes).map(function (n) {
      if (typeof n === 'string') return escapeHtml(n);
      var attrs = '';
      ['cls', 'href', 'src', 'alt', 'title'].forEach(function (k) {
        if (n[k] != null && n[k] !== '') attrs += ' ' + (k === 'cls' ? 'class' : k) + '="' + escapeHtml(n[k]) + '"';
      });
      if (VOID[n.tag]) return '<' + n.tag + attrs + '>';
      return '<' + n.tag + attrs + '>' + toHtml(n.children || []) + '</' + n.tag + '>';
    }).join('');
  }

  /** The visible text of nodes (what a reader sees), for tests and accessibility labels. */
  function textOf(nodes) {
    return [].concat(nodes).map(function (n) {
      if (typeof n === 'string') return n;
      return n.tag === 'br' ? '\n' : textOf(n.children || []);
    }).join('');
  }

  return { el: el, parseMrkdwn: parseMrkdwn, parsePlain: parsePlain, decode: decode, safeUrl: safeUrl, formatDate: dates.formatDate, toHtml: toHtml, textOf: textOf };
});
