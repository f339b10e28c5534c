// The admin API (/api/v1, docs/admin.md) as the console calls it: always with the bearer token
// from sessionStorage, never with a cookie (the API reads none).

import { token } from './auth.js';

const BASE = '/api/v1';

/** A refusal or failure of the API: the status, the error code and message of its JSON body. */
export class ApiError extends Error {
  constructor(status, code, message, body, headers) {
    super(message || code || ('HTTP ' + status));
    this.status = status;
    this.code = code || '';
    this.body = body;
    this.headers = headers;
  }
}

/** Listeners told of every 401 (the token expired, or the sign-in is too old or too weak). */
const unauthenticated = new Set();
export function onUnauthenticated(listener) {
  unauthenticated.add(listener);
}

/**
 * Calls the API. options: method, json (a body sent as JSON), yaml (a body sent as
 * application/yaml), headers, accept. Answers {status, body, etag, headers}; body is parsed
 * JSON when the answer is JSON, else text. Throws ApiError for 4xx/5xx.
 */
export async function call(path, options = {}) {
  const headers = new Headers(options.headers || {});
  const bearer = token();
  if (bearer) {
    headers.set('Authorization', 'Bearer ' + bearer);
  }
  let body;
  if (options.json !== undefined) {
    headers.set('Content-Type', 'application/json');
    body = JSON.stringify(options.json);
  } else if (options.yaml !== undefined) {
    headers.set('Content-Type', 'application/yaml; charset=utf-8');
    body = options.yaml;
  }
  if (options.accept) {
    headers.set('Accept', options.accept);
  }
  let response;
  try {
    response = await fetch(BASE + path, {
      method: options.method || 'GET', headers, body, credentials: 'omit', cache: 'no-store', redirect: 'error',
    });
  } catch (e) {
    throw new ApiError(0, 'unreachable', e.message);
  }
  const type = response.headers.get('content-type') || '';
  const text = await response.text();
  let parsed = text;
  if (type.includes('json') && text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  if (!response.ok) {
    const code = parsed && typeof parsed === 'object' ? parsed.error : '';
    const message = parsed && typeof parsed === 'object' ? parsed.message : text;
    const error = new ApiError(response.status, code, message, parsed, response.headers);
    if (response.status === 401) {
      unauthenticated.forEach(listener => listener(error));
    }
    throw error;
  }
  return { status: response.status, body: parsed, etag: response.headers.get('etag'), headers: response.headers };
}

/** Path segments are encoded: an app id never changes the path it is put in. */
export function path(strings, ...values) {
  return strings.reduce((out, s, i) => out + s + (i < values.length ? encodeURIComponent(values[i]) : ''), '');
}

/** The header value of a change's comment: percent-encoded UTF-8 on one line (docs/admin.md, Comments). */
export function commentHeader(comment) {
  return encodeURIComponent(String(comment).replace(/[\r\n\t]+/g, ' ').trim());
}

/** The roles that may do each thing (docs/admin.md, Roles): the higher roles include the lower. */
export const ROLES = {
  edit: ['policy-editor', 'tenant-admin', 'global-admin'],
  operate: ['security-operator', 'tenant-admin', 'global-admin'],
  audit: ['audit-reader', 'tenant-admin', 'global-admin'],
};

export function may(me, what) {
  return Boolean(me && me.roles && me.roles.some(role => ROLES[what].includes(role)));
}
