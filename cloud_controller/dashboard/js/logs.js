// An app's live log stream from the log store (its address is the API root's log_cache link):
// a WebSocket to /api/v1/tail/<app guid>, which sends what is stored from start_time on, then
// every new batch. Browsers cannot set headers on a WebSocket, so the token travels as the
// subprotocol "bearer.<token>", next to the stream's own "cupola.logs".

import { h, clear } from './dom.js';
import { freshToken, get } from './api.js';
import { field, section, select } from './ui.js';

const MAX_LINES = 1000;
const SOURCES = [
  ['', 'All sources'],
  ['APP', 'App (APP)'],
  ['STG', 'Staging (STG)'],
  ['RTR', 'Router (RTR)'],
  ['API', 'API'],
  ['CELL', 'Cell (CELL)'],
];

let logStoreUrl = null;
async function logStore() {
  if (!logStoreUrl) {
    const root = await get('/');
    const href = root.links && root.links.log_cache && root.links.log_cache.href;
    if (!href) throw new Error('This platform has no log store.');
    logStoreUrl = href.replace(/\/$/, '');
  }
  return logStoreUrl;
}

function decode(payload) {
  try {
    const bin = atob(payload);
    return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
  } catch {
    return '';
  }
}

// A log section for the app `appGuid`. Returns {element, stop}.
export function logStream(appGuid) {
  const list = h('ol.log', { 'aria-label': 'Log lines', tabindex: '0' });
  const status = h('p.muted', { role: 'status' }, 'Connecting to the log stream…');
  const source = select('source', SOURCES, '');
  const pause = h('button', { type: 'button', 'aria-pressed': 'false' }, 'Pause');
  const clearButton = h('button', { type: 'button' }, 'Clear');
  let paused = false;
  let held = [];
  let socket = null;
  let stopped = false;
  let retry = null;
  // Where a reconnect resumes (ns, as a string: too large for a double).
  let since = `${Date.now() - 15 * 60 * 1000}000000`;
  let shown = 0;

  function visible(line) {
    return !source.value || line.dataset.source.startsWith(source.value);
  }

  function add(envelopes) {
    const atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 8;
    for (const e of envelopes) {
      if (!e.log) continue;
      const sourceType = (e.tags && e.tags.source_type) || '';
      const ns = String(e.timestamp);
      const when = new Date(Number(ns.slice(0, -6)) || Date.now());
      const text = decode(e.log.payload).replace(/\n$/, '');
      const line = h(
        'li',
        { class: e.log.type === 'ERR' ? 'err' : '' },
        h('time', { datetime: when.toISOString() }, when.toLocaleTimeString()),
        ' ',
        h('span.src', `[${sourceType}/${e.instance_id || 0}]`),
        ' ',
        h('span.msg', text),
      );
      line.dataset.source = sourceType;
      line.hidden = !visible(line);
      list.append(line);
      if (BigInt(ns) >= BigInt(since)) since = (BigInt(ns) + 1n).toString();
    }
    while (list.childElementCount > MAX_LINES) list.firstElementChild.remove();
    shown = list.childElementCount;
    if (atBottom) list.scrollTop = list.scrollHeight;
  }

  async function connect() {
    if (stopped) return;
    try {
      const base = await logStore();
      const token = await freshToken();
      const url = `${base.replace(/^http/, 'ws')}/api/v1/tail/${encodeURIComponent(appGuid)}?envelope_types=LOG&start_time=${since}`;
      socket = new WebSocket(url, ['cupola.logs', `bearer.${token}`]);
    } catch (e) {
      status.textContent = `The log stream is unavailable: ${e.message}`;
      retry = setTimeout(connect, 5000);
      return;
    }
    socket.addEventListener('open', () => {
      status.textContent = paused ? 'Paused.' : 'Streaming live.';
    });
    socket.addEventListener('message', (m) => {
      let batch = [];
      try {
        batch = JSON.parse(m.data).batch || [];
      } catch {
        return;
      }
      if (paused) held.push(...batch);
      else add(batch);
    });
    socket.addEventListener('close', () => {
      if (stopped) return;
      status.textContent = 'The log stream was interrupted; reconnecting…';
      retry = setTimeout(connect, 2000);
    });
  }

  pause.addEventListener('click', () => {
    paused = !paused;
    pause.textContent = paused ? 'Resume' : 'Pause';
    pause.setAttribute('aria-pressed', String(paused));
    status.textContent = paused ? 'Paused: new lines are held until you resume.' : 'Streaming live.';
    if (!paused) {
      add(held);
      held = [];
    }
  });
  source.addEventListener('change', () => {
    for (const line of list.children) line.hidden = !visible(line);
  });
  clearButton.addEventListener('click', () => clear(list));

  connect();
  const element = section(
    'Logs',
    h('div.toolbar', field('Source', source), pause, clearButton),
    status,
    list,
  );
  return {
    element,
    stop() {
      stopped = true;
      clearTimeout(retry);
      if (socket) socket.close();
    },
    lines: () => shown,
  };
}
