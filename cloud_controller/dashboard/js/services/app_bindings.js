// The services bound to one app; space developers unbind them here (the app keeps the
// credentials until its next restart or restage).

import { h, clear, announce } from '../dom.js';
import { all } from '../api.js';
import { errorNote, note, section, table } from '../ui.js';
import { followJob } from '../jobs.js';
import { inProgress, operationText } from './catalog.js';
import { RESTART_HINT, unbind } from './actions.js';

export function appBindingsSection({ appGuid, appName, canDevelop }) {
  const body = h('div', note('Loading…'));
  const status = h('div', { 'aria-live': 'polite' });

  async function load() {
    const bindings = await all('/v3/service_credential_bindings', { app_guids: appGuid, type: 'app' });
    if (!bindings.length) return clear(body, note('No services are bound to this app.'));
    const guids = bindings.map((b) => b.relationships.service_instance.data.guid);
    const instances = await all('/v3/service_instances', { guids });
    const names = new Map(instances.map((i) => [i.guid, i.name]));
    const rows = bindings.map((b) => {
      const name = names.get(b.relationships.service_instance.data.guid) || b.relationships.service_instance.data.guid;
      let action = null;
      if (canDevelop) {
        const button = h('button', { type: 'button', disabled: inProgress(b), 'aria-label': `Unbind ${name}` }, 'Unbind');
        button.addEventListener('click', async () => {
          const answer = await unbind(name, appName, b);
          if (!answer) return;
          clear(status, note(`Unbinding ${name}…`));
          try {
            await followJob(answer);
            clear(status, h('p', `${name} is unbound. ${RESTART_HINT}`));
            announce(`${name} is unbound`);
          } catch (e) {
            clear(status, errorNote(e));
          }
          refresh();
        });
        action = h('td', button);
      }
      return h('tr', { 'data-binding': name }, h('th', { scope: 'row' }, name), h('td', b.name || '—'), h('td', operationText(b)), action);
    });
    const columns = ['Service instance', 'Binding name', 'Last operation'];
    if (canDevelop) columns.push('Action');
    return clear(body, table('Bound services', columns, rows), h('p.hint', RESTART_HINT));
  }

  function refresh() {
    load().catch((e) => clear(body, errorNote(e)));
  }
  refresh();
  return section('Bound services', status, body);
}
