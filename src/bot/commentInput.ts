import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { safeguardingWriterCard } from '../cards/feedbackCards.js';
import { COMMENT_MAX_LENGTH } from '../domain/comment.js';
import type { SeenPerson } from '../domain/member.js';
import type { Escalation } from '../domain/safeguarding.js';
import type { BotDeps } from './deps.js';
import { sendCard, type Turn } from './turn.js';

const flag = z.enum(['true', 'false']).optional().default('false');

/** The fields every comment form sends: the words and the two ticks. */
export const commentFields = z.object({
  // Bounded well above the limit so an over-long comment gets a helpful message, not a refusal.
  text: z.string().max(20_000).optional().default(''),
  giveName: flag,
  harm: flag,
});

type CommentFields = z.infer<typeof commentFields>;

/** Who wrote it and how they asked it to be treated: the part of a comment every form gives the same way. */
export function writtenBy(turn: Turn & { person: SeenPerson }, data: CommentFields) {
  return {
    tenantId: turn.person.tenantId,
    anonymous: data.giveName !== 'true',
    author: { aadObjectId: turn.person.aadObjectId, name: turn.member?.name ?? turn.person.name },
    groups: turn.member?.groups ?? {},
    writerSaysHarm: data.harm === 'true',
  };
}

/** What the person entered, to show the form again with a problem named and nothing lost. */
export const enteredIn = (data: CommentFields) => ({
  text: data.text,
  harm: data.harm === 'true',
  giveName: data.giveName === 'true',
});

/** What is wrong with the words, as the person should read it; `undefined` when they can be stored. */
export function commentTextProblem(t: Turn['t'], text: string): string | undefined {
  if (text === '') return t('comment.empty');
  if (text.length > COMMENT_MAX_LENGTH)
    return t('comment.tooLong', { length: text.length, max: COMMENT_MAX_LENGTH });
  return undefined;
}

/** What the writer of a possible disclosure sees: it went to the lead, and this organisation's procedure. */
export const writerCard = (deps: BotDeps, t: Turn['t'], anonymous: boolean) =>
  safeguardingWriterCard(t, { anonymous, ...deps.safeguarding });

/**
 * Tells the writer in their chat at once, for sources whose card answer is something else (a pulse's
 * thank-you).
 */
export async function tellWriter(
  context: TurnContext,
  deps: BotDeps,
  t: Turn['t'],
  escalation: Escalation,
): Promise<void> {
  await sendCard(context, writerCard(deps, t, escalation.anonymous));
}
