// Who is signed in. Tokens live in sessionStorage: one sign-in per tab, gone when the tab closes.
const STORAGE_KEY = 'dr.session';
const listeners = new Set();

let current = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null');

export const session = () => current;
export const isAdmin = () => current?.roles?.includes('admin') ?? false;
export const onSessionChange = (listener) => listeners.add(listener);

function set(value) {
  current = value;
  if (value) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(value));
  else sessionStorage.removeItem(STORAGE_KEY);
  listeners.forEach((listener) => listener(value));
}

/** Development sign-in through the web app's issuer (present only when it holds Auth:DevSigningKey). */
export async function signIn(user) {
  const response = await fetch('/dev/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ user }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.detail ?? body.title ?? `HTTP ${response.status}`);
  set({ token: body.accessToken, user: body.user, name: body.name, roles: body.roles ?? [] });
}

export const signOut = () => set(null);
