// An app's history: the versions in which it changed (who, when, why), the diff of each, and a
// rollback to any earlier one (a new version, with the comment the person gives).

import { h, replace, notice, jst } from '../dom.js';
import { t } from '../i18n.js';
import { call, path, commentHeader } from '../api.js';
import { busy, describe } from '../ui.js';

/**
 * @param s the edit page's state: id, canEdit, etag(), comment (input), onChanged(answer),
 *          onRefused(error) for 412 and other refusals
 */
export async function historySection(s) {
  const list = h('ol', { testid: 'history', class: 'history', reversed: true });
  const diff = h('pre', { testid: 'history-diff', class: 'diff', hidden: true, tabindex: '0' });
  const section = h('section', { class: 'card', 'aria-labelledby': 'history-title' },
    h('h2', { id: 'history-title', text: t('history.title') }),
    s.canEdit ? h('p', { class: 'hint', text: t('history.rollbackHint') }) : null,
    list, diff);
  let versions = [];
  try {
    versions = (await call(path`/apps/${s.id}/history` + '?limit=20')).body.versions || [];
  } catch (e) {
    replace(list, h('li', {}, notice('error', describe(e))));
    return section;
  }
  replace(list, versions.map((v, i) => {
    const showDiff = v.number <= 1 ? null : h('button', { type: 'button', class: 'secondary', testid: 'diff-' + v.number,
      'aria-label': t('history.diffLabel', v.number) }, t('history.diff'));
    showDiff?.addEventListener('click', busy(showDiff, async () => {
      try {
        const text = (await call(path`/apps/${s.id}/diff` + '?from=' + (v.number - 1) + '&to=' + v.number)).body;
        diff.textContent = text || t('history.noDiff');
      } catch (e) {
        diff.textContent = describe(e);
      }
      diff.hidden = false;
      diff.focus();
    }));
    let rollback = null;
    if (s.canEdit && i > 0) {
      rollback = h('button', { type: 'button', class: 'secondary', testid: 'rollback-' + v.number,
        'aria-label': t('history.rollbackLabel', v.number) }, t('history.rollback'));
      rollback.addEventListener('click', busy(rollback, async () => {
        const comment = s.comment.value.trim();
        if (!comment) {
          s.needComment();
          return;
        }
        try {
          const answer = await call(path`/apps/${s.id}/rollback`, {
            method: 'POST', json: { to: v.number, comment }, headers: { 'If-Match': s.etag() },
          });
          await s.onChanged(answer, t('history.rolledBack', v.number));
        } catch (e) {
          s.onRefused(e);
        }
      }));
    }
    return h('li', { testid: 'history-' + v.number },
      h('span', { class: 'version', text: 'v' + v.number }), ' ',
      h('span', { text: jst(v.createdAt) }), ' ',
      h('span', { class: 'author', text: v.author || '' }),
      v.comment ? h('span', { class: 'comment', text: ' — ' + v.comment }) : null,
      i === 0 ? h('span', { class: 'badge', text: t('history.current') }) : null,
      ' ', showDiff, ' ', rollback);
  }));
  if (!versions.length) {
    replace(list, h('li', { class: 'muted', text: t('history.none') }));
  }
  return section;
}

/** Sends the If-Match and comment headers of a change. */
export function changeHeaders(etag, comment) {
  return { 'If-Match': etag, 'X-Sekisho-Comment': commentHeader(comment) };
}
