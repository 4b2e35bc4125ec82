import type { ReadinessDimension } from '../initiatives/changeModels.js';
import type { MemberGroups } from '../people/member.js';
import { belongsTo, type GroupKey, publishableGroups } from './anonymity.js';
import type { AnswerValue, GroupCounts, ItemDimension, PulseItem } from './pulse.js';
import { isReadiness, READINESS_ORDER } from './questionBank.js';

/**
 * Pulse scoring (issue: pulse surveys). All pure; every figure is computed only for groups that
 * `publishableGroups` allows, so nothing below the anonymity threshold can reach a card.
 *
 * - Item mean: the mean of the numbers given (1-5, 0-10, or a mood 1-5); choices have counts only.
 * - Dimension score: the mean of every answer to the items of that dimension, on the 1-5 scale.
 * - Barrier point: a readiness dimension scoring 3 or less; the first in A-D-K-A-R order is where help goes.
 * - Readiness index: the mean of the readiness dimension scores present, mapped from 1-5 onto 0-100
 *   ((score - 1) / 4 x 100), rounded. Absent when the round asked no readiness items.
 * - eNPS: per cent answering 9-10 minus per cent answering 0-6 on the eNPS item, rounded; -100..100.
 * - Response rate: answers / recipients, as a whole per cent.
 */

export const BARRIER_AT_OR_BELOW = 3;

export interface AnsweredRound {
  values: Record<string, AnswerValue>;
  groups: MemberGroups;
}

export interface ItemFigures {
  id: string;
  text: string;
  kind: PulseItem['kind'];
  /** Count per point of the scale (or per option), lowest first. */
  distribution: { value: number; count: number }[];
  mean?: number | undefined;
}

export interface GroupFigures {
  group: GroupKey;
  answers: number;
  /** Per cent; absent when the group's recipients are unknown. */
  responseRate?: number | undefined;
  items: ItemFigures[];
  dimensions: { dimension: ItemDimension; score: number }[];
  readinessIndex?: number | undefined;
  barriers: ReadinessDimension[];
  enps?: number | undefined;
  /**
   * Absent: the figures of the answers as they stand. Set: the figures as first shown at `at`, shown
   * again because too few of the group's answers have changed for a new figure (publication.ts);
   * `answers` is then how many had answered at `at`.
   */
  asPublished?: { at: string } | undefined;
}

export interface Trend {
  responseRate: number;
  readinessIndex?: number | undefined;
  enps?: number | undefined;
  dimensions: { dimension: ItemDimension; change: number }[];
}

export interface RoundResults {
  recipients: number;
  answers: number;
  responseRate: number;
  /** `undefined` when fewer people answered than the threshold: nothing about the answers is shown. */
  overall?: GroupFigures | undefined;
  /** Shown groups only, by field. */
  groups: GroupFigures[];
  /**
   * Against the previous round, when both rounds could be shown. In pulseReporting both ends are published
   * figures, so a movement never rests on fewer answers than the threshold.
   */
  trend?: Trend | undefined;
}

export function roundResults(input: {
  items: readonly PulseItem[];
  answers: readonly AnsweredRound[];
  recipients: number;
  recipientsByGroup: GroupCounts;
  threshold: number;
  previous?: { answers: readonly AnsweredRound[]; recipients: number } | undefined;
}): RoundResults {
  const { items, answers, recipients, threshold } = input;
  const shown = publishableGroups(
    answers.map((answer) => answer.groups),
    threshold,
  );
  const figures = shown.map((group) => {
    const members = answers.filter((answer) => belongsTo(answer.groups, group));
    const groupRecipients =
      group.field === 'all' ? recipients : input.recipientsByGroup[group.field]?.[group.value];
    return groupFigures(group, items, members, groupRecipients);
  });
  const overall = figures.find((figure) => figure.group.field === 'all');
  const previousOverall =
    input.previous === undefined ||
    publishableGroups(
      input.previous.answers.map((a) => a.groups),
      threshold,
    ).length === 0
      ? undefined
      : groupFigures({ field: 'all' }, items, input.previous.answers, input.previous.recipients);
  return {
    recipients,
    answers: answers.length,
    responseRate: percent(answers.length, recipients),
    overall,
    groups: figures.filter((figure) => figure.group.field !== 'all'),
    trend:
      overall === undefined || previousOverall === undefined ? undefined : trendOf(overall, previousOverall),
  };
}

