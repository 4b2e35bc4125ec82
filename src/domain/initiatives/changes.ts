import type { UpdateContent } from '../broadcasts/broadcast.js';
import { inGroup } from '../broadcasts/broadcast.js';
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

/** Which initiative `advance stage <name>` means: the only one, or the one whose title matches. */
export function pickInitiative(initiatives: readonly Initiative[], name: string | undefined): Initiative {
  const titles = initiatives.map((initiative) => initiative.title).join(', ');
  if (initiatives.length === 0) throw new UserInputError('advance.noInitiatives', {});
  const wanted = name?.trim().toLowerCase() ?? '';
  if (wanted === '') {
    if (initiatives.length === 1 && initiatives[0] !== undefined) return initiatives[0];
    throw new UserInputError('advance.which', { titles });
  }
  const matches = initiatives.filter(
    (initiative) => initiative.title.toLowerCase().includes(wanted) || initiative.id === wanted,
  );
  if (matches.length === 1 && matches[0] !== undefined) return matches[0];
  throw new UserInputError(matches.length === 0 ? 'advance.unknown' : 'advance.which', {
    name: name ?? '',
    titles,
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

/** `what's changing`: the current stage of every initiative that includes the member, and who to ask. */
export function changesFor(
  member: Member,
  initiatives: readonly Initiative[],
  nameOf: (aadObjectId: string) => string | undefined,
): Change[] {
  return initiatives
    .filter(
      (initiative) =>
        includes(initiative, member) && initiative.stages[initiative.currentStage] !== undefined,
    )
    .map((initiative) => {
      const stage = initiative.stages[initiative.currentStage];
      const people = [...initiative.owners, ...initiative.champions]
        .map(nameOf)
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
          whoToAsk: [...new Set(people)],
        },
      };
    });
}
