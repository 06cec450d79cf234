// The dialogs that change a space's services: create a managed instance from a plan, create a
// user-provided one, bind an instance to an app, unbind it, delete it. Each resolves with the
// API's answer (202s carry the job's `location`) or null when the user cancelled.

import { h } from '../dom.js';
import { all, count, del, post } from '../api.js';
import { dialog, field, select } from '../ui.js';

// A JSON object typed by the user, or an error in words. Empty text is `empty`.
function jsonObject(text, what, empty) {
  const t = text.trim();
  if (!t) return empty;
  let v;
  try {
    v = JSON.parse(t);
  } catch {
    throw new Error(`${what} must be JSON, such as {"key": "value"}.`);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new Error(`${what} must be a JSON object, such as {"key": "value"}.`);
  }
  return v;
}

function nameInput() {
  return h('input', { name: 'name', required: true, autocomplete: 'off', spellcheck: 'false', maxlength: 255 });
}

export const RESTART_HINT = 'Apps see a change of their bindings at their next restart or restage.';

export function createManaged(spaceGuid, offering, plan) {
  const name = nameInput();
  const params = h('textarea', { name: 'parameters', rows: 3, spellcheck: 'false' });
  return dialog({
    title: `New ${offering.name} instance`,
    body: [
      h('p', 'Plan ', h('strong', plan.name), plan.description ? `: ${plan.description}` : ''),
      field('Instance name', name),
      field('Parameters (optional)', params, 'A JSON object for the service broker; leave it empty for none.'),
    ],
    confirm: 'Create',
    onConfirm: async () => {
      const body = {
        type: 'managed',
        name: name.value.trim(),
        relationships: { space: { data: { guid: spaceGuid } }, service_plan: { data: { guid: plan.guid } } },
      };
      const parameters = jsonObject(params.value, 'Parameters', null);
      if (parameters) body.parameters = parameters;
      const out = await post('/v3/service_instances', body);
      return { ...out, name: body.name };
    },
  });
}

export function createUserProvided(spaceGuid) {
  const name = nameInput();
  const credentials = h('textarea', { name: 'credentials', rows: 4, spellcheck: 'false' });
  return dialog({
    title: 'New user-provided instance',
    body: [
      h('p', 'Credentials for a service the platform does not manage (a database elsewhere, an API key), handed to the apps bound to it.'),
      field('Instance name', name),
      field('Credentials', credentials, 'A JSON object, such as {"uri": "postgres://…"}.'),
    ],
    confirm: 'Create',
    onConfirm: () =>
      post('/v3/service_instances', {
        type: 'user-provided',
        name: name.value.trim(),
        credentials: jsonObject(credentials.value, 'Credentials', {}),
        relationships: { space: { data: { guid: spaceGuid } } },
      }),
  });
}

// An app chooser: a list of the space's apps, or a name field when the space has too many to
// list.
async function appChooser(spaceGuid, taken) {
  const total = await count('/v3/apps', { space_guids: spaceGuid });
  if (total > 200) {
    const input = h('input', { name: 'app', required: true, autocomplete: 'off', spellcheck: 'false' });
    return {
      field: field('App', input, 'The exact name of an app in this space.'),
      async guid() {
        const found = await all('/v3/apps', { space_guids: spaceGuid, names: input.value.trim() });
        if (!found.length) throw new Error(`No app in this space is named “${input.value.trim()}”.`);
        return found[0].guid;
      },
    };
  }
  const apps = (await all('/v3/apps', { space_guids: spaceGuid, order_by: 'name' })).filter((a) => !taken.has(a.guid));
  if (!apps.length) return null;
  const s = select('app', apps.map((a) => [a.guid, a.name]), apps[0].guid);
  return { field: field('App', s), guid: async () => s.value };
}

export async function bindToApp(entry, spaceGuid) {
  const taken = new Set(entry.bindings.map((b) => b.appGuid));
  const chooser = await appChooser(spaceGuid, taken);
  if (!chooser) {
    await dialog({ title: 'No app to bind', body: h('p', `Every app of this space is bound to ${entry.instance.name} already, or the space has no apps.`), confirm: 'Close' });
    return null;
  }
  const answer = await dialog({
    title: `Bind ${entry.instance.name}`,
    body: [chooser.field, h('p.hint', RESTART_HINT)],
    confirm: 'Bind',
    onConfirm: async () => {
      const app = await chooser.guid();
      const out = await post('/v3/service_credential_bindings', {
        type: 'app',
        relationships: { service_instance: { data: { guid: entry.instance.guid } }, app: { data: { guid: app } } },
      });
      return { answer: out, app };
    },
  });
  return answer;
}

export function unbind(instanceName, appName, binding) {
  return dialog({
    title: 'Unbind service?',
    body: [
      h('p', `Unbind ${instanceName} from ${appName}?`),
      h('p.hint', `${appName} keeps the credentials until its next restart or restage.`),
    ],
    confirm: 'Unbind',
    danger: true,
    onConfirm: async () => (await del(`/v3/service_credential_bindings/${encodeURIComponent(binding.guid)}`)) || {},
  });
}

export function deleteInstance(entry) {
  const { instance, bindings } = entry;
  const bound = bindings.length
    ? h('p', `It is bound to ${bindings.map((b) => b.appName).join(', ')}; those bindings go too.`)
    : null;
  return dialog({
    title: 'Delete service instance?',
    body: [
      h('p', `Delete ${instance.name}?`, instance.type === 'managed' ? ' The service broker removes the service and its data.' : ''),
      bound,
    ],
    confirm: 'Delete',
    danger: true,
    onConfirm: async () => (await del(`/v3/service_instances/${encodeURIComponent(instance.guid)}`)) || {},
  });
}
