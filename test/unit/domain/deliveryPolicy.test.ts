import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETRY_POLICY,
  decideAfterFailure,
  parseRetryAfter,
} from '../../../src/domain/broadcasts/deliveryPolicy.js';

const policy = DEFAULT_RETRY_POLICY;
const half = () => 0.5;

describe('what happens after Teams refuses a message', () => {
  it('waits as long as Retry-After says', () => {
    expect(decideAfterFailure({ status: 429, retryAfterMs: 3_000 }, 1, policy, half)).toEqual({
      kind: 'retry',
      delayMs: 3_000,
    });
  });

  it('never waits longer than the cap, whatever Retry-After says', () => {
    expect(decideAfterFailure({ status: 429, retryAfterMs: 3_600_000 }, 1, policy, half)).toEqual({
      kind: 'retry',
      delayMs: policy.maxDelayMs,
    });
  });

  it('backs off exponentially with jitter when there is no Retry-After', () => {
    const delays = [1, 2, 3, 4].map((attempt) =>
      decideAfterFailure({ status: 503 }, attempt, policy, () => 0.999),
    );
    expect(delays.map((decision) => (decision.kind === 'retry' ? decision.delayMs : -1))).toEqual([
      999, 1998, 3996, 7992,
    ]);
    expect(decideAfterFailure({ status: 503 }, 3, policy, () => 0)).toEqual({ kind: 'retry', delayMs: 0 });
  });

  it.each([412, 429, 502, 503, 504])('retries HTTP %i', (status) => {
    expect(decideAfterFailure({ status }, 1, policy, half).kind).toBe('retry');
  });

  it('retries when Teams could not be reached at all', () => {
    expect(decideAfterFailure({ code: 'ECONNREFUSED' }, 1, policy, half).kind).toBe('retry');
  });

  it('gives up after the last attempt and says why', () => {
    expect(
      decideAfterFailure({ status: 503, code: 'ServiceUnavailable' }, policy.maxAttempts, policy, half),
    ).toEqual({
      kind: 'failed',
      reason: `HTTP 503 ServiceUnavailable after ${policy.maxAttempts} attempts`,
    });
  });

  it.each([403, 404])('treats HTTP %i as the recipient gone, without retrying', (status) => {
    expect(decideAfterFailure({ status }, 1, policy, half).kind).toBe('gone');
  });

  it('fails other errors at once with the status as the reason', () => {
    expect(decideAfterFailure({ status: 400, code: 'BadArgument' }, 1, policy, half)).toEqual({
      kind: 'failed',
      reason: 'HTTP 400 BadArgument',
    });
  });
});

describe('Retry-After', () => {
  const now = new Date('2026-11-23T10:00:00Z');
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('2', now)).toBe(2_000);
    expect(parseRetryAfter('Mon, 23 Nov 2026 10:00:05 GMT', now)).toBe(5_000);
  });
  it('ignores nonsense', () => {
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-1', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
