// Pieces several pages share: how an API failure is shown, and the period of a search.

import { h, notice } from './dom.js';
import { t } from './i18n.js';
import { ApiError } from './api.js';

/** An API failure as a person can act on it; 404 reads "not found", as the API means it. */
export function problemNotice(e) {
  if (e instanceof ApiError) {
    if (e.status === 404) {
      return notice('error', h('span', { testid: 'not-found', text: t('error.notFound') }));
    }
    if (e.status === 403) {
      return notice('error', t('error.forbidden'), ' ', h('code', { text: e.code }), ' ', e.message);
    }
    if (e.status === 0) {
      return notice('error', t('error.unreachable'), ' ', e.message);
    }
    return notice('error', t('error.api', e.status), ' ', h('code', { text: e.code }), ' ', e.message);
  }
  return notice('error', String(e && e.message ? e.message : e));
}

/** Today's date in Japan (2026-11-24), whatever the browser's time zone. */
export function todayJst(offsetDays = 0) {
  const date = new Date(Date.now() + offsetDays * 86400000);
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(date);
}

/** Whole days from `from` to `to`, both YYYY-MM-DD. */
export function daysBetween(from, to) {
  const a = Date.UTC(...from.split('-').map((v, i) => Number(v) - (i === 1 ? 1 : 0)));
  const b = Date.UTC(...to.split('-').map((v, i) => Number(v) - (i === 1 ? 1 : 0)));
  return Math.round((b - a) / 86400000);
}

/**
 * A button that shows it is working while `action` runs and ignores presses meanwhile. It stays
 * enabled (aria-disabled, not disabled), so keyboard focus stays on it.
 */
export function busy(button, action) {
  return async (...args) => {
    if (button.getAttribute('aria-disabled') === 'true') {
      return;
    }
    button.setAttribute('aria-disabled', 'true');
    button.setAttribute('aria-busy', 'true');
    try {
      await action(...args);
    } finally {
      button.removeAttribute('aria-disabled');
      button.removeAttribute('aria-busy');
    }
  };
}

/** An error as text (for messages inside results). */
export function describe(e) {
  if (e instanceof ApiError) {
    return e.status + ' ' + (e.code ? e.code + ': ' : '') + e.message;
  }
  return String(e && e.message ? e.message : e);
}
