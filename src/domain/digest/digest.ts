import { type LoopAction, loopFigures } from '../actions/action.js';
import { type Delivery, wasReached } from '../broadcasts/broadcast.js';
import { type ChampionGroup, championRoll, currentChampions } from '../champions/championGroups.js';
import { groupNotes } from '../champions/championNote.js';
import type { Comment, CommentRef } from '../feedback/comment.js';
import type { Escalation } from '../feedback/safeguarding.js';
import { isConcern, type Theme, themeOf, themeSummary } from '../feedback/themes.js';
import type { Initiative } from '../initiatives/initiative.js';
import { GROUP_FIELDS, type Member, type MemberGroups } from '../people/member.js';
import { belongsTo, type GroupKey, groupLabel } from '../pulses/anonymity.js';
import type { PulseRoundResults } from '../pulses/pulseReporting.js';
import {
  type DigestFigures,
  type GroupResistance,
  type KpiFigures,
  type NextStep,
  type ReadinessFigures,
  readinessOfGroup,
  type StageFigures,
} from './figures.js';
import { nextSteps } from './nextSteps.js';
import { type GroupEvidence, resistanceSignal } from './resistance.js';
import { scrub } from './scrub.js';

const DAY_MS = 86_400_000;
/** How many groups "where resistance is" names: the strongest few, not a league table. */
const RESISTANCE_SHOWN = 3;
const QUOTES_SHOWN = 3;
const QUOTE_MAX_LENGTH = 280;

/** Everything the week's digest of one initiative is built from: this week's rows and stored snapshots. */
export interface DigestSources {
  initiative: Initiative;
  /** The seven days the digest covers, ending at `to` (the send time, or now for `digest`). */
  period: { from: Date; to: Date };
  week: string;
  /** Everyone the initiative involves, for group sizes and to take their names out of quotes. */
  people: readonly Member[];
  /** Each change update sent in the period, with how each copy went. */
  updates: readonly { deliveries: readonly UpdateOutcome[] }[];
  /**
   * The initiative's comments written in the period (concerns, pulse answers, feedback) that managers may
   * read: a pulse's open answer still waiting for its round to reach the anonymity threshold
   * (waitingAnswers.ts) is left out by the caller, so it is not quoted, counted in themes or read for
   * resistance or the champions' group notes.
   */
  comments: readonly Comment[];
  /** Rounds of the initiative's pulses open during the period, with their published figures. */
  rounds: readonly PulseRoundResults[];
  /** Escalations of the initiative raised in the period. */
  escalations: readonly Pick<Escalation, 'status' | 'raisedAt' | 'acknowledgedAt'>[];
  /** The change's "You said, we did" actions, whatever their status. */
  actions: readonly LoopAction[];
  /** Earlier weeks' snapshots, oldest first; the last is "last week". */
  history: readonly DigestFigures[];
  anonymityThreshold: number;
  /** Comments are quoted and their themes counted only from at least this many (Glint uses 10). */
  commentThreshold: number;
  /** An alert acknowledged later than this was not acknowledged in time. */
  safeguardingResendMs: number;
}

export type UpdateOutcome = Pick<Delivery, 'memberId' | 'status' | 'acknowledgedAt' | 'groups'>;

export interface Quote {
  ref: CommentRef;
  theme: Theme;
  text: string;
}

/**
 * What is kept of a built digest (the week's snapshot): the figures, and which comments to quote but not
 * their words, which are read again when the card is made, so a comment deleted or passed to safeguarding
 * since is not quoted, and retention deletes words in one place only.
 */
export interface StoredDigest {
  initiative: Digest['initiative'];
  period: Digest['period'];
  figures: DigestFigures;
  quotes: Omit<Quote, 'text'>[];
  nextSteps: NextStep[];
}

export const storedOf = (digest: Digest): StoredDigest => ({
  initiative: digest.initiative,
  period: digest.period,
  figures: digest.figures,
  quotes: digest.quotes.map(({ ref, theme }) => ({ ref, theme })),
  nextSteps: digest.nextSteps,
});

