import type { Logger } from 'pino';
import type { WordsRef } from '../domain/feedback/comment.js';
import { readAgain, type SecondReadingDeps } from '../domain/feedback/secondReading.js';
import { QueuePoller } from '../storage/queuePoller.js';
import type { Taken, WorkQueue } from '../storage/workQueue.js';

export interface SecondReadingWorkerDeps extends SecondReadingDeps {
  queue: WorkQueue<WordsRef>;
  logger: Logger;
  /** Idle wait between polls of an empty queue. */
  pollMs: number;
}

/**
 * How long after a comment is queued its reading starts. The turn queues it just before storing it, so a
 * reading started at once could find nothing; a second is far longer than a store takes, and the writer
 * is reading their thank-you meanwhile.
 */
export const READ_AFTER_SECONDS = 1;
/** How long a taken comment stays hidden from other workers: far longer than one reading takes. */
const VISIBILITY_SECONDS = 60;
/** A comment not stored yet is looked for again this soon... */
const NOT_STORED_RETRY_SECONDS = 5;
/** ...this many times: a turn that failed to store it told its writer so, and there is nothing to read. */
const NOT_STORED_TAKES = 6;
/** An item failing every time (a bug, or storage refusing it) is dropped after this many takes. */
const MAX_TAKES = 30;
const TAKE_AT_ONCE = 8;

/**
 * Reads queued comments again, one at a time (the sentence encoder keeps a core busy for its ~25 ms), in
 * every process. An item is removed only after its reading is stored, so one cut short by a crash or a
 * storage outage reappears for whoever takes it next; `readAgain` makes a repeated reading harmless.
 */
export class SecondReadingWorker {
  private running = false;
  private loop: Promise<void> | undefined;

  private readonly poller: QueuePoller<WordsRef>;

  constructor(private readonly deps: SecondReadingWorkerDeps) {
    this.poller = new QueuePoller(deps.queue, {
      pollMs: deps.pollMs,
      visibilitySeconds: VISIBILITY_SECONDS,
      maxTakes: MAX_TAKES,
      logger: deps.logger,
    });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops taking comments once the one being read is done; the rest wait on the queue. */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      for (const taken of await this.poller.take(TAKE_AT_ONCE)) {
        // Taken but not started: left hidden, it reappears for the next worker within a minute.
        if (!this.running) break;
        await this.settle(taken).catch((error: Error) => {
          this.deps.logger.error(
            { err: { name: error.name, message: error.message } },
            'second reading failed',
          );
        });
      }
    }
  }

  private async settle(taken: Taken<WordsRef>): Promise<void> {
    const item = await this.poller.workable(taken);
    if (item === undefined) return;
    const outcome = await readAgain(this.deps, item);
    if (outcome === 'notStored' && taken.dequeueCount < NOT_STORED_TAKES) {
      await this.deps.queue.extend(taken, NOT_STORED_RETRY_SECONDS);
      return;
    }
    // No comment id: with the time, it could tie an anonymous comment to its writer's turn in the log.
    if (outcome === 'flagged') this.deps.logger.info('second reading: a possible disclosure, writer asked');
    await this.deps.queue.done(taken);
  }
}
