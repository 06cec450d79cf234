// The dashboard's entry point: routes paths under /dashboard to pages, keeps the header's
// breadcrumb and session in step, and sends signed-out users to the login page.

import { h, clear } from './dom.js';
import { currentUser, logout, onSessionChange } from './api.js';
import { errorNote } from './ui.js';
import { BASE, crumbs, leavePage, link, navigate, setRenderer } from './nav.js';
import { loginPage } from './pages/login.js';
import { orgsPage } from './pages/orgs.js';
import { orgPage } from './pages/org.js';
import { spacePage } from './pages/space.js';
import { appPage } from './pages/app.js';
import { quotasPage } from './pages/quotas.js';
import { usersPage } from './pages/users.js';

const ROUTES = [
  [/^\/?$/, orgsPage],
  [/^\/login$/, loginPage],
  [/^\/orgs\/([^/]+)$/, orgPage],
  [/^\/spaces\/([^/]+)$/, spacePage],
  [/^\/apps\/([^/]+)$/, appPage],
  [/^\/quotas$/, quotasPage],
  [/^\/users$/, usersPage],
];

function renderSession() {
  const slot = document.getElementById('session');
  const user = currentUser();
  if (!user) {
    clear(slot);
    return;
  }
  const out = h('button', { type: 'button', class: 'link' }, 'Sign out');
  out.addEventListener('click', async () => {
    await logout();
    navigate('/login');
  });
  clear(slot, h('span.user', { title: 'Signed in' }, user.name, user.admin ? ' (admin)' : ''), out);
}

async function render() {
  leavePage();
  let path = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) : '/';
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  if (!currentUser() && path !== '/login') {
    const back = path === '/' ? '' : `?next=${encodeURIComponent(path)}`;
    history.replaceState(null, '', `${BASE}/login${back}`);
    path = '/login';
  }
  renderSession();
  const main = document.getElementById('main');
  // Each page draws into a view of its own: what a page left behind still draws lands in a
  // view no longer shown.
  const view = h('div.view');
  clear(main, view);
  crumbs([]);
  for (const [re, page] of ROUTES) {
    const m = path.match(re);
    if (!m) continue;
    try {
      await page(view, ...m.slice(1).map(decodeURIComponent));
    } catch (e) {
      view.append(errorNote(e));
    }
    const heading = main.querySelector('h1');
    if (heading && document.activeElement === document.body) heading.focus();
    return;
  }
  crumbs([['/', 'Organizations'], ['', 'Not found']]);
  view.append(h('h1', { tabindex: '-1' }, 'Page not found'), h('p', link('/', 'Go to your organizations')));
}

document.addEventListener('click', (e) => {
  const a = e.target.closest('a[data-nav]');
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
  e.preventDefault();
  history.pushState(null, '', a.getAttribute('href'));
  render().then(() => {
    const heading = document.querySelector('main h1');
    if (heading) heading.focus();
  });
});
window.addEventListener('popstate', render);
onSessionChange((s) => {
  if (!s && !location.pathname.endsWith('/login')) render();
  else renderSession();
});

setRenderer(render);
render();
