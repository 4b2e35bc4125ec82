import { createHash } from 'node:crypto';
import { belongsTo, type GroupKey, groupLabel } from './anonymity.js';
import { type AnsweredRound, type GroupFigures, type RoundResults, roundResults } from './pulseResults.js';

/**
 * Publishing a round's figures in steps (DESIGN.md privacy rules). The threshold guards each reading, but
 * two readings of an open round a day apart could be subtracted to learn what the one or two people who
 * answered in between said. So each group's figures are published: a new figure is shown only when the
 * answers it rests on differ from those of every earlier figure of the group in at least `threshold`
 * answers (new answers, edits and removals alike); until then the figure last shown is shown again, marked
 * as such. Every earlier figure, not just the last: four people changing back and one more answering is
 * five changes since the last figure but only two since the one before, which a reader may have kept.
 * Any two figures of a group a reader can see then differ in at least `threshold` people's answers.
 */

/** One respondent's answer to the round, as the rule needs it: who (a keyed hash), what, and their groups. */
export interface RespondentAnswer extends AnsweredRound {
  respondent: string;
}

/** The figures a group was last shown with, and what each of its figures so far rested on. */
export interface Publication {
  group: GroupKey;
  /** As computed then; never marked `asPublished`. */
  figures: GroupFigures;
  publishedAt: string;
  /**
   * Each publication of the group so far, oldest first, as the answers that changed since the one before:
   * a short tag of the respondent -> a fingerprint of their values, or '' for an answer no longer counted.
   * Enough to count later how many answers differ from each, and nothing a reader of storage could turn
   * back into an answer.
   */
  changes: Record<string, string>[];
}

/** What a group's figures rest on: each counted respondent's tag and the fingerprint of their values. */
type Basis = ReadonlyMap<string, string>;

/** How many answers differ between two bases: new, edited or gone. */
function changedAnswers(before: Basis, after: Basis): number {
  let changed = 0;
  for (const [tag, fingerprint] of after) if (before.get(tag) !== fingerprint) changed++;
  for (const tag of before.keys()) if (!after.has(tag)) changed++;
  return changed;
}

/** The answers that differ from `before` in `after`, as stored in `Publication.changes`. */
function differences(before: Basis, after: Basis): Record<string, string> {
  const changes: Record<string, string> = {};
  for (const [tag, fingerprint] of after) if (before.get(tag) !== fingerprint) changes[tag] = fingerprint;
  for (const tag of before.keys()) if (!after.has(tag)) changes[tag] = '';
  return changes;
}

/** What each of a group's publications rested on, oldest first. */
function basesOf(publication: Publication): Basis[] {
  const bases: Basis[] = [];
  let current = new Map<string, string>();
  for (const step of publication.changes) {
    current = new Map(current);
    for (const [tag, fingerprint] of Object.entries(step)) {
      if (fingerprint === '') current.delete(tag);
      else current.set(tag, fingerprint);
    }
    bases.push(current);
  }
  return bases;
}

/** The basis of a group's figures now: the answers of its members, tagged and fingerprinted. */
function basisOf(group: GroupKey, answers: readonly RespondentAnswer[]): Basis {
  const basis = new Map<string, string>();
  for (const answer of answers) {
    if (belongsTo(answer.groups, group)) basis.set(tagOf(answer.respondent), fingerprintOf(answer));
  }
  return basis;
}

/**
 * What to show for each group a reading may show, given the answers now and each group's last publication
 * (by `groupLabel`): `shown` in the order of `fresh`, and `published`, the publications to record now.
 *
 * - A group shown for the first time is published as it stands (`fresh` holds only groups with at least
 *   `threshold` answers, so the first publication needs the threshold as before).
 * - No answer changed since the last publication: the figures as they stand, which are the published ones.
 * - At least `threshold` answers differ from those of each earlier publication: published anew.
 * - Otherwise: the last published figures, marked `asPublished`.
 */
function publishFigures(input: {
  /** Figures computed from the answers now, for the groups the anonymity rules let be shown now. */
  fresh: readonly GroupFigures[];
  answers: readonly RespondentAnswer[];
  last: ReadonlyMap<string, Publication>;
  threshold: number;
  now: string;
}): { shown: GroupFigures[]; published: Publication[] } {
  const shown: GroupFigures[] = [];
  const published: Publication[] = [];
  for (const figures of input.fresh) {
    const basis = basisOf(figures.group, input.answers);
    const last = input.last.get(groupLabel(figures.group));
    const bases = last === undefined ? [] : basesOf(last);
    const latest = bases.at(-1) ?? new Map<string, string>();
    const unchanged = last !== undefined && changedAnswers(latest, basis) === 0;
    const enough = bases.every((earlier) => changedAnswers(earlier, basis) >= input.threshold);
    if (last !== undefined && !unchanged && !enough) {
      shown.push({ ...last.figures, asPublished: { at: last.publishedAt } });
      continue;
    }
    shown.push(figures);
    if (!unchanged)
      published.push({
        group: figures.group,
        figures,
        publishedAt: input.now,
        changes: [...(last?.changes ?? []), differences(latest, basis)],
      });
  }
  return { shown, published };
}

/**
 * A round's results as a reader may see them now, and the publications to record for that: the figures
 * of `roundResults` (which groups may be shown, and what the answers say now), each group's replaced by
 * its last publication until its answers differ from those behind each of its earlier figures in at least
 * `threshold` answers. The round's answer count
 * and response rate say how many answered, not what, so they are always as they stand. No trend: it is
 * worked out between two rounds' published figures.
 */
export function publishedRoundResults(
  input: Omit<Parameters<typeof roundResults>[0], 'answers' | 'previous'> & {
    answers: readonly RespondentAnswer[];
    last: ReadonlyMap<string, Publication>;
    now: string;
  },
): { results: RoundResults; published: Publication[] } {
  const fresh = roundResults(input);
  const { shown, published } = publishFigures({
    fresh: fresh.overall === undefined ? [] : [fresh.overall, ...fresh.groups],
    answers: input.answers,
    last: input.last,
    threshold: input.threshold,
    now: input.now,
  });
  return {
    results: {
      ...fresh,
      overall: shown.find((figures) => figures.group.field === 'all'),
      groups: shown.filter((figures) => figures.group.field !== 'all'),
    },
    published,
  };
}

/**
 * 12 base64url characters (72 bits) of the respondent's keyed hash: no two respondents of a round share it
 * in practice, and with the answer rows gone (retention) it no longer leads back to one.
 */
const tagOf = (respondent: string) => respondent.slice(0, 12);

/**
 * Changes exactly when a value the figures count changes: an edit of an open answer alone moves no figure,
 * so counting it would let a new figure rest on fewer changed figures than the threshold. The values
 * cannot be recovered from it without the full respondent.
 */
function fingerprintOf(answer: RespondentAnswer): string {
  const values = Object.entries(answer.values)
    .filter(([, value]) => typeof value === 'number')
    .sort(([a], [b]) => a.localeCompare(b));
  return createHash('sha256')
    .update(JSON.stringify([answer.respondent, values]))
    .digest('base64url')
    .slice(0, 12);
}
