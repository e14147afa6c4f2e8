// Who is signed in. The web app is a backend-for-frontend: it holds the session (an HttpOnly cookie) and the tokens on
// the server; this page knows only what GET /bff/user says, and keeps the antiforgery token in memory (never in
// storage) for the calls that change something.
const listeners = new Set();
let current = null; // { sub, name, roles } or null
let antiforgery = '';

export const session = () => current;
export const isAdmin = () => current?.roles?.includes('admin') ?? false;
export const antiforgeryToken = () => antiforgery;
export const onSessionChange = (listener) => listeners.add(listener);

/** Asks the web app who is signed in; anonymous when it cannot tell (the page still browses). */
export async function loadSession() {
  let next = null;
  try {
    const response = await fetch('/bff/user', { headers: { Accept: 'application/json' }, cache: 'no-store' });
    if (response.ok) {
      const body = await response.json();
      antiforgery = body.antiforgeryToken ?? '';
      if (body.signedIn) next = { sub: body.sub, name: body.name ?? body.sub, roles: body.roles ?? [] };
    }
  } catch { /* offline: anonymous */ }
  const changed = JSON.stringify(next) !== JSON.stringify(current);
  current = next;
  if (changed) listeners.forEach((listener) => listener(current));
  return current;
}

/** Sends the browser to the provider's sign-in page; it comes back to this very page (hash route included). */
export function signIn(returnTo = location.pathname + location.search + location.hash) {
  location.assign(`/bff/login?returnUrl=${encodeURIComponent(returnTo)}`);
}

/** Ends the session on the server, then at the provider: a form post carrying the antiforgery token. */
export function signOut() {
  const form = document.createElement('form');
  form.method = 'post';
  form.action = '/bff/logout';
  form.hidden = true;
  const field = document.createElement('input');
  field.type = 'hidden';
  field.name = '__RequestVerificationToken';
  field.value = antiforgery;
  form.append(field);
  document.body.append(form);
  form.submit();
}

/** A 401 while signed in: the session ended on the server (idle, signed out elsewhere). Sign in and come back here. */
export function sessionEnded() {
  if (!current) return false;
  current = null;
  signIn();
  return true;
}
