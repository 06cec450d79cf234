'use strict';

// The broker's behaviour, as @sap/sbf hooks: plan "sync" provisions and deprovisions within
// the request; plan "async" answers 202 with an operation and reports "in progress" on
// last_operation until the operation is at least `asyncDelayMs` old and has been polled
// twice, then "succeeded". Bind returns generated credentials. Every call is recorded as one
// JSON line through `record`, so a test can check what the broker was asked.
//
// State lives in this process only: one broker process serves the test that started it.

const crypto = require('crypto');

function httpError(statusCode, message) {
  const e = new Error(message);
  e.statusCode = statusCode;
  return e;
}

function planName(catalog, serviceId, planId) {
  for (const service of catalog.services) {
    if (service.id !== serviceId) continue;
    const plan = service.plans.find((p) => p.id === planId);
    if (plan) return plan.name;
  }
  return undefined;
}

// options: catalog (object), record(entry), now() -> milliseconds, asyncDelayMs.
function makeHooks({ catalog, record, now, asyncDelayMs }) {
  const instances = new Map(); // instance_id -> { plan, state, operation }
  const bindings = new Map(); // binding_id -> { instance_id, credentials }
  const operations = new Map(); // operation -> { type, instance_id, readyAt, polls }
  let nextOperation = 1;

  function startOperation(type, instanceId) {
    const id = `${type}-${nextOperation++}`;
    operations.set(id, { type, instance_id: instanceId, readyAt: now() + asyncDelayMs, polls: 0 });
    return id;
  }

  return {
    onProvision(params, callback) {
      const plan = planName(catalog, params.service_id, params.plan_id);
      const existing = instances.get(params.instance_id);
      if (existing && existing.plan !== plan) {
        return callback(httpError(409, `Instance ${params.instance_id} exists with another plan`));
      }
      const async = plan === 'async';
      if (async && params.accepts_incomplete !== 'true') {
        record({ op: 'provision', instance_id: params.instance_id, plan, refused: 'AsyncRequired' });
        return callback(httpError(422, 'AsyncRequired: this plan provisions asynchronously only'));
      }
      if (existing) {
        return callback(null, existing.operation ? { async: true, operation: existing.operation } : {});
      }
      const instance = {
        plan,
        state: async ? 'provisioning' : 'ready',
        space_guid: (params.context && params.context.space_guid) || params.space_guid,
      };
      if (async) instance.operation = startOperation('provision', params.instance_id);
      instances.set(params.instance_id, instance);
      record({
        op: 'provision',
        instance_id: params.instance_id,
        plan,
        async,
        operation: instance.operation,
        space_guid: instance.space_guid,
      });
      callback(null, async ? { async: true, operation: instance.operation } : {});
    },

    onLastOperation(params, callback) {
      // `operation` in the record is what the platform sent (OSB: it SHOULD send back the
      // broker's token); without one, the instance's current operation is meant.
      const instance = instances.get(params.instance_id);
      const id = params.operation || (instance && instance.operation);
      const operation = id && operations.get(id);
      if (!operation || operation.instance_id !== params.instance_id) {
        record({
          op: 'last_operation',
          instance_id: params.instance_id,
          operation: params.operation,
          state: 'gone',
        });
        return callback(httpError(410, `No operation ${id} for instance ${params.instance_id}`));
      }
      operation.polls += 1;
      const done = operation.polls >= 2 && now() >= operation.readyAt;
      const state = done ? 'succeeded' : 'in progress';
      if (done && instance && instance.operation === id) {
        delete instance.operation;
        if (operation.type === 'provision') instance.state = 'ready';
        if (operation.type === 'deprovision') instances.delete(params.instance_id);
      }
      record({
        op: 'last_operation',
        instance_id: params.instance_id,
        operation: params.operation,
        of: operation.type,
        state,
      });
      callback(null, {
        state,
        description: done ? `${operation.type} done` : `${operation.type} in progress (poll ${operation.polls})`,
      });
    },

    onDeprovision(params, callback) {
      const instance = instances.get(params.instance_id);
      if (!instance) {
        record({ op: 'deprovision', instance_id: params.instance_id, gone: true });
        return callback(httpError(410, `Instance ${params.instance_id} does not exist`));
      }
      const async = instance.plan === 'async' && params.accepts_incomplete === 'true';
      if (async) {
        instance.state = 'deprovisioning';
        instance.operation = startOperation('deprovision', params.instance_id);
      } else {
        instances.delete(params.instance_id);
      }
      record({
        op: 'deprovision',
        instance_id: params.instance_id,
        plan: instance.plan,
        async,
        operation: instance.operation,
      });
      callback(null, async ? { async: true, operation: instance.operation } : {});
    },

    onBind(params, callback) {
      const instance = instances.get(params.instance_id);
      if (!instance || instance.state !== 'ready') {
        return callback(httpError(422, `Instance ${params.instance_id} is not ready to be bound`));
      }
      const existing = bindings.get(params.binding_id);
      if (existing) return callback(null, { credentials: existing.credentials });
      const username = `u-${params.binding_id.slice(0, 8)}`;
      const password = crypto.randomBytes(12).toString('hex');
      const credentials = {
        uri: `sbf-peer://${username}:${password}@127.0.0.1/${params.instance_id}`,
        hostname: '127.0.0.1',
        username,
        password,
        plan: instance.plan,
        instance_id: params.instance_id,
      };
      bindings.set(params.binding_id, { instance_id: params.instance_id, credentials });
      record({ op: 'bind', instance_id: params.instance_id, binding_id: params.binding_id, credentials });
      callback(null, { credentials });
    },

    onUnbind(params, callback) {
      const binding = bindings.get(params.binding_id);
      if (!binding || binding.instance_id !== params.instance_id) {
        record({ op: 'unbind', instance_id: params.instance_id, binding_id: params.binding_id, gone: true });
        return callback(httpError(410, `Binding ${params.binding_id} does not exist`));
      }
      bindings.delete(params.binding_id);
      record({ op: 'unbind', instance_id: params.instance_id, binding_id: params.binding_id });
      callback(null, {});
    },
  };
}

module.exports = { makeHooks };
