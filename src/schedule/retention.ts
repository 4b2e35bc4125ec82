import type { Logger } from 'pino';
import { firstKeptWeek } from '../domain/retention.js';

export interface RetentionDeps {
  answers: { deleteWeeksBefore(week: string): Promise<number> };
  comments: { deleteWeeksBefore(week: string): Promise<number> };
  logger: Logger;
  retentionMonths: number;
}

const DAY_MS = 86_400_000;

/**
 * The retention clean-up, run by the scheduler's lease holder at most once a day (and at start-up):
 * answers and comments older than the retention window are deleted, and the counts logged.
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
    this.deps.logger.info(
      { keptFrom: week, retentionMonths: this.deps.retentionMonths, answers, comments },
      'retention clean-up deleted old answers and comments',
    );
  }
}
