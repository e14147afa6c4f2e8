// Shell: header (navigation, language, sign-in), a hash router, and one view at a time in <main>.
import { h, render, announce } from './dom.js';
import { t, languages, lang, setLang, onLangChange } from './i18n.js';
import { session, isAdmin, signIn, signOut, onSessionChange } from './session.js';
import * as catalog from './views/catalog.js';
import * as hold from './views/hold.js';
import * as orders from './views/orders.js';
import * as admin from './views/admin.js';

const routes = [
  { pattern: /^#?\/?$/, view: catalog.list, nav: 'catalog' },
  { pattern: /^#\/resources\/([\w-]+)$/, view: catalog.resource, nav: 'catalog' },
  { pattern: /^#\/holds\/([\w-]+)$/, view: hold.view, nav: 'catalog' },
  { pattern: /^#\/orders$/, view: orders.list, nav: 'orders' },
  { pattern: /^#\/orders\/([\w-]+)$/, view: orders.detail, nav: 'orders' },
  { pattern: /^#\/admin$/, view: admin.view, nav: 'admin' },
];

let config = { signIn: 'dev', demoCustomers: ['alice', 'bob', 'carol'], adminUser: 'admin' };
let cleanup = null;

function translateStatic() {
  document.title = t('app.title');
  document.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
  document.querySelectorAll('[data-i18n-label]').forEach((el) => el.setAttribute('aria-label', t(el.dataset.i18nLabel)));
  const select = document.getElementById('lang');
  render(select, languages.map(({ code, label }) => h('option', { value: code, selected: code === lang() }, label)));
}

function renderSignIn() {
  const area = document.getElementById('signin');
  const who = session();
  document.getElementById('nav-admin').hidden = !isAdmin();
  if (who) {
    render(area,
      h('span', { 'data-testid': 'signed-in' }, t('signin.signedIn', { name: who.name })),
      h('button', { type: 'button', class: 'secondary', onclick: () => { signOut(); location.hash = '#/'; } }, t('signin.signOut')));
    return;
  }
  if (config.signIn !== 'dev') {
    render(area, h('span', {}, t('signin.entra')));
    return;
  }
  const users = [...config.demoCustomers.map((u) => ({ value: u, label: u })),
    ...(config.adminUser ? [{ value: config.adminUser, label: t('signin.admin') }] : [])];
  const select = h('select', { id: 'signin-user', 'data-testid': 'signin-user' },
    users.map((u) => h('option', { value: u.value }, u.label)));
  const form = h('form', { class: 'inline', onsubmit: async (event) => {
    event.preventDefault();
    try { await signIn(select.value); announce(''); } catch (error) { announce(t('signin.failed', { detail: error.message }), 'error'); }
  } },
  h('label', { for: 'signin-user' }, t('signin.as')), select,
  h('button', { type: 'submit', 'data-testid': 'signin-button' }, t('signin.button')));
  render(area, form);
}

function route() {
  cleanup?.();
  cleanup = null;
  const hash = location.hash || '#/';
  const match = routes.map((r) => ({ r, m: hash.match(r.pattern) })).find((x) => x.m) ?? { r: routes[0], m: [] };
  document.querySelectorAll('#nav a').forEach((a) => {
    if (a.dataset.route === match.r.nav) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  });
  // Each view gets a fresh container: a slow answer for a view the user already left renders into a detached
  // element instead of over the current view.
  const container = h('div', { class: 'view' });
  render(document.getElementById('main'), container);
  const result = match.r.view(container, ...match.m.slice(1));
  cleanup = typeof result === 'function' ? result : null;
}

async function start() {
  try {
    const response = await fetch('/config', { headers: { Accept: 'application/json' } });
    if (response.ok) config = await response.json();
  } catch { /* keep the development defaults */ }
  document.getElementById('lang').addEventListener('change', (e) => setLang(e.target.value));
  document.getElementById('skip').addEventListener('click', () => document.getElementById('main').focus());
  onLangChange(() => { translateStatic(); renderSignIn(); route(); });
  onSessionChange(() => { renderSignIn(); route(); });
  window.addEventListener('hashchange', () => { announce(''); route(); });
  translateStatic();
  renderSignIn();
  route();
}

start();
