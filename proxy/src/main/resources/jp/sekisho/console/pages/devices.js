// 端末と利用者: a device's last posture result (from the audit records, GET /api/v1/audit/records
// ?device=), quarantine a device or a user (POST /api/v1/quarantine), the holds in force with
// release, and ending a user's browser sessions (POST /api/v1/sessions/revoke). For security
// operators (and tenant and global administrators).

import { h, replace, notice, field, jst } from '../dom.js';
import { t } from '../i18n.js';
import { call, may } from '../api.js';
import { busy, describe } from '../ui.js';

export async function render(ctx) {
  if (!may(ctx.me, 'operate')) {
    replace(ctx.main, h('h1', { text: t('devices.title') }), notice('info', t('devices.roleNeeded')));
    return;
  }
  const holds = h('ul', { testid: 'holds', class: 'plain holds' });
  const holdsStatus = h('div', { 'aria-live': 'polite' });

  const loadHolds = async () => {
    let list;
    try {
      list = (await call('/quarantine')).body.holds || [];
    } catch (e) {
      replace(holds, h('li', {}, notice('error', describe(e))));
      return;
    }
    if (!list.length) {
      replace(holds, h('li', { class: 'muted', testid: 'holds-none', text: t('devices.noHolds') }));
      return;
    }
    replace(holds, list.map(hold => {
      const key = hold.kind + '-' + hold.id;
      const reasonInput = h('input', { type: 'text', id: 'release-reason-' + key, testid: 'release-reason-' + key,
        autocomplete: 'off', maxlength: '500' });
      const release = h('button', { type: 'button', class: 'secondary', testid: 'release-' + key,
        'aria-label': t('devices.releaseLabel', t('kind.' + hold.kind), hold.id) }, t('devices.release'));
      release.addEventListener('click', busy(release, async () => {
        const reason = reasonInput.value.trim();
        if (!reason) {
          reasonInput.setAttribute('aria-invalid', 'true');
          reasonInput.classList.add('flagged');
          replace(holdsStatus, notice('error', t('devices.needReason')));
          reasonInput.focus();
          return;
        }
        try {
          await call('/quarantine/release', { method: 'POST', json: { kind: hold.kind, id: hold.id, reason } });
          replace(holdsStatus, notice('ok', t('devices.released', t('kind.' + hold.kind), hold.id)));
          await loadHolds();
        } catch (e) {
          replace(holdsStatus, notice('error', describe(e)));
        }
      }));
      return h('li', { class: 'hold', testid: 'hold-' + key },
        h('p', {}, h('strong', { text: t('kind.' + hold.kind) + ' ' }), h('code', { text: hold.id }),
          ' — ', hold.reason),
        h('p', { class: 'muted', text: t('devices.heldBy', hold.operator, jst(hold.since))
          + (hold.tenant ? ' / ' + t('apps.tenant') + ' ' + hold.tenant : '') }),
        h('div', { class: 'inline' }, field(t('devices.releaseReason'), reasonInput), release));
    }));
  };

  // quarantine
  const kind = h('select', { id: 'quarantine-kind', testid: 'quarantine-kind' },
    h('option', { value: 'device', text: t('kind.device') }), h('option', { value: 'user', text: t('kind.user') }));
  const id = h('input', { type: 'text', id: 'quarantine-id', testid: 'quarantine-id', autocomplete: 'off', required: true,
    maxlength: '200' });
  const reason = h('input', { type: 'text', id: 'quarantine-reason', testid: 'quarantine-reason', autocomplete: 'off',
    required: true, maxlength: '500' });
  const tenants = ctx.me.tenants || [];
  const tenant = tenants.length > 1 ? h('select', { id: 'quarantine-tenant', testid: 'quarantine-tenant' },
    tenants.map(code => h('option', { value: code, text: code }))) : null;
  const holdButton = h('button', { type: 'submit', class: 'danger', testid: 'quarantine-button' }, t('devices.hold'));
  const holdResult = h('div', { testid: 'quarantine-result', 'aria-live': 'polite' });
  const holdForm = h('form', { class: 'card', 'aria-labelledby': 'hold-title' },
    h('h2', { id: 'hold-title', text: t('devices.holdTitle') }),
    h('p', { class: 'hint', text: t('devices.holdIntro') }),
    h('div', { class: 'grid' }, field(t('devices.kind'), kind), field(t('devices.id'), id, t('devices.idHint')),
      field(t('devices.reason'), reason), tenant ? field(t('devices.tenant'), tenant) : null),
    holdButton, holdResult);
  holdForm.addEventListener('submit', e => {
    e.preventDefault();
    busy(holdButton, async () => {
      if (!id.value.trim() || !reason.value.trim()) {
        replace(holdResult, notice('error', t('devices.needIdAndReason')));
        (id.value.trim() ? reason : id).focus();
        return;
      }
      const body = { kind: kind.value, id: id.value.trim(), reason: reason.value.trim() };
      if (tenant) {
        body.tenant = tenant.value;
      }
      try {
        const held = (await call('/quarantine', { method: 'POST', json: body })).body;
        replace(holdResult, notice('ok', t('devices.held', t('kind.' + held.kind), held.id, held.closedConnections || 0)));
        id.value = '';
        reason.value = '';
        await loadHolds();
      } catch (e) {
        replace(holdResult, notice('error', describe(e)));
      }
    })();
  });

  // sessions
  const issuer = h('input', { type: 'text', id: 'revoke-issuer', testid: 'revoke-issuer', value: ctx.me.issuer || '',
    autocomplete: 'off' });
  const subject = h('input', { type: 'text', id: 'revoke-user', testid: 'revoke-user', autocomplete: 'off' });
  const session = h('input', { type: 'text', id: 'revoke-session', testid: 'revoke-session', autocomplete: 'off' });
  const revokeButton = h('button', { type: 'submit', class: 'danger', testid: 'revoke-button' }, t('devices.revoke'));
  const revokeResult = h('div', { testid: 'revoke-result', 'aria-live': 'polite' });
  const revokeForm = h('form', { class: 'card', 'aria-labelledby': 'revoke-title' },
    h('h2', { id: 'revoke-title', text: t('devices.revokeTitle') }),
    h('p', { class: 'hint', text: t('devices.revokeIntro') }),
    h('div', { class: 'grid' }, field(t('devices.issuer'), issuer), field(t('devices.subject'), subject, t('devices.subjectHint')),
      field(t('devices.session'), session, t('devices.sessionHint'))),
    revokeButton, revokeResult);
  revokeForm.addEventListener('submit', e => {
    e.preventDefault();
    busy(revokeButton, async () => {
      const body = session.value.trim() ? { sessionId: session.value.trim() }
        : { issuer: issuer.value.trim(), subject: subject.value.trim() };
      if (!body.sessionId && (!body.issuer || !body.subject)) {
        replace(revokeResult, notice('error', t('devices.needSubject')));
        subject.focus();
        return;
      }
      try {
        await call('/sessions/revoke', { method: 'POST', json: body });
        replace(revokeResult, notice('ok', t('devices.revoked', body.sessionId || body.subject)));
      } catch (e) {
        replace(revokeResult, notice('error', describe(e)));
      }
    })();
  });

  await loadHolds();
  if (!ctx.alive()) {
    return;
  }
  replace(ctx.main, h('h1', { text: t('devices.title') }), postureSection(), holdForm,
    h('section', { class: 'card', 'aria-labelledby': 'holds-title' },
      h('h2', { id: 'holds-title', text: t('devices.holdsTitle') }), holdsStatus, holds),
    revokeForm);
}

