// Signing in: OpenID Connect authorization code flow with PKCE (S256), the console a public
// client of the IdP. The access token is the admin API's bearer token. It lives in this tab's
// sessionStorage only (gone when the tab closes), never in a cookie or localStorage.

/** sessionStorage key of the access token (tests may set it directly). */
export const TOKEN_KEY = 'sekisho.console.token';
/** sessionStorage key of the sign-in under way: state, PKCE verifier and where to come back to. */
const PENDING_KEY = 'sekisho.console.login';

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function forget() {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** Where the IdP sends the browser back: the console's own page. */
export function redirectUri() {
  return location.origin + '/console/';
}

function base64url(bytes) {
  let text = '';
  bytes.forEach(b => { text += String.fromCharCode(b); });
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function random(size) {
  const bytes = new Uint8Array(size);
  crypto.getRandomValues(bytes);
  return base64url(bytes);
}

/** The S256 code challenge of a verifier (RFC 7636 §4.2). */
export async function challenge(verifier) {
  if (!crypto.subtle) {
    throw new Error('crypto.subtle is unavailable: open the console over HTTPS (or on loopback)');
  }
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

/**
 * Sends the browser to the IdP; `returnTo` is the console page (hash) to show afterwards. With
 * `again`, the IdP is asked to sign the person in afresh (prompt=login): the admin API refused a
 * sign-in too old or not strong enough, and an IdP session would hand the same one back.
 */
export async function signIn(config, returnTo, again = false) {
  const verifier = random(32);
  const state = random(16);
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ state, verifier, returnTo: returnTo || '' }));
  const url = new URL(config.authorizationEndpoint);
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('redirect_uri', redirectUri());
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', (config.scopes || ['openid']).join(' '));
  url.searchParams.set('state', state);
  url.searchParams.set('code_challenge', await challenge(verifier));
  url.searchParams.set('code_challenge_method', 'S256');
  if (again) {
    url.searchParams.set('prompt', 'login');
  }
  location.assign(url.href);
}

/**
 * When the IdP has just sent the browser back (?code=&state=, or ?error=), redeems the code and
 * stores the access token. Answers {returnTo} when it did, null when this is no return from the
 * IdP; throws when the return is not one this tab started or the IdP refused.
 */
export async function completeSignIn(config) {
  const params = new URLSearchParams(location.search);
  if (!params.has('code') && !params.has('error')) {
    return null;
  }
  const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) || 'null');
  sessionStorage.removeItem(PENDING_KEY);
  // the code and state leave the address bar (and the history) at once
  history.replaceState(null, '', location.pathname + (pending && pending.returnTo ? pending.returnTo : ''));
  if (params.has('error')) {
    throw new Error(params.get('error') + (params.get('error_description') ? ': ' + params.get('error_description') : ''));
  }
  if (!pending || pending.state !== params.get('state')) {
    throw new Error('the sign-in answer does not belong to a sign-in started in this tab (state mismatch)');
  }
  const body = new URLSearchParams({
    grant_type: 'authorization_code', code: params.get('code'), redirect_uri: redirectUri(),
    client_id: config.clientId, code_verifier: pending.verifier,
  });
  const response = await fetch(config.tokenEndpoint, {
    method: 'POST', body, credentials: 'omit', cache: 'no-store',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok || !answer.access_token) {
    throw new Error('the IdP did not give a token: ' + (answer.error || ('HTTP ' + response.status)));
  }
  sessionStorage.setItem(TOKEN_KEY, answer.access_token);
  return { returnTo: pending.returnTo };
}

/** Forgets the token and, when the IdP has an end-session endpoint, ends the IdP's session too. */
export function signOut(config) {
  forget();
  if (config && config.endSessionEndpoint) {
    const url = new URL(config.endSessionEndpoint);
    url.searchParams.set('client_id', config.clientId);
    url.searchParams.set('post_logout_redirect_uri', redirectUri());
    location.assign(url.href);
  } else {
    location.replace(redirectUri());
  }
}
