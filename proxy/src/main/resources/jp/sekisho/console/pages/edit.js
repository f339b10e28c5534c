// One app (#/apps/ID): its policy in words, the form for common settings and the YAML for the
// rest, check (validation and lint), diff, simulate, replay, apply with If-Match and a comment,
// the conflict when someone changed it meanwhile, history with rollback, and proposals.
// A viewer gets the same page read-only: no form, no apply, no rollback.

import { h, replace, notice, field } from '../dom.js';
import { t, lang } from '../i18n.js';
import { call, path, may, ApiError } from '../api.js';
import { parse, write } from '../yaml.js';
import { summarize, documentContext } from '../summary.js';
import { loadDocument } from '../policydoc.js';
import { busy, describe } from '../ui.js';
import { appForm } from './edit-form.js';
import { showFindings, clearMarks } from './edit-checks.js';
import { simulateSection, replaySection } from './edit-try.js';
import { historySection, changeHeaders } from './edit-history.js';
import { proposalList } from './proposals.js';
import { servingSummary } from './apps.js';

function safeParse(text) {
  try {
    return parse(text);
  } catch {
    return null;
  }
}

/** Drafts kept across a reload after a conflict, by app id, so an edit can be redone. */
const drafts = new Map();

export async function render(ctx) {
  const id = ctx.param;
  const [answer, whole] = await Promise.all([call(path`/apps/${id}`),
    loadDocument().catch(() => ({ unavailable: 0 }))]);
  if (!ctx.alive()) {
    return;
  }
  const app = answer.body;
  const s = {
    id, app, original: app.yaml, etagValue: app.etag, document: whole,
    context: whole.doc ? documentContext(whole.doc) : {},
    canEdit: may(ctx.me, 'edit'), hosts: app.hosts && app.hosts.length ? app.hosts : [id],
  };
  s.etag = () => s.etagValue;

  // what serves now (the API's words), and what the edit would make of it (made here from the YAML)
  const summary = h('p', { class: 'summary lead', testid: 'app-summary-' + id,
    text: servingSummary(app, safeParse(app.yaml), s.context, lang(), '') });
  const draftSummary = h('p', { class: 'summary', testid: 'draft-summary', 'aria-live': 'polite' });
  const updateSummary = text => {
    if (text === s.original) {
      draftSummary.textContent = '';
      return;
    }
    try {
      draftSummary.textContent = t('edit.draftSummary') + ' ' + summarize(parse(text), s.context, lang());
    } catch {
      draftSummary.textContent = t('edit.summaryUnavailable');
    }
  };

  const heading = [h('p', { class: 'breadcrumb' }, h('a', { href: '#/apps', text: t('apps.title') })),
    h('h1', {}, app.name || id, ' ', h('code', { text: id })), summary, draftSummary,
    h('p', { class: 'muted' }, t('edit.etag'), ' ', h('code', { testid: 'etag', text: app.etag }), ' · ',
      t('edit.version'), ' ', h('code', { text: app.version }))];

  s.editor = h('textarea', { id: 'yaml-editor', testid: 'yaml-editor', class: 'yaml', spellcheck: 'false',
    rows: String(Math.min(40, Math.max(12, app.yaml.split('\n').length + 2))), readOnly: !s.canEdit,
    autocomplete: 'off', 'aria-describedby': 'yaml-hint' });
  s.editor.value = app.yaml;

  if (!s.canEdit) {
    replace(ctx.main, ...heading,
      notice('info', t('edit.readOnly')),
      h('section', { class: 'card' }, h('h2', { text: t('edit.yamlTitle') }),
        h('p', { class: 'hint', id: 'yaml-hint', text: t('edit.yamlReadOnlyHint') }),
        h('label', { for: 'yaml-editor', class: 'visually-hidden', text: t('edit.yamlTitle') }), s.editor),
      simulateSection({ ...s, currentOnly: true }),
      await historySection({ ...s, comment: null }),
      h('section', { class: 'card' }, h('h2', { text: t('proposals.title') }), await proposalList(ctx, id)));
    return;
  }

  // The form and the YAML view show the same app: a change of the form rewrites the YAML (its
  // comments are lost), a change of the YAML refills the form.
  const yamlProblem = h('div', { id: 'yaml-problem', 'aria-live': 'polite' });
  const formNote = h('p', { class: 'notice notice-warn', id: 'form-note', text: t('edit.formLosesComments') });
  const rewritten = h('p', { class: 'hint', 'aria-live': 'polite' });
  const dirty = h('p', { class: 'hint', testid: 'dirty', 'aria-live': 'polite' });
  const segmentIds = s.context.segments ? [...s.context.segments.keys()] : [];
  const form = appForm({ segmentIds, onChange: () => {
    let current;
    try {
      current = parse(s.editor.value);
    } catch (e) {
      return;
    }
    s.editor.value = write(form.applyTo(current));
    rewritten.textContent = /(^|\s)#/.test(s.original) ? t('edit.rewrittenNoComments') : t('edit.rewritten');
    changed();
  } });
  const changed = () => {
    updateSummary(s.editor.value);
    dirty.textContent = s.editor.value === s.original ? '' : t('edit.unsaved');
  };
  const refill = () => {
    try {
      const parsed = parse(s.editor.value);
      form.fill(parsed);
      form.setDisabled(false);
      replace(yamlProblem);
    } catch (e) {
      form.setDisabled(true);
      replace(yamlProblem, notice('error', t('edit.yamlUnreadable'), ' ', e.message));
    }
  };
  const edited = () => {
    rewritten.textContent = '';
    refill();
    changed();
  };
  s.editor.addEventListener('input', edited);
  s.editor.addEventListener('change', edited);
  refill();

  // check: validation and lint, and the diff against what serves
  const findings = h('ul', { testid: 'findings', class: 'findings', 'aria-live': 'polite' });
  const diff = h('pre', { testid: 'diff', class: 'diff', tabindex: '0', 'aria-label': t('edit.diffTitle') });
  diff.textContent = t('edit.diffFirst');
  const checkButton = h('button', { type: 'button', testid: 'check-button' }, t('check.button'));
  const check = async () => {
    try {
      const result = (await call(path`/apps/${id}/check`, { method: 'POST', yaml: s.editor.value })).body;
      showFindings(findings, result.findings || [], form.fieldFor, s.editor, ctx.main);
      diff.textContent = result.diff || t('edit.noDiff');
      ctx.announce(t('check.done', (result.findings || []).length));
    } catch (e) {
      showRefusal(e);
    }
  };
  checkButton.addEventListener('click', busy(checkButton, check));

  // apply: If-Match with the ETag read, and the comment
  const comment = h('input', { type: 'text', id: 'comment', testid: 'comment', maxlength: '500', required: true,
    autocomplete: 'off' });
  s.comment = comment;
  const applyResult = h('div', { testid: 'apply-result', class: 'result', 'aria-live': 'polite' });
  const conflictBox = h('div', { id: 'conflict-box' });
  const applyButton = h('button', { type: 'button', class: 'primary', testid: 'apply-button' }, t('apply.button'));
  s.needComment = () => {
    comment.classList.add('flagged');
    comment.setAttribute('aria-invalid', 'true');
    replace(applyResult, notice('error', t('apply.needComment')));
    comment.focus();
  };

  /** A refusal: 412 shows the conflict, 422 the errors, anything else its message. */
  const showRefusal = e => {
    if (e instanceof ApiError && e.status === 412) {
      drafts.set(id, s.editor.value);
      const reload = h('button', { type: 'button', class: 'primary', testid: 'conflict-reload',
        on: { click: () => ctx.rerender() } }, t('conflict.reload'));
      replace(conflictBox, h('div', { class: 'notice notice-error', role: 'alert', testid: 'conflict' },
        h('h2', { text: t('conflict.title') }),
        h('p', { text: t('conflict.body') }),
        h('p', { class: 'muted', text: 'HTTP 412 ' + e.code + (e.headers && e.headers.get('etag')
          ? ' · ' + t('conflict.current') + ' ' + e.headers.get('etag') : '') }),
        reload));
      replace(applyResult);
      reload.focus();
      return;
    }
    if (e instanceof ApiError && e.status === 422 && e.body && Array.isArray(e.body.errors)) {
      showFindings(findings, e.body.errors.map(x => ({ ...x, severity: 'error' })), form.fieldFor, s.editor, ctx.main);
      replace(applyResult, notice('error', t('apply.invalid'), ' ', e.message));
      findings.querySelector('button')?.focus();
      return;
    }
    replace(applyResult, notice('error', describe(e)));
  };
  s.onRefused = showRefusal;

  /** After a change applied (200) or was held (202): say so and show the new state. */
  s.onChanged = async (answer, what) => {
    replace(conflictBox);
    clearMarks(ctx.main);
    if (answer.status === 202) {
      replace(applyResult, h('div', { class: 'notice notice-warn', role: 'status', testid: 'proposal-held' },
        h('p', { text: t('apply.held') }), h('p', {}, t('apply.proposalId'), ' ', h('code', { text: answer.body.id })),
        h('p', {}, h('a', { href: '#/proposals', text: t('apply.toProposals') }))));
      await refreshSide();
      return;
    }
    const fresh = (await call(path`/apps/${id}`)).body;
    s.original = fresh.yaml;
    s.etagValue = fresh.etag;
    summary.textContent = servingSummary(fresh, safeParse(fresh.yaml), s.context, lang(), '');
    s.editor.value = fresh.yaml;
    ctx.main.querySelector('[data-testid="etag"]').textContent = fresh.etag;
    comment.value = '';
    refill();
    changed();
    replace(applyResult, notice('ok', what + ' ', h('code', { text: answer.body.version })));
    ctx.announce(what);
    s.document = await loadDocument().catch(() => ({ unavailable: 0 }));
    await refreshSide();
  };

  applyButton.addEventListener('click', busy(applyButton, async () => {
    const text = comment.value.trim();
    if (!text) {
      s.needComment();
      return;
    }
    comment.classList.remove('flagged');
    comment.removeAttribute('aria-invalid');
    try {
      const answer = await call(path`/apps/${id}`, { method: 'PUT', yaml: s.editor.value,
        headers: changeHeaders(s.etag(), text) });
      await s.onChanged(answer, t('apply.done'));
    } catch (e) {
      showRefusal(e);
    }
  }));

  const historyHolder = h('div');
  const proposalsHolder = h('section', { class: 'card', 'aria-labelledby': 'proposals-title' });
  const refreshSide = async () => {
    const [history, proposals] = await Promise.all([historySection(s), proposalList(ctx, id, () => ctx.rerender())]);
    replace(historyHolder, history);
    replace(proposalsHolder, h('h2', { id: 'proposals-title', text: t('proposals.title') }), proposals);
  };

  const earlier = drafts.get(id);
  drafts.delete(id);
  replace(ctx.main, ...heading,
    earlier ? h('details', { class: 'card', open: true, testid: 'earlier-draft' },
      h('summary', { text: t('conflict.yourDraft') }), h('pre', { class: 'yaml', text: earlier })) : null,
    h('div', { class: 'edit-layout' },
      h('section', { class: 'card', 'aria-labelledby': 'form-title' },
        h('h2', { id: 'form-title', text: t('edit.formTitle') }), formNote, form.el, rewritten),
      h('section', { class: 'card', 'aria-labelledby': 'yaml-title' },
        h('h2', { id: 'yaml-title', text: t('edit.yamlTitle') }),
        h('p', { class: 'hint', id: 'yaml-hint', text: t('edit.yamlHint') }),
        h('label', { for: 'yaml-editor', class: 'visually-hidden', text: t('edit.yamlTitle') }),
        s.editor, yamlProblem, dirty)),
    h('section', { class: 'card', 'aria-labelledby': 'check-title' },
      h('h2', { id: 'check-title', text: t('check.title') }),
      h('p', { class: 'hint', text: t('check.intro') }),
      checkButton,
      h('h3', { text: t('check.findings') }), findings,
      h('h3', { text: t('edit.diffTitle') }), diff),
    simulateSection(s),
    replaySection(s),
    h('section', { class: 'card', 'aria-labelledby': 'apply-title' },
      h('h2', { id: 'apply-title', text: t('apply.title') }),
      h('p', { class: 'hint', text: t('apply.intro') }),
      field(t('apply.comment'), comment, t('apply.commentHint')),
      applyButton, conflictBox, applyResult),
    historyHolder,
    proposalsHolder);
  await refreshSide();
}
