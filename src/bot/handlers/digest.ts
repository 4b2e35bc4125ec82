import type { Application } from '@microsoft/teams-ai';
import { TurnContext } from 'botbuilder';
import { z } from 'zod';
import {
  type DigestCardOptions,
  digestCard,
  digestOverviewCard,
  digestScheduleCard,
} from '../../cards/digestCards.js';
import { kpiAmount } from '../../cards/initiativeCards.js';
import { VERBS } from '../../cards/verbs.js';
import { argumentsOf } from '../../domain/chat/commands.js';
import { DEFAULT_DIGEST_SCHEDULE, isDigestSchedule, lastSevenDays } from '../../domain/digest/schedule.js';
import { readTenantWeek, weeklyDigest } from '../../domain/digest/weeklyDigest.js';
import { initiativesNamed } from '../../domain/initiatives/changes.js';
import type { Initiative } from '../../domain/initiatives/initiative.js';
import { parseKpiReading, withReading } from '../../domain/initiatives/kpiReading.js';
import { UserInputError } from '../../domain/shared/errors.js';
import { localDayAndTime } from '../../domain/shared/timeZone.js';
import { onAction } from '../actionRoute.js';
import { scopeOf } from '../activity.js';
import { onCommand } from '../commandRoute.js';
import type { BotDeps } from '../deps.js';
import { sendCard, sendText, type Turn } from '../turn.js';

// Some Teams clients send a time with seconds ("08:00:00").
const scheduleData = z.object({
  weekday: z.string().max(2).optional().default(''),
  time: z.string().max(20).optional().default(''),
});

const initiativeRef = z.object({ initiativeId: z.string().min(1).max(100) });
const kpiValue = initiativeRef.extend({
  objective: z.string().max(3).optional().default(''),
  value: z
    .union([z.string().max(40), z.number()])
    .optional()
    .default('')
    .transform(String),
  on: z.string().max(40).optional().default(''),
  note: z.string().max(1_000).optional().default(''),
});

/**
 * The weekly digest on demand (`digest [initiative]`: the last seven days up to now), a leader's way from
 * the overview into one initiative, recording a KPI value from the card, and choosing the team channels
 * that get the digest's figures (`digest here` / `digest off`).
 */
