// One space: its quota usage, its apps (a page at a time from the API, with a search by
// name), its service instances, the marketplace and its members.

import { h, clear, ago, mb } from '../dom.js';
import { all, get, query } from '../api.js';
import { errorNote, field, note, pageHeading, section, select, stateBadge, table, usageBars } from '../ui.js';
import { crumbs, link, onLeave } from '../nav.js';
import { membersSection } from '../members.js';
import { myRoles, permissions, quotaOf, spaceUsage } from '../tenancy.js';
import { instancesSection } from '../services/instances.js';
import { marketplaceSection } from '../services/marketplace.js';

const PER_PAGE = [25, 50, 100];

// Runs `tasks` (functions returning promises) at most `n` at a time.
async function limited(tasks, n) {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const t = tasks[next++];
      try {
        await t();
      } catch {
        // One app's stats failing leaves its cell as it was.
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, tasks.length) }, worker));
}

function appsSection(spaceGuid) {
  const state = { page: 1, perPage: 50, name: '' };
  const results = h('div', note('Loading apps…'));
  const status = h('p.muted', { 'aria-live': 'polite' });
  const search = h('input', { type: 'search', name: 'name', autocomplete: 'off', spellcheck: 'false' });
  const perPage = select('per_page', PER_PAGE.map((n) => [String(n), `${n} per page`]), '50');
  const searchForm = h(
    'form.inline-form',
    { role: 'search', 'aria-label': 'Find apps' },
    field('App name', search, 'The exact name of an app'),
    h('button', { type: 'submit' }, 'Find'),
    h('button', { type: 'button', onclick: () => { search.value = ''; state.name = ''; state.page = 1; load(); } }, 'Show all'),
    field('Apps per page', perPage),
  );
  searchForm.addEventListener('submit', (e) => {
    e.preventDefault();
    state.name = search.value.trim();
    state.page = 1;
    load();
  });
  perPage.addEventListener('change', () => {
    state.perPage = Number(perPage.value);
    state.page = 1;
    load();
  });

  let generation = 0;
  async function load() {
    const mine = ++generation;
    const started = performance.now();
    try {
      const res = await get(
        '/v3/apps' +
          query({ space_guids: spaceGuid, order_by: 'name', per_page: state.perPage, page: state.page, names: state.name }),
      );
      if (mine !== generation) return;
      render(res, started);
    } catch (e) {
      if (mine === generation) clear(results, errorNote(e));
    }
  }

  function render(res, started) {
    const apps = res.resources || [];
    const total = res.pagination ? res.pagination.total_results : apps.length;
    const pages = res.pagination ? res.pagination.total_pages : 1;
    if (!apps.length) {
      clear(results, note(state.name ? `No app is named “${state.name}”.` : 'No apps in this space yet.'));
      status.textContent = '';
      return;
    }
    const cells = new Map();
    const rows = apps.map((a) => {
      const c = {
        instances: h('td', { 'data-label': 'Instances' }, '…'),
        memory: h('td', { 'data-label': 'Memory' }, '…'),
        routes: h('td', { 'data-label': 'Routes' }, '…'),
        pushed: h('td', { 'data-label': 'Last push' }, '…'),
      };
      cells.set(a.guid, c);
      return h(
        'tr',
        { 'data-app': a.name },
        h('th', { scope: 'row' }, link(`/apps/${a.guid}`, a.name)),
        h('td', { 'data-label': 'State' }, stateBadge(a.state)),
        c.instances,
        c.memory,
        c.routes,
        c.pushed,
      );
    });
    const prev = h('button', { type: 'button', disabled: state.page <= 1 }, 'Previous page');
    const next = h('button', { type: 'button', disabled: state.page >= pages }, 'Next page');
    prev.addEventListener('click', () => {
      state.page -= 1;
      load();
    });
    next.addEventListener('click', () => {
      state.page += 1;
      load();
    });
    const t = table('Apps in this space', ['Name', 'State', 'Instances (running / wanted)', 'Memory', 'Routes', 'Last push'], rows);
    t.querySelector('table').dataset.appsPage = String(state.page);
    clear(results, t, h('div.pager', prev, h('span', `Page ${state.page} of ${pages}`), next));
    status.textContent = `${total} app${total === 1 ? '' : 's'}`;
    results.dataset.renderMs = String(Math.round(performance.now() - started));
    details(apps, cells);
  }

  // Processes, routes and droplets for the page's apps in one request each, then the running
  // instances of the started ones.
  async function details(apps, cells) {
    const guids = apps.map((a) => a.guid);
    const [processes, routes, droplets] = await Promise.all([
      all('/v3/processes', { app_guids: guids, types: 'web' }).catch(() => []),
      all('/v3/routes', { app_guids: guids }).catch(() => []),
      all('/v3/droplets', { app_guids: guids, states: 'STAGED', order_by: '-created_at' }).catch(() => []),
    ]);
    const web = new Map(processes.map((p) => [p.relationships.app.data.guid, p]));
    for (const a of apps) {
      const c = cells.get(a.guid);
      const p = web.get(a.guid);
      clear(c.memory, p ? mb(p.memory_in_mb) : '—');
      const desired = p ? p.instances : 0;
      clear(c.instances, a.state === 'STARTED' ? `… / ${desired}` : `0 / ${desired}`);
      const urls = routes.filter((r) => (r.destinations || []).some((d) => d.app && d.app.guid === a.guid)).map((r) => r.url);
      clear(c.routes, urls.length ? h('ul.plain', urls.map((u) => h('li', u))) : '—');
      const d = droplets.find((x) => x.relationships && x.relationships.app && x.relationships.app.data.guid === a.guid);
      clear(c.pushed, d ? h('time', { datetime: d.created_at, title: d.created_at }, ago(d.created_at)) : 'never');
    }
    const tasks = apps
      .filter((a) => a.state === 'STARTED' && web.has(a.guid))
      .map((a) => async () => {
        const p = web.get(a.guid);
        const stats = await get(`/v3/processes/${p.guid}/stats`);
        const running = (stats.resources || []).filter((s) => s.state === 'RUNNING').length;
        clear(cells.get(a.guid).instances, `${running} / ${p.instances}`);
      });
    await limited(tasks, 6);
  }

  load();
  return section('Apps', searchForm, status, results);
}

