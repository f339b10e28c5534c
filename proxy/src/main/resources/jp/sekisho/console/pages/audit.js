// アクセスログ: search the audit records (GET /api/v1/audit/records) by period, user, app and
// decision; device and reason narrow the answer in the browser (the API has no such filters).
// A record's detail shows every fact it holds and the rule that decided; the current search
// can be saved as CSV, built here from what is on the page.

import { h, replace, notice, field, table, jst } from '../dom.js';
import { t } from '../i18n.js';
import { call, may } from '../api.js';
import { csv, download } from '../csv.js';
import { busy, describe, todayJst } from '../ui.js';

const DECISIONS = ['allow', 'deny', 'unauthenticated', 'step-up'];

/** The key a record is known by: its request id, or an operator action's id. */
export function recordId(r) {
  return r.requestId || r.actionId || String(r.seq);
}

function userOf(r) {
  if (r.user) {
    return r.user.username || r.user.subject || '';
  }
  return r.operator || '';
}

/** What was asked: an app request, a forward-proxy destination, or an operator's action. */
export function requestText(r) {
  if (r.kind === 'admin') {
    return (r.action || '') + ' ' + (r.target ? r.target.kind + ' ' + r.target.id : '');
  }
  if (r.destination) {
    return (r.method || 'CONNECT') + ' ' + (r.destination.host || '') + ':' + (r.destination.port || '');
  }
  return (r.method || '') + ' ' + (r.host || '') + (r.path || '');
}

/** Every fact of a record as [path, text] pairs, nested objects flattened (device.facts.edr.running). */
export function facts(record, prefix = '') {
  const out = [];
  for (const [key, value] of Object.entries(record || {})) {
    const name = prefix ? prefix + '.' + key : key;
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      out.push(...facts(value, name));
    } else if (Array.isArray(value)) {
      out.push([name, value.map(v => typeof v === 'object' ? JSON.stringify(v) : String(v)).join(', ')]);
    } else {
      out.push([name, value === null ? '' : String(value)]);
    }
  }
  return out;
}

/** The columns of the CSV export. */
export const CSV_COLUMNS = [
  ['time', r => r.time], ['requestId', r => recordId(r)], ['kind', r => r.kind], ['tenant', r => r.tenant],
  ['user', r => userOf(r)], ['subject', r => r.user && r.user.subject], ['groups', r => r.user && r.user.groups],
  ['methods', r => r.user && r.user.methods], ['app', r => r.app], ['method', r => r.method], ['host', r => r.host],
  ['path', r => r.path],
  ['destination', r => r.destination && (r.destination.host + ':' + r.destination.port)], ['entry', r => r.entry], ['source', r => r.source], ['segment', r => r.segment], ['device', r => r.device && r.device.id],
  ['posture', r => r.device && r.device.posture], ['decision', r => r.decision || r.action], ['reasons', r => r.reasons],
  ['rule', r => r.rule], ['policyVersion', r => r.policyVersion], ['status', r => r.status],
  ['target', r => r.target && (r.target.kind + ' ' + r.target.id)], ['reason', r => r.reason],
].map(([title, value]) => ({ title, value }));

