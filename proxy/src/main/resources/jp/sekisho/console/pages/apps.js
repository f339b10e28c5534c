// アプリ一覧: every app within reach, with its model, segments, MFA and device requirements,
// owner and last change, and a sentence that says the policy in plain words.

import { h, replace, notice, table, jst } from '../dom.js';
import { t, lang } from '../i18n.js';
import { call, path, may } from '../api.js';
import { parse } from '../yaml.js';
import { summarize, mfaLabel, postureLabel, ruleSegments, documentContext } from '../summary.js';
import { loadDocument } from '../policydoc.js';

/** One app's YAML (parsed) and its last change; a failure leaves the row with what the list says. */
async function details(id) {
  const [app, history] = await Promise.allSettled([
    call(path`/apps/${id}`),
    call(path`/apps/${id}/history` + '?limit=1'),
  ]);
  let parsed = null;
  let problem = null;
  if (app.status === 'fulfilled') {
    try {
      parsed = parse(app.value.body.yaml);
    } catch (e) {
      problem = e.message;
    }
  } else {
    problem = app.reason.message;
  }
  const last = history.status === 'fulfilled' ? (history.value.body.versions || [])[0] : null;
  return { parsed, last, problem };
}

export async function render(ctx) {
  const [list, whole] = await Promise.all([call('/apps'), loadDocument().catch(() => ({ unavailable: 0 }))]);
  const apps = list.body.apps || [];
  const rows = await Promise.all(apps.map(app => details(app.id).then(d => ({ app, ...d }))));
  if (!ctx.alive()) {
    return;
  }
  const context = whole.doc ? documentContext(whole.doc) : {};
  const editor = may(ctx.me, 'edit');
  const l = lang();
  replace(ctx.main,
    h('h1', { text: t('apps.title') }),
    h('p', { class: 'muted' }, t('apps.version'), ' ', h('code', { text: list.body.version })),
    apps.length === 0 ? notice('info', t('apps.none')) : table(t('apps.caption'), [
      t('apps.col.app'), t('apps.col.model'), t('apps.col.segments'), t('apps.col.mfa'), t('apps.col.posture'),
      t('apps.col.owner'), t('apps.col.lastChange'), t('apps.col.actions'),
    ], rows.map(row => appRow(row, context, editor, l)), { class: 'apps' }));
}

/**
 * The sentence for an app: the API's (from the policy serving now, with presets and defaults
 * applied) when it gives one, else made here from the app's YAML.
 */
export function servingSummary(app, parsed, context, l, problem) {
  if (app.summary && app.summary[l]) {
    return app.summary[l];
  }
  return parsed ? summarize(parsed, context, l) : t('apps.unreadable', problem || '');
}

function appRow({ app, parsed, last, problem }, context, editor, l) {
  const id = app.id;
  const segments = parsed ? ruleSegments(parsed) : [];
  return h('tr', { testid: 'app-row-' + id },
    h('th', { scope: 'row' },
      h('span', { class: 'app-name', text: app.name || id }), ' ', h('code', { text: id }),
      app.critical ? h('span', { class: 'badge', text: t('apps.critical') }) : null,
      h('p', { class: 'summary', testid: 'app-summary-' + id, text: servingSummary(app, parsed, context, l, problem) }),
      app.tenant ? h('p', { class: 'muted', text: t('apps.tenant') + ' ' + app.tenant }) : null),
    h('td', { text: app.preset || (parsed && parsed.model) || '—' }),
    h('td', { text: (app.segments || segments).length ? (app.segments || segments).join(', ') : '—' }),
    h('td', { text: parsed ? mfaLabel(parsed, context, l) : '—' }),
    h('td', { text: parsed ? postureLabel(parsed, context, l) : '—' }),
    h('td', { text: app.owner || '—' }),
    h('td', {}, last ? [h('span', { text: jst(last.createdAt) }), h('br'),
      h('span', { text: 'v' + last.number + ' ' + (last.author || '') }),
      last.comment ? h('span', { class: 'muted', text: ' — ' + last.comment }) : null] : '—'),
    h('td', {}, editor
      ? h('a', { class: 'button', href: '#/apps/' + encodeURIComponent(id), testid: 'edit-' + id,
        'aria-label': t('apps.editLabel', app.name || id) }, t('apps.edit'))
      : h('a', { class: 'button secondary', href: '#/apps/' + encodeURIComponent(id), testid: 'view-' + id,
        'aria-label': t('apps.viewLabel', app.name || id) }, t('apps.view'))));
}
