// The fields of an org or space quota, shared by the forms that create them; and a quota's
// limits in words. An empty number field means "no limit" (null in the API).

import { h, mb } from './dom.js';
import { field } from './ui.js';

const LIMITS = [
  ['apps', 'total_memory_in_mb', 'Total memory (MB)'],
  ['apps', 'per_process_memory_in_mb', 'Memory per instance (MB)'],
  ['apps', 'total_instances', 'App instances'],
  ['routes', 'total_routes', 'Routes'],
  ['services', 'total_service_instances', 'Service instances'],
];

// {fields, body(), reset()}: body() is the API's request body, or throws an error in words.
export function quotaFields() {
  const name = h('input', { name: 'name', required: true, autocomplete: 'off', spellcheck: 'false', maxlength: 250 });
  const inputs = LIMITS.map(([group, key, label]) => ({
    group,
    key,
    label,
    input: h('input', { name: key, type: 'number', min: 0, step: 1, inputmode: 'numeric', placeholder: 'no limit' }),
  }));
  const paid = h('input', { name: 'paid_services_allowed', type: 'checkbox', checked: true });
  const hint = h('p.hint', 'Leave a limit empty for no limit.');
  return {
    fields: [
      field('Quota name', name),
      inputs.map((i) => field(i.label, i.input)),
      h('div.field.check', h('label', paid, ' Paid service plans allowed')),
      hint,
    ],
    body() {
      const body = { name: name.value.trim(), apps: {}, services: { paid_services_allowed: paid.checked }, routes: {} };
      if (!body.name) throw new Error('Give the quota a name.');
      for (const i of inputs) {
        const text = i.input.value.trim();
        let v = null;
        if (text) {
          v = Number(text);
          if (!Number.isInteger(v) || v < 0) throw new Error(`${i.label} must be a whole number of 0 or more, or empty for no limit.`);
        }
        body[i.group][i.key] = v;
      }
      return body;
    },
    reset() {
      name.value = '';
      for (const i of inputs) i.input.value = '';
      paid.checked = true;
    },
    focus() {
      name.focus();
    },
  };
}

function limit(v, format = String) {
  return v === null || v === undefined ? 'no limit' : format(v);
}

// The quota's limits as table cells: memory, per instance, instances, routes, services, paid.
export function limitCells(q) {
  const apps = q.apps || {};
  const services = q.services || {};
  return [
    h('td', limit(apps.total_memory_in_mb, mb)),
    h('td', limit(apps.per_process_memory_in_mb, mb)),
    h('td', limit(apps.total_instances)),
    h('td', limit((q.routes || {}).total_routes)),
    h('td', limit(services.total_service_instances)),
    h('td', services.paid_services_allowed ? 'yes' : 'no'),
  ];
}

export const LIMIT_COLUMNS = ['Memory', 'Per instance', 'Instances', 'Routes', 'Services', 'Paid plans'];
