import type { LoopAction } from '../actions/action.js';
import type { ActionStore } from '../actions/ports.js';
import type { Broadcast } from '../broadcasts/broadcast.js';
import type { BroadcastStore, DeliveryStore } from '../broadcasts/ports.js';
import { championRoll, currentChampions } from '../champions/championGroups.js';
import type { CommentStore, EscalationStore } from '../feedback/ports.js';
import type { Escalation } from '../feedback/safeguarding.js';
import { waitingComments } from '../feedback/waitingAnswers.js';
import { includes } from '../initiatives/changes.js';
import type { Initiative } from '../initiatives/initiative.js';
import type { InitiativeStore } from '../initiatives/ports.js';
import type { Member } from '../people/member.js';
import type { MemberStore } from '../people/ports.js';
import type { Pulse } from '../pulses/pulse.js';
import { publishedResultsOf, type ReportingDeps } from '../pulses/pulseReporting.js';
import { isoWeek } from '../shared/isoWeek.js';
import { buildDigest, type Digest, digestFromStore, storedOf } from './digest.js';
import type { DigestSnapshotStore } from './ports.js';
import type { DigestPeriod } from './schedule.js';

export interface WeeklyDigestDeps extends ReportingDeps {
  members: Pick<MemberStore, 'list'>;
  broadcasts: Pick<BroadcastStore, 'dueBetween'>;
  deliveries: Pick<DeliveryStore, 'outcomes' | 'list'>;
  comments: Pick<CommentStore, 'forPulse' | 'inWeeks'>;
  escalations: Pick<EscalationStore, 'raisedBetween'>;
  digestSnapshots: DigestSnapshotStore;
  actions: Pick<ActionStore, 'list'>;
  commentThreshold: number;
  safeguardingResendMs: number;
}

/** How many earlier weeks the readiness trend shows. */
export const TREND_WEEKS = 12;

/** The period's rows every change of a tenant shares, read once however many changes there are. */
export interface TenantWeek {
  members: Member[];
  sends: Broadcast[];
  escalations: Escalation[];
  pulses: Pulse[];
  actions: LoopAction[];
}

export async function readTenantWeek(
  deps: WeeklyDigestDeps,
  tenantId: string,
  period: DigestPeriod,
): Promise<TenantWeek> {
  const from = period.from.toISOString();
  const to = period.to.toISOString();
  const [members, sends, escalations, pulses, actions] = await Promise.all([
    deps.members.list(tenantId),
    deps.broadcasts.dueBetween(tenantId, from, to),
    deps.escalations.raisedBetween(tenantId, from, to),
    deps.pulses.list(tenantId),
    deps.actions.list(tenantId),
  ]);
  return { members, sends, escalations, pulses, actions };
}

/**
 * Builds one initiative's digest for `period` from that period's rows and the stored snapshots only, so
 * its cost does not grow with the weeks behind it (DESIGN.md flow 3). With `save`, the week's figures
 * become its snapshot: the scheduled digest saves, `digest` on demand in mid-week does not, so next
 * week's comparison is always against a whole week. `shared` is the tenant's rows when several changes'
 * digests are built together.
 */
