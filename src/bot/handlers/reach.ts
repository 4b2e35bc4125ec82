import type { Application } from '@microsoft/teams-ai';
import { reachCard } from '../../cards/reachCard.js';
import { tenantReach } from '../../domain/people/reachReport.js';
import { UserInputError } from '../../domain/shared/errors.js';
import { onCommand } from '../commandRoute.js';
import type { BotDeps } from '../deps.js';
import { sendCard } from '../turn.js';

/** `reach` (managers, admins): how many people Huddle can message, by site and unit, and why not. */
export function register(app: Application, deps: BotDeps): void {
  onCommand(app, deps, 'reach', async (context, turn) => {
    if (turn.person === undefined) throw new UserInputError('error.notAllowed', { role: 'manager' });
    await sendCard(context, reachCard(turn.t, await tenantReach(deps, turn.person.tenantId)));
  });
}