/** The facts of a device's latest record: what it proved, how it fared, what its posture token said. */
function postureFacts(record) {
  const device = record.device || {};
  const facts = device.facts || {};
  const os = facts.os || {};
  const edr = facts.edr || {};
  const rows = [
    [t('devices.posture.at'), jst(record.time)],
    [t('devices.posture.user'), (record.user || {}).username || '—'],
    [t('devices.posture.where'), record.app || (record.destination ? record.destination.host : '') || record.host || '—'],
    [t('devices.posture.result'), t('posture.' + (device.posture || 'not-required'))],
    [t('devices.posture.failed'), (device.failed || []).join(', ') || '—'],
    [t('devices.posture.evidence'), (device.evidence || []).join(', ') || '—'],
    [t('devices.posture.managed'), facts.managed === undefined ? '—' : String(facts.managed)],
    [t('devices.posture.compliance'), facts.compliance || '—'],
    [t('devices.posture.edr'), edr.vendor ? edr.vendor + ' (' + (edr.running ? 'running' : 'stopped') + ', ' + edr.risk + ')' : '—'],
    [t('devices.posture.disk'), facts.diskEncrypted === undefined ? '—' : String(facts.diskEncrypted)],
    [t('devices.posture.os'), os.platform ? os.platform + ' ' + os.version
      + (os.patchAgeDays === undefined ? '' : ' (' + t('devices.posture.patchAge', os.patchAgeDays) + ')') : '—'],
    [t('devices.posture.problem'), device.tokenProblem || '—'],
  ];
  return h('dl', { class: 'facts', testid: 'posture-result' }, rows.flatMap(([k, v]) => [h('dt', { text: k }),
    h('dd', { text: String(v) })]));
}

/** Look a device up: its latest audit record says what it last proved and how it fared. */
function postureSection() {
  const input = h('input', { type: 'text', id: 'posture-device', testid: 'posture-device', autocomplete: 'off',
    maxlength: '200' });
  const result = h('div', { 'aria-live': 'polite' });
  const button = h('button', { type: 'submit', testid: 'posture-lookup' }, t('devices.posture.lookup'));
  const form = h('form', {}, field(t('devices.posture.device'), input, t('devices.posture.hint')),
    button);
  form.addEventListener('submit', event => {
    event.preventDefault();
    const id = input.value.trim();
    if (!id) {
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return;
    }
    input.removeAttribute('aria-invalid');
    busy(button, async () => {
      try {
        const records = (await call('/audit/records?limit=1000&device=' + encodeURIComponent(id))).body.records || [];
        replace(result, records.length ? postureFacts(records[records.length - 1])
          : notice('info', t('devices.posture.none', id)));
      } catch (e) {
        replace(result, notice('error', describe(e)));
      }
    })();
  });
  return h('section', { class: 'card', 'aria-labelledby': 'posture-title' },
    h('h2', { id: 'posture-title', text: t('devices.posture.title') }), form, result);
}
