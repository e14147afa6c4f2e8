// One hold: a countdown to expiresAt, then order → pay → wait for the saga's verdict. The hold expiring is said
// plainly; the UI never claims "confirmed" before the order service reports it.
import { h, render, announce, focusHeading } from '../dom.js';
import { t, statusText, formatMoney } from '../i18n.js';
import { api, problemText } from '../api.js';

export const TERMINAL = ['confirmed', 'cancelled', 'expired', 'failed'];
const ORDER_POLL_MS = 400;
const key = (holdId) => `dr.hold.${holdId}`;

/** Keeps what the hold page shows (the hold answer plus what the catalog said about its slot) for this tab. */
export function rememberHold(hold, info) {
  sessionStorage.setItem(key(hold.holdId), JSON.stringify({ ...hold, ...info }));
}

const remembered = (holdId) => JSON.parse(sessionStorage.getItem(key(holdId)) ?? 'null');

function remaining(expiresAt) {
  const ms = Math.max(0, Date.parse(expiresAt) - Date.now());
  const seconds = Math.ceil(ms / 1000);
  return { ms, text: `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}` };
}

export function view(main, holdId) {
  let stopped = false;
  let ticker = null;
  let ordering = false;
  let hold = remembered(holdId);

  const status = h('p', { 'data-testid': 'hold-status' });
  const countdown = h('p', { class: 'countdown', role: 'timer', 'aria-live': 'off', 'data-testid': 'countdown' });
  const progress = h('p', { class: 'progress', 'data-testid': 'order-progress', 'aria-live': 'polite' });
  const pay = h('button', { type: 'button', 'data-testid': 'pay-button', onclick: () => orderAndPay() }, t('hold.pay'));
  const release = h('button', { type: 'button', class: 'secondary', 'data-testid': 'release-button', onclick: () => releaseHold() }, t('hold.release'));
  const actions = h('div', { class: 'actions' }, pay, release);

  function draw() {
    if (!hold) { render(main, h('h1', {}, t('hold.title')), h('p', { 'data-testid': 'hold-unknown' }, t('hold.unknown'))); return; }
    status.textContent = t('hold.status', { status: statusText(hold.status) });
    status.dataset.status = hold.status;
    render(main, h('h1', {}, t('hold.title')),
      hold.resource ? h('p', { class: 'lead' }, hold.resource) : null,
      hold.when ? h('p', {}, hold.when) : null,
      h('p', {}, `${hold.quantity} × ${hold.price !== undefined ? formatMoney(hold.price) : ''}`),
      status, countdown, actions, progress);
  }

  function tick() {
    if (stopped || !hold) return;
    const left = remaining(hold.expiresAt);
    if (hold.status === 'active' && left.ms > 0) {
      countdown.textContent = t('hold.expiresIn', { time: left.text });
      countdown.dataset.seconds = Math.ceil(left.ms / 1000);
      ticker = setTimeout(tick, 250);
      return;
    }
    if (hold.status === 'active' && !ordering) expired();
  }

  function expired() {
    hold.status = 'expired';
    status.textContent = t('hold.status', { status: statusText('expired') });
    status.dataset.status = 'expired';
    countdown.textContent = '';
    countdown.append(h('span', { 'data-testid': 'hold-expired' }, t('hold.expired')));
    pay.disabled = true;
    release.disabled = true;
    announce(t('hold.expired'), 'error');
  }

  async function releaseHold() {
    const result = await api('reservation', `/holds/${holdId}`, { method: 'DELETE' });
    if (result.ok) { hold.status = 'released'; clearTimeout(ticker); draw(); pay.disabled = true; release.disabled = true; announce(t('hold.released'), 'success'); }
    else announce(t('error.generic', { detail: problemText(result) }), 'error');
  }

  async function orderAndPay() {
    ordering = true;
    pay.disabled = true;
    release.disabled = true;
    progress.textContent = t('order.creating');
    // Stable per hold: a double click or a retry after a lost answer finds the same order.
    const created = await api('ordering', '/orders', { method: 'POST', idempotencyKey: `order-${holdId}`, body: { holdIds: [holdId] } });
    if (!created.ok) return failed(problemText(created));
    const order = created.data;
    progress.textContent = t('order.paying', { id: order.id });
    const paid = await api('ordering', `/orders/${order.id}/pay`, { method: 'POST', idempotencyKey: `pay-${order.id}` });
    if (!paid.ok && paid.status !== 409) return failed(problemText(paid));
    await follow(order.id);
  }

  async function follow(orderId) {
    while (!stopped) {
      const result = await api('ordering', `/orders/${orderId}`);
      if (!result.ok) return failed(problemText(result));
      const order = result.data;
      if (order.status === 'confirmed') return confirmed(order);
      if (TERMINAL.includes(order.status)) return failed(t('order.failed', { status: statusText(order.status), reason: order.reason ?? '' }));
      progress.textContent = t('order.waiting', { status: statusText(order.status) });
      await new Promise((resolve) => setTimeout(resolve, ORDER_POLL_MS));
    }
  }

  function confirmed(order) {
    clearTimeout(ticker);
    hold.status = 'confirmed';
    rememberHold(hold, {});
    render(main, h('h1', {}, t('order.confirmedTitle')),
      h('p', { class: 'confirmation', 'data-testid': 'confirmation', 'data-order-id': order.id, role: 'status' },
        t('order.confirmed', { id: order.id, amount: `${formatMoney(order.amount)} ${order.currency ?? ''}`.trim() })),
      hold.resource ? h('p', {}, `${hold.resource} · ${hold.when ?? ''}`) : null,
      h('p', {}, h('a', { href: `#/orders/${order.id}` }, t('order.view')), ' · ', h('a', { href: '#/orders' }, t('nav.orders'))));
    focusHeading();
  }

  function failed(detail) {
    progress.textContent = t('error.generic', { detail });
    progress.dataset.kind = 'error';
    announce(progress.textContent, 'error');
  }

  (async () => {
    const fresh = await api('reservation', `/holds/${holdId}`, { onRetry: null });
    if (stopped) return;
    if (fresh.ok) hold = { ...(hold ?? {}), ...fresh.data, expiresAt: hold?.expiresAt ?? fresh.data.expiresAt };
    draw();
    focusHeading();
    if (hold && hold.status !== 'active') { pay.disabled = true; release.disabled = true; }
    if (hold?.status === 'expired') expired();
    tick();
  })();

  return () => { stopped = true; clearTimeout(ticker); };
}
