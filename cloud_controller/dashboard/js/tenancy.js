// What the signed-in user may do in an org or space, and what an org or space uses of its
// quota — all from the public v3 API.

import { all, count, currentUser, get } from './api.js';

// The user's role types in an org and (optionally) one of its spaces.
export async function myRoles(orgGuid, spaceGuid) {
  const me = currentUser();
  const roles = new Set();
  if (!me || !me.guid) return roles;
  const lists = [all('/v3/roles', { user_guids: me.guid, organization_guids: orgGuid })];
  if (spaceGuid) lists.push(all('/v3/roles', { user_guids: me.guid, space_guids: spaceGuid }));
  for (const list of await Promise.all(lists)) {
    for (const r of list) roles.add(r.type);
  }
  return roles;
}

// What the user may do, as flags the pages read.
export function permissions(roles) {
  const admin = !!(currentUser() && currentUser().admin);
  const orgManager = admin || roles.has('organization_manager');
  return {
    admin,
    manageOrg: orgManager,
    manageSpace: orgManager || roles.has('space_manager'),
    develop: admin || roles.has('space_developer'),
  };
}

// Memory (MB) and instances of the started apps among `apps`, from their processes.
function runningTotals(apps, processes) {
  const started = new Set(apps.filter((a) => a.state === 'STARTED').map((a) => a.guid));
  let memory = 0;
  let instances = 0;
  for (const p of processes) {
    const app = p.relationships && p.relationships.app && p.relationships.app.data;
    if (!app || !started.has(app.guid)) continue;
    memory += (p.instances || 0) * (p.memory_in_mb || 0);
    instances += p.instances || 0;
  }
  return { memory, instances };
}

// {memory, instances, routes, services} used by the org.
export async function orgUsage(orgGuid) {
  const spaces = await all('/v3/spaces', { organization_guids: orgGuid });
  if (!spaces.length) return { memory: 0, instances: 0, routes: 0, services: 0 };
  const spaceGuids = spaces.map((s) => s.guid);
  const [apps, processes, routes, services] = await Promise.all([
    all('/v3/apps', { organization_guids: orgGuid }),
    all('/v3/processes', { space_guids: spaceGuids }),
    count('/v3/routes', { organization_guids: orgGuid }),
    count('/v3/service_instances', { organization_guids: orgGuid }),
  ]);
  return { ...runningTotals(apps, processes), routes, services };
}

export async function spaceUsage(spaceGuid) {
  const [apps, processes, routes, services] = await Promise.all([
    all('/v3/apps', { space_guids: spaceGuid }),
    all('/v3/processes', { space_guids: spaceGuid }),
    count('/v3/routes', { space_guids: spaceGuid }),
    count('/v3/service_instances', { space_guids: spaceGuid }),
  ]);
  return { ...runningTotals(apps, processes), routes, services };
}

// The quota a resource's relationships.quota names, or null when it has none.
export async function quotaOf(resource, kind) {
  const q = resource.relationships && resource.relationships.quota;
  const guid = q && q.data && q.data.guid;
  if (!guid) return null;
  return get(`/v3/${kind}/${encodeURIComponent(guid)}`);
}
