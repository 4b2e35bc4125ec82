import type { UpdateContent } from '../broadcasts/broadcast.js';
import { inGroup } from '../broadcasts/broadcast.js';
import { contactOf, currentChampions } from '../champions/championGroups.js';
import type { Member } from '../people/member.js';
import { UserInputError } from '../shared/errors.js';
import type { Initiative } from './initiative.js';

/**
 * Moves an initiative to its next stage. PDSA runs in cycles: after "act" it starts the next cycle at
 * "plan" with the cycle number raised. Other models stop at their last stage.
 */
export function advanceStage(initiative: Initiative, now: Date): Initiative {
  const stage = initiative.stages[initiative.currentStage];
  if (initiative.stages.length === 0)
    throw new UserInputError('advance.noStages', { initiative: initiative.title });
  const last = initiative.currentStage >= initiative.stages.length - 1;
  if (last && initiative.model !== 'pdsa') {
    throw new UserInputError('advance.lastStage', {
      initiative: initiative.title,
      stage: stage?.title ?? '',
    });
  }
  return {
    ...initiative,
    currentStage: last ? 0 : initiative.currentStage + 1,
    pdsaCycle:
      initiative.model === 'pdsa' ? (initiative.pdsaCycle ?? 1) + (last ? 1 : 0) : initiative.pdsaCycle,
    stageStartedAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
}

/**
 * Which initiatives `advance stage <name>` (or `digest <name>`) could mean: with no name, all of them (the
 * manager picks one unless there is only one); with a name, those whose title contains it or whose id it
 * is. `refusals` are the command's own words for none at all and for a name that matches none.
 */
export function initiativesNamed(
  initiatives: readonly Initiative[],
  name: string | undefined,
  refusals: { none: string; unknown: string } = { none: 'advance.noInitiatives', unknown: 'advance.unknown' },
): Initiative[] {
  if (initiatives.length === 0) throw new UserInputError(refusals.none, {});
  const wanted = name?.trim().toLowerCase() ?? '';
  if (wanted === '') return [...initiatives];
  const matches = initiatives.filter(
    (initiative) => initiative.title.toLowerCase().includes(wanted) || initiative.id === wanted,
  );
  if (matches.length === 0) {
    const titles = initiatives.map((initiative) => initiative.title).join(', ');
    throw new UserInputError(refusals.unknown, { name: name ?? '', titles });
  }
  return matches;
}

/** Where an initiative is: its stage index and, for PDSA, its cycle (1 for every other model). */
export interface StagePosition {
  stage: number;
  cycle: number;
}

export const positionOf = (initiative: Initiative): StagePosition => ({
  stage: initiative.currentStage,
  cycle: initiative.pdsaCycle ?? 1,
});

const samePosition = (a: StagePosition, b: StagePosition) => a.stage === b.stage && a.cycle === b.cycle;

/** How long after moving on a manager can still take it back: long enough to notice a slip. */
export const UNDO_ADVANCE_MS = 5 * 60_000;

/**
 * Moves an initiative on from `from`, the position the manager saw when they confirmed. A confirmation
 * from an older card (the initiative has moved since) is refused, so several presses never skip stages.
 */
export function advanceConfirmed(initiative: Initiative, from: StagePosition, now: Date): Initiative {
  if (!samePosition(positionOf(initiative), from)) throw movedSince(initiative);
  return advanceStage(initiative, now);
}

/**
 * Takes back the move that brought the initiative to `to`, within `UNDO_ADVANCE_MS` of it. The stage it
 * goes back to is worked out here, not taken from the card, so a card cannot set an arbitrary stage.
 */
export function undoAdvance(initiative: Initiative, to: StagePosition, now: Date): Initiative {
  if (!samePosition(positionOf(initiative), to)) throw movedSince(initiative);
  if (now.getTime() - Date.parse(initiative.updatedAt) > UNDO_ADVANCE_MS) {
    throw new UserInputError('advance.undoTooLate', {
      initiative: initiative.title,
      minutes: UNDO_ADVANCE_MS / 60_000,
    });
  }
  const backToLastCycle = to.stage === 0 && initiative.model === 'pdsa' && to.cycle > 1;
  if (to.stage === 0 && !backToLastCycle) throw movedSince(initiative);
  return {
    ...initiative,
    currentStage: backToLastCycle ? initiative.stages.length - 1 : to.stage - 1,
    pdsaCycle: initiative.model === 'pdsa' ? to.cycle - (backToLastCycle ? 1 : 0) : initiative.pdsaCycle,
    // When the stage gone back to began is not kept: the digest says its days are unknown, not 0.
    stageStartedAt: undefined,
    updatedAt: now.toISOString(),
  };
}

function movedSince(initiative: Initiative): UserInputError {
  return new UserInputError('advance.movedSince', {
    initiative: initiative.title,
    number: initiative.currentStage + 1,
    stage: initiative.stages[initiative.currentStage]?.title ?? '',
  });
}

/** True when the initiative's audience includes the member. */
export function includes(initiative: Initiative, member: Member): boolean {
  return (
    initiative.audience.kind === 'all' ||
    initiative.audience.groups.some((group) => inGroup(member.groups, group))
  );
}

export interface Change {
  title: string;
  stageNumber: number;
  stageCount: number;
  stageTitle: string;
  content: UpdateContent;
}

/** True when the member is among the initiative's owners: they lead it whoever it is for. */
const owns = (initiative: Initiative, member: Member) => initiative.owners.includes(member.aadObjectId);

/**
 * `what's changing`: the current stage of every initiative that includes the member or that they own, and
 * who to ask: its owners, and its champions still with the team (the card shows those of the member's own
 * group).
 */
export function changesFor(
  member: Member,
  initiatives: readonly Initiative[],
  members: readonly Member[],
): Change[] {
  const names = new Map(members.map((someone) => [someone.aadObjectId, someone.name]));
  return initiatives
    .filter(
      (initiative) =>
        (includes(initiative, member) || owns(initiative, member)) &&
        initiative.stages[initiative.currentStage] !== undefined,
    )
    .map((initiative) => {
      const stage = initiative.stages[initiative.currentStage];
      const owners = initiative.owners
        .map((id) => names.get(id))
        .filter((name): name is string => name !== undefined);
      return {
        title: initiative.title,
        stageNumber: initiative.currentStage + 1,
        stageCount: initiative.stages.length,
        stageTitle: stage?.title ?? '',
        content: {
          headline: stage?.title ?? '',
          message: stage?.explanation ?? '',
          why: initiative.why,
          whatItMeans: initiative.vision,
          from: stage?.plannedStart,
          until: stage?.plannedEnd,
          whoToAsk: [...new Set(owners)],
          champions: currentChampions(initiative, members).map(contactOf),
        },
      };
    });
}
