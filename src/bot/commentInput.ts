import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { safeguardingQuestionCard, safeguardingWriterCard } from '../cards/feedbackCards.js';
import { COMMENT_MAX_LENGTH, DISCLOSURE_MAX_LENGTH } from '../domain/feedback/comment.js';
import { type CommentInput, type RecordOutcome, recordComment } from '../domain/feedback/feedback.js';
import type { Escalation } from '../domain/feedback/safeguarding.js';
import { parseWriterTags, WRITER_TAGS_MAX } from '../domain/feedback/themes.js';
import type { SeenPerson } from '../domain/people/member.js';
import { UserInputError } from '../domain/shared/errors.js';
import type { BotDeps } from './deps.js';
import { sendCard, type Turn } from './turn.js';

const flag = z.enum(['true', 'false']).optional().default('false');

/** The fields every comment form sends: the words, the two ticks and what it is mostly about. */
export const commentFields = z.object({
  // Bounded well above the disclosure limit, so an over-long comment gets a helpful message, not a refusal.
  text: z.string().max(20_000).optional().default(''),
  giveName: flag,
  harm: flag,
  tags: z.string().max(400).optional().default(''),
});

type CommentFields = z.infer<typeof commentFields>;

/** Who wrote it and how they asked it to be treated: the part of a comment every form gives the same way. */
function writtenBy(turn: Turn & { person: SeenPerson }, data: CommentFields) {
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
  tags: data.tags,
});

export type FormOutcome =
  | { kind: 'problem'; error: string }
  | ({ kind: 'recorded'; anonymous: boolean } & Extract<RecordOutcome, { kind: 'recorded' }>);

/**
 * What every comment form's Send does: records the words with where they were written, or names what the
 * person must put right, in their words (nothing is stored then).
 */
export async function recordFromForm(
  deps: BotDeps,
  turn: Turn & { person: SeenPerson },
  data: CommentFields,
  where: Pick<CommentInput, 'source' | 'initiativeId' | 'broadcastId'>,
): Promise<FormOutcome> {
  const text = data.text.trim();
  if (text === '') return { kind: 'problem', error: turn.t('comment.empty') };
  const tagged = parseWriterTags(data.tags);
  if (!tagged.ok) {
    if (tagged.problem === 'unknown') throw new UserInputError('card.expired', {});
    return { kind: 'problem', error: turn.t('comment.tags.tooMany', { max: WRITER_TAGS_MAX }) };
  }
  const written = writtenBy(turn, data);
  const outcome = await recordComment(deps, { ...written, ...where, text, tags: tagged.tags });
  if (outcome.kind === 'tooLong') return { kind: 'problem', error: tooLongText(turn.t, outcome) };
  return { ...outcome, anonymous: written.anonymous };
}

/**
 * An ordinary comment over its limit is told the disclosure limit too, in case it is about harm and the
 * box was missed; a disclosure over its own limit is asked to go on in a second message.
 */
function tooLongText(t: Turn['t'], { length, max }: { length: number; max: number }): string {
  const values = { length, max, disclosureMax: DISCLOSURE_MAX_LENGTH };
  return t(max === COMMENT_MAX_LENGTH ? 'comment.tooLongUnlessHarm' : 'comment.tooLongDisclosure', values);
}

/**
 * What the writer of a possible disclosure sees, with this organisation's procedure: that it went to the
 * lead, or, when only Huddle read it so, the question whether someone is at risk (see `askedEscalation`).
 */
export function writerCard(deps: BotDeps, turn: Turn & { person: SeenPerson }, escalation: Escalation) {
  if (escalation.status !== 'asked') {
    return safeguardingWriterCard(turn.t, { anonymous: escalation.anonymous, ...deps.safeguarding });
  }
  const { tenantId, aadObjectId } = turn.person;
  return safeguardingQuestionCard(turn.t, {
    ...deps.safeguarding,
    escalationId: escalation.id,
    token: deps.keys.writerToken(tenantId, escalation.id, aadObjectId),
  });
}

/**
 * Tells the writer in their chat at once, for sources whose card answer is something else (a pulse's
 * thank-you).
 */
export async function tellWriter(
  context: TurnContext,
  deps: BotDeps,
  turn: Turn & { person: SeenPerson },
  escalation: Escalation,
): Promise<void> {
  await sendCard(context, writerCard(deps, turn, escalation));
}
