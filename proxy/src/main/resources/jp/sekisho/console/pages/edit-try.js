// Trying an edit before applying it: one request simulated under the serving policy and under
// the draft (POST /api/v1/simulate), and the recorded requests replayed under the draft
// (POST /api/v1/apps/{id}/replay).

import { h, replace, notice, field, table, jst } from '../dom.js';
import { t } from '../i18n.js';
import { call, path } from '../api.js';
import { parse, write } from '../yaml.js';
import { withApp } from '../policydoc.js';
import { busy, describe, todayJst } from '../ui.js';

function words(text) {
  return String(text).split(/[,\s、，]+/).map(s => s.trim()).filter(Boolean);
}

function verdictCells(v) {
  return [
    h('td', {}, h('strong', { class: 'decision decision-' + v.decision, text: t('decision.' + v.decision) })),
    h('td', { text: (v.reasons || []).join(', ') || '—' }),
    h('td', { text: v.rule || '—' }),
  ];
}

/**
 * The simulate section.
 * @param s the edit page's state: id, hosts, editor, document ({doc} when the whole document is readable)
 */
export function simulateSection(s) {
  const user = h('input', { type: 'text', id: 'sim-user', testid: 'simulate-user', autocomplete: 'off' });
  const groups = h('input', { type: 'text', id: 'sim-groups', testid: 'simulate-groups', autocomplete: 'off' });
  const mfa = h('input', { type: 'text', id: 'sim-mfa', testid: 'simulate-mfa', autocomplete: 'off', value: 'face' });
  const age = h('input', { type: 'number', id: 'sim-age', testid: 'simulate-age', min: '0', step: '1', value: '60' });
  const reqPath = h('input', { type: 'text', id: 'sim-path', testid: 'simulate-path', value: '/' });
  const source = h('input', { type: 'text', id: 'sim-from', testid: 'simulate-from', autocomplete: 'off',
    inputmode: 'decimal' });
  const host = h('select', { id: 'sim-host', testid: 'simulate-host' }, s.hosts.map(x => h('option', { value: x, text: x })));
  const result = h('div', { testid: 'simulate-result', class: 'result', 'aria-live': 'polite' });
  const button = h('button', { type: 'button', testid: 'simulate-button' }, t('simulate.button'));

  button.addEventListener('click', busy(button, async () => {
    const request = {
      host: host.value, path: reqPath.value || '/', method: 'GET', user: user.value.trim() || undefined,
      groups: words(groups.value), methods: words(mfa.value),
      authAgeSeconds: age.value === '' ? undefined : Number(age.value),
      from: source.value.trim() || undefined,
    };
    replace(result, h('p', { class: 'muted', text: t('loading') }));
    let draft = null;
    let draftProblem = null;
    if (s.currentOnly) {
      draftProblem = null; // a read-only page has no draft to try
    } else if (s.document && s.document.doc) {
      try {
        draft = write(withApp(s.document.doc, s.id, parse(s.editor.value)));
      } catch (e) {
        draftProblem = t('simulate.draftUnreadable', e.message);
      }
    } else {
      draftProblem = t('simulate.noDraft');
    }
    const runs = [call('/simulate', { method: 'POST', json: request })];
    if (draft) {
      runs.push(call('/simulate', { method: 'POST', json: { ...request, draft } }));
    }
    const answers = await Promise.allSettled(runs);
    const rows = answers.map((a, i) => h('tr', { testid: i === 0 ? 'simulate-current' : 'simulate-draft' },
      h('th', { scope: 'row', text: i === 0 ? t('simulate.current') : t('simulate.draft') }),
      a.status === 'fulfilled' ? verdictCells(a.value.body)
        : h('td', { colspan: '3', class: 'error-text', text: describe(a.reason) })));
    replace(result,
      table(t('simulate.caption', request.host + request.path), [t('simulate.policy'), t('simulate.decision'),
        t('simulate.reasons'), t('simulate.rule')], rows),
      draftProblem ? notice('info', draftProblem) : null);
  }));

  return h('section', { class: 'card', 'aria-labelledby': 'sim-title' },
    h('h2', { id: 'sim-title', text: t('simulate.title') }),
    h('p', { class: 'hint', text: t('simulate.intro') }),
    h('div', { class: 'grid' },
      field(t('simulate.user'), user),
      field(t('simulate.groups'), groups, t('form.listHint')),
      field(t('simulate.mfa'), mfa, t('simulate.mfaHint')),
      field(t('simulate.age'), age),
      field(t('simulate.host'), host),
      field(t('simulate.path'), reqPath),
      field(t('simulate.from'), source, t('simulate.fromHint'))),
    button, result);
}

/** The replay section (policy editors): what the draft would have decided for recorded requests. */
export function replaySection(s) {
  const from = h('input', { type: 'date', id: 'replay-from', testid: 'replay-from', value: todayJst(-7) });
  const to = h('input', { type: 'date', id: 'replay-to', testid: 'replay-to' });
  const result = h('div', { testid: 'replay-result', class: 'result', 'aria-live': 'polite' });
  const button = h('button', { type: 'button', testid: 'replay-button' }, t('replay.button'));
  button.addEventListener('click', busy(button, async () => {
    replace(result, h('p', { class: 'muted', text: t('loading') }));
    try {
      const body = { yaml: s.editor.value, examples: 10 };
      if (from.value) {
        body.from = from.value;
      }
      if (to.value) {
        body.to = to.value;
      }
      const report = (await call(path`/apps/${s.id}/replay`, { method: 'POST', json: body })).body;
      replace(result, replayReport(report));
    } catch (e) {
      replace(result, notice('error', describe(e)));
    }
  }));
  return h('section', { class: 'card', 'aria-labelledby': 'replay-title' },
    h('h2', { id: 'replay-title', text: t('replay.title') }),
    h('p', { class: 'hint', text: t('replay.intro') }),
    h('div', { class: 'grid' }, field(t('replay.from'), from), field(t('replay.to'), to)),
    button, result);
}

function replayReport(r) {
  const examples = Object.entries(r.examples || {}).flatMap(([kind, list]) => list.map(e => ({ kind, ...e })));
  const changes = Object.entries(r.changes || {});
  return h('div', {},
    h('p', { class: r.outcomesChanged > 0 ? 'warn-text' : 'ok-text',
      text: t('replay.summary', r.total || 0, r.replayed || 0, r.unchanged || 0, r.changed || 0, r.outcomesChanged || 0) }),
    changes.length ? h('ul', {}, changes.map(([kind, n]) => h('li', { text: t('change.' + kind) + ': ' + n }))) : null,
    examples.length ? table(t('replay.examples'), [t('replay.col.time'), t('replay.col.user'), t('replay.col.request'),
      t('replay.col.before'), t('replay.col.after')], examples.map(e => h('tr', {},
      h('td', { text: jst(e.time) }), h('td', { text: e.user || '—' }),
      h('td', { text: (e.method || '') + ' ' + (e.host || '') + (e.path || '') }),
      h('td', { text: t('decision.' + e.before.decision) + ' (' + (e.before.reasons || []).join(', ') + ')' }),
      h('td', { text: t('decision.' + e.after.decision) + ' (' + (e.after.reasons || []).join(', ') + ')' })))) : null);
}
