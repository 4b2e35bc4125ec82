import type { Application } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import type { z } from 'zod';
import { noticeCard } from '../cards/cards.js';
import type { Card } from '../cards/render.js';
import { VERB_ROLES, type Verb } from '../cards/verbs.js';
import type { SeenPerson } from '../domain/people/member.js';
import { notAllowed, type Role } from '../domain/people/roles.js';
import { UserInputError } from '../domain/shared/errors.js';
import type { BotDeps } from './deps.js';
import { refusalText } from './errors.js';
import { readTurn, type Turn } from './turn.js';

/** A card answering a press that stored nothing (a form shown again with a problem): see `once`. */
export interface Unsaved {
  unsaved: Card;
}
export const unsaved = (card: Card): Unsaved => ({ unsaved: card });
const isUnsaved = (result: Card | Unsaved): result is Unsaved => 'unsaved' in result && !('type' in result);

/** How long a press is remembered: Teams retries within seconds, a double tap within one. */
const REPEAT_WINDOW_MS = 2 * 60_000;

/**
 * Registers an Action.Execute verb. Card submits are untrusted input: the roles `VERB_ROLES` declares for
 * the verb are checked again here (a card can be forwarded, or replayed after a role was revoked), the
 * data is parsed with the verb's schema, and a person's mistake comes back as a card in place of the one
 * they pressed, not as a stray chat message.
 *
 * `once` is for presses that store or send something new (a comment, a broadcast): the same press
 * arriving again (Teams retries an invoke it got no answer to; thumbs tap twice) is done once and the
 * repeat told so. A handler returns `unsaved(card)` when it stored nothing, so the person can send the
 * same words again after a problem.
 */
export function onAction<S extends z.ZodTypeAny>(
  app: Application,
  deps: BotDeps,
  verb: Verb,
  options: { data: S; withMember?: boolean; once?: boolean },
  handler: (
    context: TurnContext,
    turn: Turn & { person: SeenPerson },
    data: z.infer<S>,
  ) => Promise<Card | Unsaved>,
): void {
  app.adaptiveCards.actionExecute(verb, async (context, _state, raw) => {
    const turn = await readTurn(context, deps, { withMember: options.withMember ?? true });
    try {
      const checked = checkInvoke(turn, VERB_ROLES[verb], options.data, raw);
      const press = () => handler(context, checked.turn, checked.data);
      const result = options.once ? await once(deps, context, checked.turn, verb, raw, press) : await press();
      return isUnsaved(result) ? result.unsaved : result;
    } catch (error) {
      if (!(error instanceof UserInputError)) throw error;
      deps.logger.info(
        { activityId: turn.facts.id, verb, messageKey: error.messageKey },
        'card action refused',
      );
      return noticeCard(refusalText(turn.t, error));
    }
  });
}

/**
 * Runs `press` unless the same press (person, verb, card, data) was claimed within the window. The card is
 * the message that carries it (`replyToId`), or the activity itself when Teams does not say. The claim is
 * given back when the press stored nothing or failed, so trying again is never refused as a repeat.
 */
async function once(
  deps: BotDeps,
  context: TurnContext,
  turn: Turn & { person: SeenPerson },
  verb: string,
  data: unknown,
  press: () => Promise<Card | Unsaved>,
): Promise<Card | Unsaved> {
  const { tenantId, aadObjectId } = turn.person;
  const card = context.activity.replyToId ?? context.activity.id ?? '';
  const key = deps.keys.actionClaim(tenantId, aadObjectId, verb, card, data);
  if (!(await deps.actionClaims.claim(tenantId, key, deps.clock.now(), REPEAT_WINDOW_MS))) {
    deps.logger.info({ activityId: turn.facts.id, verb }, 'repeated card action answered, not done again');
    return noticeCard(turn.t('card.repeated'));
  }
  const giveBack = () =>
    deps.actionClaims.release(tenantId, key).catch((error: unknown) => {
      deps.logger.warn(
        { verb, err: { message: (error as Error).message } },
        'card action claim not released',
      );
    });
  try {
    const result = await press();
    if (isUnsaved(result)) await giveBack();
    return result;
  } catch (error) {
    await giveBack();
    throw error;
  }
}

/**
 * The checks every invoke from a card gets before its handler runs: someone Teams named, holding one of
 * `roles`, sending data `schema` accepts. Throws the UserInputError the person is told otherwise.
 */
export function checkInvoke<S extends z.ZodTypeAny>(
  turn: Turn,
  roles: readonly Role[],
  schema: S,
  raw: unknown,
): { turn: Turn & { person: SeenPerson }; data: z.infer<S> } {
  const person = turn.person;
  if (person === undefined) throw new UserInputError('card.expired', {});
  if (!roles.some((role) => turn.roles.includes(role))) {
    const refusal = notAllowed(roles);
    throw new UserInputError(refusal.messageKey, refusal.values);
  }
  const parsed = schema.safeParse(raw ?? {});
  if (!parsed.success) throw new UserInputError('card.expired', {});
  return { turn: { ...turn, person }, data: parsed.data };
}
