import type { Application } from '@microsoft/teams-ai';
import { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { actionFormCard, actionsCard, loopMessage } from '../../cards/actionCards.js';
import { progressCard } from '../../cards/updateCards.js';
import { VERBS } from '../../cards/verbs.js';
import { currentFigures } from '../../delivery/progress.js';
import { ACTION_STATUSES } from '../../domain/actions/action.js';
import { publishAction, recordAction, setActionStatus } from '../../domain/actions/loop.js';
import { audienceOptions } from '../../domain/broadcasts/broadcastDraft.js';
import { audienceSources } from '../../domain/broadcasts/broadcasting.js';
import { THEMES } from '../../domain/feedback/themes.js';
import { effectiveRoles } from '../../domain/people/roles.js';
import { localDayAndTime } from '../../domain/shared/timeZone.js';
import { onAction, unsaved } from '../actionRoute.js';
import { listedComment } from '../cardData.js';
import { onCommand } from '../commandRoute.js';
import type { BotDeps } from '../deps.js';
import { managerOf, sendCard, type Turn } from '../turn.js';

const text = (max: number) => z.string().max(max).optional().default('');
const actionFields = z.object({
  heard: text(2_000),
  willDo: text(2_000),
  owner: text(100),
  due: text(40),
  initiativeId: text(100),
  audience: text(200),
});
const theme = z.enum(THEMES);
/** The comment or theme an action starts from, carried on the form's Save (all empty for `new action`). */
const startedFrom = z.object({
  fromCommentId: text(128),
  fromInitiativeId: text(64),
  fromWeek: z
    .union([z.literal(''), z.string().regex(/^\d{4}-W\d{2}$/)])
    .optional()
    .default(''),
  fromTheme: z
    .union([z.literal(''), theme])
    .optional()
    .default(''),
  // The page of `comments` it started from, for "Back to comments": read again, strictly, by that verb.
  commentsDay: text(64),
  commentsId: text(256),
});
const actionForm = actionFields.merge(startedFrom);
const themeRef = z.object({ initiativeId: text(100), theme });
const actionRef = z.object({ actionId: z.string().min(1).max(100) });
const statusChange = actionRef.extend({ to: z.enum(ACTION_STATUSES), reason: text(1_000) });

/** "You said, we did": `new action`, `actions`, publishing an action to staff, and moving it on. */
export function register(app: Application, deps: BotDeps): void {
  onCommand(app, deps, 'newAction', async (context, turn) => {
    await sendCard(context, await form(deps, turn, blankForm(turn.person?.aadObjectId ?? '')));
  });

  // From a comment in `comments`: the form starts with the comment's change, and "what we heard" empty,
  // for the manager's own words (an anonymous comment is never quoted as it stands). The form replaces the
  // list, so it offers the way back to the page it came from.
  onAction(app, deps, VERBS.actionFromComment, { data: listedComment }, async (_context, turn, data) =>
    form(deps, turn, {
      ...blankForm(turn.person.aadObjectId, data.initiativeId),
      fromCommentId: data.commentId,
      fromInitiativeId: data.initiativeId,
      fromWeek: data.week,
      commentsDay: data.fromDay,
      commentsId: data.fromId,
    }),
  );

  // From a theme on the digest or `results`: the form starts with its change and names the theme; a theme
  // carries no words, so "what we heard" is the manager's own.
  onAction(app, deps, VERBS.actionFromTheme, { data: themeRef }, async (_context, turn, data) =>
    form(deps, turn, { ...blankForm(turn.person.aadObjectId, data.initiativeId), fromTheme: data.theme }),
  );

  onCommand(app, deps, 'actions', async (context, turn) => {
    await sendCard(context, await list(deps, turn));
  });

  onAction(app, deps, VERBS.actionCreate, { data: actionForm, once: true }, async (_context, turn, input) => {
    const manager = managerOf(turn, deps);
    const comment =
      input.fromCommentId === '' || input.fromWeek === ''
        ? undefined
        : {
            tenantId: manager.tenantId,
            initiativeId: input.fromInitiativeId === '' ? undefined : input.fromInitiativeId,
            week: input.fromWeek,
            id: input.fromCommentId,
          };
    const result = await recordAction(deps, manager, input, {
      comment,
      theme: input.fromTheme === '' ? undefined : input.fromTheme,
    });
    if (!result.ok) return unsaved(await form(deps, turn, input, result.errors));
    deps.logger.info({ activityId: turn.facts.id, actionId: result.action.id }, 'action recorded');
    return list(deps, turn, turn.t('action.saved'));
  });

  onAction(app, deps, VERBS.actionPublish, { data: actionRef, once: true }, async (context, turn, data) => {
    const { broadcast } = await publishAction(
      deps,
      managerOf(turn, deps),
      data.actionId,
      {
        headline: turn.t('loop.headline'),
        message: loopMessage(turn.t),
        toWriter: (action) => turn.t('loop.toWriter', { willDo: action.willDo }),
      },
      {
        conversation: JSON.parse(JSON.stringify(TurnContext.getConversationReference(context.activity))),
        // The card pressed becomes the progress card, as for any update.
        activityId: context.activity.replyToId,
      },
    );
    deps.logger.info({ actionId: data.actionId, broadcastId: broadcast.id }, 'action published');
    deps.scheduler.nudge();
    return progressCard(turn.t, broadcast, await currentFigures(deps, broadcast, deps.clock.now()));
  });

  onAction(
    app,
    deps,
    VERBS.actionStatus,
    { data: statusChange, once: true },
    async (_context, turn, data) => {
      const action = await setActionStatus(deps, turn.person.tenantId, data.actionId, data.to, data.reason);
      deps.logger.info({ actionId: action.id, status: action.status }, 'action moved on');
      return list(deps, turn);
    },
  );
}

/** The action form as it first opens: the person pressing owns it, and everyone hears about it. */
const blankForm = (owner: string, initiativeId = ''): z.infer<typeof actionForm> => ({
  heard: '',
  willDo: '',
  owner,
  due: '',
  initiativeId,
  audience: 'all',
  fromCommentId: '',
  fromInitiativeId: '',
  fromWeek: '',
  fromTheme: '',
  commentsDay: '',
  commentsId: '',
});

async function form(
  deps: BotDeps,
  turn: Turn,
  values: z.infer<typeof actionForm>,
  errors: Parameters<typeof actionFormCard>[1]['errors'] = [],
) {
  const tenantId = managerOf(turn, deps).tenantId;
  const { members, initiatives, lists } = await audienceSources(deps, tenantId);
  const options = audienceOptions(deps.reach, members, initiatives, lists);
  // Owners are the people who lead: managers, leaders and the changes' owners and champions.
  const leads = new Set(initiatives.flatMap((initiative) => [...initiative.owners, ...initiative.champions]));
  const owners = members
    .filter(
      (member) =>
        leads.has(member.aadObjectId) ||
        effectiveRoles(member, deps.bootstrap).some((role) => role === 'manager' || role === 'leader'),
    )
    .sort((a, b) => a.name.localeCompare(b.name));
  return actionFormCard(turn.t, { values, owners, initiatives, options, errors });
}

async function list(deps: BotDeps, turn: Turn, notice?: string) {
  const manager = managerOf(turn, deps);
  const today = localDayAndTime(deps.clock.now(), manager.timeZone).day;
  const recent = new Date(deps.clock.now().getTime() - 28 * 86_400_000).toISOString();
  const actions = (await deps.actions.list(manager.tenantId))
    .filter(
      (action) => action.status === 'open' || action.status === 'inProgress' || action.updatedAt >= recent,
    )
    .sort((a, b) => a.due.localeCompare(b.due));
  return actionsCard(turn.t, { actions, today, canManage: turn.roles.includes('manager'), notice });
}
