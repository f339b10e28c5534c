// The console's shell: sign-in, the header (navigation, who is signed in, language), and a
// hash router (#/apps, #/apps/ID, #/proposals, #/audit, #/devices, #/breakout, #/health) that
// renders one page at a time into <main>.

import { h, replace, notice } from './dom.js';
import { t, lang, setLang } from './i18n.js';
import * as auth from './auth.js';
import { call, onUnauthenticated, ApiError } from './api.js';
import { problemNotice } from './ui.js';
import * as appsPage from './pages/apps.js';
import * as editPage from './pages/edit.js';
import * as proposalsPage from './pages/proposals.js';
import * as auditPage from './pages/audit.js';
import * as devicesPage from './pages/devices.js';
import * as breakoutPage from './pages/breakout.js';
import * as healthPage from './pages/health.js';

const ROUTES = [
  { pattern: /^#\/apps\/([^/]+)$/, page: editPage, nav: 'apps' },
  { pattern: /^#\/apps$/, page: appsPage, nav: 'apps' },
  { pattern: /^#\/proposals$/, page: proposalsPage, nav: 'proposals' },
  { pattern: /^#\/audit$/, page: auditPage, nav: 'audit' },
  { pattern: /^#\/devices$/, page: devicesPage, nav: 'devices' },
  { pattern: /^#\/breakout$/, page: breakoutPage, nav: 'breakout' },
  { pattern: /^#\/health$/, page: healthPage, nav: 'health' },
];
const NAV = ['apps', 'proposals', 'audit', 'devices', 'breakout', 'health'];

const state = { config: null, me: null, generation: 0, rendered: false };

function root() {
  return document.getElementById('app');
}

function langButton(onSwitch) {
  const other = lang() === 'ja' ? 'en' : 'ja';
  return h('button', {
    type: 'button', class: 'link-button', testid: 'lang-switch', lang: other,
    'aria-label': t('lang.switchLabel'),
    on: { click: () => { setLang(other); onSwitch(); } },
  }, other === 'en' ? 'English' : '日本語');
}

/** The page before sign-in, with what went wrong when something did. */
function signInPage(problem, again = false) {
  document.title = t('signin.title') + ' - Sekisho';
  const button = h('button', {
    type: 'button', class: 'primary', testid: 'sign-in',
    on: { click: () => auth.signIn(state.config, location.hash, again).catch(e => showProblem(e.message)) },
  }, t('signin.button'));
  const problemBox = h('div', { id: 'signin-problem' });
  const showProblem = message => replace(problemBox, notice('error', t('signin.failed'), ' ', message));
  replace(root(),
    h('header', { class: 'site-header' }, h('p', { class: 'brand', text: t('brand') }),
      h('div', { class: 'session' }, langButton(() => signInPage(problem, again)))),
    h('main', { id: 'main', tabindex: '-1' },
      h('h1', { text: t('signin.title') }),
      h('p', { text: t('signin.intro') }),
      problem ? notice('error', problem) : null,
      problemBox,
      button));
  button.focus();
}

function header(nav) {
  const me = state.me;
  const who = me.username || me.subject;
  const roles = (me.roles || []).join(', ');
  const tenants = (me.tenants || []).length ? ' / ' + t('whoami.tenants') + ' ' + me.tenants.join(', ') : '';
  return h('header', { class: 'site-header' },
    h('p', { class: 'brand', text: t('brand') }),
    h('nav', { 'aria-label': t('nav.label') },
      h('ul', {}, NAV.map(name => h('li', {},
        h('a', { href: '#/' + name, testid: 'nav-' + name, 'aria-current': name === nav ? 'page' : null },
          t('nav.' + name)))))),
    h('div', { class: 'session' },
      h('span', { testid: 'whoami', title: me.issuer }, who, h('span', { class: 'muted', text: ' (' + roles + tenants + ')' })),
      langButton(() => route(true)),
      h('button', {
        type: 'button', class: 'link-button', testid: 'sign-out',
        on: { click: () => auth.signOut(state.config) },
      }, t('signout'))));
}

function skipLink() {
  return h('a', {
    class: 'skip-link', href: '#main',
    on: { click: e => { e.preventDefault(); document.getElementById('main').focus(); } },
  }, t('skip'));
}

/** Renders the page the address names; `focus` moves focus to its heading (after navigation). */
async function route(focus) {
  const hash = location.hash && location.hash !== '#' ? location.hash : '#/apps';
  const found = ROUTES.map(r => ({ r, m: hash.match(r.pattern) })).find(x => x.m);
  if (!found) {
    location.replace('#/apps');
    return;
  }
  const generation = ++state.generation;
  const main = h('main', { id: 'main', tabindex: '-1', 'aria-busy': 'true' }, h('p', { class: 'muted', text: t('loading') }));
  document.documentElement.lang = lang();
  replace(root(), skipLink(), header(found.r.nav), main,
    h('div', { id: 'live', class: 'visually-hidden', role: 'status', 'aria-live': 'polite' }));
  const ctx = {
    main, config: state.config, me: state.me,
    param: found.m[1] ? decodeURIComponent(found.m[1]) : null,
    alive: () => generation === state.generation,
    announce: text => { const live = document.getElementById('live'); if (live) { live.textContent = text; } },
    rerender: () => route(false),
  };
  try {
    await found.r.page.render(ctx);
  } catch (e) {
    if (!ctx.alive()) {
      return;
    }
    replace(main, h('h1', { text: t('error.title') }), problemNotice(e));
  }
  if (!ctx.alive()) {
    return;
  }
  main.removeAttribute('aria-busy');
  const heading = main.querySelector('h1');
  document.title = (heading ? heading.textContent + ' - ' : '') + t('brand');
  if (focus && heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus();
  }
}

/** After any 401 (token expired, sign-in too old or too weak): sign in again. */
function reauthenticate(error) {
  auth.forget();
  const reason = t('signin.again', error.code || String(error.status));
  state.me = null;
  state.generation++;
  signInPage(reason, true);
}

async function boot() {
  document.documentElement.lang = lang();
  try {
    const response = await fetch('config.json', { cache: 'no-store', credentials: 'omit' });
    if (!response.ok) {
      throw new Error('config.json: HTTP ' + response.status);
    }
    state.config = await response.json();
  } catch (e) {
    replace(root(), h('main', { id: 'main' }, h('h1', { text: t('brand') }), notice('error', t('error.config'), ' ', e.message)));
    return;
  }
  try {
    await auth.completeSignIn(state.config);
  } catch (e) {
    signInPage(t('signin.failed') + ' ' + e.message);
    return;
  }
  if (!auth.token()) {
    signInPage();
    return;
  }
  onUnauthenticated(reauthenticate);
  try {
    state.me = (await call('/whoami')).body;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      return; // reauthenticate has shown the sign-in page
    }
    auth.forget();
    signInPage(e instanceof ApiError && e.status === 403 ? t('signin.notAdmin', e.code) : e.message);
    return;
  }
  window.addEventListener('hashchange', () => route(true));
  route(false);
}

boot();
