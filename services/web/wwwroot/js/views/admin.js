// Catalog administration (role admin): resources and their slots. Every edit starts from a GET whose ETag goes back
// as If-Match, so an admin never overwrites a change they have not seen (412 reloads the latest version).
import { h, render, announce, field, focusHeading } from '../dom.js';
import { t, formatTime, formatMoney } from '../i18n.js';
import { api, problemText } from '../api.js';
import { isAdmin } from '../session.js';

const KINDS = ['room', 'table', 'event', 'product'];

// <input type="datetime-local"> speaks local wall-clock time without a zone; the API wants instants.
const toInstant = (local) => new Date(local).toISOString();
const toLocalInput = (iso) => {
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
};

function report(result, okText) {
  if (result.ok) { announce(okText, 'success'); return true; }
  if (result.status === 400 && result.problem?.errors) {
    announce(t('admin.invalid', { fields: problemText(result) }), 'error');
  } else {
    announce(t('error.generic', { detail: problemText(result) }), 'error');
  }
  return false;
}

export function view(main) {
  if (!isAdmin()) { render(main, h('h1', {}, t('admin.title')), h('p', { 'data-testid': 'admin-only' }, t('admin.only'))); return; }

  const list = h('ul', { class: 'cards', 'data-testid': 'admin-resources' });
  render(main, h('h1', {}, t('admin.title')), resourceForm(() => load()), list);
  focusHeading();

  async function load() {
    const result = await api('catalog', '/resources');
    if (!report(result, '')) return;
    render(list, result.data.map((resource) => resourceItem(resource)));
  }
  load();
}

function resourceForm(onCreated) {
  const kind = h('select', { id: 'new-kind' }, KINDS.map((k) => h('option', { value: k }, t(`kind.${k}`))));
  const name = h('input', { id: 'new-name', required: true, maxlength: 200, 'data-testid': 'new-resource-name' });
  const description = h('input', { id: 'new-description', maxlength: 2000 });
  return h('form', { class: 'panel', 'data-testid': 'new-resource', onsubmit: async (event) => {
    event.preventDefault();
    const result = await api('catalog', '/admin/resources', { method: 'POST', body: { kind: kind.value, name: name.value, description: description.value || null } });
    if (report(result, t('admin.created'))) { name.value = ''; description.value = ''; onCreated(); }
  } },
  h('h2', {}, t('admin.newResource')),
  field('new-kind', t('admin.kind'), kind), field('new-name', t('admin.name'), name),
  field('new-description', t('admin.description'), description),
  h('button', { type: 'submit' }, t('admin.create')));
}

function resourceItem(resource) {
  const slots = h('div', { class: 'slots' });
  const toggle = h('button', { type: 'button', class: 'secondary', 'aria-expanded': 'false', 'data-testid': 'admin-open-slots',
    onclick: async () => {
      const open = toggle.getAttribute('aria-expanded') === 'true';
      toggle.setAttribute('aria-expanded', String(!open));
      if (open) { render(slots); return; }
      await loadSlots();
    } }, t('admin.slots', { name: resource.name }));

  async function loadSlots() {
    const result = await api('catalog', `/resources/${resource.id}/slots`);
    if (!report(result, '')) return;
    render(slots, h('ul', { class: 'rows' }, result.data.map((slot) => slotRow(slot, loadSlots))), slotForm(resource, loadSlots));
  }

  return h('li', { class: 'card', 'data-testid': 'admin-resource', 'data-resource-id': resource.id },
    h('h2', {}, resource.name), h('p', { class: 'muted' }, t(`kind.${resource.kind}`)), toggle, slots);
}

