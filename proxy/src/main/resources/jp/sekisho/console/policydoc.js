// The whole policy document (GET /api/v1/policy), which only some administrators may read:
// global administrators, and every administrator of a deployment without tenants. Pages use it
// for what an app's YAML alone does not say (segment names and kinds, defaults, breakout) and to
// simulate a draft, and do without it otherwise.

import { call, ApiError } from './api.js';
import { parse } from './yaml.js';

/**
 * Answers {text, etag, doc} when the document is readable, or {unavailable: status} when the
 * API refuses it (403, 404: not for this administrator). Other failures are thrown.
 */
export async function loadDocument() {
  try {
    const answer = await call('/policy', { accept: 'application/yaml' });
    const text = typeof answer.body === 'string' ? answer.body : '';
    return { text, etag: answer.etag, doc: parse(text) || {} };
  } catch (e) {
    if (e instanceof ApiError && (e.status === 403 || e.status === 404)) {
      return { unavailable: e.status, code: e.code };
    }
    throw e;
  }
}

/** The document with one app replaced by `app` (parsed), as YAML: a draft for POST /simulate. */
export function withApp(doc, id, app) {
  const copy = { ...doc };
  const apps = Array.isArray(doc.apps) ? doc.apps : [];
  copy.apps = apps.map(a => a && String(a.id) === id ? app : a);
  return copy;
}