/**
 * A stored digest made whole again: last week's figures and the trend from the snapshots before it, and
 * the quotes read afresh (`comments`, by the refs kept; one gone or passed on since is left out).
 */
export function digestFromStore(
  stored: StoredDigest,
  history: readonly DigestFigures[],
  comments: readonly (Comment | undefined)[],
  people: readonly Pick<Member, 'name'>[],
  champions: ChampionGroup[],
): Digest {
  const names = people.map((person) => person.name);
  return {
    initiative: stored.initiative,
    period: stored.period,
    figures: stored.figures,
    previous: history.at(-1),
    trend: trendOf(history, stored.figures),
    quotes: stored.quotes.flatMap(({ ref, theme }, index) => {
      const comment = comments[index];
      if (comment === undefined || comment.escalationId !== undefined || comment.id !== ref.id) return [];
      return [{ ref, theme, text: shorten(scrub(comment.text, names)) }];
    }),
    nextSteps: stored.nextSteps,
    champions,
  };
}

const trendOf = (history: readonly DigestFigures[], figures: DigestFigures) =>
  [...history, figures].map((week) => ({ week: week.week, readiness: week.readiness?.index }));

/** One initiative's digest: this week's figures, last week's to compare, the trend, quotes and next steps. */
export interface Digest {
  initiative: { id: string; title: string };
  period: { from: string; to: string };
  figures: DigestFigures;
  previous?: DigestFigures | undefined;
  /** Readiness by week from the snapshots, oldest first, this week last. */
  trend: { week: string; readiness?: number | undefined }[];
  /** Never from a comment passed to safeguarding, and only when the week's comments reach the threshold. */
  quotes: Quote[];
  nextSteps: NextStep[];
  /** Each unit and shift of the change's people with its champions (none: a group with nobody to ask). */
  champions: ChampionGroup[];
}

export function buildDigest(sources: DigestSources): Digest {
  const previous = sources.history.at(-1);
  const ordinary = sources.comments.filter((comment) => comment.escalationId === undefined);
  const latest = latestShown(sources.rounds);
  const reported = latest ?? sources.rounds.at(-1);
  const figures: DigestFigures = {
    week: sources.week,
    stage: stageFigures(sources.initiative, sources.period.to),
    kpis: kpiFigures(sources.initiative),
    engagement: engagementFigures(sources, reported),
    readiness: readinessFigures(latest),
    pulse: reported && {
      title: reported.pulse.title,
      opensAt: reported.round.opensAt,
      openUntil: reported.round.status === 'open' ? reported.round.closesAt : undefined,
    },
    themes: themeFigures(ordinary, sources.commentThreshold),
    resistance: resistanceOf(sources, ordinary),
    safeguarding: {
      raised: sources.escalations.filter((e) => e.status === 'raised' || e.status === 'acknowledged').length,
      acknowledgedInTime: sources.escalations.filter(
        (e) =>
          e.acknowledgedAt !== undefined &&
          Date.parse(e.acknowledgedAt) - Date.parse(e.raisedAt) <= sources.safeguardingResendMs,
      ).length,
      waiting: sources.escalations.filter(
        (e) =>
          e.status === 'raised' &&
          sources.period.to.getTime() - Date.parse(e.raisedAt) <= sources.safeguardingResendMs,
      ).length,
    },
    actions: loopFigures(sources.actions, sources.period),
  };
  figures.groups = groupNotes({
    people: sources.people,
    comments: ordinary,
    latest: latest?.results,
    earlier: latestShown(sources.rounds.filter((round) => round !== latest))?.results,
    figures,
    previous,
    anonymityThreshold: sources.anonymityThreshold,
    commentThreshold: sources.commentThreshold,
  });
  return {
    initiative: { id: sources.initiative.id, title: sources.initiative.title },
    period: { from: sources.period.from.toISOString(), to: sources.period.to.toISOString() },
    figures,
    previous,
    trend: trendOf(sources.history, figures),
    quotes: figures.themes === undefined ? [] : quotesOf(ordinary, figures, sources.people),
    nextSteps: nextSteps(figures, previous),
    champions: championRoll(sources.people, currentChampions(sources.initiative, sources.people)),
  };
}

