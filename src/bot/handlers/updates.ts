import { randomUUID } from 'node:crypto';
import type { Application } from '@microsoft/teams-ai';
import { z } from 'zod';
import { concernFormCard, updateCard } from '../../cards/updateCards.js';
import { VERBS } from '../../cards/verbs.js';
import { COMMENT_MAX_LENGTH } from '../../domain/comment.js';
import { UserInputError } from '../../domain/errors.js';
import { isoWeek } from '../../domain/isoWeek.js';
import { onAction } from '../actionRoute.js';
import type { BotDeps } from '../deps.js';

const broadcastRef = z.object({ broadcastId: z.string().min(1).max(64) });
const concernData = broadcastRef.extend({
  // Bounded well above the limit so an over-long concern gets a helpful message, not a refusal.
  text: z.string().max(20_000).optional().default(''),
  giveName: z.enum(['true', 'false']).optional().default('false'),
});
const STAFF = ['staff'] as const;

/**
 * What staff do with an update card: **Got it** (an acknowledgement on their delivery row) and **I have a
 * concern** (a short form; the concern is stored as a comment, anonymous unless they add their name).
 * Each answer replaces the card in place.
 */
export function register(app: Application, deps: BotDeps): void {
  onAction(
    app,
    deps,
    VERBS.updateGotIt,
    { roles: STAFF, data: broadcastRef },
    async (_context, turn, data) => {
      const broadcast = await broadcastFor(deps, turn.person.tenantId, data.broadcastId);
      const now = deps.clock.now().toISOString();
      const delivery = await deps.deliveries.modify(broadcast.id, turn.person.aadObjectId, (current) =>
        current.acknowledgedAt === undefined ? { ...current, acknowledgedAt: now } : undefined,
      );
      // Only recipients have a row; anyone else pressing a forwarded card is thanked but not counted.
      deps.logger.info({ broadcastId: broadcast.id, counted: delivery !== undefined }, 'update acknowledged');
      return updateCard(turn.t, { ...broadcast, broadcastId: broadcast.id, state: { kind: 'acknowledged' } });
    },
  );

  onAction(
    app,
    deps,
    VERBS.updateConcern,
    { roles: STAFF, data: broadcastRef },
    async (_context, turn, data) => {
      const broadcast = await broadcastFor(deps, turn.person.tenantId, data.broadcastId);
      return concernFormCard(turn.t, { broadcastId: broadcast.id, about: broadcast.content.headline });
    },
  );

  onAction(
    app,
    deps,
    VERBS.concernBack,
    { roles: STAFF, data: broadcastRef },
    async (_context, turn, data) => {
      const broadcast = await broadcastFor(deps, turn.person.tenantId, data.broadcastId);
      return updateCard(turn.t, { ...broadcast, broadcastId: broadcast.id, state: { kind: 'open' } });
    },
  );

  onAction(
    app,
    deps,
    VERBS.concernSubmit,
    { roles: STAFF, data: concernData },
    async (_context, turn, data) => {
      const broadcast = await broadcastFor(deps, turn.person.tenantId, data.broadcastId);
      const text = data.text.trim();
      const about = broadcast.content.headline;
      if (text === '')
        return concernFormCard(turn.t, { broadcastId: broadcast.id, about, error: turn.t('concern.empty') });
      if (text.length > COMMENT_MAX_LENGTH) {
        return concernFormCard(turn.t, {
          broadcastId: broadcast.id,
          about,
          text: data.text,
          error: turn.t('concern.tooLong', { length: text.length, max: COMMENT_MAX_LENGTH }),
        });
      }
      const anonymous = data.giveName !== 'true';
      const now = deps.clock.now();
      await deps.comments.add({
        tenantId: turn.person.tenantId,
        id: randomUUID(),
        source: 'concern',
        initiativeId: broadcast.initiativeId,
        broadcastId: broadcast.id,
        text,
        anonymous,
        author: anonymous
          ? undefined
          : { aadObjectId: turn.person.aadObjectId, name: turn.member?.name ?? turn.person.name },
        groups: turn.member?.groups ?? {},
        week: isoWeek(now),
        day: now.toISOString().slice(0, 10),
      });
      // Neither the text nor who wrote it is logged.
      deps.logger.info({ broadcastId: broadcast.id, anonymous }, 'concern recorded');
      return updateCard(turn.t, {
        ...broadcast,
        broadcastId: broadcast.id,
        state: { kind: 'concernSent', anonymous },
      });
    },
  );
}

/** The broadcast a card button refers to, in the presser's own tenant. */
async function broadcastFor(deps: BotDeps, tenantId: string, id: string) {
  const broadcast = await deps.broadcasts.get(tenantId, id);
  if (broadcast === undefined) throw new UserInputError('update.gone', {});
  return broadcast;
}
