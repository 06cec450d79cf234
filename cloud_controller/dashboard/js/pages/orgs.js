// The organizations the user sees, each with what it uses of its quota.

import { h, clear } from '../dom.js';
import { all, currentUser } from '../api.js';
import { errorNote, note, pageHeading, usageBars } from '../ui.js';
import { crumbs, link } from '../nav.js';
import { orgUsage, quotaOf } from '../tenancy.js';

export async function orgsPage(main) {
  crumbs([['/', 'Organizations']]);
  pageHeading(main, 'Organizations');
  if (currentUser().admin) {
    main.append(
      h('nav.admin-links', { 'aria-label': 'Administration' }, h('ul.chips', h('li', link('/quotas', 'Organization quotas')), h('li', link('/users', 'Users')))),
    );
  }
  const list = h('div.grid', note('Loading…'));
  main.append(list);
  const orgs = await all('/v3/organizations', { order_by: 'name' });
  if (!orgs.length) {
    clear(list, note('You are not a member of any organization yet. An admin or an org manager can add you.'));
    return;
  }
  clear(
    list,
    orgs.map((org) => {
      const usage = h('div', note('Working out usage…'));
      Promise.all([orgUsage(org.guid), quotaOf(org, 'organization_quotas').catch(() => null)])
        .then(([u, q]) => clear(usage, q ? h('p.muted', `Quota: ${q.name}`) : null, usageBars(u, q)))
        .catch((e) => clear(usage, errorNote(e)));
      return h('article.card', h('h2', link(`/orgs/${org.guid}`, org.name)), usage);
    }),
  );
}