/** Each objective's KPI with its latest recorded value, as the digest and the evidence pack show it. */
export function kpiFigures(initiative: Initiative): KpiFigures[] {
  return initiative.objectives.map((objective) => {
    const latest = [...(objective.kpi.readings ?? [])].sort((a, b) => a.on.localeCompare(b.on)).at(-1);
    return {
      objective: objective.text,
      name: objective.kpi.name,
      unit: objective.kpi.unit,
      baseline: objective.kpi.baseline,
      target: objective.kpi.target,
      latest: latest && { value: latest.value, on: latest.on },
    };
  });
}

/** Where the initiative stands at `now`: its stage, days in it, and days behind its planned end. */
export function stageFigures(initiative: Initiative, now: Date): StageFigures {
  const stage = initiative.stages[initiative.currentStage];
  const startedAt =
    initiative.stageStartedAt ?? (initiative.currentStage === 0 ? initiative.createdAt : undefined);
  const plannedEnd = stage?.plannedEnd;
  const endOfPlannedDay = plannedEnd === undefined ? undefined : Date.parse(`${plannedEnd}T23:59:59Z`);
  return {
    index: initiative.currentStage,
    count: initiative.stages.length,
    title: stage?.title ?? '',
    daysIn:
      startedAt === undefined ? undefined : Math.floor((now.getTime() - Date.parse(startedAt)) / DAY_MS),
    behindDays:
      endOfPlannedDay === undefined
        ? undefined
        : Math.max(0, Math.ceil((now.getTime() - endOfPlannedDay) / DAY_MS)),
    plannedEnd,
  };
}

/**
 * Updates' reach and Got it, concerns, and how many answered `reported`, the round readiness is from too:
 * a leader reads "Pulse answered" beside the readiness index as one pulse's figures. Taking the rate from
 * the newest round instead, while a newer round had too few answers to show (or another of the change's
 * pulses had opened since), set one pulse's rate beside another's readiness. A round nobody was sent has
 * no rate, rather than 0%.
 */
function engagementFigures(
  sources: DigestSources,
  reported: PulseRoundResults | undefined,
): DigestFigures['engagement'] {
  const deliveries = sources.updates.flatMap((update) => update.deliveries);
  const reached = deliveries.filter(wasReached);
  const acknowledged = reached.filter((delivery) => delivery.acknowledgedAt !== undefined).length;
  const round = reported?.results;
  return {
    updatesSent: sources.updates.length,
    reached: reached.length,
    acknowledgementRate: reached.length === 0 ? undefined : percent(acknowledged, reached.length),
    concerns: sources.comments.filter((comment) => comment.source === 'concern').length,
    pulseResponseRate: round === undefined || round.recipients === 0 ? undefined : round.responseRate,
    pulseRecipients: round?.recipients,
  };
}

/** The newest round whose overall figures may be shown. */
const latestShown = (rounds: readonly PulseRoundResults[]) =>
  [...rounds].reverse().find((round) => round.results.overall !== undefined);

const readinessFigures = (round: PulseRoundResults | undefined): ReadinessFigures | undefined =>
  readinessOfGroup(round?.results.overall);

function themeFigures(comments: readonly Comment[], threshold: number): DigestFigures['themes'] {
  const summary = themeSummary(comments, threshold);
  if (summary === undefined) return undefined;
  return { total: summary.total, top: summary.counts.slice(0, 5), sources: summary.sources };
}

/**
 * Resistance by group from words, scores and silence. Only groups of at least the anonymity threshold are
 * even considered, so a small group is not named at all; the strongest few are shown.
 */
