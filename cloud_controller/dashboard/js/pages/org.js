// One organization: its quota usage, its spaces (each with its usage), creating a space, its
// space quotas and its members.

import { h, clear } from '../dom.js';
import { all, currentUser, get, post } from '../api.js';
import { busy, done, errorNote, field, note, pageHeading, section, usageBars } from '../ui.js';
import { crumbs, link, navigate } from '../nav.js';
import { membersSection } from '../members.js';
import { myRoles, orgUsage, permissions, quotaOf, spaceUsage } from '../tenancy.js';
import { spaceQuotasSection } from '../space_quotas.js';

// Roles the creator of a space gets, as `cf create-space` gives them.
async function takeNewSpace(space, orgGuid) {
  const me = currentUser();
  if (!me || me.admin || !me.name) return;
  for (const type of ['space_manager', 'space_developer']) {
    try {
      await post('/v3/roles', {
        type,
        relationships: { user: { data: { guid: me.guid } }, space: { data: { guid: space.guid } } },
      });
    } catch (e) {
      if (!(e.status === 422 && /already has/i.test(e.message))) throw e;
    }
  }
}

function spaceCard(space) {
  const usage = h('div', note('Working out usage…'));
  Promise.all([spaceUsage(space.guid), quotaOf(space, 'space_quotas').catch(() => null)])
    .then(([u, q]) =>
      clear(usage, h('p.muted', q ? `Space quota: ${q.name}` : 'No space quota: the org quota applies.'), usageBars(u, q)),
    )
    .catch((e) => clear(usage, errorNote(e)));
  return h('article.card', { 'data-space': space.name }, h('h3', link(`/spaces/${space.guid}`, space.name)), usage);
}

export async function orgPage(main, guid) {
  const org = await get(`/v3/organizations/${encodeURIComponent(guid)}`);
  crumbs([['/', 'Organizations'], [`/orgs/${guid}`, org.name]]);
  pageHeading(main, org.name, h('span.muted', 'Organization'));
  const can = permissions(await myRoles(guid));

  const usage = h('div', note('Working out usage…'));
  main.append(
    section('Quota usage', can.admin ? h('p', link('/quotas', 'Manage organization quotas')) : null, usage),
  );
  Promise.all([orgUsage(guid), quotaOf(org, 'organization_quotas').catch(() => null)])
    .then(([u, q]) => clear(usage, q ? h('p.muted', `Quota: ${q.name}`) : null, usageBars(u, q)))
    .catch((e) => clear(usage, errorNote(e)));

  let spaces = await all('/v3/spaces', { organization_guids: guid, order_by: 'name' });
  const grid = h('div.grid');
  const drawSpaces = () => clear(grid, spaces.length ? spaces.map(spaceCard) : note('No spaces yet.'));
  drawSpaces();
  // After a space quota is assigned: the cards show the new limits.
  const reloadSpaces = async () => {
    try {
      spaces = await all('/v3/spaces', { organization_guids: guid, order_by: 'name' });
      drawSpaces();
    } catch (e) {
      clear(grid, errorNote(e));
    }
  };
  let form = null;
  if (can.manageOrg) {
    const name = h('input', { name: 'space', required: true, autocomplete: 'off', spellcheck: 'false' });
    const create = h('button', { type: 'submit', class: 'primary' }, 'Create space');
    const errors = h('div');
    form = h('form.inline-form', { 'aria-label': 'Create a space' }, field('New space name', name), create, errors);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const space = await busy(create, errors, async () => {
        const s = await post('/v3/spaces', {
          name: name.value.trim(),
          relationships: { organization: { data: { guid } } },
        });
        await takeNewSpace(s, guid);
        return s;
      });
      if (!space) return;
      done(`Space ${space.name} created`);
      navigate(`/spaces/${space.guid}`);
    });
  }
  main.append(section('Spaces', form, grid));
  main.append(spaceQuotasSection({ orgGuid: guid, spaces: () => spaces, canManage: can.manageOrg, onChange: reloadSpaces }));
  main.append(membersSection({ kind: 'org', guid, orgGuid: guid, canManage: can.manageOrg }));
}
