// The marketplace of a space: the service offerings and plans the space may use, with their
// brokers; space developers create an instance of a plan from here.

import { h, clear } from '../dom.js';
import { errorNote, note, section, table } from '../ui.js';
import { marketplace } from './catalog.js';
import { createManaged } from './actions.js';

// `onCreate(name, answer)` is told of each instance whose creation the API accepted.
export function marketplaceSection({ spaceGuid, canDevelop, onCreate }) {
  const body = h('div', note('Loading the marketplace…'));

  function planRow(group, plan, first) {
    const { offering, broker } = group;
    const cells = [];
    if (first) {
      cells.push(
        h(
          'th',
          { scope: 'rowgroup', rowspan: group.plans.length },
          offering.name,
          offering.description ? h('div.muted.small', offering.description) : null,
          broker ? h('div.muted.small', `Broker: ${broker.name}`) : null,
        ),
      );
    }
    cells.push(
      h('td', h('strong', plan.name), plan.description ? h('div.muted.small', plan.description) : null),
      h('td', plan.free ? 'free' : 'paid'),
    );
    if (canDevelop) {
      const label = `Create a ${offering.name} ${plan.name} instance`;
      const create = h('button', { type: 'button', 'aria-label': label }, 'Create instance');
      create.addEventListener('click', async () => {
        const answer = await createManaged(spaceGuid, offering, plan);
        if (answer) onCreate(answer.name || 'the instance', answer);
      });
      cells.push(h('td', create));
    }
    return h('tr', { 'data-offering': offering.name, 'data-plan': plan.name }, cells);
  }

  marketplace(spaceGuid)
    .then((groups) => {
      if (!groups.length) return clear(body, note('No service is offered to this space.'));
      const rows = groups.flatMap((g) => g.plans.map((p, i) => planRow(g, p, i === 0)));
      const columns = ['Service', 'Plan', 'Cost'];
      if (canDevelop) columns.push('Action');
      return clear(body, table('Services offered to this space', columns, rows));
    })
    .catch((e) => clear(body, errorNote(e)));

  return section(
    'Marketplace',
    canDevelop ? null : note('Only space developers can create service instances.'),
    body,
  );
}
