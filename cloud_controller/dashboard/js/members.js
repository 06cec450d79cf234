// The members of an org or a space with their roles; managers add people by username with a
// role, and take roles back. Everyone else sees the same list, read-only.

import { h, clear } from './dom.js';
import { all, awaitJob, del, post } from './api.js';
import { ROLE_NAMES, busy, dialog, done, field, note, section, select, showError, table } from './ui.js';

const ORG_ROLES = ['organization_user', 'organization_manager', 'organization_auditor', 'organization_billing_manager'];
const SPACE_ROLES = ['space_developer', 'space_manager', 'space_auditor', 'space_supporter'];

// Roles grouped by user: [{user, roles: [role...]}], sorted by name.
function byUser(roles) {
  const users = new Map((roles.included.users || []).map((u) => [u.guid, u]));
  const out = new Map();
  for (const r of roles) {
    const guid = r.relationships.user.data.guid;
    if (!out.has(guid)) out.set(guid, { user: users.get(guid) || { guid, username: guid }, roles: [] });
    out.get(guid).roles.push(r);
  }
  const name = (m) => m.user.username || m.user.presentation_name || m.user.guid;
  return [...out.values()].sort((a, b) => name(a).localeCompare(name(b)));
}

// Says yes to "already has the role": the goal is reached.
async function grant(type, target, username) {
  const relationships = { user: { data: { username } } };
  relationships[target.kind === 'org' ? 'organization' : 'space'] = { data: { guid: target.guid } };
  try {
    await post('/v3/roles', { type, relationships });
  } catch (e) {
    if (!(e.status === 422 && /already has/i.test(e.message))) throw e;
  }
}

// A members section. `scope`: {kind: 'org'|'space', guid, orgGuid, canManage}.
export function membersSection(scope) {
  const body = h('div', note('Loading members…'));
  const errors = h('div');
  const types = scope.kind === 'org' ? ORG_ROLES : SPACE_ROLES;
  const filter = scope.kind === 'org' ? 'organization_guids' : 'space_guids';

  async function load() {
    const roles = await all('/v3/roles', { [filter]: scope.guid, include: 'user' });
    const members = byUser(roles);
    const rows = members.map((m) =>
      h(
        'tr',
        h('th', { scope: 'row' }, m.user.username || m.user.presentation_name || m.user.guid),
        h(
          'td',
          h(
            'ul.chips',
            m.roles
              .sort((a, b) => types.indexOf(a.type) - types.indexOf(b.type))
              .map((r) => h('li.chip', ROLE_NAMES[r.type] || r.type, scope.canManage ? revokeButton(m.user, r) : null)),
          ),
        ),
      ),
    );
    clear(
      body,
      members.length
        ? table(`Members of this ${scope.kind === 'org' ? 'organization' : 'space'}`, ['User', 'Roles'], rows)
        : note('No members yet.'),
    );
  }

  function revokeButton(user, role) {
    const who = user.username || user.guid;
    const label = `Remove ${ROLE_NAMES[role.type] || role.type} from ${who}`;
    const b = h('button', { type: 'button', class: 'icon', 'aria-label': label, title: label }, '×');
    b.addEventListener('click', async () => {
      const ok = await dialog({
        title: 'Remove role?',
        body: h('p', `${who} will no longer be ${ROLE_NAMES[role.type] || role.type}.`),
        confirm: 'Remove',
        danger: true,
        onConfirm: async () => {
          await awaitJob(await del(`/v3/roles/${role.guid}`));
        },
      });
      if (!ok) return;
      done(`Removed ${ROLE_NAMES[role.type]} from ${who}`);
      await refresh();
    });
    return b;
  }

  async function refresh() {
    try {
      showError(errors, null);
      await load();
    } catch (e) {
      showError(errors, e);
    }
  }

  let form = null;
  if (scope.canManage) {
    const username = h('input', { name: 'username', autocomplete: 'off', required: true, spellcheck: 'false' });
    const role = select('role', types.map((t) => [t, ROLE_NAMES[t]]), types[0]);
    const add = h('button', { type: 'submit', class: 'primary' }, 'Add');
    const formErrors = h('div');
    form = h(
      'form.inline-form',
      { 'aria-label': 'Add a member' },
      field('Username', username),
      field('Role', role),
      add,
      formErrors,
    );
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const name = username.value.trim();
      if (!name) return;
      const ok = await busy(add, formErrors, async () => {
        // A space role needs a role in the org first, as Cloud Foundry wants.
        if (scope.kind === 'space') await grant('organization_user', { kind: 'org', guid: scope.orgGuid }, name);
        await grant(role.value, scope, name);
        return true;
      });
      if (!ok) return;
      done(`${name} is now ${ROLE_NAMES[role.value]}`);
      username.value = '';
      await refresh();
      username.focus();
    });
  }

  refresh();
  return section(
    'Members',
    scope.canManage ? null : note('You can see the members; only managers can change them.'),
    errors,
    body,
    form,
  );
}
