import type { Application } from '@microsoft/teams-ai';
import { ActivityTypes, type TurnContext } from 'botbuilder';
import { type CommandName, isCommand, refusalFor } from '../domain/chat/commands.js';
import { UserInputError } from '../domain/shared/errors.js';
import { scopeOf } from './activity.js';
import type { BotDeps } from './deps.js';
import { readTurn, type Turn } from './turn.js';

/**
 * Registers a text command. The turn is read once; someone whose roles do not allow the command, or who
 * types a personal-only command in a team or group chat, gets a polite refusal and nothing runs.
 */
export function onCommand(
  app: Application,
  deps: BotDeps,
  name: CommandName,
  handler: (context: TurnContext, turn: Turn) => Promise<void>,
): void {
  const typed = async (context: TurnContext) =>
    context.activity.type === ActivityTypes.Message && isCommand(name, context.activity.text ?? '');
  app.message(typed, async (context) => {
    const turn = await readTurn(context, deps);
    const refusal = refusalFor(name, turn.roles, scopeOf(turn.facts) === 'personal');
    if (refusal !== undefined) throw new UserInputError(refusal.messageKey, refusal.values);
    await handler(context, turn);
  });
}
