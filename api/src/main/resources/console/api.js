// Every data call goes through here: it carries the token, turns a problem+json answer into one
// line, and sends the user back to the login page when the token is refused (401).

const TOKEN = 'cast.token';
const ROLES = ['viewer', 'deployer', 'admin'];

/** The signed-in token and who it is ({name, role, apps}); null before a login. */
export const session = { token: sessionStorage.getItem(TOKEN), who: null };

/** An answer the API refused; line() is what the error bar shows. */
export class ApiError extends Error {
  constructor(status, problem, path) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem ?? {};
    this.path = path;
  }

  line() {
    const type = String(this.problem.type ?? '').split('/').pop();
    return [this.status, type && type !== 'about:blank' ? type : null, this.message]
      .filter(Boolean)
      .join(' ');
  }
}

let onUnauthorized = () => {};

/** What to do when the token is refused: the app shows the login page with the reason. */
export function whenUnauthorized(handler) {
  onUnauthorized = handler;
}

async function problemOf(response) {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    return { detail: text.trim().slice(0, 300) || response.statusText };
  }
}

/**
 * Calls the API. Options: method, json (a body sent as JSON), body and type (a raw body), signal,
 * raw (return the Response itself, e.g. to read a stream or headers).
 */
export async function api(path, { method = 'GET', json, body, type, signal, raw } = {}) {
  const headers = {};
  if (session.token) headers.Authorization = `Bearer ${session.token}`;
  if (json !== undefined) {
    body = JSON.stringify(json);
    headers['Content-Type'] = 'application/json';
  } else if (type) {
    headers['Content-Type'] = type;
  }
  const response = await fetch(path, { method, headers, body, signal, cache: 'no-store' });
  if (!response.ok) {
    const error = new ApiError(response.status, await problemOf(response), path);
    error.headers = response.headers; // e.g. a registry 404's X-Consul-Index
    if (response.status === 401) onUnauthorized(error);
    throw error;
  }
  if (raw) return response;
  if (response.status === 204) return null;
  const contentType = response.headers.get('Content-Type') ?? '';
  return contentType.includes('json') ? response.json() : response.text();
}

/** Logs in: checks the token with GET /v1/whoami and keeps it for this browser tab. */
export async function login(token) {
  session.token = token.trim();
  try {
    session.who = await api('/v1/whoami');
  } catch (e) {
    session.token = null;
    session.who = null;
    throw e;
  }
  sessionStorage.setItem(TOKEN, session.token);
  return session.who;
}

export function logout() {
  sessionStorage.removeItem(TOKEN);
  session.token = null;
  session.who = null;
}

/** Whether the signed-in token has at least this role (viewer < deployer < admin). */
export function can(role) {
  return session.who !== null && ROLES.indexOf(session.who.role) >= ROLES.indexOf(role);
}

/** A path segment, escaped. */
export const seg = (s) => encodeURIComponent(s);