export async function render(ctx) {
  if (!may(ctx.me, 'audit')) {
    replace(ctx.main, h('h1', { text: t('audit.title') }), notice('info', t('audit.roleNeeded')));
    return;
  }
  const appsList = await call('/apps').then(a => a.body.apps || []).catch(() => []);
  if (!ctx.alive()) {
    return;
  }
  const input = (id, props = {}) => h('input', { id, testid: id, autocomplete: 'off', ...props });
  const from = input('audit-from', { type: 'datetime-local', value: todayJst() + 'T00:00' });
  const to = input('audit-to', { type: 'datetime-local' });
  const user = input('audit-user', { type: 'text' });
  const app = input('audit-app', { type: 'text', list: 'audit-apps' });
  const device = input('audit-device', { type: 'text' });
  const reason = input('audit-reason', { type: 'text' });
  const decision = h('select', { id: 'audit-decision', testid: 'audit-decision' },
    h('option', { value: '', text: t('audit.anyDecision') }),
    DECISIONS.map(d => h('option', { value: d, text: t('decision.' + d) })));
  const limit = h('select', { id: 'audit-limit', testid: 'audit-limit' },
    ['100', '500', '1000', '5000'].map(n => h('option', { value: n, text: n, selected: n === '1000' })));
  const search = h('button', { type: 'submit', class: 'primary', testid: 'audit-search' }, t('audit.search'));
  const exportButton = h('button', { type: 'button', testid: 'audit-export-csv', disabled: true }, t('audit.export'));
  const status = h('div', { testid: 'audit-status', 'aria-live': 'polite' });
  const results = h('div', { testid: 'audit-results' });
  const detail = h('section', { testid: 'audit-detail', class: 'card', tabindex: '-1', hidden: true,
    'aria-labelledby': 'audit-detail-title' });
  let shown = [];

  const showDetail = record => {
    const rows = facts(record);
    replace(detail,
      h('h2', { id: 'audit-detail-title', text: t('audit.detailTitle', recordId(record)) }),
      h('p', { class: 'lead' }, h('strong', { text: t('audit.decidedBy') + ' ' }),
        h('code', { testid: 'audit-detail-rule', text: record.rule || t('audit.noRule') }),
        record.policyVersion ? [' ', t('audit.inVersion'), ' ', h('code', { text: record.policyVersion })] : null,
        record.app ? [' · ', h('a', { href: '#/apps/' + encodeURIComponent(record.app), text: t('audit.openApp', record.app) })]
          : null),
      h('dl', { class: 'facts' }, rows.map(([k, v]) => [h('dt', { text: k }), h('dd', { text: v })])),
      h('button', { type: 'button', class: 'secondary', on: { click: () => { detail.hidden = true; } } }, t('audit.closeDetail')));
    detail.hidden = false;
    detail.focus();
  };

  const run = async () => {
    const params = new URLSearchParams();
    for (const [name, el] of [['from', from], ['to', to], ['user', user], ['app', app], ['decision', decision]]) {
      if (el.value.trim()) {
        params.set(name, el.value.trim());
      }
    }
    params.set('limit', limit.value);
    replace(status, h('p', { class: 'muted', text: t('loading') }));
    let answer;
    try {
      answer = (await call('/audit/records?' + params)).body;
    } catch (e) {
      replace(status, notice('error', describe(e)));
      return;
    }
    const wantDevice = device.value.trim();
    const wantReason = reason.value.trim();
    shown = (answer.records || []).filter(r => (!wantDevice || r.device && String(r.device.id || '').includes(wantDevice))
      && (!wantReason || (r.reasons || []).some(x => x.includes(wantReason)) || String(r.reason || '').includes(wantReason)))
      .reverse();
    exportButton.disabled = shown.length === 0;
    replace(status, h('p', { role: 'status' }, t('audit.found', shown.length),
      answer.truncated ? h('strong', { class: 'warn-text', text: ' ' + t('audit.truncated') }) : null,
      wantDevice || wantReason ? h('span', { class: 'muted', text: ' ' + t('audit.clientFiltered') }) : null));
    replace(results, shown.length === 0 ? null : table(t('audit.caption'), [t('audit.col.time'), t('audit.col.user'),
      t('audit.col.app'), t('audit.col.request'), t('audit.col.device'), t('audit.col.decision'), t('audit.col.reasons')],
    shown.map(r => {
      const id = recordId(r);
      return h('tr', { testid: 'audit-row-' + id },
        h('td', {}, h('button', { type: 'button', class: 'link-button', testid: 'audit-open-' + id,
          'aria-label': t('audit.openLabel', jst(r.time), userOf(r)), on: { click: () => showDetail(r) } }, jst(r.time))),
        h('td', { text: userOf(r) }),
        h('td', { text: r.app || (r.kind === 'breakout' ? t('audit.breakout', r.entry || '—') : '') }),
        h('td', { class: 'request', text: requestText(r) }),
        h('td', { text: r.device ? r.device.id || '' : '' }),
        h('td', {}, r.decision ? h('span', { class: 'decision decision-' + r.decision, text: t('decision.' + r.decision) })
          : h('span', { class: 'muted', text: r.kind || '' })),
        h('td', { text: (r.reasons || []).join(', ') }));
    })));
  };

  exportButton.addEventListener('click', () => {
    const stamp = new Date().toISOString().replace(/[-:]/g, '').slice(0, 13);
    download('sekisho-audit-' + stamp + '.csv', csv(CSV_COLUMNS, shown));
    ctx.announce(t('audit.exported', shown.length));
  });

  const form = h('form', { role: 'search', class: 'search', 'aria-label': t('audit.searchLabel') },
    h('div', { class: 'grid' },
      field(t('audit.from'), from, t('audit.jst')), field(t('audit.to'), to, t('audit.jst')),
      field(t('audit.user'), user), field(t('audit.app'), app), field(t('audit.device'), device),
      field(t('audit.reason'), reason), field(t('audit.decision'), decision), field(t('audit.limit'), limit)),
    h('datalist', { id: 'audit-apps' }, appsList.map(a => h('option', { value: a.id, text: a.name || a.id }))),
    h('p', { class: 'actions' }, search, ' ', exportButton));
  form.addEventListener('submit', e => {
    e.preventDefault();
    busy(search, run)();
  });

  replace(ctx.main, h('h1', { text: t('audit.title') }), h('p', { class: 'hint', text: t('audit.intro') }),
    form, status, results, detail);
}
