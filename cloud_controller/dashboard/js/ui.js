// The dashboard's building blocks: headings, error notes, usage bars, tables, dialogs.

import { h, clear, announce, uid, mb } from './dom.js';

export const ROLE_NAMES = {
  organization_manager: 'Org manager',
  organization_auditor: 'Org auditor',
  organization_billing_manager: 'Billing manager',
  organization_user: 'Org user',
  space_manager: 'Space manager',
  space_developer: 'Space developer',
  space_auditor: 'Space auditor',
  space_supporter: 'Space supporter',
};

// The page's title and its h1 (focused, so keyboard and screen reader users start there).
export function pageHeading(main, title, ...extra) {
  document.title = `${title} · Cupola`;
  const h1 = h('h1', { tabindex: '-1' }, title);
  const head = h('div.page-head', h1, ...extra);
  main.append(head);
  return h1;
}

export function section(title, ...children) {
  const id = uid('sec');
  return h('section.card', { 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

// An error in words, in a live region.
export function errorNote(error) {
  const text = error && error.message ? error.message : String(error);
  return h('p.error', { role: 'alert' }, text);
}

export function note(text) {
  return h('p.muted', text);
}

// Shows `error` in `slot` (cleared when null).
export function showError(slot, error) {
  if (!slot) return;
  if (error) clear(slot, errorNote(error));
  else clear(slot);
}

// "used of limit" as a bar. `limit` null means unlimited. `format` renders the numbers.
export function usageBar(label, used, limit, format = String) {
  const unlimited = limit === null || limit === undefined;
  const pct = unlimited ? 0 : limit === 0 ? (used > 0 ? 100 : 0) : Math.min(100, (used / limit) * 100);
  const text = unlimited ? `${format(used)} used, no limit` : `${format(used)} of ${format(limit)}`;
  const level = pct >= 90 ? 'high' : pct >= 70 ? 'mid' : 'low';
  const bar = h(
    'div.bar',
    {
      role: 'progressbar',
      'aria-label': label,
      'aria-valuemin': 0,
      'aria-valuemax': unlimited ? false : limit,
      'aria-valuenow': unlimited ? false : used,
      'aria-valuetext': text,
    },
    h('span', { class: `fill ${level}` }),
  );
  // Through the CSSOM: the page's policy refuses style attributes.
  bar.firstChild.style.width = `${pct.toFixed(1)}%`;
  return h('div.usage', h('div.usage-label', h('span', label), h('span.muted', text)), bar);
}

// The four quota bars of an org or space. `quota` is a quota resource or null.
export function usageBars(usage, quota) {
  const apps = (quota && quota.apps) || {};
  const routes = (quota && quota.routes) || {};
  const services = (quota && quota.services) || {};
  return h(
    'div.usages',
    usageBar('Memory', usage.memory, apps.total_memory_in_mb ?? null, mb),
    usageBar('App instances', usage.instances, apps.total_instances ?? null),
    usageBar('Routes', usage.routes, routes.total_routes ?? null),
    usageBar('Service instances', usage.services, services.total_service_instances ?? null),
  );
}

// A table with a caption (read by screen readers), column headings and rows of cells.
export function table(caption, columns, rows, { hiddenCaption = true } = {}) {
  return h(
    'div.table-wrap',
    h(
      'table',
      h('caption', { class: hiddenCaption ? 'visually-hidden' : '' }, caption),
      h('thead', h('tr', columns.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', rows),
    ),
  );
}

export function stateBadge(state) {
  const s = String(state || 'unknown').toLowerCase();
  return h('span', { class: `badge ${s}` }, s);
}

// Runs `work` with `button` disabled and busy; errors land in `slot`.
export async function busy(button, slot, work) {
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  showError(slot, null);
  try {
    return await work();
  } catch (e) {
    showError(slot, e);
    return undefined;
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

// A modal dialog. `body` are its contents; `actions` its buttons' labels. Resolves with the
// value `onConfirm` returns (it may throw: the error shows in the dialog, which stays open),
// or null when cancelled.
export function dialog({ title, body = [], confirm = 'OK', danger = false, onConfirm = () => true }) {
  return new Promise((resolve) => {
    const titleId = uid('dlg');
    const errors = h('div');
    const ok = h('button', { type: 'submit', class: danger ? 'danger' : 'primary' }, confirm);
    const cancel = h('button', { type: 'button' }, 'Cancel');
    const form = h(
      'form',
      { method: 'dialog' },
      h('h2', { id: titleId }, title),
      body,
      errors,
      h('div.actions', cancel, ok),
    );
    const d = h('dialog', { 'aria-labelledby': titleId }, form);
    let done = false;
    const finish = (value) => {
      if (done) return;
      done = true;
      d.close();
      d.remove();
      resolve(value);
    };
    cancel.addEventListener('click', () => finish(null));
    d.addEventListener('cancel', (e) => {
      e.preventDefault();
      finish(null);
    });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const value = await busy(ok, errors, async () => {
        const v = await onConfirm(form);
        return v === undefined ? true : v;
      });
      if (value !== undefined) finish(value);
    });
    document.body.append(d);
    d.showModal();
    const first = form.querySelector('input, select, textarea');
    (first || ok).focus();
  });
}

// A labelled form field.
export function field(label, input, hint) {
  const id = input.id || uid('in');
  input.id = id;
  let hintEl = null;
  if (hint) {
    hintEl = h('span.hint', { id: `${id}-hint` }, hint);
    input.setAttribute('aria-describedby', hintEl.id);
  }
  return h('div.field', h('label', { for: id }, label), input, hintEl);
}

export function select(name, options, value) {
  return h(
    'select',
    { name },
    options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)),
  );
}

export function done(text) {
  announce(text);
}
