/*
 * Block Kit `rich_text` blocks → the DOM model of mrkdwn.js. Rich text is structured: its text elements hold
 * plain characters (no mrkdwn, no entities), and mentions and links are explicit elements.
 * Loaded as a plain <script> after mrkdwn.js (window.LookoutRichText) and with require() in jest.
 */
(function (root, factory) {
  if (typeof module === 'object' && module.exports) module.exports = factory(require('./mrkdwn.js'));
  else root.LookoutRichText = factory(root.LookoutMrkdwn);
})(typeof self !== 'undefined' ? self : this, function (md) {
  'use strict';

  var el = md.el;

  /** Newlines in a text element become line breaks (outside preformatted blocks). */
  function lines(text, pre) {
    var s = String(text == null ? '' : text);
    if (pre) return [s];
    var out = [];
    s.split('\n').forEach(function (part, i) {
      if (i > 0) out.push(el('br'));
      if (part) out.push(part);
    });
    return out;
  }

  function styled(nodes, style) {
    var s = style || {};
    if (s.code) nodes = [el('code', null, nodes)];
    if (s.strike) nodes = [el('s', null, nodes)];
    if (s.italic) nodes = [el('i', null, nodes)];
    if (s.bold) nodes = [el('b', null, nodes)];
    return nodes;
  }

  function mention(text, cls) {
    return [el('span', cls || 'mention', [text])];
  }

  /** One inline element of a section: text, link, user, channel, usergroup, broadcast, emoji, date. */
  function inline(e, ctx, pre) {
    if (!e || typeof e !== 'object') return [];
    var users = ctx.users || {};
    var channels = ctx.channels || {};
    switch (e.type) {
      case 'text':
        return styled(lines(e.text, pre), e.style);
      case 'link': {
        var href = md.safeUrl(String(e.url || ''));
        var label = lines(e.text || e.url, pre);
        return styled(href ? [el('a', null, label, { href: href })] : label, e.style);
      }
      case 'user':
        return styled(mention('@' + (users[e.user_id] || e.user_id)), e.style);
      case 'channel':
        return styled(mention('#' + (channels[e.channel_id] || e.channel_id)), e.style);
      case 'usergroup':
        return styled(mention('@' + e.usergroup_id), e.style);
      case 'broadcast':
        return mention('@' + e.range, 'mention broadcast');
      case 'emoji':
        return e.unicode
          ? [el('span', 'emoji', [String.fromCodePoint.apply(null, String(e.unicode).split('-').map(function (h) { return parseInt(h, 16); }))], { title: ':' + e.name + ':' })]
          : md.parsePlain(':' + e.name + ':');
      case 'date': {
        var shown = md.formatDate(e.timestamp, e.format || '{date_short} {time}', ctx);
        return [el('span', 'date', [shown === undefined ? String(e.fallback || e.timestamp) : shown])];
      }
      default:
        return [el('span', 'bk-unsupported', ['Unsupported element: ' + String(e.type)])];
    }
  }

  function inlines(elements, ctx, pre) {
    var out = [];
    (Array.isArray(elements) ? elements : []).forEach(function (e) {
      out.push.apply(out, inline(e, ctx, pre));
    });
    return out;
  }

  /** A top-level element of a rich_text block. */
  function part(p, ctx) {
    if (!p || typeof p !== 'object') return el('div', 'bk-unsupported', ['Unsupported element']);
    switch (p.type) {
      case 'rich_text_section':
        return el('div', 'rt-section', inlines(p.elements, ctx));
      case 'rich_text_preformatted':
        return el('pre', null, inlines(p.elements, ctx, true));
      case 'rich_text_quote':
        return el('blockquote', null, inlines(p.elements, ctx));
      case 'rich_text_list': {
        var items = (p.elements || []).map(function (s) { return el('li', null, inlines(s && s.elements, ctx)); });
        var indent = Math.min(Math.max(Number(p.indent) || 0, 0), 6);
        return el(p.style === 'ordered' ? 'ol' : 'ul', 'rt-list rt-indent-' + indent, items);
      }
      default:
        return el('div', 'bk-unsupported', ['Unsupported element: ' + String(p.type)]);
    }
  }

  function renderRichText(block, ctx) {
    return el('div', 'bk-rich-text', (block.elements || []).map(function (p) { return part(p, ctx || {}); }));
  }

  return { renderRichText: renderRichText };
});
