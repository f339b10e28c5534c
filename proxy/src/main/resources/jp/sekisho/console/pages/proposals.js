// 承認待ち (two-person rule): changes to critical apps held for a second administrator, with
// approve and reject for policy editors. The author cannot approve their own (the API says 403).

import { h, replace, notice, jst } from '../dom.js';
import { t } from '../i18n.js';
import { call, path, may } from '../api.js';
import { busy, describe } from '../ui.js';

/**
 * A list of the proposals within reach (only those for app `target` when given), refreshed
 * after each approval or rejection.
 */
export async function proposalList(ctx, target, onDone) {
  const box = h('div', { class: 'proposals' });
  const result = h('div', { testid: 'proposal-result', 'aria-live': 'polite' });
  const editor = may(ctx.me, 'edit');

  async function load() {
    let proposals;
    try {
      proposals = (await call('/proposals')).body.proposals || [];
    } catch (e) {
      replace(box, notice('error', describe(e)));
      return;
    }
    if (target) {
      proposals = proposals.filter(p => p.target === target);
    }
    if (!proposals.length) {
      replace(box, h('p', { class: 'muted', testid: 'proposals-none', text: t('proposals.none') }));
      return;
    }
    replace(box, h('ul', { testid: 'proposals', class: 'plain' }, proposals.map(p => {
      const act = (verb, done) => {
        const button = h('button', { type: 'button', class: verb === 'approve' ? 'primary' : 'secondary',
          testid: verb + '-' + p.id, 'aria-label': t('proposals.' + verb + 'Label', p.target) }, t('proposals.' + verb));
        button.addEventListener('click', busy(button, async () => {
          try {
            const answer = await call(path`/proposals/${p.id}/${verb}`, { method: 'POST' });
            replace(result, notice('ok', done(answer.body)));
            await load();
            if (onDone) {
              await onDone();
            }
          } catch (e) {
            replace(result, notice('error', describe(e)));
          }
        }));
        return button;
      };
      return h('li', { class: 'proposal', testid: 'proposal-' + p.id },
        h('p', {}, h('strong', { text: t('action.' + p.action) + ' ' }), h('code', { text: p.target }),
          ' ', t('proposals.by', p.author, jst(p.at))),
        p.comment ? h('p', { text: t('proposals.comment') + ' ' + p.comment }) : null,
        h('p', { class: 'muted', text: t('proposals.base') + ' ' + p.base + ' / ID ' + p.id }),
        editor ? h('p', { class: 'actions' },
          act('approve', body => t('proposals.approved', body.version || '')), ' ',
          act('reject', () => t('proposals.rejected'))) : null);
    })));
  }

  await load();
  return h('div', {}, box, result);
}

export async function render(ctx) {
  const list = await proposalList(ctx, null);
  if (!ctx.alive()) {
    return;
  }
  replace(ctx.main, h('h1', { text: t('proposals.title') }), h('p', { class: 'hint', text: t('proposals.intro') }), list);
}
