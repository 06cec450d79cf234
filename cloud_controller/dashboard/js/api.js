// The Cloud Controller's public v3 API and its token endpoint, on this page's own origin.
// Tokens live in sessionStorage: they last as long as the tab, and a reload keeps the user in.

const KEY = 'cupola.session';
// The cf CLI's client: "cf" with an empty secret.
const CLIENT_AUTH = 'Basic ' + btoa('cf:');

// An API error in words a person reads: the Cloud Controller's errors[0].detail when it sent
// one, else what the status means.
export class ApiError extends Error {
  constructor(status, message, title = '') {
    super(message);
    this.status = status;
    this.title = title;
  }
}

function decodeClaims(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = atob(part + '='.repeat((4 - (part.length % 4)) % 4));
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0))));
  } catch {
    return {};
  }
}

function load() {
  try {
    return JSON.parse(sessionStorage.getItem(KEY)) || null;
  } catch {
    return null;
  }
}

let session = load();
const listeners = new Set();

function save(next) {
  session = next;
  if (next) sessionStorage.setItem(KEY, JSON.stringify(next));
  else sessionStorage.removeItem(KEY);
  for (const f of listeners) f(session);
}

export function onSessionChange(f) {
  listeners.add(f);
}

// The signed-in user: {name, guid, admin}, or null.
export function currentUser() {
  if (!session) return null;
  const c = decodeClaims(session.access);
  const scopes = Array.isArray(c.scope) ? c.scope : String(c.scope || '').split(' ');
  return {
    name: c.user_name || c.client_id || 'unknown',
    guid: c.user_id || '',
    admin: scopes.includes('cloud_controller.admin'),
  };
}

export function accessToken() {
  return session ? session.access : '';
}

const STATUS_WORDS = {
  400: 'The request was not accepted.',
  401: 'Your session has ended. Please sign in again.',
  403: 'You are not allowed to do this.',
  404: 'Not found, or not visible to you.',
  409: 'This conflicts with a change in progress. Try again in a moment.',
  413: 'That is too large.',
  422: 'The request was not accepted.',
  429: 'Too many requests. Try again in a moment.',
  503: 'The service is unavailable. Try again in a moment.',
};

async function errorOf(res) {
  let body = null;
  try {
    body = await res.json();
  } catch {
    // Not JSON: the status speaks for itself.
  }
  const first = body && Array.isArray(body.errors) ? body.errors[0] : null;
  if (first && first.detail) return new ApiError(res.status, first.detail, first.title || '');
  if (body && body.error_description) return new ApiError(res.status, body.error_description);
  const words = STATUS_WORDS[res.status] || `The server answered with an error (${res.status}).`;
  return new ApiError(res.status, words);
}

async function tokenRequest(form) {
  let res;
  try {
    res = await fetch('/oauth/token', {
      method: 'POST',
      headers: {
        Authorization: CLIENT_AUTH,
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: 'application/json',
      },
      body: new URLSearchParams(form).toString(),
    });
  } catch {
    throw new ApiError(0, 'Cannot reach the API. Check your connection and try again.');
  }
  if (res.status === 401 && form.grant_type === 'password') {
    throw new ApiError(401, 'That username and password do not match.');
  }
  if (!res.ok) throw await errorOf(res);
  const t = await res.json();
  const expires = Date.now() + (Number(t.expires_in) || 600) * 1000;
  save({ access: t.access_token, refresh: t.refresh_token || '', expires });
}

export function login(username, password) {
  return tokenRequest({ grant_type: 'password', username, password });
}

let refreshing = null;
// Swaps the refresh token for a new access token (once, however many callers ask at once).
export function refresh() {
  if (!session || !session.refresh) return Promise.reject(new ApiError(401, STATUS_WORDS[401]));
  if (!refreshing) {
    refreshing = tokenRequest({ grant_type: 'refresh_token', refresh_token: session.refresh })
      .catch((e) => {
        save(null);
        throw new ApiError(401, STATUS_WORDS[401]);
      })
      .finally(() => {
        refreshing = null;
      });
  }
  return refreshing;
}

// A token valid for at least the next minute (the log stream's WebSocket needs one up front).
export async function freshToken() {
  if (session && session.expires - Date.now() < 60_000) await refresh();
  return accessToken();
}

export async function logout() {
  const s = session;
  save(null);
  if (!s) return;
  const jti = decodeClaims(s.access).jti;
  if (jti) {
    try {
      await fetch(`/oauth/token/revoke/${encodeURIComponent(jti)}`, {
        method: 'DELETE',
        headers: { Authorization: `bearer ${s.access}` },
      });
    } catch {
      // Signed out here either way.
    }
  }
}

// One API call. `body` is sent as JSON. Resolves to the parsed answer (null for 204), with
// the Location header as `location` for 202s.
export async function call(method, path, body) {
  for (let attempt = 0; ; attempt++) {
    if (!session) throw new ApiError(401, STATUS_WORDS[401]);
    if (session.expires - Date.now() < 30_000 && session.refresh) await refresh();
    const headers = { Accept: 'application/json', Authorization: `bearer ${session.access}` };
    const init = { method, headers };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let res;
    try {
      res = await fetch(path, init);
    } catch {
      throw new ApiError(0, 'Cannot reach the API. Check your connection and try again.');
    }
    if (res.status === 401 && attempt === 0 && session && session.refresh) {
      await refresh();
      continue;
    }
    if (res.status === 401) save(null);
    if (!res.ok) throw await errorOf(res);
    if (res.status === 204) return null;
    const text = await res.text();
    const out = text ? JSON.parse(text) : {};
    if (res.status === 202) out.location = res.headers.get('Location') || '';
    return out;
  }
}

export const get = (path) => call('GET', path);
export const post = (path, body = {}) => call('POST', path, body);
export const patch = (path, body) => call('PATCH', path, body);
export const del = (path) => call('DELETE', path);

// A query string from an object, leaving out empty values; arrays are joined with commas.
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    q.set(k, Array.isArray(v) ? v.map((x) => String(x).replace(/,/g, '%2C')).join(',') : v);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

// Every resource of a list (following pages of up to 5000).
export async function all(path, params = {}) {
  const out = [];
  const included = {};
  for (let page = 1; page <= 100; page++) {
    const res = await get(path + query({ ...params, per_page: 5000, page }));
    out.push(...(res.resources || []));
    for (const [k, v] of Object.entries(res.included || {})) {
      included[k] = (included[k] || []).concat(v);
    }
    if (!res.pagination || !res.pagination.next) break;
  }
  out.included = included;
  return out;
}

// How many resources a list has (one small request).
export async function count(path, params = {}) {
  const res = await get(path + query({ ...params, per_page: 1 }));
  return res.pagination ? res.pagination.total_results : (res.resources || []).length;
}

// Waits for the job a 202 pointed at, up to `ms`. Throws the job's error when it failed.
export async function awaitJob(answer, ms = 60_000) {
  const location = answer && answer.location;
  if (!location) return;
  const path = new URL(location, window.location.href).pathname;
  const until = Date.now() + ms;
  for (let wait = 250; Date.now() < until; wait = Math.min(wait * 2, 2000)) {
    const job = await get(path);
    if (job.state === 'COMPLETE') return;
    if (job.state === 'FAILED') {
      const e = (job.errors || [])[0];
      throw new ApiError(422, e && e.detail ? e.detail : 'The operation failed.');
    }
    await new Promise((r) => setTimeout(r, wait));
  }
  throw new ApiError(0, 'The operation is taking longer than expected; it goes on in the background.');
}