export async function weeklyDigest(
  deps: WeeklyDigestDeps,
  initiative: Initiative,
  period: DigestPeriod,
  options: { save: boolean; shared?: TenantWeek | undefined },
): Promise<Digest> {
  const { tenantId } = initiative;
  const fromDay = period.from.toISOString().slice(0, 10);
  const toDay = period.to.toISOString().slice(0, 10);
  const shared = options.shared ?? (await readTenantWeek(deps, tenantId, period));
  const { members, sends, escalations, actions } = shared;
  const [comments, history, rounds] = await Promise.all([
    deps.comments.inWeeks(tenantId, initiative.id, weeksOf(period), fromDay),
    deps.digestSnapshots.before(tenantId, initiative.id, period.week, TREND_WEEKS),
    roundsOf(deps, shared.pulses, initiative, period),
  ]);
  const updates = sends.filter(
    (send) =>
      send.initiativeId === initiative.id &&
      send.pulse === undefined &&
      send.alert === undefined &&
      send.followUp === undefined &&
      send.champion === undefined &&
      send.status !== 'scheduled' &&
      send.status !== 'cancelled',
  );
  const written = comments.filter((comment) => comment.day <= toDay);
  // A pulse's open answers wait for their round's threshold here as in `comments` (waitingAnswers.ts):
  // the digest would otherwise quote, and count, words from a round of three a manager could tie to them.
  const waiting = await waitingComments(deps, written);
  const digest = buildDigest({
    initiative,
    period,
    week: period.week,
    people: members.filter((member) => includes(initiative, member)),
    updates: await Promise.all(
      updates.map(async (update) => ({ deliveries: await deps.deliveries.outcomes(update.id) })),
    ),
    comments: written.filter((comment) => !waiting.has(comment.id)),
    rounds,
    escalations: escalations.filter((escalation) => escalation.initiativeId === initiative.id),
    history,
    actions: actions.filter((action) => action.initiativeId === initiative.id),
    anonymityThreshold: deps.anonymityThreshold,
    commentThreshold: deps.commentThreshold,
    safeguardingResendMs: deps.safeguardingResendMs,
  });
  if (options.save) await deps.digestSnapshots.put(tenantId, storedOf(digest));
  return digest;
}

/**
 * A week's digest as it was built and saved, ready for a card; `undefined` when none was saved. Its
 * champions are those of now: someone who left or deleted their data since is not named.
 */
export async function savedDigest(
  deps: Pick<WeeklyDigestDeps, 'digestSnapshots' | 'members'> & {
    comments: Pick<CommentStore, 'get'>;
    initiatives: Pick<InitiativeStore, 'get'>;
  },
  tenantId: string,
  initiativeId: string,
  week: string,
): Promise<Digest | undefined> {
  const stored = await deps.digestSnapshots.get(tenantId, initiativeId, week);
  if (stored === undefined) return undefined;
  const [history, comments, people, initiative] = await Promise.all([
    deps.digestSnapshots.before(tenantId, initiativeId, week, TREND_WEEKS),
    Promise.all(stored.quotes.map((quote) => deps.comments.get(quote.ref))),
    deps.members.list(tenantId),
    deps.initiatives.get(tenantId, initiativeId),
  ]);
  const involved = initiative === undefined ? [] : people.filter((person) => includes(initiative, person));
  const champions =
    initiative === undefined ? [] : championRoll(involved, currentChampions(initiative, involved));
  return digestFromStore(stored, history, comments, people, champions);
}

/** The ISO weeks the period touches: a week's comments are one partition each. */
function weeksOf(period: DigestPeriod): string[] {
  return [...new Set([isoWeek(period.from), isoWeek(period.to)])];
}

/** The initiative's pulse rounds open at some point in the period, oldest first, with their published figures. */
async function roundsOf(
  deps: WeeklyDigestDeps,
  tenantPulses: readonly Pulse[],
  initiative: Initiative,
  period: DigestPeriod,
) {
  const pulses = tenantPulses.filter((pulse) => pulse.initiativeId === initiative.id);
  const from = period.from.toISOString();
  const to = period.to.toISOString();
  const rounds = await Promise.all(
    pulses.map(async (pulse) =>
      (await deps.rounds.openDuring(pulse.tenantId, pulse.id, from, to))
        .filter((round) => round.status !== 'scheduled')
        .map((round) => ({ pulse, round })),
    ),
  );
  return Promise.all(
    rounds
      .flat()
      .sort((a, b) => a.round.opensAt.localeCompare(b.round.opensAt))
      .map(({ pulse, round }) => publishedResultsOf(deps, pulse, round)),
  );
}
