import type { Application } from '@microsoft/teams-ai';
import { helpCard } from '../../cards/cards.js';
import { commandsFor } from '../../domain/chat/commands.js';
import { scopeOf } from '../activity.js';
import { onCommand } from '../commandRoute.js';
import type { BotDeps } from '../deps.js';
import { sendCard } from '../turn.js';

/** `help`: the commands this person's roles allow in this chat, nothing they cannot use. */
export function register(app: Application, deps: BotDeps): void {
  onCommand(app, deps, 'help', async (context, turn) => {
    await sendCard(context, helpCard(turn.t, commandsFor(turn.roles, scopeOf(turn.facts) === 'personal')));
  });
}
