// Small DOM helpers. Text always goes in as text nodes, never as HTML.

// h('button.primary', {onclick, type: 'button'}, 'Save', ...): an element with attributes
// (on* are listeners; false/null leave the attribute out) and children (strings, nodes,
// arrays, null).
export function h(spec, attrs = {}, ...children) {
  if (attrs === null || typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs)) {
    children.unshift(attrs);
    attrs = {};
  }
  const [tag, ...classes] = spec.split('.');
  const el = document.createElement(tag || 'div');
  if (classes.length) el.className = classes.join(' ');
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v === null || v === undefined) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = [el.className, v].filter(Boolean).join(' ');
    else if (k === 'value' && 'value' in el) el.value = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

// Tells screen readers what just happened.
export function announce(text) {
  const region = document.getElementById('announce');
  region.textContent = '';
  setTimeout(() => {
    region.textContent = text;
  }, 50);
}

let idCounter = 0;
export function uid(prefix = 'f') {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

// MB as people read it: "512 MB", "1.5 GB".
export function mb(n) {
  if (n === null || n === undefined) return '—';
  if (n >= 1024) return `${+(n / 1024).toFixed(n % 1024 ? 1 : 0)} GB`;
  return `${n} MB`;
}

export function bytes(n) {
  if (!n && n !== 0) return '—';
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} KB`;
  return mb(Math.round(n / (1024 * 1024)));
}

// "3 minutes ago" for an RFC 3339 time or a Date.
export function ago(when) {
  const t = when instanceof Date ? when.getTime() : Date.parse(when);
  if (!t) return '—';
  const s = Math.max(0, Math.round((Date.now() - t) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} days ago`;
}

export function dateTime(when) {
  const t = Date.parse(when);
  return t ? new Date(t).toLocaleString() : '—';
}
