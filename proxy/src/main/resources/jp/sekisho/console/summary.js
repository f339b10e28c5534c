// One app's policy in a sentence staff can read, from the app as parsed from its YAML:
// 「LGWAN系から、顔認証またはOTP(15分以内)、管理端末のみ、対象: shimin-ka」.
// Pure functions (no DOM, no API): the browser tests run them as a table.

/** What each network model asks for (docs/policy.md, Network models). */
const MODELS = {
  'alpha': { kinds: ['lgwan'], mfa: false, posture: {} },
  'alpha-prime-1': { kinds: ['lgwan'], mfa: true, posture: { managed: true } },
  'alpha-prime-2': { kinds: ['lgwan'], mfa: true, posture: { managed: true } },
  'alpha-prime-3': { kinds: ['lgwan'], mfa: true, posture: { managed: true } },
  'beta': { kinds: ['internet', 'telework'], mfa: true, posture: { managed: true, edr: true } },
  'beta-prime': { kinds: ['internet', 'telework'], mfa: true,
    posture: { managed: true, compliant: true, edr: true, diskEncrypted: true } },
};

const WORDS = {
  ja: {
    kinds: { lgwan: 'LGWAN系', internet: 'インターネット系', telework: 'テレワーク', mynumber: 'マイナンバー系' },
    methods: { face: '顔認証', otp: 'OTP', hwk: 'ハードウェアキー', swk: 'ソフトウェアキー', pwd: 'パスワード',
      sms: 'SMS', fpt: '指紋', pin: 'PIN', mfa: '多要素認証' },
    from: list => list.join('・') + 'から',
    anywhere: 'どのネットワークからでも',
    or: 'または',
    within: age => '(' + age + '以内)',
    minutes: n => n + '分', hours: n => n + '時間', seconds: n => n + '秒', days: n => n + '日',
    twoFactors: '多要素認証(2要素)',
    factors: n => '多要素認証(' + n + '要素)',
    noMfa: '多要素認証なし',
    managed: '管理端末のみ',
    details: { compliant: '準拠', edr: 'EDR稼働', diskEncrypted: '暗号化', screenLock: '画面ロック' },
    detailList: list => '(' + list.join('・') + ')',
    anyDevice: '端末の条件なし',
    deviceChecks: '端末の条件あり',
    who: list => '対象: ' + list.join('・'),
    everyone: '対象: サインインした全員',
    nobody: '許可ルールなし',
    join: parts => parts.join('、'),
  },
  en: {
    kinds: { lgwan: 'the LGWAN side', internet: 'the internet side', telework: 'telework', mynumber: 'the My Number side' },
    methods: { face: 'face', otp: 'OTP', hwk: 'hardware key', swk: 'software key', pwd: 'password', sms: 'SMS',
      fpt: 'fingerprint', pin: 'PIN', mfa: 'MFA' },
    from: list => 'from ' + list.join(', '),
    anywhere: 'from any network',
    or: ' or ',
    within: age => ' (within ' + age + ')',
    minutes: n => n + ' min', hours: n => n + ' h', seconds: n => n + ' s', days: n => n + ' d',
    twoFactors: 'MFA (two factors)',
    factors: n => 'MFA (' + n + ' factors)',
    noMfa: 'no MFA',
    managed: 'managed devices only',
    details: { compliant: 'compliant', edr: 'EDR running', diskEncrypted: 'encrypted', screenLock: 'screen lock' },
    detailList: list => ' (' + list.join(', ') + ')',
    anyDevice: 'any device',
    deviceChecks: 'device checks',
    who: list => 'for ' + list.join(', '),
    everyone: 'for everyone signed in',
    nobody: 'no allow rule',
    join: parts => parts.join('; '),
  },
};

const KINDS = ['lgwan', 'internet', 'telework', 'mynumber'];

/** A duration as people say it: 900 → 15分, 28800 → 8時間. */
export function duration(seconds, lang = 'ja') {
  const w = WORDS[lang] || WORDS.ja;
  const s = Number(seconds);
  if (s % 86400 === 0) {
    return w.days(s / 86400);
  }
  if (s % 3600 === 0) {
    return w.hours(s / 3600);
  }
  if (s % 60 === 0) {
    return w.minutes(s / 60);
  }
  return w.seconds(s);
}

function list(value) {
  return Array.isArray(value) ? value.map(String) : value === undefined || value === null ? [] : [String(value)];
}

function unique(values) {
  return [...new Set(values)];
}

/** The segments the app's allow rules name (in order, once each). */
export function ruleSegments(app) {
  const rules = app && Array.isArray(app.allow) ? app.allow : [];
  return unique(rules.flatMap(rule => list(rule && rule.segments)));
}

/**
 * Where from: the rules' segments (as their kinds when known, else their names), or the
 * model's kinds when no rule names a segment.
 * @param segments Map of segment id → {name, kind} from the whole document, when readable
 */
