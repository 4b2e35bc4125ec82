import type { Application } from '@microsoft/teams-ai';
import { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { composeCard, previewCard } from '../../cards/broadcastCards.js';
import { noticeCard } from '../../cards/cards.js';
import { broadcastsCard, progressCard } from '../../cards/updateCards.js';
import { VERBS } from '../../cards/verbs.js';
import { currentFigures } from '../../delivery/progress.js';
import type { DraftInput } from '../../domain/broadcasts/broadcastDraft.js';
import {
  cancelBroadcast,
  composeOptions,
  EMPTY_DRAFT,
  prepareDraft,
  resendUnconfirmed,
  scheduleBroadcast,
} from '../../domain/broadcasts/broadcasting.js';
import type { Manager } from '../../domain/people/member.js';
import { onAction, unsaved } from '../actionRoute.js';
import { onCommand } from '../commandRoute.js';
import type { BotDeps } from '../deps.js';
import { managerOf, sendCard, type Turn } from '../turn.js';

/** Card inputs come back as strings; lengths are bounded here and checked properly by the domain rules. */
const text = (max: number) => z.string().max(max).optional().default('');
const draftData = z.object({
  headline: text(2_000),
  message: text(20_000),
  audience: text(300),
  when: z.enum(['now', 'later']).optional().default('now'),
  date: text(20),
  time: text(20),
  urgent: z
    .enum(['true', 'false'])
    .optional()
    .default('false')
    .transform((value) => value === 'true'),
  imageUrl: text(2_000),
  link: text(2_000),
  initiativeId: text(200),
  stageIndex: text(10),
});
const broadcastRef = z.object({ broadcastId: z.string().min(1).max(64) });
const nothing = z.object({});

/** Manager-facing: compose -> preview -> confirm -> progress (and cancel), and `broadcasts`. */
export function register(app: Application, deps: BotDeps): void {
  onCommand(app, deps, 'broadcast', async (context, turn) => {
    const manager = managerOf(turn, deps);
    await sendCard(context, await compose(deps, manager, turn, { values: EMPTY_DRAFT }));
  });

  onAction(app, deps, VERBS.broadcastPreview, { data: draftData }, async (_context, turn, input) => {
    const manager = managerOf(turn, deps);
    const prepared = await prepareDraft(deps, manager, input);
    if (!prepared.ok)
      return compose(deps, manager, turn, {
        values: input,
        errors: prepared.errors,
        options: prepared.options,
      });
    return previewCard(turn.t, {
      input,
      draft: prepared.draft,
      recipients: prepared.recipients.length,
      reach: prepared.reach,
      inQuietHours: prepared.inQuietHours,
      timeZone: manager.timeZone,
    });
  });

  onAction(app, deps, VERBS.broadcastEdit, { data: draftData }, async (_context, turn, input) =>
    compose(deps, managerOf(turn, deps), turn, { values: input }),
  );

  onAction(app, deps, VERBS.broadcastDiscard, { data: nothing }, async (_context, turn) =>
    noticeCard(turn.t('broadcast.discarded')),
  );

  onAction(
    app,
    deps,
    VERBS.broadcastConfirm,
    { data: draftData, once: true },
    async (context, turn, input) => {
      const manager = managerOf(turn, deps);
      const result = await scheduleBroadcast(deps, manager, input, {
        conversation: JSON.parse(JSON.stringify(TurnContext.getConversationReference(context.activity))),
        // The card pressed is the message that becomes the progress card.
        activityId: context.activity.replyToId,
      });
      if (!result.ok)
        return unsaved(
          await compose(deps, manager, turn, {
            values: input,
            errors: result.errors,
            options: result.options,
          }),
        );
      deps.logger.info(
        {
          broadcastId: result.broadcast.id,
          recipients: result.broadcast.recipients,
          urgent: result.broadcast.urgent,
        },
        'broadcast confirmed',
      );
      deps.scheduler.nudge();
      return progressCard(
        turn.t,
        result.broadcast,
        await currentFigures(deps, result.broadcast, deps.clock.now()),
      );
    },
  );

  onAction(app, deps, VERBS.broadcastCancel, { data: broadcastRef }, async (_context, turn, data) => {
    const broadcast = await cancelBroadcast(deps, turn.person.tenantId, data.broadcastId);
    deps.logger.info({ broadcastId: broadcast.id }, 'broadcast cancelled');
    deps.scheduler.nudge();
    return progressCard(turn.t, broadcast, await currentFigures(deps, broadcast, deps.clock.now()));
  });

  onAction(
    app,
    deps,
    VERBS.broadcastResend,
    { data: broadcastRef, once: true },
    async (_context, turn, data) => {
      const { broadcast, resent } = await resendUnconfirmed(deps, turn.person.tenantId, data.broadcastId);
      deps.logger.info({ broadcastId: broadcast.id, resent }, 'unconfirmed recipients sent again');
      deps.scheduler.nudge();
      return progressCard(turn.t, broadcast, await currentFigures(deps, broadcast, deps.clock.now()));
    },
  );

  onCommand(app, deps, 'broadcasts', async (context, turn) => {
    const tenantId = managerOf(turn, deps).tenantId;
    // Safeguarding alerts are between Huddle and the leads: a manager's list must not show one was raised.
    // Follow-up messages live in their thread under `comments`, and digests are read, not sent to staff:
    // neither is among the manager's broadcasts; nor are messages to one person about being a champion
    // (the invitation is) or an action's reminder to its owner.
    const recent = (await deps.broadcasts.list(tenantId))
      .filter(
        (broadcast) =>
          broadcast.alert === undefined &&
          broadcast.followUp === undefined &&
          broadcast.digest === undefined &&
          broadcast.overdueAction === undefined &&
          (broadcast.champion === undefined || broadcast.champion.step === 'invite'),
      )
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .slice(0, RECENT);
    const now = deps.clock.now();
    const withFigures = await Promise.all(
      recent.map(async (broadcast) => ({ broadcast, figures: await currentFigures(deps, broadcast, now) })),
    );
    await sendCard(context, broadcastsCard(turn.t, withFigures));
  });
}

const RECENT = 10;

/** The compose form; the audience choices are read unless a validation just read them. */
export async function compose(
  deps: BotDeps,
  manager: Manager,
  turn: Turn,
  form: {
    values: DraftInput;
    errors?: Parameters<typeof composeCard>[1]['errors'];
    options?: Parameters<typeof composeCard>[1]['options'];
    context?: string;
  },
) {
  return composeCard(turn.t, {
    values: form.values,
    options: form.options ?? (await composeOptions(deps, manager.tenantId, form.values.initiativeId)),
    errors: form.errors ?? [],
    context: form.context,
    timeZone: manager.timeZone,
  });
}
