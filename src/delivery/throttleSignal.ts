import type { DeliveryMetrics } from './ports.js';
import type { TenantRateLimiter } from './rateLimiter.js';

/** 429s within one second that mean the whole tenant is throttled, not one conversation. */
const TENANT_THROTTLE_SIGNAL = 3;

/**
 * Teams' 429s, to sends and to chat openings alike. A lone 429 is most likely one conversation's limit
 * (Teams does not say which limit it was): that recipient waits out its Retry-After and everyone else
 * carries on. Several within a second mean the tenant is being throttled, so every send pauses.
 */
export class ThrottleSignal {
  private throttledAt: number[] = [];

  constructor(
    private readonly deps: { tenantLimiter: TenantRateLimiter; metrics: DeliveryMetrics; maxPauseMs: number },
  ) {}

  throttled(retryAfterMs: number | undefined): void {
    this.deps.metrics.throttled();
    const now = Date.now();
    this.throttledAt = [...this.throttledAt.filter((at) => at > now - 1_000), now];
    if (this.throttledAt.length >= TENANT_THROTTLE_SIGNAL) {
      this.deps.tenantLimiter.pauseFor(Math.min(retryAfterMs ?? 1_000, this.deps.maxPauseMs));
    }
  }
}
