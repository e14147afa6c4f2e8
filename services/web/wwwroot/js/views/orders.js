// "My reservations": the caller's orders (the ordering service scopes them to the token's subject), each with its
// status and a cancel button while cancelling still means something. Another customer's order id answers 404.
import { h, render, announce, focusHeading } from '../dom.js';
import { t, statusText, formatMoney, formatTime } from '../i18n.js';
import { api, problemText } from '../api.js';
import { session } from '../session.js';
import { TERMINAL } from './hold.js';

const CANCELLABLE = ['pending', 'awaitingPayment', 'paid', 'confirmed'];
const POLL_MS = 500;

function needSignIn(main, title) {
  if (session()) return false;
  render(main, h('h1', {}, title), h('p', {}, t('signin.needed')));
  return true;
}

function badge(status) {
  return h('span', { class: `badge badge-${status}`, 'data-testid': 'order-status', 'data-status': status }, statusText(status));
}

export function list(main) {
  let stopped = false;
  let timer = null;
  if (needSignIn(main, t('orders.title'))) return undefined;

  async function load(focus) {
    const result = await api('ordering', '/orders');
    if (stopped) return;
    if (!result.ok) { announce(t('error.generic', { detail: problemText(result) }), 'error'); return; }
    const rows = result.data.map((order) => h('li', { class: 'card', 'data-testid': 'order', 'data-order-id': order.id },
      h('h2', {}, t('order.title', { id: order.id.slice(0, 8) })),
      h('p', {}, badge(order.status), ' ', t('order.amount', { amount: `${formatMoney(order.amount)} ${order.currency ?? ''}`.trim() })),
      h('p', { class: 'muted' }, t('order.created', { time: formatTime(order.createdAt) })),
      h('div', { class: 'actions' },
        h('a', { href: `#/orders/${order.id}`, class: 'button secondary' }, t('order.view')),
        CANCELLABLE.includes(order.status)
          ? h('button', { type: 'button', 'data-testid': 'cancel-button', onclick: () => cancel(order.id, null) }, t('order.cancel'))
          : null)));
    render(main, h('h1', {}, t('orders.title')),
      rows.length ? h('ul', { class: 'cards' }, rows) : h('p', {}, t('orders.empty')));
    if (focus) focusHeading();
    // Keep statuses moving while a saga is still at work on any of them.
    if (result.data.some((o) => !TERMINAL.includes(o.status))) timer = setTimeout(() => load(false), POLL_MS * 2);
  }

  async function cancel(orderId, etag) {
    announce(t('order.cancelling'));
    const result = await api('ordering', `/orders/${orderId}/cancel`, { method: 'POST', ifMatch: etag ?? undefined });
    if (!result.ok) { announce(t('error.generic', { detail: problemText(result) }), 'error'); return; }
    await waitForTerminal(orderId, () => stopped);
    clearTimeout(timer);
    await load(false);
  }

  load(true);
  return () => { stopped = true; clearTimeout(timer); };
}

/** Polls until the order reaches a terminal status; announces a completed cancellation. */
async function waitForTerminal(orderId, isStopped) {
  while (!isStopped()) {
    const result = await api('ordering', `/orders/${orderId}`);
    if (!result.ok) return null;
    if (TERMINAL.includes(result.data.status)) {
      if (result.data.status === 'cancelled') announce(t('order.cancelled'), 'success');
      return result;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return null;
}

export function detail(main, orderId) {
  let stopped = false;
  if (needSignIn(main, t('order.title', { id: orderId.slice(0, 8) }))) return undefined;

  async function load(focus) {
    const result = await api('ordering', `/orders/${orderId}`);
    if (stopped) return;
    if (result.status === 404) {
      render(main, h('h1', {}, t('order.title', { id: orderId.slice(0, 8) })),
        h('p', { 'data-testid': 'order-not-found', role: 'alert' }, t('order.notFound')));
      if (focus) focusHeading();
      return;
    }
    if (!result.ok) { announce(t('error.generic', { detail: problemText(result) }), 'error'); return; }
    const order = result.data;
    render(main, h('h1', {}, t('order.title', { id: order.id.slice(0, 8) })),
      h('p', {}, badge(order.status)),
      order.reason ? h('p', { class: 'muted' }, order.reason) : null,
      h('ul', {}, order.lines.map((line) => h('li', {}, t('order.lines', { quantity: line.quantity, price: formatMoney(line.unitPrice) })))),
      h('p', {}, t('order.amount', { amount: `${formatMoney(order.amount)} ${order.currency ?? ''}`.trim() })),
      h('p', { class: 'muted' }, t('order.created', { time: formatTime(order.createdAt) })),
      CANCELLABLE.includes(order.status)
        ? h('button', { type: 'button', 'data-testid': 'cancel-button', onclick: async () => {
          // If-Match with the ETag of the GET: cancelling what the customer looked at, not something newer.
          const cancelled = await api('ordering', `/orders/${order.id}/cancel`, { method: 'POST', ifMatch: result.etag ?? undefined });
          if (!cancelled.ok) { announce(t('error.generic', { detail: problemText(cancelled) }), 'error'); await load(false); return; }
          announce(t('order.cancelling'));
          await waitForTerminal(order.id, () => stopped);
          await load(false);
        } }, t('order.cancel'))
        : null);
    if (focus) focusHeading();
  }

  load(true);
  return () => { stopped = true; };
}
