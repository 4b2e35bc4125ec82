import type { Application } from '@microsoft/teams-ai';
import { ActivityTypes } from 'botbuilder';
import { COMMAND_SYNTAX, suggestCommand } from '../../domain/commands.js';
import type { BotDeps } from '../deps.js';
import { readTurn } from '../turn.js';

/**
 * Anything no other route took: never silence. Suggests the closest command the person may use. Must be
 * registered last, because teams-ai runs the first matching route.
 */
export function register(app: Application, deps: BotDeps): void {
  app.activity(ActivityTypes.Message, async (context) => {
    const turn = await readTurn(context, deps);
    const text = context.activity.text?.trim() ?? '';
    if (text === '') {
      await context.sendActivity(turn.t('unknown.notText'));
      return;
    }
    const suggestion = suggestCommand(text, turn.roles);
    const lines = [
      turn.t('unknown.text'),
      suggestion === undefined ? '' : turn.t('unknown.suggestion', { command: COMMAND_SYNTAX[suggestion] }),
      turn.t('unknown.help'),
    ];
    await context.sendActivity(lines.filter((line) => line !== '').join(' '));
  });
}
