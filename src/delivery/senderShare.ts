import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Clock } from '../domain/shared/ports.js';
import type { SenderRegistry } from '../storage/senderRegistry.js';
import type { TenantRateLimiter } from './rateLimiter.js';

export const HEARTBEAT_MS = 2_000;
const STALE_MS = 3 * HEARTBEAT_MS;

/**
 * Splits the tenant's rate limit between the sender processes sharing one storage account: each writes a
 * heartbeat and sends at `limit / live processes`. A new process waits one heartbeat round before
 * sending, so the others have seen it and slowed down first; a killed one stops counting after
 * `STALE_MS`, and the others speed up again.
 */
export class SenderShare {
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly ready: Promise<void>;
  private markReady: () => void = () => {};

  constructor(
    private readonly deps: {
      registry: SenderRegistry;
      limiter: TenantRateLimiter;
      tenantRate: number;
      senderId: string;
      clock: Clock;
      logger: Logger;
    },
  ) {
    this.ready = new Promise((done) => {
      this.markReady = done;
    });
  }

  /** Registers and resolves once it is safe to start sending: at once when it is the only sender. */
  async start(): Promise<void> {
    this.running = true;
    const processes = await this.beat();
    if (processes === 1) this.markReady();
    this.loop = this.run();
    await this.ready;
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    await this.deps.registry.leave(this.deps.senderId).catch(() => {});
  }

  private async run(): Promise<void> {
    let rounds = 0;
    while (this.running) {
      await sleep(HEARTBEAT_MS);
      if (!this.running) break;
      await this.beat();
      rounds++;
      if (rounds === 1) this.markReady();
    }
    this.markReady();
  }

  /** Returns how many sender processes are alive, this one included (`undefined` if storage failed). */
  private async beat(): Promise<number | undefined> {
    try {
      const now = this.deps.clock.now();
      await this.deps.registry.heartbeat(this.deps.senderId, now);
      const alive = await this.deps.registry.alive(now, STALE_MS);
      const processes = Math.max(1, new Set([...alive, this.deps.senderId]).size);
      const share = this.deps.tenantRate / processes;
      if (share !== this.deps.limiter.currentRate) {
        this.deps.logger.info({ processes, ratePerSecond: share }, 'sending rate share changed');
        this.deps.limiter.setRate(share);
      }
      return processes;
    } catch (error) {
      // Keep the last share: without fresh figures the safe course is not to speed up.
      this.deps.logger.warn({ err: { message: (error as Error).message } }, 'sender heartbeat failed');
      return undefined;
    }
  }
}