export async function spacePage(main, guid) {
  const space = await get(`/v3/spaces/${encodeURIComponent(guid)}`);
  const orgGuid = space.relationships.organization.data.guid;
  const org = await get(`/v3/organizations/${encodeURIComponent(orgGuid)}`);
  crumbs([['/', 'Organizations'], [`/orgs/${orgGuid}`, org.name], [`/spaces/${guid}`, space.name]]);
  pageHeading(main, space.name, h('span.muted', `Space in ${org.name}`));
  const can = permissions(await myRoles(orgGuid, guid));

  const usage = h('div', note('Working out usage…'));
  const loadUsage = () =>
    Promise.all([spaceUsage(guid), quotaOf(space, 'space_quotas').catch(() => null)])
      .then(([u, q]) =>
        clear(usage, h('p.muted', q ? `Space quota: ${q.name}` : 'No space quota: the org quota applies.'), usageBars(u, q)),
      )
      .catch((e) => clear(usage, errorNote(e)));
  loadUsage();

  const instances = instancesSection({ spaceGuid: guid, canDevelop: can.develop, onChange: loadUsage });
  onLeave(() => instances.stop());
  const onCreate = (name, answer) => instances.track(`Creating ${name}`, answer, `${name} is created`);

  main.append(
    appsSection(guid),
    section('Quota usage', usage),
    instances.element,
    marketplaceSection({ spaceGuid: guid, canDevelop: can.develop, onCreate }),
    membersSection({ kind: 'space', guid, orgGuid, canManage: can.manageSpace }),
  );
}
