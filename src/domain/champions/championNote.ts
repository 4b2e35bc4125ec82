import { type DigestFigures, type GroupNote, readinessOfGroup } from '../digest/figures.js';
import { nextSteps } from '../digest/nextSteps.js';
import type { Comment } from '../feedback/comment.js';
import { themeSummary } from '../feedback/themes.js';
import type { Member } from '../people/member.js';
import { groupLabel } from '../pulses/anonymity.js';
import type { RoundResults } from '../pulses/pulseResults.js';
import { CHAMPION_GROUP_FIELDS } from './championGroups.js';

/** How many themes a champion's note names: the top two, as the issue asks. */
const NOTE_THEMES = 2;

/** Each unit and shift of at least the anonymity threshold, with its figures for its champions' note. */
export function groupNotes(input: {
  people: readonly Member[];
  /** The change's comments of the week, none passed to safeguarding. */
  comments: readonly Comment[];
  /** The newest round whose figures may be shown, and the one shown before it. */
  latest?: RoundResults | undefined;
  earlier?: RoundResults | undefined;
  /** The change's figures and last week's: the rule table reads the rest of them as the digest does. */
  figures: DigestFigures;
  previous: DigestFigures | undefined;
  anonymityThreshold: number;
  commentThreshold: number;
}): GroupNote[] {
  const notes: GroupNote[] = [];
  for (const field of CHAMPION_GROUP_FIELDS) {
    const values = [...new Set(input.people.flatMap((person) => person.groups[field] ?? []))].sort();
    for (const value of values) {
      const people = input.people.filter((person) => person.groups[field] === value).length;
      if (people < input.anonymityThreshold) continue;
      const label = groupLabel({ field, value });
      const shown = (round: RoundResults | undefined) =>
        round?.groups.find((group) => groupLabel(group.group) === label);
      const now = shown(input.latest);
      const before = shown(input.earlier);
      const summary = themeSummary(
        input.comments.filter((comment) => comment.groups?.[field] === value),
        input.commentThreshold,
      );
      const themes = summary?.counts.slice(0, NOTE_THEMES) ?? [];
      const [step] = nextSteps(
        {
          ...input.figures,
          readiness: readinessOfGroup(now),
          themes: summary && { ...summary, top: themes },
        },
        input.previous && { ...input.previous, readiness: readinessOfGroup(before) },
        1,
      );
      notes.push({
        group: { field, value },
        people,
        readiness:
          now?.readinessIndex === undefined
            ? undefined
            : { now: now.readinessIndex, before: before?.readinessIndex },
        themes,
        step,
      });
    }
  }
  return notes;
}

/** The notes for one champion: those of the groups they work in (none when every one is too small). */
export const notesFor = (champion: Pick<Member, 'groups'>, notes: readonly GroupNote[]) =>
  notes.filter((note) => champion.groups[note.group.field] === note.group.value);
