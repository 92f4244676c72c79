/*
 * The DOM model (mrkdwn.js, blockkit.js) → real DOM nodes, with createElement and text nodes only: no innerHTML,
 * allow-listed tags, links limited to http(s)/mailto and this server's files, images to this server and data: URLs.
 */
(function (root) {
  'use strict';

  var TAGS = {
    a: 1, b: 1, i: 1, s: 1, code: 1, pre: 1, blockquote: 1, span: 1, div: 1, br: 1, hr: 1, img: 1, button: 1,
    ul: 1, ol: 1, li: 1, figure: 1, figcaption: 1,
  };
  var HREF = /^(https?:\/\/|mailto:|\/files\/)/i;
  var SRC = /^(\/files\/[A-Za-z0-9]+\/[^/\s"'<>?#\\]+|data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=]+)$/;
  var COLOR = /^#[0-9a-f]{3}([0-9a-f]{3})?$/i;

  /** Appends `nodes` to `parent`; `onAction(action, button)` is called when a rendered button is clicked. */
  function toDom(nodes, parent, onAction) {
    [].concat(nodes).forEach(function (n) {
      if (typeof n === 'string') return void parent.appendChild(document.createTextNode(n));
      if (!n || !TAGS[n.tag]) return;
      var e = document.createElement(n.tag);
      if (n.cls) e.className = n.cls;
      if (n.title) e.title = n.title;
      if (n.tag === 'a' && n.href && HREF.test(n.href)) {
        e.href = n.href;
        e.target = '_blank';
        e.rel = 'noopener noreferrer';
      }
      if (n.tag === 'img' && SRC.test(n.src || '')) {
        e.src = n.src;
        e.alt = n.alt || '';
      }
      if (n.color && COLOR.test(n.color)) e.style.borderLeftColor = n.color;
      if (n.tag === 'button') {
        e.type = 'button';
        if (n.action && onAction) e.addEventListener('click', function () { onAction(n.action, e); });
      }
      toDom(n.children || [], e, onAction);
      parent.appendChild(e);
    });
    return parent;
  }

  function h(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  root.LookoutDom = { toDom: toDom, h: h };
})(this);
