// Organization quotas (admins): the quotas with their limits and the organizations each
// applies to, a form to make one, and applying one to an organization.

import { h, clear } from '../dom.js';
import { all, currentUser, post } from '../api.js';
import { busy, dialog, done, errorNote, field, note, pageHeading, section, select, table } from '../ui.js';
import { crumbs, link } from '../nav.js';
import { LIMIT_COLUMNS, limitCells, quotaFields } from '../quota_form.js';

function applyDialog(quota, orgs) {
  const choice = select('organization', orgs.map((o) => [o.guid, o.name]), orgs[0].guid);
  return dialog({
    title: `Apply ${quota.name}`,
    body: [field('Organization', choice), h('p.hint', 'The organization\'s current quota is replaced.')],
    confirm: 'Apply',
    onConfirm: async () => {
      await post(`/v3/organization_quotas/${encodeURIComponent(quota.guid)}/relationships/organizations`, {
        data: [{ guid: choice.value }],
      });
      return orgs.find((o) => o.guid === choice.value);
    },
  });
}

export async function quotasPage(main) {
  crumbs([['/', 'Organizations'], ['/quotas', 'Organization quotas']]);
  pageHeading(main, 'Organization quotas');
  if (!currentUser().admin) {
    main.append(note('Only admins manage organization quotas.'), h('p', link('/', 'Back to your organizations')));
    return;
  }
  const body = h('div', note('Loading quotas…'));
  const status = h('div', { 'aria-live': 'polite' });

  async function load() {
    const [quotas, orgs] = await Promise.all([
      all('/v3/organization_quotas', { order_by: 'name' }),
      all('/v3/organizations', { order_by: 'name' }),
    ]);
    const orgNames = new Map(orgs.map((o) => [o.guid, o.name]));
    const rows = quotas.map((q) => {
      const applied = ((q.relationships.organizations || {}).data || []).map((d) => orgNames.get(d.guid) || d.guid);
      const apply = h('button', { type: 'button', disabled: !orgs.length, 'aria-label': `Apply ${q.name} to an organization` }, 'Apply to org');
      apply.addEventListener('click', async () => {
        const org = await applyDialog(q, orgs);
        if (!org) return;
        done(`${q.name} now applies to ${org.name}`);
        clear(status, h('p', `${q.name} now applies to ${org.name}.`));
        refresh();
      });
      return h(
        'tr',
        { 'data-quota': q.name },
        h('th', { scope: 'row' }, q.name),
        limitCells(q),
        h('td', applied.length ? h('ul.plain', applied.map((n) => h('li', n))) : h('span.muted', 'none')),
        h('td', apply),
      );
    });
    clear(
      body,
      rows.length
        ? table('Organization quotas', ['Name', ...LIMIT_COLUMNS, 'Organizations', 'Action'], rows)
        : note('No organization quotas yet.'),
    );
  }
  function refresh() {
    load().catch((e) => clear(body, errorNote(e)));
  }

  const form = quotaFields();
  const create = h('button', { type: 'submit', class: 'primary' }, 'Create quota');
  const errors = h('div');
  const el = h('form.quota-form', { 'aria-label': 'Create an organization quota' }, form.fields, errors, create);
  el.addEventListener('submit', async (e) => {
    e.preventDefault();
    const made = await busy(create, errors, () => post('/v3/organization_quotas', form.body()));
    if (!made) return;
    done(`Quota ${made.name} created`);
    clear(status, h('p', `Quota ${made.name} created.`));
    form.reset();
    refresh();
  });

  refresh();
  main.append(section('Quotas', status, body), section('New organization quota', el));
}