function resistanceOf(sources: DigestSources, comments: readonly Comment[]): GroupResistance[] {
  const round = latestShown(sources.rounds);
  const before = sources.rounds.length > 1 ? latestShown(sources.rounds.slice(0, -1)) : undefined;
  const deliveries = sources.updates.flatMap((update) => update.deliveries);
  const signals: GroupResistance[] = [];
  for (const key of groupsOf(sources.people, sources.anonymityThreshold)) {
    const label = groupLabel(key);
    const inGroup = (groups: MemberGroups | undefined) => groups !== undefined && belongsTo(groups, key);
    const people = sources.people.filter((person) => belongsTo(person.groups, key)).length;
    const theirs = comments.filter((comment) => inGroup(comment.groups));
    const figures = round?.results.groups.find((group) => groupLabel(group.group) === label);
    const earlier = before?.results.groups.find((group) => groupLabel(group.group) === label);
    const reached = deliveries.filter((delivery) => wasReached(delivery) && inGroup(delivery.groups));
    const evidence: GroupEvidence = {
      group: label,
      people,
      comments: theirs.map((comment) => ({
        theme: themeOf(comment).theme,
        resistance: comment.analysis?.resistance ?? 'none',
        sentiment: comment.analysis?.sentiment ?? 0,
      })),
      readiness:
        figures?.readinessIndex === undefined
          ? undefined
          : { now: figures.readinessIndex, before: earlier?.readinessIndex },
      // A round still open is no sign of silence yet: its people still have time (and a reminder) to answer.
      responseRate:
        figures?.responseRate === undefined || round?.round.status === 'open'
          ? undefined
          : figures.responseRate / 100,
      acknowledgementRate:
        reached.length === 0
          ? undefined
          : reached.filter((delivery) => delivery.acknowledgedAt !== undefined).length / reached.length,
      concernsPerPerson: theirs.filter((comment) => comment.source === 'concern').length / people,
    };
    const signal = resistanceSignal(evidence, sources.anonymityThreshold);
    if (!signal.suppressed) signals.push(signal);
  }
  return signals
    .filter((signal) => signal.level !== 'low')
    .sort((a, b) => b.score - a.score)
    .slice(0, RESISTANCE_SHOWN);
}

/** Each value of each group field held by at least `threshold` of the initiative's people. */
export function groupsOf(people: readonly Member[], threshold: number): GroupKey[] {
  const keys: GroupKey[] = [];
  for (const field of GROUP_FIELDS) {
    const counts = new Map<string, number>();
    for (const person of people) {
      const value = person.groups[field];
      if (value !== undefined) counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    for (const [value, count] of [...counts].sort(([a], [b]) => a.localeCompare(b))) {
      if (count >= threshold) keys.push({ field, value });
    }
  }
  return keys;
}

/**
 * One comment for each of the top themes, worries first: the one the writer tagged themselves if any, then
 * the most recent. Names, numbers, emails and mentions are taken out.
 */
function quotesOf(
  comments: readonly Comment[],
  figures: DigestFigures,
  people: readonly Pick<Member, 'name'>[],
): Quote[] {
  const names = people.map((person) => person.name);
  const themes = (figures.themes?.top ?? [])
    .map((entry) => entry.theme)
    .sort((a, b) => Number(isConcern(b)) - Number(isConcern(a)));
  const quotes: Quote[] = [];
  for (const theme of themes) {
    const candidates = comments
      .filter((comment) => themeOf(comment).theme === theme && comment.text.trim().length > 0)
      .sort(
        (a, b) =>
          Number(themeOf(b).source === 'writer') - Number(themeOf(a).source === 'writer') ||
          b.day.localeCompare(a.day) ||
          a.id.localeCompare(b.id),
      );
    const chosen = candidates[0];
    if (chosen === undefined) continue;
    const { tenantId, initiativeId, week, id } = chosen;
    quotes.push({
      ref: { tenantId, initiativeId, week, id },
      theme,
      text: shorten(scrub(chosen.text, names)),
    });
    if (quotes.length === QUOTES_SHOWN) break;
  }
  return quotes;
}

function shorten(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= QUOTE_MAX_LENGTH ? flat : `${flat.slice(0, QUOTE_MAX_LENGTH - 1).trimEnd()}…`;
}

const percent = (part: number, whole: number) => Math.round((100 * part) / whole);
