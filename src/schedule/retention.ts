import type { Logger } from 'pino';
import { firstKeptWeek, keptFrom } from '../domain/shared/retention.js';

export interface RetentionDeps {
  answers: { deleteWeeksBefore(week: string): Promise<number> };
  publications: { deleteWeeksBefore(week: string): Promise<number> };
  comments: {
    deleteWeeksBefore(week: string): Promise<number>;
    dropHandlesBefore(day: string): Promise<number>;
  };
  threads: { deleteBefore(cutoff: string): Promise<number> };
  actionClaims: { deleteBefore(cutoff: string): Promise<number> };
  logger: Logger;
  retentionMonths: number;
  /** How long a comment's follow-up stays open (see `ReplyHandles`). */
  replyWindowMs: number;
}

const DAY_MS = 86_400_000;

/**
 * The retention clean-up, run by the scheduler's lease holder at most once a day (and at start-up):
 * answers, comments, the figures published from those answers and follow-up messages older than the retention window are deleted, reply handles
 * past their time are removed (a handle no longer opens then, but it should not linger), card action
 * claims older than a day go, and the counts logged.
 */
export class RetentionCleanup {
  private lastRun = 0;

  constructor(private readonly deps: RetentionDeps) {}

  async runIfDue(now: Date): Promise<void> {
    if (now.getTime() - this.lastRun < DAY_MS) return;
    this.lastRun = now.getTime();
    const week = firstKeptWeek(now, this.deps.retentionMonths);
    const answers = await this.deps.answers.deleteWeeksBefore(week);
    const comments = await this.deps.comments.deleteWeeksBefore(week);
    const publications = await this.deps.publications.deleteWeeksBefore(week);
    const threads = await this.deps.threads.deleteBefore(keptFrom(now, this.deps.retentionMonths));
    // A handle runs from the moment of the comment; its day is all the row says, so a day's grace.
    const handlesFrom = new Date(now.getTime() - this.deps.replyWindowMs - DAY_MS).toISOString().slice(0, 10);
    const replyHandles = await this.deps.comments.dropHandlesBefore(handlesFrom);
    // A claim only guards against repeats within minutes; a day's worth is plenty to keep.
    const actionClaims = await this.deps.actionClaims.deleteBefore(
      new Date(now.getTime() - DAY_MS).toISOString(),
    );
    this.deps.logger.info(
      {
        keptFrom: week,
        retentionMonths: this.deps.retentionMonths,
        answers,
        comments,
        publications,
        followUpMessages: threads,
        replyHandles,
        actionClaims,
      },
      'retention clean-up deleted old answers, comments and follow-ups',
    );
  }
}
