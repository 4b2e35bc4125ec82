import { describe, expect, it } from 'vitest';
import { ConversationRateLimiter, TenantRateLimiter } from '../../src/delivery/rateLimiter.js';

/** The most events in any window of `windowMs` (window closed at its end, open at its start). */
function busiestWindow(times: readonly number[], windowMs: number): number {
  let best = 0;
  for (let end = 0; end < times.length; end++) {
    let count = 0;
    for (let start = end; start >= 0 && (times[end] ?? 0) - (times[start] ?? 0) < windowMs; start--) count++;
    best = Math.max(best, count);
  }
  return best;
}

async function sendAll(count: number, acquire: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  await Promise.all(
    Array.from({ length: count }, async () => {
      await acquire();
      times.push(Date.now());
    }),
  );
  return times.sort((a, b) => a - b);
}

describe('the tenant rate limiter', () => {
  it('never lets more than the rate through in any second, and keeps close to it', async () => {
    const limiter = new TenantRateLimiter(50);
    const times = await sendAll(120, async () => {
      await limiter.acquire();
      // A claim write of random length between the turn and the send bunches sends up.
      await new Promise((wait) => setTimeout(wait, Math.random() * 80));
      const answered = await limiter.admit();
      setTimeout(answered, 5);
    });
    expect(busiestWindow(times, 1000)).toBeLessThanOrEqual(50);
    // 120 sends at 50/s need at least 2.0 s of spacing; they should not take much longer.
    const span = (times.at(-1) ?? 0) - (times[0] ?? 0);
    expect(span).toBeGreaterThanOrEqual(2_000);
    expect(span).toBeLessThan(3_200);
  });

  it('pauses everyone after a 429 for as long as Teams asked', async () => {
    const limiter = new TenantRateLimiter(50);
    await limiter.acquire();
    const started = Date.now();
    limiter.pauseFor(600);
    await limiter.acquire();
    expect(Date.now() - started).toBeGreaterThanOrEqual(590);
  });

  it('follows a change of share (another sender process joined)', async () => {
    const limiter = new TenantRateLimiter(50);
    limiter.setRate(10);
    const times = await sendAll(15, async () => {
      await limiter.acquire();
      (await limiter.admit())();
    });
    expect(busiestWindow(times, 1000)).toBeLessThanOrEqual(10);
  });
});

describe('the per-conversation limiter', () => {
  it('keeps one conversation within 7 per second and 8 per two seconds', async () => {
    const limiter = new ConversationRateLimiter();
    const times = await sendAll(10, () => limiter.acquire('a:one'));
    expect(busiestWindow(times, 1000)).toBeLessThanOrEqual(7);
    expect(busiestWindow(times, 2000)).toBeLessThanOrEqual(8);
  });

  it('does not hold back other conversations', async () => {
    const limiter = new ConversationRateLimiter();
    await sendAll(8, () => limiter.acquire('a:busy'));
    const started = Date.now();
    await limiter.acquire('a:other');
    expect(Date.now() - started).toBeLessThan(50);
  });
});

describe('giving a slot back', () => {
  it('passes an unused slot to the next caller at once', async () => {
    const limiter = new TenantRateLimiter(2);
    await limiter.acquire();
    const second = await limiter.acquire();
    second();
    const started = Date.now();
    await limiter.acquire();
    // Without the give-back this third send would wait for the next half-second slot.
    expect(Date.now() - started).toBeLessThan(300);
  });
});
