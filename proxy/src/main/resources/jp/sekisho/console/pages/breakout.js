// ローカルブレイクアウト: the allowlist of the policy's breakout section (GET /api/v1/policy,
// read here), each entry with its category and ISMAP registration; registrations that end
// within 60 days are marked, expired ones too. The section is part of the whole document, which
// only some administrators may read: the others are told so.

import { h, replace, notice, table } from '../dom.js';
import { t } from '../i18n.js';
import { call, ApiError } from '../api.js';
import { loadDocument } from '../policydoc.js';
import { todayJst, daysBetween } from '../ui.js';

/** The warning period of `sekisho policy lint` (B001) and the alert: 60 days. */
export const EXPIRY_WARNING_DAYS = 60;

function date(value) {
  if (value === undefined || value === null || value === '') {
    return null;
  }
  const text = value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10);
  return /^\d{4}-\d{2}-\d{2}$/.test(text) ? text : null;
}

/**
 * The ISMAP state of an entry on `today` (YYYY-MM-DD, Japan): {state, days} with state one of
 * none, not-yet-valid, expired, expiring (within 60 days), valid.
 */
export function ismapState(entry, today) {
  const ismap = entry && entry.ismap;
  if (!ismap || typeof ismap !== 'object') {
    return { state: 'none' };
  }
  const from = date(ismap.validFrom);
  const until = date(ismap.validUntil);
  if (from && daysBetween(today, from) > 0) {
    return { state: 'not-yet-valid', days: daysBetween(today, from) };
  }
  if (!until) {
    return { state: 'valid' };
  }
  const days = daysBetween(today, until);
  if (days < 0) {
    return { state: 'expired', days };
  }
  return { state: days <= EXPIRY_WARNING_DAYS ? 'expiring' : 'valid', days };
}

/** How far back the refused-destination report looks, and how many refusal records it reads. */
export const REFUSED_DAYS = 30;
export const REFUSED_LIMIT = 1000;

/** The first reasons that mean "not on the allowlist" (as `sekisho audit shadow-it` counts them). */
const NOT_LISTED = ['destination-not-allowed', 'destination-port-not-allowed', 'destination-ip-literal'];

/**
 * The refused destinations among audit records, most refused first: [{destination, refusals,
 * users, segments}] where segments is "id (n)" for the three most frequent.
 */
export function refusedDestinations(records) {
  const byDestination = new Map();
  for (const record of records || []) {
    if (!record || record.kind !== 'breakout' || record.decision !== 'deny'
      || !Array.isArray(record.reasons) || !NOT_LISTED.includes(record.reasons[0])) {
      continue;
    }
    const d = record.destination || {};
    const key = String(d.host || '').toLowerCase() + (d.port && d.port !== 443 ? ':' + d.port : '');
    const row = byDestination.get(key) || { destination: key, refusals: 0, users: new Set(), segments: new Map() };
    row.refusals++;
    if (record.user && record.user.username) {
      row.users.add(record.user.username);
    }
    const segment = record.segment || '-';
    row.segments.set(segment, (row.segments.get(segment) || 0) + 1);
    byDestination.set(key, row);
  }
  return [...byDestination.values()].sort((a, b) => b.refusals - a.refusals || a.destination.localeCompare(b.destination))
    .map(row => ({ destination: row.destination, refusals: row.refusals, users: row.users.size,
      segments: [...row.segments.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([id, n]) => id + ' (' + n + ')')
        .join(', ') }));
}

/** The report section, filled from the audit query (audit-reader); its absence is explained. */
async function refusedSection(ctx) {
  const from = new Date(Date.now() - REFUSED_DAYS * 86400 * 1000).toISOString();
  let body;
  try {
    body = (await call('/audit/records?decision=deny&limit=' + REFUSED_LIMIT + '&from=' + encodeURIComponent(from))).body;
  } catch (e) {
    if (!(e instanceof ApiError) || (e.status !== 403 && e.status !== 404)) {
      throw e;
    }
    return h('section', { class: 'card', testid: 'breakout-refused' }, h('h2', { text: t('breakout.refused', REFUSED_DAYS) }),
      h('p', { class: 'muted', text: t('breakout.refusedUnavailable') }));
  }
  const rows = refusedDestinations(body.records);
  return h('section', { class: 'card', testid: 'breakout-refused' },
    h('h2', { text: t('breakout.refused', REFUSED_DAYS) }),
    h('p', { class: 'hint', text: t('breakout.refusedIntro') }),
    body.truncated ? h('p', { class: 'muted', text: t('breakout.refusedTruncated', REFUSED_LIMIT) }) : null,
    rows.length ? table(null, [t('breakout.col.destination'), t('breakout.col.refusals'), t('breakout.col.users'),
      t('breakout.col.fromSegments')], rows.slice(0, 20).map(row => h('tr', { testid: 'refused-' + row.destination },
      h('th', { scope: 'row' }, h('code', { text: row.destination })), h('td', { text: String(row.refusals) }),
      h('td', { text: String(row.users) }), h('td', { text: row.segments }))))
      : h('p', { class: 'muted', text: t('breakout.refusedNone') }));
}