function slotForm(resource, onCreated) {
  const id = (name) => `new-slot-${name}-${resource.id}`;
  const tomorrow = new Date(Date.now() + 86400000);
  tomorrow.setMinutes(0, 0, 0);
  const start = h('input', { id: id('start'), type: 'datetime-local', required: true, value: toLocalInput(tomorrow.toISOString()) });
  const end = h('input', { id: id('end'), type: 'datetime-local', required: true, value: toLocalInput(new Date(tomorrow.getTime() + 7200000).toISOString()) });
  const capacity = h('input', { id: id('capacity'), type: 'number', min: 1, required: true, value: 10, 'data-testid': 'new-slot-capacity' });
  const price = h('input', { id: id('price'), type: 'number', min: 0, step: '0.01', required: true, value: '10.00' });
  return h('form', { class: 'panel', 'data-testid': 'new-slot', onsubmit: async (event) => {
    event.preventDefault();
    const result = await api('catalog', `/admin/resources/${resource.id}/slots`, { method: 'POST',
      body: { start: toInstant(start.value), end: toInstant(end.value), capacity: Number(capacity.value), price: Number(price.value) } });
    if (report(result, t('admin.created'))) onCreated();
  } },
  h('h3', {}, t('admin.newSlot')),
  field(id('start'), t('admin.start'), start), field(id('end'), t('admin.end'), end),
  field(id('capacity'), t('admin.capacity'), capacity), field(id('price'), t('admin.price'), price),
  h('button', { type: 'submit' }, t('admin.create')));
}

function slotRow(slot, onDeleted) {
  const row = h('li', { class: 'row', 'data-testid': 'admin-slot', 'data-slot-id': slot.id });
  const summary = (s) => `${formatTime(s.start)} · ${t('admin.capacity')} ${s.capacity} · ${formatMoney(s.price)}`;
  const edit = h('button', { type: 'button', class: 'secondary', 'data-testid': 'admin-edit', onclick: () => openEditor() }, t('admin.edit'));
  render(row, h('span', {}, summary(slot)), edit);

  async function openEditor() {
    // The ETag comes from this GET, not from the (possibly cached) list: it is what the admin is about to change.
    const current = await api('catalog', `/slots/${slot.id}`);
    if (!report(current, '')) return;
    let etag = current.etag;
    const id = (name) => `edit-${name}-${slot.id}`;
    const capacity = h('input', { id: id('capacity'), type: 'number', min: 1, required: true, value: current.data.capacity, 'data-testid': 'edit-capacity' });
    const price = h('input', { id: id('price'), type: 'number', min: 0, step: '0.01', required: true, value: current.data.price, 'data-testid': 'edit-price' });
    const version = h('span', { class: 'muted', 'data-testid': 'edit-etag' }, etag ?? '');
    const fill = (data, tag) => { capacity.value = data.capacity; price.value = data.price; etag = tag; version.textContent = tag ?? ''; };

    const form = h('form', { class: 'inline', onsubmit: async (event) => {
      event.preventDefault();
      const body = { start: current.data.start, end: current.data.end, capacity: Number(capacity.value), price: Number(price.value) };
      const saved = await api('catalog', `/admin/slots/${slot.id}`, { method: 'PUT', ifMatch: etag, body });
      if (saved.status === 412) {
        const latest = await api('catalog', `/slots/${slot.id}`);
        if (latest.ok) fill(latest.data, latest.etag);
        announce(t('admin.stale'), 'error');
        return;
      }
      if (report(saved, t('admin.saved', { version: saved.data?.version }))) { fill(saved.data, saved.etag); current.data = saved.data; }
    } },
    field(id('capacity'), t('admin.capacity'), capacity), field(id('price'), t('admin.price'), price), version,
    h('button', { type: 'submit', 'data-testid': 'admin-save' }, t('admin.save')),
    h('button', { type: 'button', class: 'danger', 'data-testid': 'admin-delete', onclick: async () => {
      const deleted = await api('catalog', `/admin/slots/${slot.id}`, { method: 'DELETE', ifMatch: etag });
      if (deleted.status === 412) { announce(t('admin.stale'), 'error'); return; }
      if (report(deleted, t('admin.deleted'))) onDeleted();
    } }, t('admin.delete')));
    render(row, h('span', {}, summary(current.data)), form);
    capacity.focus();
  }

  return row;
}
