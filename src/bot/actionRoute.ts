import type { Application } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import type { z } from 'zod';
import { noticeCard } from '../cards/cards.js';
import type { Card } from '../cards/render.js';
import { UserInputError } from '../domain/errors.js';
import type { SeenPerson } from '../domain/member.js';
import type { Role } from '../domain/roles.js';
import type { BotDeps } from './deps.js';
import { refusalText } from './errors.js';
import { readTurn, type Turn } from './turn.js';

/**
 * Registers an Action.Execute verb. Card submits are untrusted input: the roles are checked again here
 * (a card can be forwarded, or replayed after a role was revoked), the data is parsed with the verb's
 * schema, and a person's mistake comes back as a card in place of the one they pressed, not as a stray
 * chat message.
 */
export function onAction<S extends z.ZodTypeAny>(
  app: Application,
  deps: BotDeps,
  verb: string,
  options: { roles: readonly Role[]; data: S; withMember?: boolean },
  handler: (context: TurnContext, turn: Turn & { person: SeenPerson }, data: z.infer<S>) => Promise<Card>,
): void {
  app.adaptiveCards.actionExecute(verb, async (context, _state, raw) => {
    const turn = await readTurn(context, deps, { withMember: options.withMember ?? true });
    try {
      const checked = checkInvoke(turn, options.roles, options.data, raw);
      return await handler(context, checked.turn, checked.data);
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
  if (!roles.some((role) => turn.roles.includes(role)))
    throw new UserInputError('error.notAllowed', { role: roles[0] ?? 'manager' });
  const parsed = schema.safeParse(raw ?? {});
  if (!parsed.success) throw new UserInputError('card.expired', {});
  return { turn: { ...turn, person }, data: parsed.data };
}