function groupFigures(
  group: GroupKey,
  items: readonly PulseItem[],
  answers: readonly AnsweredRound[],
  recipients: number | undefined,
): GroupFigures {
  const itemFigures = items
    .filter((item) => item.kind !== 'text')
    .map((item) => itemFiguresOf(item, answers));
  const dimensions = dimensionScores(items, answers);
  const readiness = dimensions.filter((entry) => isReadiness(entry.dimension));
  const enpsItem = items.find((item) => item.kind === 'scale10' && item.dimension === 'enps');
  return {
    group,
    answers: answers.length,
    responseRate:
      recipients === undefined || recipients === 0 ? undefined : percent(answers.length, recipients),
    items: itemFigures,
    dimensions,
    readinessIndex:
      readiness.length === 0
        ? undefined
        : Math.round(((mean(readiness.map((entry) => entry.score)) - 1) / 4) * 100),
    barriers: READINESS_ORDER.filter((dimension) =>
      readiness.some((entry) => entry.dimension === dimension && entry.score <= BARRIER_AT_OR_BELOW),
    ),
    enps: enpsItem === undefined ? undefined : enpsOf(numbers(enpsItem, answers)),
  };
}

function itemFiguresOf(item: PulseItem, answers: readonly AnsweredRound[]): ItemFigures {
  const given = numbers(item, answers);
  const points =
    item.kind === 'choice'
      ? item.options.map((_, index) => index)
      : item.kind === 'scale10'
        ? range(0, 10)
        : range(1, 5);
  return {
    id: item.id,
    text: item.text,
    kind: item.kind,
    distribution: points.map((value) => ({ value, count: given.filter((one) => one === value).length })),
    mean: item.kind === 'choice' || given.length === 0 ? undefined : round1(mean(given)),
  };
}

/** Dimensions in a fixed order (readiness A-D-K-A-R, then team readiness), each with its score. */
function dimensionScores(items: readonly PulseItem[], answers: readonly AnsweredRound[]) {
  const order: ItemDimension[] = [...READINESS_ORDER, 'commitment', 'efficacy'];
  return order.flatMap((dimension) => {
    const scored = items.filter((item) => item.kind === 'agree5' && item.dimension === dimension);
    const given = scored.flatMap((item) => numbers(item, answers));
    return given.length === 0 ? [] : [{ dimension, score: round1(mean(given)) }];
  });
}

/** The movement from one round's overall figures to the next's. */
export function trendOf(now: GroupFigures, before: GroupFigures): Trend {
  const difference = (a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined ? undefined : round1(a - b);
  return {
    responseRate: (now.responseRate ?? 0) - (before.responseRate ?? 0),
    readinessIndex: difference(now.readinessIndex, before.readinessIndex),
    enps: difference(now.enps, before.enps),
    dimensions: now.dimensions.flatMap((entry) => {
      const earlier = before.dimensions.find((one) => one.dimension === entry.dimension);
      return earlier === undefined
        ? []
        : [{ dimension: entry.dimension, change: round1(entry.score - earlier.score) }];
    }),
  };
}

/** eNPS from 0-10 answers, or `undefined` with none. */
export function enpsOf(scores: readonly number[]): number | undefined {
  if (scores.length === 0) return undefined;
  const promoters = scores.filter((score) => score >= 9).length;
  const detractors = scores.filter((score) => score <= 6).length;
  return Math.round(((promoters - detractors) / scores.length) * 100);
}

const numbers = (item: PulseItem, answers: readonly AnsweredRound[]) =>
  answers.flatMap((answer) => {
    const value = answer.values[item.id];
    return typeof value === 'number' ? [value] : [];
  });
const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
const round1 = (value: number) => Math.round(value * 10) / 10;
const percent = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 100));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => from + index);
