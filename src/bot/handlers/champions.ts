import type { Application } from '@microsoft/teams-ai';
import { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { championCard, championInviteCard, invitationWords } from '../../cards/championCards.js';
import { progressCard } from '../../cards/updateCards.js';
import { VERBS } from '../../cards/verbs.js';
import { currentFigures } from '../../delivery/progress.js';
import { composeOptions } from '../../domain/broadcasts/broadcasting.js';
import { answerVolunteer, inviteChampions, volunteer } from '../../domain/champions/invitation.js';
import { onAction, unsaved } from '../actionRoute.js';
import type { BotDeps } from '../deps.js';
import { managerOf } from '../turn.js';
import { initiativeFor } from './initiatives.js';

const initiativeRef = z.object({ initiativeId: z.string().min(1).max(100) });
const invitation = initiativeRef.extend({ audience: z.string().max(200).optional().default('') });
const broadcastRef = z.object({ broadcastId: z.string().min(1).max(100) });
const answer = initiativeRef.extend({ volunteerId: z.string().min(1).max(100), accept: z.boolean() });

/** Change champions: a manager invites an audience, a volunteer says yes, a manager accepts or declines. */
export function register(app: Application, deps: BotDeps): void {
  onAction(app, deps, VERBS.championInviteForm, { data: initiativeRef }, async (_context, turn, data) => {
    const initiative = await initiativeFor(deps, turn.person.tenantId, data.initiativeId);
    const options = await composeOptions(deps, turn.person.tenantId, initiative.id);
    return championInviteCard(turn.t, { initiative, options, audience: 'all', errors: [] });
  });

  onAction(app, deps, VERBS.championInvite, { data: invitation, once: true }, async (context, turn, data) => {
    const manager = managerOf(turn, deps);
    const initiative = await initiativeFor(deps, manager.tenantId, data.initiativeId);
    const result = await inviteChampions(
      deps,
      manager,
      data,
      invitationWords(turn.t, initiative, manager.name),
      {
        conversation: JSON.parse(JSON.stringify(TurnContext.getConversationReference(context.activity))),
        activityId: context.activity.replyToId,
      },
    );
    if (!result.ok)
      return unsaved(
        championInviteCard(turn.t, {
          initiative,
          options: result.options,
          audience: data.audience,
          errors: result.errors,
        }),
      );
    deps.logger.info({ initiativeId: initiative.id, broadcastId: result.broadcast.id }, 'champions invited');
    deps.scheduler.nudge();
    return progressCard(
      turn.t,
      result.broadcast,
      await currentFigures(deps, result.broadcast, deps.clock.now()),
    );
  });

  onAction(
    app,
    deps,
    VERBS.championVolunteer,
    { data: broadcastRef, once: true },
    async (_context, turn, data) => {
      const { initiative, invitation } = await volunteer(deps, turn.person, data.broadcastId);
      // Logged without who: the managers' card says who offered, the log need not.
      deps.logger.info({ initiativeId: initiative.id }, 'a champion volunteered');
      deps.scheduler.nudge();
      return championCard(turn.t, {
        broadcast: invitation,
        step: 'invite',
        initiative,
        outcome: turn.t('champion.volunteered.thanks', { initiative: initiative.title }),
      });
    },
  );

  onAction(app, deps, VERBS.championAnswer, { data: answer, once: true }, async (_context, turn, data) => {
    const { initiative, volunteer: person } = await answerVolunteer(
      deps,
      turn.person.tenantId,
      data.initiativeId,
      data.volunteerId,
      data.accept,
    );
    deps.logger.info({ initiativeId: initiative.id, accepted: data.accept }, 'a champion volunteer answered');
    deps.scheduler.nudge();
    return championCard(turn.t, {
      broadcast: { id: '', content: { headline: initiative.title, message: '' } },
      step: 'volunteered',
      initiative,
      volunteer: person,
      outcome: turn.t(data.accept ? 'champion.answer.accepted' : 'champion.answer.declined', {
        name: person.name,
        initiative: initiative.title,
      }),
    });
  });
}
