import type { Application } from '@microsoft/teams-ai';
import { z } from 'zod';
import { type CommentFormModel, commentFormCard } from '../../cards/feedbackCards.js';
import { updateCard } from '../../cards/updateCards.js';
import { VERBS } from '../../cards/verbs.js';
import { UserInputError } from '../../domain/shared/errors.js';
import { onAction, unsaved } from '../actionRoute.js';
import { commentFields, enteredIn, recordFromForm, writerCard } from '../commentInput.js';
import type { BotDeps } from '../deps.js';

const broadcastRef = z.object({ broadcastId: z.string().min(1).max(64) });
const concernData = broadcastRef.merge(commentFields);

/**
 * What staff do with an update card: **Got it** (an acknowledgement on their delivery row) and **I have a
 * concern** (a short form; the concern is stored as a comment, anonymous unless they add their name).
 * Each answer replaces the card in place.
 */
export function register(app: Application, deps: BotDeps): void {
  onAction(app, deps, VERBS.updateGotIt, { data: broadcastRef }, async (_context, turn, data) => {
    const broadcast = await broadcastFor(deps, turn.person.tenantId, data.broadcastId);
    const now = deps.clock.now().toISOString();
    const delivery = await deps.deliveries.modify(broadcast.id, turn.person.aadObjectId, (current) =>
      current.acknowledgedAt === undefined ? { ...current, acknowledgedAt: now } : undefined,
    );
    // Only recipients have a row. Anyone else pressing a forwarded or copied card is told it was not
    // theirs: thanking them would say something was recorded when nothing was.
    if (delivery === undefined) throw new UserInputError('update.notSentToYou', {});
    deps.logger.info({ broadcastId: broadcast.id }, 'update acknowledged');
    return updateCard(turn.t, {
      ...broadcast,
      broadcastId: broadcast.id,
      state: { kind: 'acknowledged' },
      reader: delivery.groups,
    });
  });

  onAction(app, deps, VERBS.updateConcern, { data: broadcastRef }, async (_context, turn, data) => {
    const broadcast = await broadcastFor(deps, turn.person.tenantId, data.broadcastId);
    return concernForm(broadcast.id, broadcast.content.headline, turn.t);
  });

  onAction(app, deps, VERBS.concernBack, { data: broadcastRef }, async (_context, turn, data) => {
    const broadcast = await broadcastFor(deps, turn.person.tenantId, data.broadcastId);
    return updateCard(turn.t, {
      ...broadcast,
      broadcastId: broadcast.id,
      state: { kind: 'open' },
      reader: turn.member?.groups,
    });
  });

  onAction(
    app,
    deps,
    VERBS.concernSubmit,
    { data: concernData, once: true },
    async (_context, turn, data) => {
      const broadcast = await broadcastFor(deps, turn.person.tenantId, data.broadcastId);
      const sent = await recordFromForm(deps, turn, data, {
        source: 'concern',
        initiativeId: broadcast.initiativeId,
        broadcastId: broadcast.id,
      });
      if (sent.kind === 'problem') {
        return unsaved(
          concernForm(broadcast.id, broadcast.content.headline, turn.t, {
            ...enteredIn(data),
            error: sent.error,
          }),
        );
      }
      const { anonymous, escalation } = sent;
      // Neither the text nor who wrote it is logged.
      deps.logger.info(
        { broadcastId: broadcast.id, anonymous, escalated: escalation !== undefined },
        'concern recorded',
      );
      if (escalation !== undefined) return writerCard(deps, turn, escalation);
      return updateCard(turn.t, {
        ...broadcast,
        broadcastId: broadcast.id,
        state: { kind: 'concernSent', anonymous },
        reader: turn.member?.groups,
      });
    },
  );
}

function concernForm(
  broadcastId: string,
  about: string,
  t: Parameters<typeof commentFormCard>[0],
  entered: Pick<CommentFormModel, 'text' | 'harm' | 'giveName' | 'error'> = {},
) {
  return commentFormCard(t, {
    ...entered,
    purpose: 'concern',
    about,
    sendVerb: VERBS.concernSubmit,
    backVerb: VERBS.concernBack,
    data: { broadcastId },
  });
}

/** The broadcast a card button refers to, in the presser's own tenant. */
async function broadcastFor(deps: BotDeps, tenantId: string, id: string) {
  const broadcast = await deps.broadcasts.get(tenantId, id);
  if (broadcast === undefined) throw new UserInputError('update.gone', {});
  return broadcast;
}
