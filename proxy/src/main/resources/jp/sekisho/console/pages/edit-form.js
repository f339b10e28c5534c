// The edit page's form for the common settings (owner, network model preset, MFA methods and age,
// each allow rule's groups and segments, managed devices, file controls). It reads the app as
// parsed from the YAML and writes its values back into a copy of it; every other key is left as it is.

import { h, replace, checkbox, field } from '../dom.js';
import { t } from '../i18n.js';

/** The MFA methods the form offers; any other method in anyOf is kept as it is. */
export const FORM_METHODS = ['face', 'otp', 'hwk'];

/** The network-model presets of the 総務省 guideline (docs/policy.md). */
export const PRESETS = ['alpha', 'alpha-prime-1', 'alpha-prime-2', 'alpha-prime-3', 'beta', 'beta-prime'];

function list(value) {
  return Array.isArray(value) ? value.map(String) : value === undefined || value === null ? [] : [String(value)];
}

/** `app` with `owner` placed after its name (or id), where people look for it. */
function withOwner(app, owner) {
  const out = {};
  const after = 'name' in app ? 'name' : 'id';
  for (const [key, value] of Object.entries(app)) {
    out[key] = value;
    if (key === after) {
      out.owner = owner;
    }
  }
  if (out.owner === undefined) {
    out.owner = owner;
  }
  return out;
}

function words(text) {
  return String(text).split(/[,\s、，]+/).map(s => s.trim()).filter(Boolean);
}

/**
 * @param options.segmentIds the document's segment ids, when known (offered as suggestions)
 * @param options.onChange   called after the person changed a field
 */
