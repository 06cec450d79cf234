// One app: its state and actions (start, stop, restart, scale, each confirmed), its
// processes' instances refreshed live, its log stream, environment variables, routes, bound
// services and events.

import { h, clear, ago, bytes, dateTime, mb } from '../dom.js';
import { all, get, post } from '../api.js';
import { dialog, done, errorNote, field, note, pageHeading, section, stateBadge, table } from '../ui.js';
import { crumbs, onLeave, stillOn } from '../nav.js';
import { logStream } from '../logs.js';
import { myRoles, permissions } from '../tenancy.js';
import { appBindingsSection } from '../services/app_bindings.js';

const REFRESH_MS = 3000;

function instancesTable(process, stats) {
  const rows = stats.map((s) => {
    const u = s.usage || {};
    const since = s.state === 'RUNNING' && s.uptime ? new Date(Date.now() - s.uptime * 1000) : null;
    return h(
      'tr',
      { 'data-state': s.state },
      h('th', { scope: 'row' }, `#${s.index}`),
      h('td', stateBadge(s.state), s.details ? h('span.muted', ` ${s.details}`) : null),
      h('td', since ? h('time', { datetime: since.toISOString(), title: since.toLocaleString() }, ago(since)) : '—'),
      h('td', u.cpu !== undefined ? `${(u.cpu * 100).toFixed(1)}%` : '—'),
      h('td', u.mem !== undefined ? `${bytes(u.mem)} of ${bytes(s.mem_quota)}` : '—'),
      h('td', u.disk !== undefined ? `${bytes(u.disk)} of ${bytes(s.disk_quota)}` : '—'),
    );
  });
  return table(
    `Instances of the ${process.type} process`,
    ['Instance', 'State', 'Since', 'CPU', 'Memory', 'Disk'],
    rows.length ? rows : [h('tr', h('td', { colspan: 6 }, 'No instances.'))],
  );
}

function processesSection(appGuid) {
  const body = h('div', note('Loading instances…'));
  const status = h('p.muted.small');
  let timer = null;
  let stopped = false;

  async function refresh() {
    try {
      const processes = await get(`/v3/apps/${appGuid}/processes`);
      const parts = [];
      for (const p of processes.resources || []) {
        const stats = await get(`/v3/processes/${p.guid}/stats`);
        const running = (stats.resources || []).filter((s) => s.state === 'RUNNING').length;
        parts.push(
          h(
            'div.process',
            { 'data-process': p.type },
            h('h3', `${p.type}: `, h('span', { 'data-running': running }, `${running} of ${p.instances} running`), `, ${mb(p.memory_in_mb)} memory, ${mb(p.disk_in_mb)} disk each`),
            instancesTable(p, stats.resources || []),
          ),
        );
      }
      if (stopped) return;
      clear(body, parts.length ? parts : note('This app has no processes yet.'));
      status.textContent = `Updated ${new Date().toLocaleTimeString()}; refreshes every ${REFRESH_MS / 1000} s.`;
    } catch (e) {
      if (!stopped) clear(body, errorNote(e));
    }
    if (!stopped) timer = setTimeout(refresh, REFRESH_MS);
  }
  refresh();
  return {
    element: section('Processes and instances', status, body),
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
    refreshNow() {
      clearTimeout(timer);
      refresh();
    },
  };
}

function envSection(appGuid) {
  const body = h('div', note('Loading…'));
  get(`/v3/apps/${appGuid}/environment_variables`)
    .then((res) => {
      const vars = Object.entries(res.var || {}).sort(([a], [b]) => a.localeCompare(b));
      if (!vars.length) return clear(body, note('No environment variables are set.'));
      const rows = vars.map(([k, v]) => {
        const value = h('code.secret', { hidden: true }, typeof v === 'string' ? v : JSON.stringify(v));
        const toggle = h('button', { type: 'button', class: 'link', 'aria-expanded': 'false' }, 'Show');
        toggle.addEventListener('click', () => {
          value.hidden = !value.hidden;
          toggle.textContent = value.hidden ? 'Show' : 'Hide';
          toggle.setAttribute('aria-expanded', String(!value.hidden));
        });
        toggle.setAttribute('aria-label', `Show the value of ${k}`);
        return h('tr', h('th', { scope: 'row' }, h('code', k)), h('td', toggle, ' ', value));
      });
      return clear(body, table('Environment variables', ['Name', 'Value'], rows));
    })
    .catch((e) => {
      if (e.status === 403 || e.status === 404) {
        clear(body, note('Environment variables are shown to space developers only.'));
      } else {
        clear(body, errorNote(e));
      }
    });
  return section('Environment variables', body);
}

function routesSection(appGuid) {
  const body = h('div', note('Loading…'));
  all(`/v3/apps/${appGuid}/routes`)
    .then((routes) =>
      clear(body, routes.length ? h('ul', routes.map((r) => h('li', h('code', r.url)))) : note('No routes: the app is not reachable over HTTP.')),
    )
    .catch((e) => clear(body, errorNote(e)));
  return section('Routes', body);
}