function reach(app, segments, w) {
  const rules = Array.isArray(app.allow) ? app.allow : [];
  const named = ruleSegments(app);
  const unrestricted = rules.length === 0 || rules.some(rule => list(rule && rule.segments).length === 0);
  const model = MODELS[app.model];
  if (named.length === 0 || unrestricted && !model) {
    return model ? w.from(model.kinds.map(k => w.kinds[k])) : w.anywhere;
  }
  const labels = named.map(id => {
    const known = segments && segments.get(id);
    const kind = known && known.kind ? known.kind : KINDS.includes(id) ? id : null;
    return kind && w.kinds[kind] ? w.kinds[kind] : known && known.name ? known.name : id;
  });
  if (unrestricted && model) {
    model.kinds.forEach(k => labels.push(w.kinds[k]));
  }
  return w.from(unique(labels));
}

function mfa(app, defaults, w, lang) {
  const section = app.mfa !== undefined ? app.mfa : defaults && defaults.mfa;
  const model = MODELS[app.model];
  if (!section || typeof section !== 'object') {
    return model && model.mfa ? w.twoFactors : w.noMfa;
  }
  const methods = list(section.anyOf);
  const byMethod = section.maxAgeSecondsByMethod && typeof section.maxAgeSecondsByMethod === 'object'
    ? section.maxAgeSecondsByMethod : {};
  const ageOf = m => byMethod[m] !== undefined ? byMethod[m] : section.maxAgeSeconds;
  if (methods.length === 0) {
    const factors = section.minFactorClasses ? w.factors(section.minFactorClasses) : w.twoFactors;
    return section.maxAgeSeconds ? factors + w.within(duration(section.maxAgeSeconds, lang)) : factors;
  }
  const name = m => w.methods[m] || m;
  const ages = unique(methods.map(m => String(ageOf(m))));
  if (ages.length === 1) {
    const age = ageOf(methods[0]);
    return methods.map(name).join(w.or) + (age !== undefined && age !== null ? w.within(duration(age, lang)) : '');
  }
  return methods.map(m => name(m) + (ageOf(m) !== undefined ? w.within(duration(ageOf(m), lang)) : '')).join(w.or);
}

function posture(app, defaults, w) {
  const section = app.posture !== undefined ? app.posture : defaults && defaults.posture;
  const own = section && typeof section === 'object' ? section : {};
  const floor = (MODELS[app.model] || {}).posture || {};
  const facts = {
    managed: own.managed === true || floor.managed === true,
    compliant: own.compliant === true || floor.compliant === true,
    edr: Boolean(own.edr && own.edr.running) || floor.edr === true,
    diskEncrypted: own.diskEncrypted === true || floor.diskEncrypted === true,
    screenLock: own.screenLock === true,
  };
  const details = ['compliant', 'edr', 'diskEncrypted', 'screenLock'].filter(k => facts[k]).map(k => w.details[k]);
  if (facts.managed) {
    return w.managed + (details.length ? w.detailList(details) : '');
  }
  if (details.length || Object.keys(own).length) {
    return w.deviceChecks + (details.length ? w.detailList(details) : '');
  }
  return w.anyDevice;
}

function who(app, w) {
  const rules = Array.isArray(app.allow) ? app.allow : [];
  if (rules.length === 0) {
    return w.nobody;
  }
  if (rules.some(rule => !rule || list(rule.groups).length + list(rule.users).length === 0 && !rule.claims)) {
    return w.everyone;
  }
  return w.who(unique(rules.flatMap(rule => list(rule.groups).concat(list(rule.users)))));
}

/**
 * The sentence for one app.
 * @param app      the app as parsed from its YAML
 * @param context  {segments: Map id → {name, kind}, defaults: the document's defaults} when
 *                 the whole document is readable, else {}
 */
export function summarize(app, context = {}, lang = 'ja') {
  const w = WORDS[lang] || WORDS.ja;
  if (!app || typeof app !== 'object') {
    return '';
  }
  return w.join([reach(app, context.segments, w), mfa(app, context.defaults, w, lang),
    posture(app, context.defaults, w), who(app, w)]);
}

/** The MFA methods a requirement accepts, as a short label (for the apps table). */
export function mfaLabel(app, context = {}, lang = 'ja') {
  return mfa(app || {}, context.defaults, WORDS[lang] || WORDS.ja, lang);
}

/** The device requirement, as a short label (for the apps table). */
export function postureLabel(app, context = {}, lang = 'ja') {
  return posture(app || {}, context.defaults, WORDS[lang] || WORDS.ja);
}

/** The segments and defaults of a whole policy document, for summaries. */
export function documentContext(doc) {
  const segments = new Map();
  (Array.isArray(doc && doc.segments) ? doc.segments : []).forEach(s => {
    if (s && s.id !== undefined) {
      segments.set(String(s.id), { name: s.name, kind: s.kind });
    }
  });
  return { segments, defaults: doc && typeof doc.defaults === 'object' ? doc.defaults : null };
}
