// A space's service instances: plan, offering and broker, the last operation (refreshed while
// one is in progress), the apps bound to each; space developers bind, unbind and delete, and
// every change is followed to its end in a live status list. Others read.

import { h, clear, announce } from '../dom.js';
import { errorNote, note, section, table } from '../ui.js';
import { followJob, JOB_WORDS } from '../jobs.js';
import { inProgress, operationText, spaceInstances } from './catalog.js';
import { RESTART_HINT, bindToApp, createUserProvided, deleteInstance, unbind } from './actions.js';

const REFRESH_MS = 2000;

function operationCell(resource) {
  const op = resource.last_operation || {};
  const state = String(op.state || '').replace(/\s+/g, '-');
  return h(
    'td',
    h('span', { class: `badge op ${state}` }, operationText(resource)),
    op.description && op.state !== 'succeeded' ? h('div.muted.small', op.description) : null,
  );
}

function serviceCell({ instance, plan, offering, broker }) {
  if (instance.type === 'user-provided') return h('td', 'user-provided');
  return h(
    'td',
    offering ? offering.name : 'unknown service',
    plan ? ` (${plan.name})` : '',
    broker ? h('div.muted.small', `from ${broker.name}`) : null,
  );
}

// The section, with {element, track, stop}: `track(what, answer, doneText)` follows an
// operation's job and says how it ends; `onChange()` is called after each (usage changed).
export function instancesSection({ spaceGuid, canDevelop, onChange = () => {} }) {
  const body = h('div', note('Loading service instances…'));
  const errors = h('div');
  const activity = h('ul.activity', { 'aria-live': 'polite' });
  let timer = null;
  let stopped = false;
  let pending = 0;
  let generation = 0;

  function say(text, kind = '') {
    const li = h('li', { class: kind }, text);
    activity.append(li);
    while (activity.children.length > 6) activity.firstChild.remove();
    return li;
  }

  async function track(what, answer, doneText, extra = '') {
    const line = say(`${what}: ${answer && answer.location ? 'started' : 'done'}.`);
    // The row that was acted on is redrawn: keyboard focus goes to the operation's line.
    line.tabIndex = -1;
    line.focus();
    pending += 1;
    refresh();
    try {
      await followJob(answer, {
        isStopped: () => stopped,
        onState: (state) => {
          line.textContent = `${what}: ${JOB_WORDS[state] || state.toLowerCase()}.`;
        },
      });
      if (stopped) return;
      clear(line, `${doneText}.`, extra ? ` ${extra}` : '');
      line.className = 'ok';
      announce(doneText);
    } catch (e) {
      if (stopped) return;
      clear(line, `${what} failed: ${e.message}`);
      line.className = 'failed';
      line.setAttribute('role', 'alert');
    } finally {
      pending -= 1;
      refresh();
      if (!stopped) onChange();
    }
  }

  function actionsCell(entry) {
    if (!canDevelop) return null;
    const { instance } = entry;
    const busyNow = inProgress(instance);
    const bind = h('button', { type: 'button', disabled: busyNow, 'aria-label': `Bind ${instance.name} to an app` }, 'Bind');
    const remove = h('button', { type: 'button', class: 'danger', disabled: busyNow, 'aria-label': `Delete ${instance.name}` }, 'Delete');
    bind.addEventListener('click', async () => {
      const made = await bindToApp(entry, spaceGuid).catch((e) => {
        clear(errors, errorNote(e));
        return null;
      });
      if (!made) return;
      track(`Binding ${instance.name}`, made.answer, `${instance.name} is bound`, RESTART_HINT);
    });
    remove.addEventListener('click', async () => {
      const answer = await deleteInstance(entry);
      if (answer) track(`Deleting ${instance.name}`, answer, `${instance.name} is deleted`);
    });
    return h('td', h('div.toolbar', bind, remove));
  }

  function boundCell(entry) {
    if (!entry.bindings.length) return h('td', h('span.muted', 'no apps'));
    return h(
      'td',
      h(
        'ul.chips',
        entry.bindings.map((b) => {
          const state = inProgress(b.binding) ? h('span.muted', ` (${operationText(b.binding)})`) : null;
          let button = null;
          if (canDevelop && !inProgress(b.binding)) {
            const label = `Unbind ${entry.instance.name} from ${b.appName}`;
            button = h('button', { type: 'button', class: 'icon', 'aria-label': label, title: label }, '×');
            button.addEventListener('click', async () => {
              const answer = await unbind(entry.instance.name, b.appName, b.binding);
              if (answer) track(`Unbinding ${entry.instance.name} from ${b.appName}`, answer, `${entry.instance.name} is unbound from ${b.appName}`, RESTART_HINT);
            });
          }
          return h('li.chip', b.appName, state, button);
        }),
      ),
    );
  }

  async function load(mine) {
    const entries = await spaceInstances(spaceGuid);
    if (stopped || mine !== generation) return null;
    if (!entries.length) {
      clear(body, note('No service instances in this space.'));
      return false;
    }
    const rows = entries.map((e) =>
      h(
        'tr',
        { 'data-instance': e.instance.name },
        h('th', { scope: 'row' }, e.instance.name),
        serviceCell(e),
        operationCell(e.instance),
        boundCell(e),
        actionsCell(e),
      ),
    );
    const columns = ['Name', 'Service (plan)', 'Last operation', 'Bound apps'];
    if (canDevelop) columns.push('Actions');
    clear(body, table('Service instances in this space', columns, rows));
    return entries.some((e) => inProgress(e.instance) || e.bindings.some((b) => inProgress(b.binding)));
  }

  async function refresh() {
    clearTimeout(timer);
    const mine = ++generation;
    let again = false;
    try {
      again = await load(mine);
      if (again === null) return;
      clear(errors);
    } catch (e) {
      if (stopped || mine !== generation) return;
      clear(errors, errorNote(e));
    }
    if (!stopped && (again || pending > 0)) timer = setTimeout(refresh, REFRESH_MS);
  }

  let toolbar = null;
  if (canDevelop) {
    const ups = h('button', { type: 'button' }, 'New user-provided instance');
    ups.addEventListener('click', async () => {
      const made = await createUserProvided(spaceGuid);
      if (made) track(`Creating ${made.name}`, made, `${made.name} is created`);
    });
    toolbar = h('div.toolbar', ups);
  }

  refresh();
  return {
    element: section(
      'Service instances',
      canDevelop ? null : note('You can see the service instances; only space developers can change them.'),
      toolbar,
      activity,
      errors,
      body,
    ),
    track,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
