import { z } from 'zod';
import type { SealedBox } from '../shared/sealedBox.js';

const sealedWriter = z.object({ writerId: z.string().min(1), until: z.string() });

/**
 * The way back to whoever wrote a comment, for two-way follow-up (DESIGN.md privacy rules): the writer's
 * member id and the end of the conversation's time, sealed to that one comment. Only the app can open it;
 * managers never see it and storage shows nothing readable. Past its time it no longer opens, and the
 * retention clean-up removes it from the row.
 */
export class ReplyHandles {
  constructor(
    private readonly box: SealedBox,
    /** How long after the comment a manager can still reply and the writer answer back. */
    readonly windowMs: number,
  ) {}

  seal(tenantId: string, commentId: string, writerId: string, now: Date): string {
    const until = new Date(now.getTime() + this.windowMs).toISOString();
    return this.box.seal(JSON.stringify({ writerId, until }), boundTo(tenantId, commentId));
  }

  /** Who wrote the comment, or `undefined` when the handle is past its time or belongs elsewhere. */
  writerOf(tenantId: string, commentId: string, handle: string, now: Date): string | undefined {
    const opened = this.box.open(handle, boundTo(tenantId, commentId));
    if (opened === undefined) return undefined;
    const parsed = sealedWriter.safeParse(JSON.parse(opened));
    if (!parsed.success || Date.parse(parsed.data.until) <= now.getTime()) return undefined;
    return parsed.data.writerId;
  }
}

const boundTo = (tenantId: string, commentId: string) => `reply handle\n${tenantId}\n${commentId}`;
