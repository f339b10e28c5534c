// 稼働状況: the policy version serving now, this replica's store, reload and IdP keys (GET
// /api/v1/health), the latest versions (for administrators who read the whole document), who is
// signed in, and the Grafana dashboards when the configuration names them.

import { h, replace, notice, table, jst } from '../dom.js';
import { t } from '../i18n.js';
import { call, ApiError } from '../api.js';
import { describe } from '../ui.js';

export async function render(ctx) {
  const [apps, versions, health] = await Promise.allSettled([call('/apps'), call('/policy/versions?limit=10'),
    call('/health')]);
  if (!ctx.alive()) {
    return;
  }
  const me = ctx.me;
  const grafana = ctx.config.grafanaUrl;
  let versionList;
  if (versions.status === 'fulfilled') {
    versionList = table(t('health.versionsCaption'), [t('health.col.version'), t('health.col.at'), t('health.col.author'),
      t('health.col.comment')], (versions.value.body.versions || []).map(v => h('tr', {},
      h('td', {}, h('code', { text: v.version })), h('td', { text: jst(v.createdAt) }), h('td', { text: v.author || '' }),
      h('td', { text: v.comment || '' }))));
  } else if (versions.reason instanceof ApiError && (versions.reason.status === 403 || versions.reason.status === 404)) {
    versionList = h('p', { class: 'muted', text: t('health.versionsUnavailable') });
  } else {
    versionList = notice('error', describe(versions.reason));
  }
  replace(ctx.main,
    h('h1', { text: t('health.title') }),
    h('section', { class: 'card', 'aria-labelledby': 'policy-title' },
      h('h2', { id: 'policy-title', text: t('health.policy') }),
      apps.status === 'fulfilled'
        ? h('p', { class: 'lead' }, t('health.serving'), ' ', h('code', { testid: 'policy-version', text: apps.value.body.version }))
        : notice('error', describe(apps.reason)),
      versionList),
    replicaSection(health),
    h('section', { class: 'card', 'aria-labelledby': 'me-title' },
      h('h2', { id: 'me-title', text: t('health.me') }),
      h('dl', { class: 'facts' },
        h('dt', { text: t('health.user') }), h('dd', { text: me.username || me.subject }),
        h('dt', { text: t('health.issuer') }), h('dd', { text: me.issuer }),
        h('dt', { text: t('health.roles') }), h('dd', { text: (me.roles || []).join(', ') }),
        h('dt', { text: t('health.tenants') }), h('dd', { text: (me.tenants || []).join(', ') || t('health.noTenant') }))),
    h('section', { class: 'card', 'aria-labelledby': 'dash-title' },
      h('h2', { id: 'dash-title', text: t('health.dashboards') }),
      grafana ? h('p', {}, h('a', { href: grafana, testid: 'grafana-link', rel: 'noopener noreferrer', target: '_blank' },
        t('health.grafana')), h('span', { class: 'muted', text: ' ' + t('health.newWindow') }))
        : h('p', { class: 'muted', testid: 'grafana-missing', text: t('health.noGrafana') })));
}

/** This replica as the API sees it: the version it serves, its policy store, its last reload, its IdP keys. */
function replicaSection(health) {
  if (health.status !== 'fulfilled') {
    return h('section', { class: 'card' }, h('h2', { text: t('health.replica') }), notice('error', describe(health.reason)));
  }
  const r = health.value.body;
  const store = r.policyStore || {};
  const reload = r.lastReload || {};
  return h('section', { class: 'card', 'aria-labelledby': 'replica-title' },
    h('h2', { id: 'replica-title', text: t('health.replica') }),
    h('dl', { class: 'facts' },
      h('dt', { text: t('health.replicaName') }), h('dd', { text: r.replica || '' }),
      h('dt', { text: t('health.since') }), h('dd', {}, h('code', { text: (r.policy || {}).version || '' }), ' ',
        jst((r.policy || {}).createdAt)),
      h('dt', { text: t('health.store') }), h('dd', { testid: 'health-store',
        class: store.connected ? null : 'health-bad',
        text: store.connected ? t('health.storeOk', store.kind) : t('health.storeDown', store.kind, store.lastError || '') }),
      h('dt', { text: t('health.lastReload') }), h('dd', { testid: 'health-reload',
        class: reload.succeeded ? null : 'health-bad',
        text: reload.succeeded ? t('health.reloadOk', jst(reload.at))
          : t('health.reloadFailed', jst(reload.at), (reload.errors || []).join('; ')) }),
      h('dt', { text: t('health.issuersKeys') }), h('dd', { testid: 'health-issuers',
        text: (r.issuers || []).map(i => i.keysLoaded ? t('health.keysLoaded', i.id) : t('health.keysMissing', i.id))
          .join(', ') })));
}
