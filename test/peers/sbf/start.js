'use strict';

// Starts the SAP Service Broker Framework (@sap/sbf) standalone: no XSUAA, no audit log
// service, no VCAP_SERVICES; basic auth with one user; the catalog and hooks beside this file.
// Listens on 127.0.0.1 only.
//
// Environment: PORT (0 or unset: any free port), BROKER_USER, BROKER_PASSWORD, HOOK_LOG (a file
// that gets one JSON line per broker call; stderr when unset), ASYNC_DELAY_MS (how long an
// asynchronous operation stays "in progress"; 1000 by default).
// Prints {"message":"sbf-peer.started","data":{"port":N}} on stdout once it listens.

const fs = require('fs');
const http = require('http');
const path = require('path');
const Broker = require('@sap/sbf');
const { makeHooks } = require('./hooks');

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`sbf-peer: ${name} must be set`);
    process.exit(2);
  }
  return value;
}

const user = required('BROKER_USER');
const password = required('BROKER_PASSWORD');
const port = Number(process.env.PORT || 0);
const asyncDelayMs = Number(process.env.ASYNC_DELAY_MS || 1000);
const hookLog = process.env.HOOK_LOG;

const catalog = JSON.parse(fs.readFileSync(path.join(__dirname, 'catalog.json'), 'utf8'));
const record = (entry) => {
  const line = JSON.stringify({ time: new Date().toISOString(), ...entry }) + '\n';
  if (hookLog) fs.appendFileSync(hookLog, line);
  else process.stderr.write(line);
};

const broker = new Broker({
  catalog,
  brokerCredentials: { [user]: password },
  autoCredentials: false,
  enableAuditLog: false,
  secureIncomingConnections: false,
  hooks: makeHooks({ catalog, record, now: Date.now, asyncDelayMs }),
});

// Broker.start() listens on every interface; the app is an Express app, so serve it here.
const server = http.createServer(broker.app);
server.listen(port, '127.0.0.1', () => {
  const data = { port: server.address().port };
  process.stdout.write(JSON.stringify({ message: 'sbf-peer.started', data }) + '\n');
});
server.on('error', (err) => {
  console.error(`sbf-peer: ${err.message}`);
  process.exit(1);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 2000).unref();
  });
}