export function register(app: Application, deps: BotDeps): void {
  onCommand(app, deps, 'digest', async (context, turn) => {
    const tenantId = tenantOf(turn);
    const name = argumentsOf('digest', context.activity.text ?? '')?.name;
    const named = initiativesNamed(await deps.initiatives.list(tenantId), name, {
      none: 'digest.noInitiatives',
      unknown: 'digest.unknown',
    });
    const [only] = named;
    if (named.length === 1 && only !== undefined) {
      await sendCard(context, digestCard(turn.t, await digestNow(deps, only), viewFor(deps, turn)));
      return;
    }
    // Several: an overview to open from, the tenant's rows read once for all of them.
    const period = lastSevenDays(deps.clock.now(), deps.defaults.timeZone);
    const shared = await readTenantWeek(deps, tenantId, period);
    const digests = await Promise.all(
      named.map((initiative) => weeklyDigest(deps, initiative, period, { save: false, shared })),
    );
    await sendCard(context, digestOverviewCard(turn.t, digests));
  });

  onAction(app, deps, VERBS.digestOpen, { data: initiativeRef }, async (_context, turn, data) =>
    digestOf(deps, turn, data.initiativeId),
  );

  onAction(app, deps, VERBS.digestRecord, { data: kpiValue }, async (_context, turn, data) => {
    const initiative = await initiativeOf(deps, turn, data.initiativeId);
    const view = viewFor(deps, turn);
    const parsed = parseKpiReading(initiative, data, view.today, turn.person.aadObjectId);
    if (!parsed.ok) {
      const notice = { text: turn.t(`digest.record.${parsed.problem}`), problem: true };
      return digestCard(turn.t, await digestNow(deps, initiative), { ...view, notice });
    }
    const saved = await deps.initiatives.modify(initiative.tenantId, initiative.id, (current) =>
      withReading(current, parsed.objective, parsed.reading, deps.clock.now()),
    );
    if (saved === undefined) throw new UserInputError('digest.gone', {});
    deps.logger.info({ activityId: turn.facts.id, initiativeId: saved.id }, 'KPI value recorded');
    const kpi = saved.objectives[parsed.objective]?.kpi;
    const notice = {
      text: turn.t('digest.record.saved', {
        name: kpi?.name ?? '',
        value: kpiAmount(turn.t, parsed.reading.value, kpi?.unit ?? ''),
        on: parsed.reading.on,
      }),
      problem: false,
    };
    return digestCard(turn.t, await digestNow(deps, saved), { ...view, notice });
  });

  onAction(app, deps, VERBS.digestSchedule, { data: scheduleData }, async (_context, turn, data) => {
    const schedule = { weekday: Number(data.weekday), time: data.time.slice(0, 5) };
    const timeZone = deps.defaults.timeZone;
    if (!isDigestSchedule(schedule)) {
      const current = (await deps.digestSettings.schedule(tenantOf(turn))) ?? DEFAULT_DIGEST_SCHEDULE;
      return digestScheduleCard(turn.t, {
        schedule: current,
        timeZone,
        error: turn.t('digest.schedule.bad'),
      });
    }
    await deps.digestSettings.setSchedule(tenantOf(turn), schedule);
    deps.logger.info({ activityId: turn.facts.id, ...schedule }, 'digest schedule changed');
    return digestScheduleCard(turn.t, { schedule, timeZone, saved: true });
  });

  onCommand(app, deps, 'digestHere', async (context, turn) => {
    const conversationId = channelOf(turn);
    await deps.digestSettings.addChannel({
      tenantId: tenantOf(turn),
      conversationId,
      conversation: { ...TurnContext.getConversationReference(context.activity) },
      addedBy: turn.person?.aadObjectId ?? '',
      addedAt: deps.clock.now().toISOString(),
    });
    deps.logger.info({ activityId: turn.facts.id }, 'digest channel added');
    await sendText(context, turn.t('digest.here.added'));
  });

  onCommand(app, deps, 'digestOff', async (context, turn) => {
    const removed = await deps.digestSettings.removeChannel(tenantOf(turn), channelOf(turn));
    if (removed) deps.logger.info({ activityId: turn.facts.id }, 'digest channel removed');
    await sendText(context, turn.t(removed ? 'digest.here.removed' : 'digest.here.notThere'));
  });
}

/** One initiative's digest up to now, as `turn`'s reader sees it (also what a button on it leaves behind). */
export async function digestOf(deps: BotDeps, turn: Turn, initiativeId: string) {
  const initiative = await initiativeOf(deps, turn, initiativeId);
  return digestCard(turn.t, await digestNow(deps, initiative), viewFor(deps, turn));
}

const digestNow = (deps: BotDeps, initiative: Initiative) =>
  weeklyDigest(deps, initiative, lastSevenDays(deps.clock.now(), deps.defaults.timeZone), { save: false });

/** Safeguarding counts are for leaders (and leads), never managers; what the card lets one do is for managers. */
function viewFor(deps: BotDeps, turn: Turn): DigestCardOptions {
  const zone = turn.member?.timeZone ?? deps.defaults.timeZone;
  return {
    audience: turn.roles.includes('leader') || turn.roles.includes('safeguardingLead') ? 'leader' : 'manager',
    manages: turn.roles.includes('manager'),
    today: localDayAndTime(deps.clock.now(), zone).day,
  };
}

async function initiativeOf(deps: BotDeps, turn: Turn, id: string): Promise<Initiative> {
  const initiative = await deps.initiatives.get(tenantOf(turn), id);
  if (initiative === undefined) throw new UserInputError('digest.gone', {});
  return initiative;
}

function tenantOf(turn: Turn): string {
  if (turn.person === undefined) throw new UserInputError('error.notAllowed', { role: 'manager' });
  return turn.person.tenantId;
}

/** Only a team channel can get the digest: a group chat's members are not the service's teams. */
function channelOf(turn: Turn): string {
  const conversationId = turn.facts.conversation?.id;
  if (scopeOf(turn.facts) !== 'team' || conversationId === undefined)
    throw new UserInputError('digest.here.channelOnly', {});
  return conversationId;
}
