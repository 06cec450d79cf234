// Navigation inside the dashboard: its paths under /dashboard, links, the breadcrumb, and what a
// page must undo when the user leaves it.

import { h, clear } from './dom.js';

export const BASE = '/dashboard';

let renderer = () => {};
let cleanups = [];

export function setRenderer(f) {
  renderer = f;
}

// Registers what the current page must stop when the user leaves it (timers, sockets).
export function onLeave(f) {
  cleanups.push(f);
}

export function leavePage() {
  for (const f of cleanups.splice(0)) {
    try {
      f();
    } catch {
      // Leaving a page never fails.
    }
  }
}

export function link(path, text, attrs = {}) {
  return h('a', { href: BASE + path, 'data-nav': true, ...attrs }, text);
}

export function navigate(path, { replace = false } = {}) {
  const url = BASE + path;
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  return renderer();
}

// Whether the page the user is on is still `path` (a slow answer for a page left behind is
// dropped).
export function stillOn(path) {
  return location.pathname === BASE + path;
}

// The breadcrumb: [[path, text], ...], the last one the current page.
export function crumbs(items) {
  const nav = document.getElementById('crumbs');
  clear(
    nav,
    items.length
      ? h(
          'ol',
          items.map(([path, text], i) =>
            h('li', i === items.length - 1 ? h('span', { 'aria-current': 'page' }, text) : link(path, text)),
          ),
        )
      : null,
  );
}