function eventsSection(appGuid) {
  const body = h('div', note('Loading…'));
  get(`/v3/audit_events?target_guids=${appGuid}&order_by=-created_at&per_page=25`)
    .then((res) => {
      const events = res.resources || [];
      if (!events.length) return clear(body, note('No events yet.'));
      const rows = events.map((e) =>
        h('tr', h('td', h('time', { datetime: e.created_at }, dateTime(e.created_at))), h('td', h('code', e.type)), h('td', (e.actor && e.actor.name) || '—')),
      );
      return clear(body, table('Recent events', ['When', 'Event', 'By'], rows));
    })
    .catch((e) => clear(body, errorNote(e)));
  return section('Events', body);
}

// The scale dialog's fields, prefilled from the web process.
function scaleForm(web) {
  const instances = h('input', { name: 'instances', type: 'number', min: 0, max: 1000, required: true, value: web.instances });
  const memory = h('input', { name: 'memory', type: 'number', min: 1, required: true, value: web.memory_in_mb });
  const disk = h('input', { name: 'disk', type: 'number', min: 1, required: true, value: web.disk_in_mb });
  return {
    fields: [
      field('Instances', instances),
      field('Memory per instance (MB)', memory),
      field('Disk per instance (MB)', disk, 'Changing memory or disk restarts every instance.'),
    ],
    values: () => ({ instances: Number(instances.value), memory_in_mb: Number(memory.value), disk_in_mb: Number(disk.value) }),
  };
}

export async function appPage(main, guid) {
  const path = `/apps/${guid}`;
  const app = await get(`/v3/apps/${encodeURIComponent(guid)}`);
  const spaceGuid = app.relationships.space.data.guid;
  const space = await get(`/v3/spaces/${spaceGuid}`);
  const orgGuid = space.relationships.organization.data.guid;
  const [org, roles] = await Promise.all([get(`/v3/organizations/${orgGuid}`), myRoles(orgGuid, spaceGuid)]);
  const can = permissions(roles);
  crumbs([
    ['/', 'Organizations'],
    [`/orgs/${orgGuid}`, org.name],
    [`/spaces/${spaceGuid}`, space.name],
    [path, app.name],
  ]);
  const badge = h('span', stateBadge(app.state));
  pageHeading(main, app.name, badge);

  const processes = processesSection(guid);
  const logs = logStream(guid);
  onLeave(() => processes.stop());
  onLeave(() => logs.stop());

  const actionErrors = h('div');
  let toolbar = null;
  if (can.develop) {
    const act = async (title, text, confirmLabel, work, danger = false) => {
      const ok = await dialog({ title, body: h('p', text), confirm: confirmLabel, danger, onConfirm: work });
      if (!ok || !stillOn(path)) return;
      const fresh = await get(`/v3/apps/${guid}`);
      app.state = fresh.state;
      clear(badge, stateBadge(fresh.state));
      updateButtons();
      processes.refreshNow();
    };
    const start = h('button', { type: 'button', class: 'primary' }, 'Start');
    const stop = h('button', { type: 'button', class: 'danger' }, 'Stop');
    const restart = h('button', { type: 'button' }, 'Restart');
    const scale = h('button', { type: 'button' }, 'Scale');
    const updateButtons = () => {
      start.hidden = app.state === 'STARTED';
      stop.hidden = app.state !== 'STARTED';
      restart.hidden = app.state !== 'STARTED';
    };
    updateButtons();
    start.addEventListener('click', () =>
      act('Start app?', `Start ${app.name}?`, 'Start', async () => {
        await post(`/v3/apps/${guid}/actions/start`);
        done(`${app.name} started`);
      }),
    );
    stop.addEventListener('click', () =>
      act('Stop app?', `Stop ${app.name}? Its instances stop and its routes stop answering.`, 'Stop', async () => {
        await post(`/v3/apps/${guid}/actions/stop`);
        done(`${app.name} stopped`);
      }, true),
    );
    restart.addEventListener('click', () =>
      act('Restart app?', `Restart every instance of ${app.name}?`, 'Restart', async () => {
        await post(`/v3/apps/${guid}/actions/restart`);
        done(`${app.name} restarted`);
      }),
    );
    scale.addEventListener('click', async () => {
      const list = await get(`/v3/apps/${guid}/processes`).catch((e) => {
        clear(actionErrors, errorNote(e));
        return null;
      });
      if (!list) return undefined;
      const web = (list.resources || []).find((p) => p.type === 'web');
      if (!web) return clear(actionErrors, errorNote(new Error('This app has no web process to scale.')));
      const form = scaleForm(web);
      const ok = await dialog({
        title: `Scale ${app.name}`,
        body: form.fields,
        confirm: 'Scale',
        onConfirm: async () => {
          const v = form.values();
          await post(`/v3/apps/${guid}/processes/web/actions/scale`, v);
          const resized = v.memory_in_mb !== web.memory_in_mb || v.disk_in_mb !== web.disk_in_mb;
          if (resized && app.state === 'STARTED') await post(`/v3/apps/${guid}/actions/restart`);
          done(`${app.name} scaled to ${v.instances} instances`);
        },
      });
      if (ok && stillOn(path)) processes.refreshNow();
    });
    toolbar = h('div.toolbar', { role: 'group', 'aria-label': 'App actions' }, start, stop, restart, scale);
  } else {
    toolbar = note('You can look at this app; only space developers can change it.');
  }

  main.append(
    h('div.actions-bar', toolbar, actionErrors),
    processes.element,
    logs.element,
    envSection(guid),
    routesSection(guid),
    appBindingsSection({ appGuid: guid, appName: app.name, canDevelop: can.develop }),
    eventsSection(guid),
  );
}
