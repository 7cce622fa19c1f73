/*
 * A few lines of DOM building shared by both pages: text goes in as text, and
 * HTML only where the generator escaped it (`html`).
 */
(function (root) {
  'use strict';

  /** el('p', { class: 'x', text: 'hi', onclick: fn }, child, [children], null) */
  function el(tag, props, ...children) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (key) {
      var value = props[key];
      if (value === undefined || value === null) return;
      if (key === 'class') node.className = value;
      else if (key === 'html') node.innerHTML = value;
      else if (key === 'text') node.textContent = value;
      else if (key.slice(0, 2) === 'on') node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value);
    });
    append(node, children);
    return node;
  }

  /** Appends nodes and strings, flattening nested arrays and skipping null/false. */
  function append(parent, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child))
      child.forEach(function (c) {
        append(parent, c);
      });
    else parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }

  root.TspipeDom = { el: el, append: append };
})(window);
