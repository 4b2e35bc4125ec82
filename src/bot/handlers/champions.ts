import type { Application } from '@microsoft/teams-ai';
import { TurnContext } from 'botbuilder';
import { z } from 'zod';
import {
  championCard,
  championInviteCard,
  championInvitePreviewCard,
  invitationWords,
} from '../../cards/championCards.js';
import { progressCard } from '../../cards/updateCards.js';
import { VERBS } from '../../cards/verbs.js';
import { currentFigures } from '../../delivery/progress.js';
import type { AudienceOption } from '../../domain/broadcasts/broadcastDraft.js';
import { composeOptions } from '../../domain/broadcasts/broadcasting.js';
import {
  answerVolunteer,
  inviteChampions,
  previewInvitation,
  volunteer,
} from '../../domain/champions/invitation.js';
import type { Initiative } from '../../domain/initiatives/initiative.js';
import type { FieldError } from '../../domain/shared/errors.js';
import { onAction, unsaved } from '../actionRoute.js';
import type { BotDeps } from '../deps.js';
import { managerOf, type Turn } from '../turn.js';
import { initiativeFor } from './initiatives.js';

const initiativeRef = z.object({ initiativeId: z.string().min(1).max(100) });
const invitation = initiativeRef.extend({ audience: z.string().max(200).optional().default('') });
const confirmation = invitation.extend({ previewId: z.string().min(1).max(100) });
const broadcastRef = z.object({ broadcastId: z.string().min(1).max(100) });
const answer = initiativeRef.extend({ volunteerId: z.string().min(1).max(100), accept: z.boolean() });

/**
 * Change champions: a manager chooses an audience, sees how many it reaches, and sends; a volunteer says
 * yes, a manager accepts or declines.
 */
export function register(app: Application, deps: BotDeps): void {
  // Opened from `initiatives` (all), or by Change on the preview (the audience chosen before).
  onAction(app, deps, VERBS.championInviteForm, { data: invitation }, async (_context, turn, data) => {
    const initiative = await initiativeFor(deps, turn.person.tenantId, data.initiativeId);
    const options = await composeOptions(deps, turn.person.tenantId, initiative.id);
    return championInviteCard(turn.t, { initiative, options, audience: data.audience || 'all', errors: [] });
  });

  onAction(app, deps, VERBS.championInvitePreview, { data: invitation }, async (_context, turn, data) => {
    const manager = managerOf(turn, deps);
    const initiative = await initiativeFor(deps, manager.tenantId, data.initiativeId);
    const words = invitationWords(turn.t, initiative, manager.name);
    const prepared = await previewInvitation(deps, manager, data, words);
    if (!prepared.ok) return refusedForm(turn, initiative, data.audience, prepared);
    return championInvitePreviewCard(turn.t, {
      initiative,
      audience: prepared.draft.audience,
      recipients: prepared.recipients.length,
      reach: prepared.reach,
      words,
      previewId: deps.newId(),
    });
  });

  onAction(
    app,
    deps,
    VERBS.championInvite,
    { data: confirmation, once: true },
    async (context, turn, data) => {
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
      // The audience can have changed since the preview (people left, a list emptied): the form says why.
      if (!result.ok) return unsaved(refusedForm(turn, initiative, data.audience, result));
      deps.logger.info(
        { initiativeId: initiative.id, broadcastId: result.broadcast.id },
        'champions invited',
      );
      deps.scheduler.nudge();
      return progressCard(
        turn.t,
        result.broadcast,
        await currentFigures(deps, result.broadcast, deps.clock.now()),
      );
    },
  );

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

/** The invitation form again, with the choice made and what stopped it. */
const refusedForm = (
  turn: Turn,
  initiative: Initiative,
  audience: string,
  refusal: { errors: FieldError[]; options: AudienceOption[] },
) => championInviteCard(turn.t, { initiative, options: refusal.options, audience, errors: refusal.errors });
