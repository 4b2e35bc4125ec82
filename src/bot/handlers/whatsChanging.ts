import type { Application } from '@microsoft/teams-ai';
import { whatsChangingCard } from '../../cards/memberCards.js';
import { changesFor } from '../../domain/initiatives/changes.js';
import { UserInputError } from '../../domain/shared/errors.js';
import { onCommand } from '../commandRoute.js';
import type { BotDeps } from '../deps.js';
import { sendCard } from '../turn.js';

/** `what's changing`: the initiatives that include this member, where each is, why, and who to ask. */
export function register(app: Application, deps: BotDeps): void {
  onCommand(app, deps, 'whatsChanging', async (context, turn) => {
    if (turn.member === undefined) throw new UserInputError('settings.noRecord', {});
    const [initiatives, members] = await Promise.all([
      deps.initiatives.list(turn.member.tenantId),
      deps.members.list(turn.member.tenantId),
    ]);
    await sendCard(
      context,
      whatsChangingCard(turn.t, changesFor(turn.member, initiatives, members), turn.member.groups),
    );
  });
}
