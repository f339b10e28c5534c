// Building the page without markup strings: every value from the API or the audit trail goes in
// as a text node or an attribute value, never parsed as HTML, so it cannot become markup.

/**
 * Creates an element. props: `class`, `text` (textContent), `testid` (data-testid), `on`
 * ({event: handler}), `value`/`checked`/`disabled`/`hidden`/`readOnly` (properties), anything
 * else as an attribute (`aria-*`, `id`, `for`, `href`, `type`...). Children: nodes or strings
 * (as text), arrays, and null/false (skipped).
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false && !PROPERTIES.has(key)) {
      continue;
    }
    if (key === 'class') {
      el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
    } else if (key === 'text') {
      el.textContent = String(value);
    } else if (key === 'testid') {
      el.dataset.testid = value;
    } else if (key === 'on') {
      for (const [event, handler] of Object.entries(value)) {
        el.addEventListener(event, handler);
      }
    } else if (PROPERTIES.has(key)) {
      el[key] = value;
    } else if (key === 'href') {
      el.setAttribute('href', safeHref(value));
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

const PROPERTIES = new Set(['value', 'checked', 'disabled', 'hidden', 'readOnly', 'selected', 'multiple', 'required']);

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    if (Array.isArray(child)) {
      append(el, child);
    } else if (child instanceof Node) {
      el.appendChild(child);
    } else {
      el.appendChild(document.createTextNode(String(child)));
    }
  }
}

/** Only http(s), same-document and relative links: a javascript: URL from data never becomes a link. */
export function safeHref(value) {
  const text = String(value);
  if (text.startsWith('#') || text.startsWith('/')) {
    return text;
  }
  try {
    const url = new URL(text, location.href);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : '#';
  } catch {
    return '#';
  }
}

/** Replaces the children of `el`. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A labelled form field: the label's `for` names the control's id. */
export function field(labelText, control, hint) {
  const hintEl = hint ? h('p', { class: 'hint', id: control.id + '-hint', text: hint }) : null;
  if (hintEl) {
    control.setAttribute('aria-describedby', hintEl.id);
  }
  return h('div', { class: 'field' }, h('label', { for: control.id, text: labelText }), control, hintEl);
}

/** A labelled checkbox, the box before its label. */
export function checkbox(id, labelText, props = {}) {
  const box = h('input', { type: 'checkbox', id, ...props });
  return { box, el: h('div', { class: 'check' }, box, h('label', { for: id, text: labelText })) };
}

/** A message box; `kind` is info, ok, warn or error (error boxes are announced at once). */
export function notice(kind, ...children) {
  return h('div', { class: ['notice', 'notice-' + kind], role: kind === 'error' ? 'alert' : 'status' }, ...children);
}

/** A table with a caption, column headers and rows of cells. */
export function table(caption, headers, rows, props = {}) {
  return h('table', props,
    caption ? h('caption', { text: caption }) : null,
    h('thead', {}, h('tr', {}, headers.map(text => h('th', { scope: 'col', text })))),
    h('tbody', {}, rows));
}

/** Formats an ISO time in Japan time, as staff read it (2026-11-24 10:00:00). */
export function jst(iso) {
  if (!iso) {
    return '';
  }
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return String(iso);
  }
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
  }).format(date);
}
