/**
 * What to do after Teams refused a message (DESIGN.md, "Delivery to Teams"): retry 412, 429, 502, 503 and
 * 504 (and network errors, where nothing reached Teams) up to a bound, honouring Retry-After but never
 * waiting longer than the cap; otherwise back off exponentially with full jitter. 403 and 404 mean the
 * recipient is gone. Anything else is a failure with its reason.
 */
export interface SendFailure {
  /** HTTP status from Teams; `undefined` when no answer came (connection refused, reset). */
  status?: number | undefined;
  /** Teams' error code, e.g. `TooManyRequests`; never message content. */
  code?: string | undefined;
  retryAfterMs?: number | undefined;
}

export type FailureDecision =
  | { kind: 'retry'; delayMs: number }
  | { kind: 'gone'; reason: string }
  | { kind: 'failed'; reason: string };

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 1_000, maxDelayMs: 60_000 };

const RETRYABLE = new Set([412, 429, 502, 503, 504]);

export const reasonOf = (failure: SendFailure) =>
  failure.status === undefined
    ? `no answer from Teams${failure.code === undefined ? '' : ` (${failure.code})`}`
    : `HTTP ${failure.status}${failure.code === undefined ? '' : ` ${failure.code}`}`;

/**
 * `attempts` counts tries made so far, this one included. `random` is in [0, 1) (injected so tests can
 * pin the jitter).
 */
export function decideAfterFailure(
  failure: SendFailure,
  attempts: number,
  policy: RetryPolicy,
  random: () => number,
): FailureDecision {
  if (failure.status === 403 || failure.status === 404) return { kind: 'gone', reason: reasonOf(failure) };
  const retryable = failure.status === undefined || RETRYABLE.has(failure.status);
  if (!retryable) return { kind: 'failed', reason: reasonOf(failure) };
  if (attempts >= policy.maxAttempts) {
    return { kind: 'failed', reason: `${reasonOf(failure)} after ${attempts} attempts` };
  }
  if (failure.retryAfterMs !== undefined) {
    return { kind: 'retry', delayMs: Math.min(policy.maxDelayMs, Math.max(0, failure.retryAfterMs)) };
  }
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempts - 1));
  return { kind: 'retry', delayMs: Math.round(ceiling * random()) };
}

/** Reads a Retry-After header: seconds, or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now.getTime());
}
