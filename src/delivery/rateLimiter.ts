import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Sends for the whole tenant, at most `rate` per second (Teams allows 50 per app per tenant). Two rules
 * together: sends are spaced `1000 / rate` ms apart (so they do not arrive in bursts), and no sliding
 * second ever holds more than `rate` sends even when timers fire late and bunch up. Callers are served
 * in arrival order. A 429 from Teams pauses everyone for its Retry-After.
 */
export class TenantRateLimiter {
  private readonly recent: number[] = [];
  private nextSlot = 0;
  private pausedUntil = 0;
  private readonly waiting: { resolve: (giveBack: () => void) => void; priority: boolean }[] = [];
  private pumping = false;
  private closed = false;

  /** `marginMs` widens the sliding window a little for network jitter between us and Teams. */
  constructor(
    private rate: number,
    private readonly marginMs = 10,
  ) {}

  get currentRate(): number {
    return this.rate;
  }

  /** This process's share changes as sender processes come and go. */
  setRate(rate: number): void {
    this.rate = Math.max(0.1, rate);
  }

  /** Lets everyone waiting through at once, for a shutdown: they must check whether to send at all. */
  close(): void {
    this.closed = true;
  }

  pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
  }

  /**
   * Resolves when the caller may send one request. `priority` callers (urgent messages, the manager's
   * progress card) go ahead of ordinary ones, so they never wait behind a large broadcast. A caller that
   * decides not to send after all (the broadcast was cancelled meanwhile) calls the returned `giveBack`,
   * so the slot goes to the next in line instead of being wasted.
   */
  acquire(priority = false): Promise<() => void> {
    return new Promise((resolve) => {
      const waiter = { resolve, priority };
      if (priority) {
        const firstOrdinary = this.waiting.findIndex((other) => !other.priority);
        this.waiting.splice(firstOrdinary === -1 ? this.waiting.length : firstOrdinary, 0, waiter);
      } else {
        this.waiting.push(waiter);
      }
      void this.pump();
    });
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.waiting.length > 0) {
        const granted = await this.waitForSlot();
        this.waiting.shift()?.resolve(() => this.giveBack(granted));
      }
    } finally {
      this.pumping = false;
    }
  }

  private giveBack(granted: number | undefined): void {
    if (granted === undefined) return;
    const index = this.recent.lastIndexOf(granted);
    if (index === -1) return;
    this.recent.splice(index, 1);
    this.nextSlot -= 1000 / this.rate;
  }

  /** Waits for a free slot and takes it; returns when it was taken (`undefined` once closed). */
  private async waitForSlot(): Promise<number | undefined> {
    for (;;) {
      if (this.closed) return undefined;
      const now = Date.now();
      const limit = Math.max(1, Math.floor(this.rate));
      while (this.recent.length > 0 && (this.recent[0] ?? 0) <= now - 1000 - this.marginMs)
        this.recent.shift();
      const windowFree =
        this.recent.length < limit
          ? now
          : (this.recent[this.recent.length - limit] ?? now) + 1000 + this.marginMs;
      const at = Math.max(now, this.nextSlot, this.pausedUntil, windowFree);
      if (at <= now) {
        this.recent.push(now);
        this.nextSlot = Math.max(this.nextSlot, now - 1000 / this.rate) + 1000 / this.rate;
        return now;
      }
      await sleep(Math.min(at - now, 100));
    }
  }
}

/** Teams' limits per bot per conversation (DESIGN.md): 7 in 1 s, 8 in 2 s, 60 in 30 s, 1800 in an hour. */
export const CONVERSATION_LIMITS: readonly { windowMs: number; limit: number }[] = [
  { windowMs: 1_000, limit: 7 },
  { windowMs: 2_000, limit: 8 },
  { windowMs: 30_000, limit: 60 },
  { windowMs: 3_600_000, limit: 1_800 },
];

/**
 * The per-conversation limits, for when several messages go to one person (a stage update, a pulse and a
 * progress card in the same minute). Each conversation is served in order; idle ones are forgotten.
 */
export class ConversationRateLimiter {
  private readonly history = new Map<string, { sent: number[]; tail: Promise<void> }>();

  constructor(private readonly limits = CONVERSATION_LIMITS) {}

  acquire(conversationId: string): Promise<void> {
    const entry = this.history.get(conversationId) ?? { sent: [], tail: Promise.resolve() };
    this.history.set(conversationId, entry);
    const turn = entry.tail.then(() => this.waitForSlot(entry.sent));
    entry.tail = turn.catch(() => {});
    return turn;
  }

  /** Drops conversations with nothing sent in the longest window; call now and then. */
  forgetIdle(): void {
    const longest = Math.max(...this.limits.map((limit) => limit.windowMs));
    const cutoff = Date.now() - longest;
    for (const [id, entry] of this.history) {
      if ((entry.sent.at(-1) ?? 0) <= cutoff) this.history.delete(id);
    }
  }

  get tracked(): number {
    return this.history.size;
  }

  private async waitForSlot(sent: number[]): Promise<void> {
    for (;;) {
      const now = Date.now();
      const longest = Math.max(...this.limits.map((limit) => limit.windowMs));
      while (sent.length > 0 && (sent[0] ?? 0) <= now - longest) sent.shift();
      let at = now;
      for (const { windowMs, limit } of this.limits) {
        const inWindow = sent.filter((time) => time > now - windowMs);
        if (inWindow.length >= limit)
          at = Math.max(at, (inWindow[inWindow.length - limit] ?? now) + windowMs + 1);
      }
      if (at <= now) {
        sent.push(now);
        return;
      }
      await sleep(at - now);
    }
  }
}
