import type { Application } from '@microsoft/teams-ai';
import { helpCard } from '../../cards/cards.js';
import { commandsFor, patternOf } from '../../domain/commands.js';
import type { BotDeps } from '../deps.js';
import { readTurn, sendCard } from '../turn.js';

/** `help`: the commands this person's roles allow, nothing they cannot use. */
export function register(app: Application, deps: BotDeps): void {
  app.message(patternOf('help'), async (context) => {
    const turn = await readTurn(context, deps);
    await sendCard(context, helpCard(turn.t, commandsFor(turn.roles)));
  });
}
