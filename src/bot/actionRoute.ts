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
      if (turn.person === undefined) throw new UserInputError('card.expired', {});
      if (!options.roles.some((role) => turn.roles.includes(role))) {
        throw new UserInputError('error.notAllowed', { role: options.roles[0] ?? 'manager' });
      }
      const parsed = options.data.safeParse(raw ?? {});
      if (!parsed.success) throw new UserInputError('card.expired', {});
      return await handler(context, { ...turn, person: turn.person }, parsed.data);
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
