import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { type Broadcast, type DigestView, SENT_BY_HUDDLE } from '../domain/broadcasts/broadcast.js';
import type { BroadcastStore } from '../domain/broadcasts/ports.js';
import { currentChampions } from '../domain/champions/championGroups.js';
import { notesFor } from '../domain/champions/championNote.js';
import type { DigestSettingsStore } from '../domain/digest/ports.js';
import { DEFAULT_DIGEST_SCHEDULE, type DigestPeriod, dueDigest } from '../domain/digest/schedule.js';
import { readTenantWeek, type WeeklyDigestDeps, weeklyDigest } from '../domain/digest/weeklyDigest.js';
import type { Initiative } from '../domain/initiatives/initiative.js';
import type { InitiativeStore } from '../domain/initiatives/ports.js';
import type { Member } from '../domain/people/member.js';
import { type BootstrapRoles, effectiveRoles } from '../domain/people/roles.js';

export interface DigestSendDeps extends WeeklyDigestDeps {
  initiatives: Pick<InitiativeStore, 'list' | 'tenants'>;
  broadcasts: Pick<BroadcastStore, 'get' | 'createMissing' | 'dueBetween'>;
  digestSettings: Pick<DigestSettingsStore, 'schedule' | 'channels'>;
  bootstrap: BootstrapRoles;
  /** The service's time zone: the digest goes out at its local day and time. */
  defaults: { timeZone: string };
  logger: Logger;
}

/**
 * The digest's sends have derived ids, so a tick repeated after a crash, or on another instance, finds them.
 * Hashed because an id is also the deliveries' partition and goes in every outbox work item (64 characters
 * at most), and a channel id alone can be longer.
 */
export const digestSendId = (tenantId: string, week: string, part?: string) =>
  `digest|${week}|${createHash('sha256')
    .update(`${tenantId}\n${part ?? 'leaders'}`)
    .digest('base64url')
    .slice(0, 32)}`;

/**
 * The weekly digest part of a scheduler tick. For each tenant whose digest moment has come this week and
 * whose digest has not gone: each initiative's digest is built and saved as the week's snapshot, and sends
 * are created for the outbox (quiet hours, rate limits and exactly-once delivery are the outbox's): one card
 * per initiative to its owners and the service's managers, a note to each of its champions on their groups,
 * one overview to each leader, the figures to each channel that asked. The leaders' send is made last and marks the week done, so a crash part-way through
 * builds and creates the rest on the next tick and nothing twice.
 */
export async function sendDueDigests(deps: DigestSendDeps, now: Date): Promise<void> {
  for (const tenantId of await deps.initiatives.tenants()) {
    const schedule = (await deps.digestSettings.schedule(tenantId)) ?? DEFAULT_DIGEST_SCHEDULE;
    const period = dueDigest(now, schedule, deps.defaults.timeZone);
    if (period === undefined) continue;
    if ((await deps.broadcasts.get(tenantId, digestSendId(tenantId, period.week))) !== undefined) continue;
    await sendTenantDigest(deps, tenantId, period, now);
  }
}

async function sendTenantDigest(deps: DigestSendDeps, tenantId: string, period: DigestPeriod, now: Date) {
  const [all, channels] = await Promise.all([
    deps.initiatives.list(tenantId),
    deps.digestSettings.channels(tenantId),
  ]);
  // A change begun after this week's moment has nothing to report until next week.
  const initiatives = all.filter((initiative) => Date.parse(initiative.createdAt) < period.to.getTime());
  if (initiatives.length === 0) return;
  // The tenant's rows of the period, read once for every change's digest.
  const shared = await readTenantWeek(deps, tenantId, period);
  const leaders = holding(shared.members, deps.bootstrap, 'leader');
  const managers = holding(shared.members, deps.bootstrap, 'manager');
  const send = (
    part: string | undefined,
    view: DigestView,
    initiativeIds: string[],
    audience: Broadcast['audience'],
  ) =>
    deps.broadcasts.createMissing({
      tenantId,
      id: digestSendId(tenantId, period.week, part),
      content: { headline: `Weekly digest ${period.week}`, message: '' },
      digest: { week: period.week, view, initiativeIds },
      audience,
      urgent: false,
      sendAt: now.toISOString(),
      status: 'scheduled',
      createdBy: SENT_BY_HUDDLE,
      recipients: 0,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    });
  for (const initiative of initiatives) {
    const digest = await weeklyDigest(deps, initiative, period, { save: true, shared });
    await send(initiative.id, 'manager', [initiative.id], {
      kind: 'members',
      memberIds: readersOf(initiative, managers).filter((id) => !leaders.has(id)),
    });
    // Each champion's note covers only their groups big enough to show: one with none gets no note.
    const champions = currentChampions(initiative, shared.members).filter(
      (champion) => notesFor(champion, digest.figures.groups ?? []).length > 0,
    );
    if (champions.length > 0) {
      await send(`${initiative.id}|champions`, 'champion', [initiative.id], {
        kind: 'members',
        memberIds: champions.map((champion) => champion.aadObjectId),
      });
    }
    for (const channel of channels) {
      await send(`${initiative.id}|channel|${channel.conversationId}`, 'channel', [initiative.id], {
        kind: 'channel',
        conversationId: channel.conversationId,
        userIds: [],
      });
    }
  }
  await send(
    undefined,
    'leader',
    initiatives.map((initiative) => initiative.id),
    { kind: 'members', memberIds: [...leaders] },
  );
  deps.logger.info(
    {
      tenantId,
      week: period.week,
      initiatives: initiatives.length,
      leaders: leaders.size,
      channels: channels.length,
    },
    'weekly digest built and queued',
  );
}

/** Ids of members holding `role`, from what was granted and from configuration. */
function holding(
  members: readonly Member[],
  bootstrap: BootstrapRoles,
  role: 'leader' | 'manager',
): Set<string> {
  return new Set(
    members
      .filter((member) => effectiveRoles(member, bootstrap).includes(role))
      .map((member) => member.aadObjectId),
  );
}

/** An initiative's owners and the service's managers, each once. */
const readersOf = (initiative: Initiative, managers: ReadonlySet<string>) => [
  ...new Set([...initiative.owners, ...managers]),
];
