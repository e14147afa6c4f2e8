// Browsing: resources, then one resource's slots with live availability (polled from the reservation service) and
// a hold form per slot. A refused hold (409) shows the latest availability the answer carried.
import { h, render, announce, field, focusHeading } from '../dom.js';
import { t, formatTime, formatMoney } from '../i18n.js';
import { api, newIdempotencyKey, problemText } from '../api.js';
import { session } from '../session.js';
import { rememberHold } from './hold.js';

export const AVAILABILITY_POLL_MS = 1500;

export function list(main) {
  render(main, h('h1', {}, t('catalog.title')), h('p', { class: 'muted' }, '…'));
  (async () => {
    const result = await api('catalog', '/resources');
    if (!result.ok) { announce(t('error.generic', { detail: problemText(result) }), 'error'); return; }
    const items = result.data.map((r) => h('li', { class: 'card', 'data-testid': 'resource' },
      h('h2', {}, r.name),
      h('p', { class: 'muted' }, t(`kind.${r.kind}`)),
      r.description ? h('p', {}, r.description) : null,
      h('a', { href: `#/resources/${r.id}`, class: 'button', 'data-testid': 'resource-link', 'aria-label': `${t('catalog.open')}: ${r.name}` },
        t('catalog.open'))));
    render(main, h('h1', {}, t('catalog.title')),
      items.length ? h('ul', { class: 'cards' }, items) : h('p', {}, t('catalog.empty')));
    focusHeading();
  })();
}

export function resource(main, resourceId) {
  let stopped = false;
  let timer = null;
  const cards = new Map();

  (async () => {
    const [res, slots] = await Promise.all([
      api('catalog', `/resources/${resourceId}`),
      api('catalog', `/resources/${resourceId}/slots`),
    ]);
    if (stopped) return;
    if (!res.ok || !slots.ok) { announce(t('error.generic', { detail: problemText(res.ok ? slots : res) }), 'error'); return; }

    const cache = slots.headers.get('X-Cache') ?? '?';
    for (const slot of slots.data) cards.set(slot.id, slotCard(slot, res.data));
    render(main,
      h('p', {}, h('a', { href: '#/' }, t('catalog.back'))),
      h('h1', {}, res.data.name),
      h('p', { class: 'muted', 'data-testid': 'cache-state', 'data-cache': cache }, t('catalog.cache', { state: cache })),
      cards.size ? h('ul', { class: 'cards' }, [...cards.values()].map((c) => c.element)) : h('p', {}, t('catalog.noSlots')));
    focusHeading();
    poll();
  })();

  async function poll() {
    await Promise.all([...cards.values()].map((card) => card.refresh()));
    if (!stopped) timer = setTimeout(poll, AVAILABILITY_POLL_MS);
  }

  return () => { stopped = true; clearTimeout(timer); };
}

function slotCard(slot, resourceInfo) {
  const inputId = `qty-${slot.id}`;
  const availability = h('p', { class: 'availability', 'data-testid': 'availability', 'aria-live': 'polite' }, t('slot.loading'));
  const message = h('p', { class: 'slot-message', 'data-testid': 'slot-message', role: 'alert', hidden: true });
  const quantity = h('input', { id: inputId, type: 'number', min: 1, max: slot.capacity, value: 1, inputmode: 'numeric', required: true });
  const button = h('button', { type: 'submit', 'data-testid': 'hold-button' }, t('slot.hold'));
  const form = h('form', { class: 'inline', onsubmit: (event) => { event.preventDefault(); placeHold(); } },
    field(inputId, t('slot.quantity'), quantity), button);
  const when = t('slot.time', { start: formatTime(slot.start), end: formatTime(slot.end) });
  const element = h('li', { class: 'card', 'data-testid': 'slot', 'data-slot-id': slot.id },
    h('h2', {}, when), h('p', {}, t('slot.price', { price: formatMoney(slot.price) })), availability, message, form);

  function show(latest) {
    const soldOut = latest.available <= 0;
    availability.dataset.available = latest.available;
    availability.textContent = soldOut ? `${t('slot.soldOut')} · ${t('slot.available', latest)}` : t('slot.available', latest);
    availability.classList.toggle('sold-out', soldOut);
    button.disabled = soldOut;
    quantity.max = Math.max(1, latest.available);
  }

  async function refresh() {
    const result = await api('reservation', `/slots/${slot.id}/availability`, { onRetry: null, maxAttempts: 1 });
    if (result.ok) show(result.data);
  }

  async function placeHold() {
    message.hidden = true;
    if (!session()) { announce(t('error.signin'), 'error'); return; }
    button.disabled = true;
    // One key per click: every retry of this click is the same hold, a new click is a new hold.
    const key = newIdempotencyKey();
    const result = await api('reservation', '/holds', { method: 'POST', idempotencyKey: key, body: { slotId: slot.id, quantity: Number(quantity.value) } });
    button.disabled = false;
    if (result.status === 201) {
      rememberHold(result.data, { resource: resourceInfo.name, when, price: slot.price });
      location.hash = `#/holds/${result.data.holdId}`;
      return;
    }
    if (result.status === 409 && typeof result.problem?.available === 'number') {
      show({ available: result.problem.available, capacity: slot.capacity });
      message.textContent = t('slot.soldOutDetail', { available: result.problem.available });
      message.dataset.kind = 'sold-out';
    } else {
      message.textContent = problemText(result);
      message.dataset.kind = 'error';
    }
    message.hidden = false;
    refresh();
  }

  return { element, refresh };
}
