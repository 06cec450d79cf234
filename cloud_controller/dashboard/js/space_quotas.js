// An organization's space quotas: their limits and the spaces each applies to; the org's
// managers make them and assign them to spaces. Others read.

import { h, clear } from './dom.js';
import { all, post } from './api.js';
import { busy, dialog, done, errorNote, field, note, section, select, table } from './ui.js';
import { LIMIT_COLUMNS, limitCells, quotaFields } from './quota_form.js';

function assignDialog(quota, spaces) {
  const choice = select('space', spaces.map((s) => [s.guid, s.name]), spaces[0].guid);
  return dialog({
    title: `Assign ${quota.name}`,
    body: [field('Space', choice), h('p.hint', 'The space\'s current space quota is replaced; the org quota still applies too.')],
    confirm: 'Assign',
    onConfirm: async () => {
      await post(`/v3/space_quotas/${encodeURIComponent(quota.guid)}/relationships/spaces`, { data: [{ guid: choice.value }] });
      return spaces.find((s) => s.guid === choice.value);
    },
  });
}

// `spaces()` gives the org's spaces; `onChange()` is called after a quota is assigned.
export function spaceQuotasSection({ orgGuid, spaces, canManage, onChange }) {
  const body = h('div', note('Loading space quotas…'));
  const status = h('div', { 'aria-live': 'polite' });

  async function load() {
    const quotas = await all('/v3/space_quotas', { organization_guids: orgGuid, order_by: 'name' });
    const list = spaces();
    const names = new Map(list.map((s) => [s.guid, s.name]));
    const rows = quotas.map((q) => {
      const applied = ((q.relationships.spaces || {}).data || []).map((d) => names.get(d.guid) || d.guid);
      let action = null;
      if (canManage) {
        const assign = h('button', { type: 'button', disabled: !list.length, 'aria-label': `Assign ${q.name} to a space` }, 'Assign to space');
        assign.addEventListener('click', async () => {
          const space = await assignDialog(q, list);
          if (!space) return;
          done(`${q.name} now applies to ${space.name}`);
          clear(status, h('p', `${q.name} now applies to the space ${space.name}.`));
          refresh();
          onChange();
        });
        action = h('td', assign);
      }
      return h(
        'tr',
        { 'data-quota': q.name },
        h('th', { scope: 'row' }, q.name),
        limitCells(q),
        h('td', applied.length ? h('ul.plain', applied.map((n) => h('li', n))) : h('span.muted', 'none')),
        action,
      );
    });
    const columns = ['Name', ...LIMIT_COLUMNS, 'Spaces'];
    if (canManage) columns.push('Action');
    clear(body, rows.length ? table('Space quotas of this organization', columns, rows) : note('No space quotas yet.'));
  }
  function refresh() {
    load().catch((e) => clear(body, errorNote(e)));
  }

  let formSection = null;
  if (canManage) {
    const form = quotaFields();
    const create = h('button', { type: 'submit', class: 'primary' }, 'Create space quota');
    const errors = h('div');
    const el = h('form.quota-form', { 'aria-label': 'Create a space quota' }, form.fields, errors, create);
    el.addEventListener('submit', async (e) => {
      e.preventDefault();
      const made = await busy(create, errors, () => {
        const b = form.body();
        b.relationships = { organization: { data: { guid: orgGuid } } };
        return post('/v3/space_quotas', b);
      });
      if (!made) return;
      done(`Space quota ${made.name} created`);
      clear(status, h('p', `Space quota ${made.name} created.`));
      form.reset();
      refresh();
    });
    formSection = h('details.more', h('summary', 'New space quota'), el);
  }

  refresh();
  return section(
    'Space quotas',
    canManage ? null : note('You can see the space quotas; only org managers can change them.'),
    status,
    body,
    formSection,
  );
}
