// Every call to the backends goes through here: /api/{app}/... on the web app, which forwards it through its Dapr
// sidecar with the session's access token (the page never holds one). Changes carry the antiforgery token. Busy answers (503, 429) are retried with jittered exponential backoff, honouring Retry-After, and always
// with the same Idempotency-Key, so a retried hold or order can never be applied twice.
import { antiforgeryToken, loadSession, sessionEnded } from './session.js';
import { announce } from './dom.js';
import { t } from './i18n.js';

export const MAX_ATTEMPTS = 6;
const BASE_DELAY_MS = 300;
const MAX_BACKOFF_MS = 4000;

export const newIdempotencyKey = () => crypto.randomUUID();

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function retryAfterMs(response) {
  const value = response.headers.get('Retry-After');
  if (!value) return 0;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? 0 : Math.max(0, date - Date.now());
}

/** Full jitter on top of what the server asked for: many clients told "1 s" must not all come back together. */
export function backoffMs(attempt, serverMs) {
  const cap = Math.min(MAX_BACKOFF_MS, BASE_DELAY_MS * 2 ** (attempt - 1));
  return serverMs + Math.random() * cap;
}

const showRetry = ({ attempt, max, delayMs }) =>
  announce(t('busy.retry', { seconds: (delayMs / 1000).toFixed(1), attempt: attempt + 1, max }), 'info');

/**
 * Calls /api/{app}{path}. Resolves to { ok, status, data, problem, etag, headers } for every HTTP answer; rejects
 * only when the network fails. Retries busy answers when repeating is safe (GET, PUT, DELETE or an Idempotency-Key).
 */
export async function api(app, path, options = {}) {
  const { method = 'GET', body, idempotencyKey, ifMatch, onRetry = showRetry, maxAttempts = MAX_ATTEMPTS } = options;
  const headers = { Accept: 'application/json, application/problem+json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
  if (ifMatch) headers['If-Match'] = ifMatch;
  const changes = !['GET', 'HEAD'].includes(method);
  const repeatable = ['GET', 'PUT', 'DELETE'].includes(method) || Boolean(idempotencyKey);

  let refreshedAntiforgery = false;
  for (let attempt = 1; ; attempt++) {
    if (changes) headers['X-CSRF-TOKEN'] = antiforgeryToken();
    const response = await fetch(`/api/${app}${path}`, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin',
    });
    // The antiforgery token is bound to who was signed in when it was issued: fetch a fresh one once and repeat.
    if (response.status === 400 && changes && !refreshedAntiforgery && await isAntiforgeryProblem(response)) {
      refreshedAntiforgery = true;
      await loadSession();
      attempt--;
      continue;
    }
    if (response.status === 401 && sessionEnded()) return toResult(response);
    const busy = response.status === 503 || response.status === 429;
    if (busy && repeatable && attempt < maxAttempts) {
      const delayMs = backoffMs(attempt, retryAfterMs(response));
      onRetry?.({ attempt, max: maxAttempts, delayMs, status: response.status });
      await sleep(delayMs);
      continue;
    }
    if (busy && repeatable) announce(t('busy.gaveUp', { max: maxAttempts }), 'error');
    else if (attempt > 1) announce('');
    return toResult(response);
  }
}

async function isAntiforgeryProblem(response) {
  const problem = await response.clone().json().catch(() => null);
  return /antiforgery/i.test(problem?.title ?? '');
}

async function toResult(response) {
  const type = response.headers.get('Content-Type') ?? '';
  const json = type.includes('json') ? await response.json().catch(() => null) : null;
  const problem = !response.ok ? (json ?? { status: response.status, title: response.statusText }) : null;
  return {
    ok: response.ok,
    status: response.status,
    data: response.ok ? json : null,
    problem,
    etag: response.headers.get('ETag'),
    headers: response.headers,
  };
}

/** A short human text for a problem document: its detail, else its title, else the status. */
export function problemText(result) {
  if (result.status === 401) return t('error.signin');
  if (result.status === 403) return t('error.forbidden');
  const problem = result.problem ?? {};
  if (problem.errors) return Object.entries(problem.errors).map(([k, v]) => `${k}: ${[].concat(v).join(' ')}`).join('; ');
  return problem.detail ?? problem.title ?? `HTTP ${result.status}`;
}