function list(value) {
  return Array.isArray(value) ? value.map(String) : value === undefined || value === null ? [] : [String(value)];
}

export async function render(ctx) {
  const whole = await loadDocument();
  if (!ctx.alive()) {
    return;
  }
  if (!whole.doc) {
    replace(ctx.main, h('h1', { text: t('breakout.title') }),
      notice('info', h('span', { testid: 'breakout-unavailable', text: t('breakout.unavailable', whole.unavailable) })));
    return;
  }
  const breakout = whole.doc.breakout && typeof whole.doc.breakout === 'object' ? whole.doc.breakout : null;
  if (!breakout) {
    replace(ctx.main, h('h1', { text: t('breakout.title') }), notice('info', t('breakout.none')));
    return;
  }
  const today = todayJst();
  const entries = Array.isArray(breakout.allowlist) ? breakout.allowlist : [];
  const states = entries.map(e => ismapState(e, today));
  const expiring = states.filter(s => s.state === 'expiring').length;
  const expired = states.filter(s => s.state === 'expired').length;
  const parents = Array.isArray(breakout.parents) ? breakout.parents : [];
  replace(ctx.main,
    h('h1', { text: t('breakout.title') }),
    h('p', { class: 'hint', text: t('breakout.intro', EXPIRY_WARNING_DAYS) }),
    expiring || expired ? notice('warn', t('breakout.attention', expiring, expired)) : null,
    h('p', {}, t('breakout.mode'), ' ', h('code', { text: breakout.ismapExpired || 'enforce' }), ' · ',
      t('breakout.today'), ' ', today),
    entries.length ? table(t('breakout.caption'), [t('breakout.col.entry'), t('breakout.col.domains'),
      t('breakout.col.ports'), t('breakout.col.category'), t('breakout.col.ismap'), t('breakout.col.validity'),
      t('breakout.col.state')], entries.map((entry, i) => {
      const s = states[i];
      const id = entry && entry.id !== undefined ? String(entry.id) : String(i);
      const ismap = entry.ismap && typeof entry.ismap === 'object' ? entry.ismap : {};
      return h('tr', { testid: 'breakout-row-' + id,
        class: s.state === 'expiring' ? 'ismap-expiring' : s.state === 'expired' ? 'ismap-expired' : null },
      h('th', { scope: 'row' }, h('code', { text: id }), entry.name ? h('p', { class: 'muted', text: entry.name }) : null,
        entry.deviceOnly ? h('span', { class: 'badge', text: t('breakout.deviceOnly') }) : null),
      h('td', { text: list(entry.domains).concat(list(entry.addresses)).join(', ') }),
      h('td', { text: list(entry.ports).join(', ') || '443' }),
      h('td', { text: entry.category ? t('category.' + entry.category) : '—' }),
      h('td', { text: ismap.id || '—' }),
      h('td', { text: (date(ismap.validFrom) || '') + (ismap.validFrom || ismap.validUntil ? ' 〜 ' : '')
        + (date(ismap.validUntil) || '') || '—' }),
      h('td', { class: 'ismap-state' }, h('span', { text: t('ismap.' + s.state, Math.abs(s.days || 0)) })));
    }), { class: 'breakout' }) : notice('info', t('breakout.empty')),
    parents.length ? h('section', { class: 'card' }, h('h2', { text: t('breakout.parents') }),
      h('ul', {}, parents.map(p => h('li', {}, h('code', { text: String(p.id) }), ' → ', String(p.address || ''),
        ' (' + t('breakout.segments') + ' ' + list(p.segments).join(', ') + ')')))) : null);
  const refused = await refusedSection(ctx);
  if (ctx.alive()) {
    ctx.main.append(refused);
  }
}
