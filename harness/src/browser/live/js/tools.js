// reprise's helpers, defined once in an isolated world of each document: they share the DOM with
// the app but none of its globals, so nothing the app defines can interfere.
//   find(locators)        the first locator that matches, and what each one matched
//   act(step)             prepares a step and says where and how to dispatch it
//   capture(options)      canonical DOM text (CANONICAL.md, ids in document order) and queries
globalThis.__reprise = (() => {
  'use strict';

  const collapse = (s) => s.replace(/\s+/g, ' ').trim();

  function matches(locator) {
    try {
      if (locator.css !== undefined) return Array.from(document.querySelectorAll(locator.css));
      const tag = locator.tag.toLowerCase();
      return Array.from(document.getElementsByTagName(tag)).filter((el) => collapse(el.textContent) === locator.text);
    } catch (e) {
      return [];
    }
  }

  function find(locators) {
    const tried = [];
    for (let i = 0; i < locators.length; i++) {
      const found = matches(locators[i]);
      tried.push(found.length);
      if (found.length > 0) return { el: found[0], index: i, count: found.length, tried };
    }
    return { el: null, index: -1, count: 0, tried };
  }

  const isText = (el) =>
    (el instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit', 'reset', 'image', 'file', 'hidden', 'range', 'color'].includes(el.type)) ||
    el instanceof HTMLTextAreaElement;

  // Where a pointer would press the element: its centre, after scrolling it into view if it is
  // outside the viewport (a user would have scrolled; the recorded scrolls usually did).
  function centre(el, out) {
    let r = el.getBoundingClientRect();
    const inside = r.width > 0 && r.height > 0 && r.left + r.width / 2 >= 0 && r.top + r.height / 2 >= 0 &&
      r.left + r.width / 2 < innerWidth && r.top + r.height / 2 < innerHeight;
    if (!inside) {
      el.scrollIntoView({ block: 'center', inline: 'center' });
      r = el.getBoundingClientRect();
      out.scrolled = true;
    }
    out.x = Math.round((r.left + r.width / 2) * 100) / 100;
    out.y = Math.round((r.top + r.height / 2) * 100) / 100;
    out.visible = r.width > 0 && r.height > 0;
  }

  function act(step) {
    const out = { found: false, index: -1, count: 0, tried: [] };
    if (step.kind === 'scroll' && !step.locators) {
      scrollTo(step.x, step.y);
      out.found = true;
      return out;
    }
    const { el, index, count, tried } = find(step.locators || []);
    Object.assign(out, { index, count, tried, found: !!el });
    if (!el) return out;
    out.tag = el.localName;
    out.disabled = !!el.disabled;
    switch (step.kind) {
      case 'click':
        centre(el, out);
        break;
      case 'focus':
        if (document.activeElement !== el) el.focus();
        break;
      case 'key':
        if (document.activeElement !== el && el.tabIndex >= 0) el.focus();
        break;
      case 'scroll':
        if (el === document.documentElement || el === document.body) scrollTo(step.x, step.y);
        else el.scrollTo(step.x, step.y);
        break;
      case 'input':
        if (el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio')) {
          out.mode = 'checked';
          out.checked = el.checked;
          if (el.checked !== step.checked) centre(el, out);
        } else if (el instanceof HTMLSelectElement) {
          // A native popup cannot be driven like a page: set the value as the browser would.
          out.mode = 'select';
          if (el.value !== step.text) {
            el.value = step.text;
            el.dispatchEvent(new Event('input', { bubbles: true }));
            el.dispatchEvent(new Event('change', { bubbles: true }));
          }
        } else if (isText(el) || el.isContentEditable) {
          out.mode = 'text';
          if (document.activeElement !== el) el.focus();
          const value = el.isContentEditable ? el.textContent : el.value;
          out.value = value;
          if (!el.isContentEditable) {
            // Type at the end, or over everything when the new text does not extend the old.
            try {
              if (step.text.startsWith(value) || value.startsWith(step.text)) el.setSelectionRange(value.length, value.length);
              else el.select();
            } catch (e) {
              el.select();
            }
          }
        } else {
          out.mode = 'none';
        }
        break;
    }
    return out;
  }

  // --- canonical text -------------------------------------------------------------------------

  const Q = (s) => {
    if (s.toWellFormed) s = s.toWellFormed();
    return JSON.stringify(s).replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
  };
  const byCodePoint = (a, b) => {
    const x = Array.from(a), y = Array.from(b);
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      const d = x[i].codePointAt(0) - y[i].codePointAt(0);
      if (d) return d;
    }
    return x.length - y.length;
  };
  const SVG = 'http://www.w3.org/2000/svg';

  function state(el) {
    let s = '';
    const type = el instanceof HTMLInputElement ? el.type : '';
    if ((type === 'checkbox' || type === 'radio') && el.checked) s += ' :checked';
    if (el.scrollLeft || el.scrollTop) s += ` :scroll=${Q(`${el.scrollLeft},${el.scrollTop}`)}`;
    if (el instanceof HTMLOptionElement && el.selected) s += ' :selected';
    if (el instanceof HTMLTextAreaElement) s += ` :value=${Q(el.value)}`;
    else if (el instanceof HTMLInputElement && type !== 'checkbox' && type !== 'radio' && el.value !== el.defaultValue) s += ` :value=${Q(el.value)}`;
    else if (el instanceof HTMLSelectElement) {
      const dirty = Array.from(el.options).some((o) => o.selected !== o.defaultSelected);
      if (dirty) s += ` :value=${Q(el.value)}`;
    }
    return s;
  }

  function elementLine(el) {
    const tag = el.namespaceURI === SVG ? 'svg:' + el.localName.toLowerCase() : el.localName;
    const attrs = Array.from(el.attributes, (a) => [a.name, a.value]).sort((a, b) => byCodePoint(a[0], b[0]));
    return `<${tag}${attrs.map(([n, v]) => ` ${n}=${Q(v)}`).join('')}>${state(el)}`;
  }

  // Walks a document in tree order (shadow roots, then light children, then same-origin frame
  // documents), skipping ignored subtrees; ids count the printed nodes from 1.
  function walk(doc, ignored) {
    const lines = [];
    const ranges = new Map();
    let next = 1;
    const stack = [[doc, 0, false]];
    const open = [];
    while (stack.length) {
      const [node, depth, isShadow] = stack.pop();
      while (open.length && open[open.length - 1][1] >= depth) {
        const [n] = open.pop();
        ranges.get(n)[1] = lines.length;
      }
      if (ignored.has(node)) continue;
      const pad = '  '.repeat(depth);
      let line;
      if (isShadow) line = '#shadow-root';
      else if (node.nodeType === Node.DOCUMENT_NODE) {
        const sx = node.defaultView ? node.defaultView.scrollX : 0, sy = node.defaultView ? node.defaultView.scrollY : 0;
        line = '#document' + (sx || sy ? ` :scroll=${Q(`${sx},${sy}`)}` : '');
      } else if (node.nodeType === Node.DOCUMENT_TYPE_NODE) {
        line = node.publicId || node.systemId ? `<!DOCTYPE ${node.name} ${Q(node.publicId)} ${Q(node.systemId)}>` : `<!DOCTYPE ${node.name}>`;
      } else if (node.nodeType === Node.ELEMENT_NODE) line = elementLine(node);
      else if (node.nodeType === Node.TEXT_NODE) line = Q(node.data);
      else if (node.nodeType === Node.COMMENT_NODE) line = `#comment ${Q(node.data)}`;
      else if (node.nodeType === Node.CDATA_SECTION_NODE) line = `#cdata ${Q(node.data)}`;
      else continue;
      if (!isShadow) line += ` @${next++}`;
      ranges.set(node, [lines.length, lines.length + 1]);
      open.push([node, depth]);
      lines.push(pad + line);
      const children = [];
      if (node.nodeType === Node.ELEMENT_NODE && node.shadowRoot) children.push([node.shadowRoot, depth + 1, true]);
      for (const c of node.childNodes) children.push([c, depth + 1, false]);
      if (node.localName === 'iframe') {
        let inner = null;
        try { inner = node.contentDocument; } catch (e) { inner = null; }
        if (inner) children.push([inner, depth + 1, false]);
      }
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
    }
    while (open.length) ranges.get(open.pop()[0])[1] = lines.length;
    return { lines, ranges };
  }

  function capture(options) {
    const ignored = new Set();
    for (const s of options.ignore || []) {
      try { document.querySelectorAll(s).forEach((e) => ignored.add(e)); } catch (e) { return { error: `ignore selector ${s}: ${e.message}` }; }
    }
    const out = { url: location.href, queries: {}, boxes: [] };
    for (const selector of options.measure || []) {
      let found = [];
      try { found = document.querySelectorAll(selector); } catch (e) { return { error: `mask selector ${selector}: ${e.message}` }; }
      for (const el of found) {
        const r = el.getBoundingClientRect();
        if (r.width <= 0 || r.height <= 0) continue;
        const x = Math.floor(r.left), y = Math.floor(r.top);
        out.boxes.push({ selector, x, y, width: Math.ceil(r.right) - x, height: Math.ceil(r.bottom) - y });
      }
    }
    for (const s of options.queries || []) {
      let found;
      try { found = Array.from(document.querySelectorAll(s)); } catch (e) { out.queries[s] = { error: e.message }; continue; }
      const first = found[0];
      out.queries[s] = {
        count: found.length,
        text: first ? collapse(first.textContent) : null,
        value: first instanceof HTMLInputElement || first instanceof HTMLTextAreaElement || first instanceof HTMLSelectElement ? first.value : null,
      };
    }
    if (options.dom === false) return out;
    const { lines, ranges } = walk(document, ignored);
    if (!options.selectors) {
      out.dom = lines.map((l) => l + '\n').join('');
      return out;
    }
    let text = '';
    for (const s of options.selectors) {
      let found;
      try { found = document.querySelectorAll(s); } catch (e) { return { error: `capture selector ${s}: ${e.message}` }; }
      for (const el of found) {
        const r = ranges.get(el);
        if (!r) continue;
        const cut = lines[r[0]].length - lines[r[0]].trimStart().length;
        for (let i = r[0]; i < r[1]; i++) text += lines[i].slice(cut) + '\n';
      }
    }
    out.dom = text;
    return out;
  }

  return { find, act, capture };
})();
