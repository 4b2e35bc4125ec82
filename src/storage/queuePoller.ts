import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Taken, WorkQueue } from './workQueue.js';

export interface QueuePollerOptions {
  /** Wait after an empty take; it grows with each empty take in a row, up to eight times this. */
  pollMs: number;
  /** How long a taken item stays hidden from other workers. */
  visibilitySeconds: number;
  /** An item taken more often than this keeps failing (a bug, or storage refusing it) and is dropped. */
  maxTakes: number;
  logger: Logger;
}

/** Empty takes in a row after which the wait stops growing: a quiet queue is still polled every few seconds. */
const MAX_IDLE_STEPS = 8;

/**
 * How every worker loop takes from its queue. A take that fails (storage away) counts as an empty one, so
 * a worker outlives an outage and carries on by itself; an idle queue is polled less and less often, so
 * idle workers in every process cost little.
 */
export class QueuePoller<T> {
  private idleSteps = 0;

  constructor(
    private readonly queue: WorkQueue<T>,
    private readonly options: QueuePollerOptions,
  ) {}

  /** Up to `max` items; when there are none, returns empty after waiting, for the caller to loop. */
  async take(max: number): Promise<Taken<T>[]> {
    let taken: Taken<T>[] = [];
    try {
      taken = await this.queue.take(max, this.options.visibilitySeconds);
    } catch (error) {
      this.options.logger.warn(
        { err: { message: (error as Error).message } },
        `could not take ${this.queue.what}`,
      );
    }
    if (taken.length > 0) {
      this.idleSteps = 0;
      return taken;
    }
    this.idleSteps = Math.min(this.idleSteps + 1, MAX_IDLE_STEPS);
    await sleep(this.options.pollMs * this.idleSteps);
    return [];
  }

  /**
   * The item to work on, or `undefined` once an unreadable or endlessly failing one is removed: left on the
   * queue, it would come back for ever.
   */
  async workable(taken: Taken<T>): Promise<T | undefined> {
    if (taken.item !== undefined && taken.dequeueCount <= this.options.maxTakes) return taken.item;
    this.options.logger.error(
      { messageId: taken.messageId, dequeueCount: taken.dequeueCount, readable: taken.item !== undefined },
      `dropping ${this.queue.what} that cannot be done`,
    );
    await this.queue.done(taken);
    return undefined;
  }
}
