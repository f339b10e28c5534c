// Findings and errors shown beside the edit: each item names its id (L004, or the field path of
// an error) and message, marks the field it is about, and takes the person there when pressed.

import { h, replace } from '../dom.js';
import { t } from '../i18n.js';

/** Selects line `line` (from 1) of a textarea and puts the caret there. */
export function goToLine(textarea, line) {
  const lines = textarea.value.split('\n');
  const n = Math.max(1, Math.min(line || 1, lines.length));
  const start = lines.slice(0, n - 1).reduce((sum, l) => sum + l.length + 1, 0);
  textarea.focus();
  textarea.setSelectionRange(start, start + lines[n - 1].length);
  const lineHeight = textarea.scrollHeight / Math.max(lines.length, 1);
  textarea.scrollTop = Math.max(0, (n - 3) * lineHeight);
}

/** Removes the marks of an earlier check. */
export function clearMarks(root) {
  root.querySelectorAll('.flagged').forEach(el => {
    el.classList.remove('flagged');
    el.removeAttribute('aria-invalid');
  });
}

/**
 * Shows `items` in `listEl`.
 * @param items  lint findings {id, severity, rule, message} and errors {path, line, column, message}
 * @param target item → the form field it is about, or null (then the YAML editor at its line)
 */
export function showFindings(listEl, items, target, editor, root) {
  clearMarks(root);
  if (!items.length) {
    replace(listEl, h('li', { class: 'finding-none', text: t('check.noFindings') }));
    return;
  }
  replace(listEl, items.map(item => {
    const field = target(item);
    const marked = field || editor;
    marked.classList.add('flagged');
    marked.setAttribute('aria-invalid', 'true');
    const isError = item.severity === 'error' || item.path !== undefined;
    const id = item.id || item.path || '';
    const where = item.line ? t('check.where', item.line, item.column || 1) : '';
    const go = () => {
      if (field) {
        field.focus();
        field.scrollIntoView({ block: 'center' });
      } else {
        goToLine(editor, item.line);
      }
    };
    return h('li', { class: ['finding', isError ? 'finding-error' : 'finding-' + (item.severity || 'info')],
      testid: 'finding-' + id },
      h('button', { type: 'button', class: 'finding-go', on: { click: go } },
        h('span', { class: 'finding-id', text: id }), ' ',
        h('span', { class: 'severity', text: t('severity.' + (isError ? 'error' : item.severity || 'info')) }), ' ',
        h('span', { class: 'finding-message', text: item.message }),
        where ? h('span', { class: 'muted', text: ' ' + where }) : null,
        item.rule ? h('span', { class: 'muted', text: ' ' + t('check.rule', item.rule) }) : null));
  }));
}
