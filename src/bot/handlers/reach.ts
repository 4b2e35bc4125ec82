import type { Application } from '@microsoft/teams-ai';
import { z } from 'zod';
import { reachCard } from '../../cards/reachCard.js';
import { VERBS } from '../../cards/verbs.js';
import { installAgain, tenantReach } from '../../domain/people/reachReport.js';
import { UserInputError } from '../../domain/shared/errors.js';
import { onAction } from '../actionRoute.js';
import { onCommand } from '../commandRoute.js';
import type { BotDeps } from '../deps.js';
import { sendCard } from '../turn.js';

/**
 * `reach` (managers, admins): how many people Huddle can message, by site and unit, why not, and whether
 * it installs itself for the others.
 */
export function register(app: Application, deps: BotDeps): void {
  onCommand(app, deps, 'reach', async (context, turn) => {
    if (turn.person === undefined) throw new UserInputError('error.notAllowed', { role: 'manager' });
    const report = await tenantReach(deps, turn.person.tenantId);
    await sendCard(context, reachCard(turn.t, report, deps.reach.proactiveInstall));
  });

  // The card's answer is the report again, those Graph refused now counted among the people to install for.
  onAction(app, deps, VERBS.reachInstallAgain, { data: z.object({}) }, async (_context, turn) => {
    const report = await installAgain(deps, turn.person.tenantId);
    return reachCard(turn.t, report, deps.reach.proactiveInstall);
  });
}