export function appForm({ segmentIds = [], onChange }) {
  const owner = h('input', { type: 'text', id: 'f-owner', testid: 'app-owner', autocomplete: 'off', maxlength: '200' });
  const methods = FORM_METHODS.map(m => ({ m, ...checkbox('f-mfa-' + m, t('method.' + m), { testid: 'mfa-anyof-' + m }) }));
  const maxAge = h('input', { type: 'number', id: 'f-mfa-max-age', testid: 'mfa-max-age', min: '60', step: '1',
    inputmode: 'numeric' });
  const managed = checkbox('f-posture-managed', t('form.managed'), { testid: 'posture-managed' });
  const model = h('select', { id: 'f-model', testid: 'model-preset' },
    h('option', { value: '', text: t('form.modelDefault') }), PRESETS.map(p => h('option', { value: p, text: t('model.' + p) })));
  const blockFrom = h('input', { type: 'text', id: 'f-files-block-from', testid: 'files-block-from', autocomplete: 'off',
    list: 'f-segment-ids' });
  const refuseMyNumber = checkbox('f-files-mynumber', t('form.refuseMyNumber'), { testid: 'files-refuse-mynumber' });
  const rulesBox = h('div', { class: 'rules' });
  const segmentList = h('datalist', { id: 'f-segment-ids' }, segmentIds.map(id => h('option', { value: id })));
  let rules = [];
  let ruleKey = '';

  const mfaSet = h('fieldset', { id: 'f-mfa', class: 'group' },
    h('legend', { text: t('form.mfa') }),
    h('p', { class: 'hint', id: 'f-mfa-hint', text: t('form.mfaHint') }),
    h('div', { class: 'checks', role: 'group', 'aria-describedby': 'f-mfa-hint' }, methods.map(x => x.el)),
    field(t('form.maxAge'), maxAge, t('form.maxAgeHint')));

  const el = h('fieldset', { class: 'app-form', id: 'app-form' },
    h('legend', { text: t('form.legend') }),
    field(t('form.owner'), owner, t('form.ownerHint')),
    field(t('form.model'), model, t('form.modelHint')),
    mfaSet,
    h('fieldset', { class: 'group' }, h('legend', { text: t('form.rules') }), rulesBox),
    h('fieldset', { class: 'group', id: 'f-posture' }, h('legend', { text: t('form.posture') }), managed.el),
    h('fieldset', { class: 'group', id: 'f-files' }, h('legend', { text: t('form.files') }),
      field(t('form.blockFrom'), blockFrom, t('form.blockFromHint')), refuseMyNumber.el),
    segmentList);
  // 'change' too: some ways of editing (autofill, a script clearing a field) send no 'input'
  el.addEventListener('input', () => onChange());
  el.addEventListener('change', () => onChange());

  function buildRules(app) {
    const allow = Array.isArray(app.allow) ? app.allow : [];
    rules = allow.map((rule, index) => {
      const id = rule && rule.id !== undefined ? String(rule.id) : String(index);
      const groups = h('input', { type: 'text', id: 'f-rule-' + index + '-groups', testid: 'rule-groups-' + id,
        autocomplete: 'off' });
      const segments = h('input', { type: 'text', id: 'f-rule-' + index + '-segments', testid: 'rule-segments-' + id,
        autocomplete: 'off', list: 'f-segment-ids' });
      return { id, index, groups, segments, el: h('fieldset', { class: 'rule' },
        h('legend', {}, t('form.rule'), ' ', h('code', { text: id })),
        field(t('form.groups'), groups, t('form.listHint')),
        field(t('form.segments'), segments, t('form.listHint'))) };
    });
    replace(rulesBox, rules.length ? rules.map(r => r.el) : h('p', { class: 'muted', text: t('form.noRules') }));
  }

  /** Shows the values of `app` (the parsed YAML). */
  function fill(app) {
    const a = app && typeof app === 'object' ? app : {};
    owner.value = a.owner === undefined || a.owner === null ? '' : String(a.owner);
    const mfa = a.mfa && typeof a.mfa === 'object' ? a.mfa : {};
    const anyOf = list(mfa.anyOf);
    methods.forEach(x => { x.box.checked = anyOf.includes(x.m); });
    maxAge.value = mfa.maxAgeSeconds === undefined || mfa.maxAgeSeconds === null ? '' : String(mfa.maxAgeSeconds);
    managed.box.checked = Boolean(a.posture && a.posture.managed === true);
    model.value = PRESETS.includes(String(a.model)) ? String(a.model) : '';
    const files = a.fileControls && typeof a.fileControls === 'object' ? a.fileControls : {};
    blockFrom.value = list((files.downloads || {}).blockFrom).join(', ');
    refuseMyNumber.box.checked = Boolean(files.uploads && files.uploads.refuseMyNumber === true);
    const key = JSON.stringify((Array.isArray(a.allow) ? a.allow : []).map(r => r && r.id));
    if (key !== ruleKey) {
      ruleKey = key;
      buildRules(a);
    }
    const allow = Array.isArray(a.allow) ? a.allow : [];
    rules.forEach(r => {
      const rule = allow[r.index] || {};
      r.groups.value = list(rule.groups).join(', ');
      r.segments.value = list(rule.segments).join(', ');
    });
  }

  /** A copy of `app` with the form's values written into it. */
  function applyTo(app) {
    let out = structuredClone(app && typeof app === 'object' ? app : {});
    const ownerText = owner.value.trim();
    if (ownerText && out.owner === undefined) {
      out = withOwner(out, ownerText);
    } else if (ownerText) {
      out.owner = ownerText;
    } else {
      delete out.owner;
    }
    const mfa = out.mfa && typeof out.mfa === 'object' ? out.mfa : {};
    const chosen = methods.filter(x => x.box.checked).map(x => x.m);
    const anyOf = list(mfa.anyOf).filter(m => !FORM_METHODS.includes(m) || chosen.includes(m));
    chosen.forEach(m => { if (!anyOf.includes(m)) { anyOf.push(m); } });
    if (anyOf.length) {
      mfa.anyOf = anyOf;
    } else {
      delete mfa.anyOf;
    }
    if (maxAge.value.trim() === '') {
      delete mfa.maxAgeSeconds;
    } else {
      mfa.maxAgeSeconds = Number(maxAge.value);
    }
    if (Object.keys(mfa).length) {
      out.mfa = mfa;
    } else {
      delete out.mfa;
    }
    const allow = Array.isArray(out.allow) ? out.allow : [];
    rules.forEach(r => {
      const rule = allow[r.index];
      if (!rule || typeof rule !== 'object') {
        return;
      }
      for (const [key, input] of [['groups', r.groups], ['segments', r.segments]]) {
        const values = words(input.value);
        if (values.length) {
          rule[key] = values;
        } else {
          delete rule[key];
        }
      }
    });
    const posture = out.posture && typeof out.posture === 'object' ? out.posture : {};
    if (managed.box.checked) {
      posture.managed = true;
    } else {
      delete posture.managed;
    }
    if (Object.keys(posture).length) {
      out.posture = posture;
    } else {
      delete out.posture;
    }
    if (model.value) {
      out.model = model.value;
    } else if (PRESETS.includes(String(out.model))) {
      delete out.model;
    }
    writeFiles(out);
    return out;
  }

  /** The file controls into `out`: only what the form shows; an emptied section goes (the defaults apply). */
  function writeFiles(out) {
    const files = out.fileControls && typeof out.fileControls === 'object' ? out.fileControls : {};
    const downloads = files.downloads && typeof files.downloads === 'object' ? files.downloads : {};
    const uploads = files.uploads && typeof files.uploads === 'object' ? files.uploads : {};
    const blocked = words(blockFrom.value);
    if (blocked.length) {
      downloads.blockFrom = blocked;
    } else {
      delete downloads.blockFrom;
    }
    if (refuseMyNumber.box.checked) {
      uploads.refuseMyNumber = true;
    } else if (uploads.refuseMyNumber === true) {
      uploads.refuseMyNumber = false; // said in so many words: the defaults may refuse, this app does not
    }
    for (const [key, section] of [['downloads', downloads], ['uploads', uploads]]) {
      if (Object.keys(section).length) {
        files[key] = section;
      } else {
        delete files[key];
      }
    }
    if (Object.keys(files).length) {
      out.fileControls = files;
    } else {
      delete out.fileControls;
    }
  }

  /**
   * The field a finding or an error is about, or null when the form does not show it.
   * @param item {id, rule} of a lint finding, or {path} of an error (apps[0].mfa.maxAgeSeconds)
   */
  function fieldFor(item) {
    const byRule = id => rules.find(r => r.id === String(id));
    if (item.id === 'L004') {
      return owner;
    }
    if (item.id === 'L003') {
      return methods[0].box;
    }
    if ((item.id === 'L001' || item.id === 'L002' || item.id === 'L006') && item.rule && byRule(item.rule)) {
      return byRule(item.rule).groups;
    }
    const p = String(item.path || '').replace(/^apps\[\d+\]\.?/, '');
    if (!p) {
      return null;
    }
    if (p === 'owner') {
      return owner;
    }
    if (p.startsWith('mfa.maxAgeSeconds')) {
      return maxAge;
    }
    if (p === 'mfa' || p.startsWith('mfa.anyOf')) {
      return methods[0].box;
    }
    if (p.startsWith('posture.managed')) {
      return managed.box;
    }
    if (p === 'model') {
      return model;
    }
    if (p.startsWith('fileControls.downloads.blockFrom')) {
      return blockFrom;
    }
    if (p.startsWith('fileControls.uploads.refuseMyNumber')) {
      return refuseMyNumber.box;
    }
    const rule = p.match(/^allow\[(\d+)\]\.(groups|segments)/);
    if (rule) {
      const r = rules.find(x => x.index === Number(rule[1]));
      return r ? r[rule[2]] : null;
    }
    return null;
  }

  function setDisabled(disabled) {
    el.disabled = disabled;
  }

  return { el, fill, applyTo, fieldFor, setDisabled };
}
