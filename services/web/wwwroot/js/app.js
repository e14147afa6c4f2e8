// Shell: header (navigation, language, who is signed in), a hash router, and one view at a time in <main>.
import { h, render, announce } from './dom.js';
import { t, languages, lang, setLang, onLangChange } from './i18n.js';
import { session, isAdmin, signIn, signOut, onSessionChange, loadSession } from './session.js';
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

let cleanup = null;

function translateStatic() {
  document.title = t('app.title');
  document.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
  document.querySelectorAll('[data-i18n-label]').forEach((el) => el.setAttribute('aria-label', t(el.dataset.i18nLabel)));
  const select = document.getElementById('lang');
  render(select, languages.map(({ code, label }) => h('option', { value: code, selected: code === lang() }, label)));
}

// Signing in happens at the identity provider (the web app starts it and comes back to this page).
function renderSignIn() {
  const area = document.getElementById('signin');
  const who = session();
  document.getElementById('nav-admin').hidden = !isAdmin();
  if (who) {
    render(area,
      h('span', { 'data-testid': 'signed-in', 'data-user': who.sub }, t('signin.signedIn', { name: who.name })),
      h('button', { type: 'button', class: 'secondary', 'data-testid': 'signout-button', onclick: signOut }, t('signin.signOut')));
    return;
  }
  render(area, h('button', { type: 'button', 'data-testid': 'signin-button', onclick: () => signIn() }, t('signin.button')));
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
  await loadSession();
  // The provider refused or the user cancelled: the web app sends them back here with ?signin=failed.
  const params = new URLSearchParams(location.search);
  if (params.has('signin')) {
    history.replaceState(null, '', location.pathname + location.hash);
    announce(t('signin.failed', { detail: params.get('signin') }), 'error');
  }
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
