/*
 * Block Kit → the DOM model of mrkdwn.js (strings and { tag, cls, …, children } objects). Buttons become
 * { tag: 'button', action: {…} } nodes; the page attaches the click. Images load only from this server
 * (proxied Slack files) or data: URLs; anything else shows as a link, so the page fetches nothing from the internet.
 * Loaded as a plain <script> after mrkdwn.js (window.LookoutBlockKit) and with require() in jest.
 */
(function (root, factory) {
  if (typeof module === 'object' && module.exports) module.exports = factory(require('./mrkdwn.js'), require('./rich-text.js'));
  else root.LookoutBlockKit = factory(root.LookoutMrkdwn, root.LookoutRichText);
})(typeof self !== 'undefined' ? self : this, function (md, rich) {
  'use strict';

  var el = md.el;

  /** A text object: mrkdwn parsed, plain_text shown as is (entities decoded once). */
  function textObject(t, ctx) {
    if (!t || typeof t !== 'object') return [];
    return t.type === 'mrkdwn' ? md.parseMrkdwn(t.text, ctx) : md.parsePlain(t.text, t.emoji);
  }

  function plainOf(t) {
    return t && typeof t === 'object' ? md.decode(t.text || '') : '';
  }

  /** Same-origin paths (the proxied files) and inline raster images only. */
  function localImage(url) {
    var u = String(url || '');
    return /^\/files\/[A-Za-z0-9]+\/[^/\s"'<>?#\\]+$/.test(u) || /^data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=]+$/.test(u) ? u : undefined;
  }

  function image(url, alt, cls) {
    var src = localImage(url);
    if (src) return el('img', cls, [], { src: src, alt: alt || '', title: alt || '' });
    var href = md.safeUrl(String(url || ''));
    var label = '🖼 ' + (alt || 'image');
    return href ? el('a', 'bk-image-external', [label], { href: href, title: href }) : el('span', 'bk-image-external', [label]);
  }

  function unsupported(kind, type) {
    return el('span', 'bk-unsupported', ['Unsupported ' + kind + ': ' + String(type || 'unknown')]);
  }

  /** The confirmation dialog a button asks for before its click is sent (Slack's `confirm` object). */
  function confirmOf(c, ctx) {
    if (!c || typeof c !== 'object') return undefined;
    return {
      title: plainOf(c.title) || 'Are you sure?',
      text: textObject(c.text, ctx),
      confirm: plainOf(c.confirm) || 'Yes',
      deny: plainOf(c.deny) || 'Cancel',
      style: c.style === 'danger' ? 'danger' : 'primary',
    };
  }

  function button(b, ctx, blockId) {
    var style = b.style === 'primary' || b.style === 'danger' ? ' ' + b.style : '';
    var url = b.url ? md.safeUrl(String(b.url)) : undefined;
    var action = { actionId: b.action_id, value: b.value, blockId: blockId, url: url, confirm: confirmOf(b.confirm, ctx) };
    return el('button', 'bk-button' + style, md.parsePlain(plainOf(b.text), b.text && b.text.emoji), { action: action, title: b.accessibility_label });
  }

  /** An interactive element (actions block, section accessory). */
  function element(e, ctx, blockId) {
    if (!e || typeof e !== 'object') return unsupported('element', typeof e);
    if (e.type === 'button') return button(e, ctx, blockId);
    if (e.type === 'image') return image(e.image_url, e.alt_text, 'bk-accessory-image');
    return unsupported('element', e.type);
  }

  function contextElement(e, ctx) {
    if (e && e.type === 'image') return image(e.image_url, e.alt_text, 'bk-context-image');
    if (e && (e.type === 'mrkdwn' || e.type === 'plain_text')) return el('span', 'bk-context-text', textObject(e, ctx));
    return unsupported('element', e && e.type);
  }

  var BLOCKS = {
    header: function (b) {
      return el('div', 'bk-header', md.parsePlain(plainOf(b.text), b.text && b.text.emoji));
    },
    section: function (b, ctx) {
      var main = [];
      if (b.text) main.push(el('div', 'bk-text', textObject(b.text, ctx)));
      if (Array.isArray(b.fields)) {
        main.push(el('div', 'bk-fields', b.fields.map(function (f) { return el('div', 'bk-field', textObject(f, ctx)); })));
      }
      var parts = [el('div', 'bk-section-main', main)];
      if (b.accessory) parts.push(el('div', 'bk-accessory', [element(b.accessory, ctx, b.block_id)]));
      return el('div', 'bk-section', parts);
    },
    context: function (b, ctx) {
      return el('div', 'bk-context', (b.elements || []).map(function (e) { return contextElement(e, ctx); }));
    },
    divider: function () {
      return el('hr', 'bk-divider');
    },
    image: function (b) {
      var parts = [];
      if (b.title) parts.push(el('div', 'bk-image-title', [plainOf(b.title)]));
      parts.push(image(b.image_url || (b.slack_file && b.slack_file.url), b.alt_text, 'bk-image-img'));
      return el('div', 'bk-image', parts);
    },
    actions: function (b, ctx) {
      return el('div', 'bk-actions', (b.elements || []).map(function (e) { return element(e, ctx, b.block_id); }));
    },
    rich_text: function (b, ctx) {
      return rich.renderRichText(b, ctx);
    },
  };

  /** Message blocks → nodes; an unknown or malformed block becomes a small placeholder, never an exception. */
  function renderBlocks(blocks, ctx) {
    ctx = ctx || {};
    return (Array.isArray(blocks) ? blocks : []).map(function (b) {
      var render = b && BLOCKS[b.type];
      if (!render) return el('div', 'bk-unsupported-block', [unsupported('block', b && b.type)]);
      try {
        return render(b, ctx);
      } catch (err) {
        return el('div', 'bk-unsupported-block', [unsupported('block', b.type + ' (' + err.message + ')')]);
      }
    });
  }

  var COLORS = { good: '#2eb67d', warning: '#ecb22e', danger: '#e01e5a' };

  function field(f, ctx) {
    var parts = [];
    if (f.title) parts.push(el('div', 'bk-field-title', md.parsePlain(f.title)));
    parts.push(el('div', null, md.parseMrkdwn(f.value, ctx)));
    return el('div', 'bk-field' + (f.short ? ' short' : ''), parts);
  }

  /** Legacy attachments: a colour bar beside pretext/author/title/text/fields/images/footer or blocks. */
  function renderAttachment(a, ctx) {
    var body = [];
    if (a.author_name) body.push(el('div', 'bk-att-author', md.parsePlain(a.author_name)));
    if (a.title) {
      var href = a.title_link ? md.safeUrl(String(a.title_link)) : undefined;
      var title = md.parsePlain(a.title);
      body.push(el('div', 'bk-att-title', href ? [el('a', null, title, { href: href })] : title));
    }
    if (a.text) body.push(el('div', 'bk-text', md.parseMrkdwn(a.text, ctx)));
    if (Array.isArray(a.fields) && a.fields.length) {
      body.push(el('div', 'bk-fields', a.fields.map(function (f) { return field(f || {}, ctx); })));
    }
    if (Array.isArray(a.blocks)) body.push.apply(body, renderBlocks(a.blocks, ctx));
    if (a.image_url) body.push(el('div', 'bk-image', [image(a.image_url, a.fallback, 'bk-image-img')]));
    if (a.footer) body.push(el('div', 'bk-context', [el('span', 'bk-context-text', md.parseMrkdwn(a.footer, ctx))]));
    var color = COLORS[a.color] || (/^#?[0-9a-f]{6}$|^#?[0-9a-f]{3}$/i.test(a.color || '') ? '#' + a.color.replace('#', '') : '#dddddd');
    var out = [];
    if (a.pretext) out.push(el('div', 'bk-text', md.parseMrkdwn(a.pretext, ctx)));
    out.push(el('div', 'bk-attachment', body, { color: color }));
    return el('div', null, out);
  }

  function renderAttachments(attachments, ctx) {
    return (Array.isArray(attachments) ? attachments : []).map(function (a) { return renderAttachment(a || {}, ctx || {}); });
  }

  /** Uploaded files: images inline (from this server), anything else as a download link. */
  function renderFiles(files) {
    return (Array.isArray(files) ? files : []).map(function (f) {
      var name = String(f.title || f.name || 'file');
      var src = localImage(f.url);
      if (src && /^image\//.test(f.mimetype || '')) {
        return el('figure', 'bk-file-image', [el('figcaption', null, [name]), el('img', null, [], { src: src, alt: name })]);
      }
      var label = '📄 ' + name + (f.size ? ' (' + Math.max(1, Math.round(f.size / 1024)) + ' KB)' : '');
      return src ? el('a', 'bk-file', [label], { href: src }) : el('span', 'bk-file', [label]);
    });
  }

  return { renderBlocks: renderBlocks, renderAttachments: renderAttachments, renderFiles: renderFiles, textObject: textObject };
});
