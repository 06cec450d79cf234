// What a space's services are made of, from the v3 API: the marketplace (plans visible in the
// space with their offerings and brokers) and the space's service instances with their plans,
// offerings, brokers, bindings and the bound apps' names.

import { all } from '../api.js';

const byGuid = (list) => new Map((list || []).map((x) => [x.guid, x]));

// [{offering, broker, plans: [plan...]}], offerings by name, plans in the broker's order.
export async function marketplace(spaceGuid) {
  const plans = await all('/v3/service_plans', {
    include: 'service_offering',
    'fields[service_offering.service_broker]': 'name,guid',
    space_guids: spaceGuid,
  });
  const offerings = byGuid(plans.included.service_offerings);
  const brokers = byGuid(plans.included.service_brokers);
  const groups = new Map();
  for (const p of plans) {
    if (p.available === false) continue;
    const guid = p.relationships.service_offering.data.guid;
    const offering = offerings.get(guid) || { guid, name: 'unknown service', description: '' };
    if (!groups.has(guid)) {
      const b = offering.relationships && offering.relationships.service_broker;
      groups.set(guid, { offering, broker: brokers.get(b && b.data && b.data.guid) || null, plans: [] });
    }
    groups.get(guid).plans.push(p);
  }
  return [...groups.values()].sort((a, b) => a.offering.name.localeCompare(b.offering.name));
}

// The space's instances, each as {instance, plan, offering, broker, bindings: [{binding,
// appName}]}; plan, offering and broker are null for user-provided ones.
export async function spaceInstances(spaceGuid) {
  const instances = await all('/v3/service_instances', {
    space_guids: spaceGuid,
    order_by: 'name',
    'fields[service_plan]': 'guid,name',
    'fields[service_plan.service_offering]': 'guid,name',
    'fields[service_plan.service_offering.service_broker]': 'guid,name',
  });
  const plans = byGuid(instances.included.service_plans);
  const offerings = byGuid(instances.included.service_offerings);
  const brokers = byGuid(instances.included.service_brokers);
  let bindings = [];
  let appNames = new Map();
  if (instances.length) {
    bindings = await all('/v3/service_credential_bindings', {
      service_instance_guids: instances.map((i) => i.guid),
      type: 'app',
    });
    const appGuids = [...new Set(bindings.map((b) => b.relationships.app.data.guid))];
    if (appGuids.length) appNames = new Map((await all('/v3/apps', { guids: appGuids })).map((a) => [a.guid, a.name]));
  }
  const guidOf = (r, key) => (r && r.relationships && r.relationships[key] && r.relationships[key].data || {}).guid;
  return instances.map((instance) => {
    const plan = plans.get(guidOf(instance, 'service_plan')) || null;
    const offering = offerings.get(guidOf(plan, 'service_offering')) || null;
    const broker = brokers.get(guidOf(offering, 'service_broker')) || null;
    const mine = bindings
      .filter((b) => b.relationships.service_instance.data.guid === instance.guid)
      .map((binding) => {
        const app = binding.relationships.app.data.guid;
        return { binding, appGuid: app, appName: appNames.get(app) || app };
      })
      .sort((a, b) => a.appName.localeCompare(b.appName));
    return { instance, plan, offering, broker, bindings: mine };
  });
}

// Whether an instance or binding has an operation under way.
export function inProgress(resource) {
  return !!(resource && resource.last_operation && resource.last_operation.state === 'in progress');
}

// "create succeeded", "delete in progress", ...
export function operationText(resource) {
  const op = (resource && resource.last_operation) || {};
  return op.type ? `${op.type} ${op.state}` : '—';
}
