import type { ActionStore } from '../actions/ports.js';
import type { Broadcast, Figures } from '../broadcasts/broadcast.js';
import type { BroadcastStore } from '../broadcasts/ports.js';
import type { DigestSnapshotStore } from '../digest/ports.js';
import type { EscalationStore } from '../feedback/ports.js';
import { includes } from '../initiatives/changes.js';
import type { InitiativeStore } from '../initiatives/ports.js';
import type { MemberStore } from '../people/ports.js';
import { initiativeRoundResults, type ReportingDeps } from '../pulses/pulseReporting.js';
import { UserInputError } from '../shared/errors.js';
import { isoWeek } from '../shared/isoWeek.js';
import { buildEvidencePack, type EvidencePack } from './evidencePack.js';

export interface EvidenceDeps extends ReportingDeps {
  initiatives: Pick<InitiativeStore, 'get'>;
  members: Pick<MemberStore, 'list'>;
  broadcasts: Pick<BroadcastStore, 'list'>;
  digestSnapshots: Pick<DigestSnapshotStore, 'before'>;
  escalations: Pick<EscalationStore, 'list'>;
  actions: Pick<ActionStore, 'list'>;
  /** A send's figures as the `broadcasts` card counts them (delivery/progress.ts `currentFigures`). */
  sendFigures: (broadcast: Broadcast) => Promise<Figures>;
  safeguardingResendMs: number;
}

const WEEK_MS = 7 * 86_400_000;

/**
 * Reads what is stored about one initiative and builds its evidence pack. Every figure is read through
 * the piece that feeds its card, so the pack and the cards agree: pulse rounds as published (reading
 * them may publish, exactly as opening `results` would), the weekly digests as saved, each update's
 * delivery figures. Refused when there is no such initiative.
 */
export async function gatherEvidence(
  deps: EvidenceDeps,
  tenantId: string,
  initiativeId: string,
  options: { showSafeguarding: boolean },
): Promise<EvidencePack> {
  const initiative = await deps.initiatives.get(tenantId, initiativeId);
  if (initiative === undefined) throw new UserInputError('broadcast.error.unknownInitiative', {});
  const now = deps.clock.now();
  // The current week's snapshot too, once the scheduled digest has saved it.
  const nextWeek = isoWeek(new Date(now.getTime() + WEEK_MS));
  const weeksSoFar = Math.ceil((now.getTime() - Date.parse(initiative.createdAt)) / WEEK_MS) + 2;
  const [members, sends, rounds, weeks, escalations, actions] = await Promise.all([
    deps.members.list(tenantId),
    deps.broadcasts.list(tenantId),
    initiativeRoundResults(deps, tenantId, initiativeId),
    deps.digestSnapshots.before(tenantId, initiativeId, nextWeek, Math.max(1, weeksSoFar)),
    options.showSafeguarding ? deps.escalations.list(tenantId) : Promise.resolve([]),
    deps.actions.list(tenantId),
  ]);
  const updates = sends.filter(
    (send) =>
      send.initiativeId === initiativeId &&
      send.pulse === undefined &&
      send.alert === undefined &&
      send.followUp === undefined &&
      send.digest === undefined,
  );
  return buildEvidencePack({
    initiative,
    now,
    people: members.filter((member) => includes(initiative, member)),
    members,
    updates: await Promise.all(
      updates.map(async (broadcast) => ({ broadcast, figures: await deps.sendFigures(broadcast) })),
    ),
    rounds,
    weeks,
    actions: actions.filter((action) => action.initiativeId === initiativeId),
    escalations: escalations.filter((escalation) => escalation.initiativeId === initiativeId),
    showSafeguarding: options.showSafeguarding,
    anonymityThreshold: deps.anonymityThreshold,
    safeguardingResendMs: deps.safeguardingResendMs,
  });
}
