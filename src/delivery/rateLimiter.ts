import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Sends for the whole tenant, at most `rate` per second (Teams allows 50 per app per tenant), in two
 * steps. `acquire` spaces sends `1000 / rate` ms apart, serves urgent callers first and honours a 429's
 * pause. But permissions spaced evenly do not arrive evenly: a claim write, a garbage collection or a busy
 * event loop between permission and socket bunches them up (measured: up to 290 ms here). So `admit`,
 * called just before the request, enforces the limit on what Teams can actually have seen. A request
 * arrived somewhere between its start and its answer; counting every request in flight, and every one
 * answered within the last second, as possibly inside Teams' current second guarantees that no sliding
 * second at Teams ever holds more than `rate`, however the requests were delayed on the way.
 */
export class TenantRateLimiter {
  private readonly answered: number[] = [];
  private inFlight = 0;
  private nextSlot = 0;
  private pausedUntil = 0;
  private readonly waiting: { resolve: (giveBack: () => void) => void; priority: boolean }[] = [];
  private pumping = false;
  private admitTail: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private rate: number) {}

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
   * Resolves when the caller's turn to send has come. `priority` callers (urgent messages, the manager's
   * progress card) go ahead of ordinary ones, so they never wait behind a large broadcast. A caller that
   * decides not to send after all (the broadcast was cancelled meanwhile) calls the returned `giveBack`,
   * so the turn goes to the next in line instead of being wasted.
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

  /**
   * Waits, if need be, until one more request fits in Teams' second; call it right before the request and
   * call the returned `answered` when its answer (or failure) comes back.
   */
  admit(): Promise<() => void> {
    const turn = this.admitTail.then(() => this.waitForWindow());
    this.admitTail = turn.then(() => {});
    return turn;
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.waiting.length > 0) {
        const granted = await this.waitForTurn();
        this.waiting.shift()?.resolve(() => {
          if (granted) this.nextSlot -= 1000 / this.rate;
        });
      }
    } finally {
      this.pumping = false;
    }
  }

  /** True when a turn was taken, false once closed (nothing to give back). */
  private async waitForTurn(): Promise<boolean> {
    for (;;) {
      if (this.closed) return false;
      const now = Date.now();
      const at = Math.max(now, this.nextSlot, this.pausedUntil);
      if (at <= now) {
        this.nextSlot = Math.max(this.nextSlot, now - 1000 / this.rate) + 1000 / this.rate;
        return true;
      }
      await sleep(Math.min(at - now, 100));
    }
  }

  private async waitForWindow(): Promise<() => void> {
    // Timestamps are whole milliseconds on both sides; 2 ms covers the rounding.
    const window = 1000 + 2;
    for (;;) {
      const now = Date.now();
      const limit = Math.max(1, Math.floor(this.rate));
      while (this.answered.length > 0 && (this.answered[0] ?? 0) <= now - window) this.answered.shift();
      if (this.closed || this.inFlight + this.answered.length < limit) {
        this.inFlight++;
        return () => {
          this.inFlight--;
          this.answered.push(Date.now());
        };
      }
      const oldest = this.answered[0];
      await sleep(oldest === undefined ? 2 : Math.max(1, oldest + window - now));
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

/** How many acquisitions between clear-outs of idle conversations. */
const FORGET_EVERY = 1_000;

/**
 * The per-conversation limits, for when several messages go to one person (a stage update, a pulse and a
 * progress card in the same minute). Each conversation is served in order; idle ones are forgotten.
 */
export class ConversationRateLimiter {
  private readonly history = new Map<string, { sent: number[]; tail: Promise<void> }>();
  private acquired = 0;

  constructor(private readonly limits = CONVERSATION_LIMITS) {}

  acquire(conversationId: string): Promise<void> {
    // Every conversation messaged in the last hour is remembered; now and then drop the rest.
    if (++this.acquired % FORGET_EVERY === 0) this.forgetIdle();
    const entry = this.history.get(conversationId) ?? { sent: [], tail: Promise.resolve() };
    this.history.set(conversationId, entry);
    const turn = entry.tail.then(() => this.waitForSlot(entry.sent));
    entry.tail = turn.catch(() => {});
    return turn;
  }

  /** Drops conversations with nothing sent in the longest window. */
  private forgetIdle(): void {
    const longest = Math.max(...this.limits.map((limit) => limit.windowMs));
    const cutoff = Date.now() - longest;
    for (const [id, entry] of this.history) {
      // An entry with nothing sent yet belongs to a caller being served right now.
      const last = entry.sent.at(-1);
      if (last !== undefined && last <= cutoff) this.history.delete(id);
    }
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
