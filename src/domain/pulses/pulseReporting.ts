import { wasReached } from '../broadcasts/broadcast.js';
import type { DeliveryStore } from '../broadcasts/ports.js';
import type { CommentStore } from '../feedback/ports.js';
import { type ThemeSummary, themeSummary } from '../feedback/themes.js';
import { UserInputError } from '../shared/errors.js';
import { isoWeek } from '../shared/isoWeek.js';
import type { Clock } from '../shared/ports.js';
import type { AnswerStore, PublicationStore, PulseStore, RoundStore } from './ports.js';
import { type Publication, publishedRoundResults } from './publication.js';
import { countGroups, type Pulse, type PulseRound, roundSendId } from './pulse.js';
import { type RoundResults, trendOf } from './pulseResults.js';

/**
 * Reading pulse results: the `results` card, the spreadsheet export and the digest show the same figures,
 * each group's as last published (publication.ts), so no two readings can be subtracted to learn what
 * fewer than the threshold of people answered. A figure shown again from an earlier reading says so in
 * its `asPublished`.
 */
export interface ReportingDeps {
  pulses: PulseStore;
  rounds: RoundStore;
  answers: AnswerStore;
  publications: PublicationStore;
  comments: Pick<CommentStore, 'forPulse'>;
  deliveries: Pick<DeliveryStore, 'list'>;
  clock: Clock;
  anonymityThreshold: number;
}

/** How long after closing a round still shows in `results`. */
const RECENT_DAYS = 28;

export interface PulseRoundResults {
  pulse: Pulse;
  round: PulseRound;
  results: RoundResults;
  /**
   * What the round's open answers are about, by best source; `undefined` while the round's figures are
   * suppressed or there are too few open answers. Answers passed to the safeguarding lead are not counted.
   */
  themes?: ThemeSummary | undefined;
}

/** Results of every open round and every round closed in the last four weeks, newest first. */
export async function pulseResults(deps: ReportingDeps, tenantId: string): Promise<PulseRoundResults[]> {
  const now = deps.clock.now().getTime();
  const found: PulseRoundResults[] = [];
  for (const pulse of await deps.pulses.list(tenantId)) {
    const history = await historyOf(deps, pulse);
    for (const [index, round] of history.rounds.entries()) {
      const recent =
        round.status === 'open' ||
        (round.status === 'closed' && Date.parse(round.closesAt) > now - RECENT_DAYS * 86_400_000);
      if (!recent || Date.parse(round.opensAt) > now) continue;
      const results = await resultsOf(history, round, history.rounds[index - 1]);
      found.push({ pulse, round, results, themes: await themesOf(deps, pulse, round, results) });
    }
  }
  return found.sort((a, b) => b.round.opensAt.localeCompare(a.round.opensAt));
}

/** One round's results as they stand now; a pulse that is gone or a round not yet open has none. */
export async function roundResultsOf(
  deps: ReportingDeps,
  tenantId: string,
  pulseId: string,
  number: number,
): Promise<PulseRoundResults> {
  const pulse = await deps.pulses.get(tenantId, pulseId);
  if (pulse === undefined) throw new UserInputError('pulse.gone', {});
  const history = await historyOf(deps, pulse);
  const index = history.rounds.findIndex((round) => round.number === number);
  const round = history.rounds[index];
  if (round === undefined || round.status === 'scheduled') throw new UserInputError('pulse.gone', {});
  const results = await resultsOf(history, round, history.rounds[index - 1]);
  return { pulse, round, results, themes: await themesOf(deps, pulse, round, results) };
}

/**
 * Every round of one initiative's pulses that has opened, oldest first, each as `roundResultsOf` gives it
 * (published figures and the trend from the round before): the evidence pack's pulse history.
 */
export async function initiativeRoundResults(
  deps: ReportingDeps,
  tenantId: string,
  initiativeId: string,
): Promise<PulseRoundResults[]> {
  const found: PulseRoundResults[] = [];
  for (const pulse of await deps.pulses.list(tenantId)) {
    if (pulse.initiativeId !== initiativeId) continue;
    const history = await historyOf(deps, pulse);
    for (const [index, round] of history.rounds.entries()) {
      if (round.status === 'scheduled') continue;
      const results = await resultsOf(history, round, history.rounds[index - 1]);
      found.push({ pulse, round, results, themes: await themesOf(deps, pulse, round, results) });
    }
  }
  return found.sort((a, b) => a.round.opensAt.localeCompare(b.round.opensAt));
}

/**
 * A round's results as published, for a reader that has read the pulse and the round already and wants no
 * round-on-round trend (the digest compares weeks from its own snapshots): no other round is read.
 */
export async function publishedResultsOf(
  deps: ReportingDeps,
  pulse: Pulse,
  round: PulseRound,
): Promise<PulseRoundResults> {
  const results = await publishedRound(deps, pulse, round);
  return { pulse, round, results, themes: await themesOf(deps, pulse, round, results) };
}

async function themesOf(
  deps: ReportingDeps,
  pulse: Pulse,
  round: PulseRound,
  results: RoundResults,
): Promise<ThemeSummary | undefined> {
  if (results.overall === undefined || !pulse.items.some((item) => item.kind === 'text')) return undefined;
  const week = isoWeek(new Date(round.opensAt));
  const comments = await deps.comments.forPulse(pulse.tenantId, pulse.initiativeId, week, pulse.id);
  return themeSummary(
    comments.filter((comment) => comment.escalationId === undefined),
    deps.anonymityThreshold,
  );
}

/** A pulse's rounds, oldest first, and each round's figures as published. */
interface History {
  rounds: PulseRound[];
  publishedOf: (round: PulseRound) => Promise<RoundResults>;
}

/**
 * Each round is read and published at most once per reading: a round shown in `results` is often also
 * the one before the next shown round, which that round's trend needs.
 */
async function historyOf(deps: ReportingDeps, pulse: Pulse): Promise<History> {
  const rounds = (await deps.rounds.forPulse(pulse.tenantId, pulse.id)).sort((a, b) => a.number - b.number);
  const reads = new Map<number, Promise<RoundResults>>();
  const publishedOf = (round: PulseRound) => {
    const results = reads.get(round.number) ?? publishedRound(deps, pulse, round);
    reads.set(round.number, results);
    return results;
  };
  return { rounds, publishedOf };
}

/** A round's figures as a reader may see them, published anew where enough answers changed (publication.ts). */
async function publishedRound(deps: ReportingDeps, pulse: Pulse, round: PulseRound): Promise<RoundResults> {
  const week = isoWeek(new Date(round.opensAt));
  const answers = await deps.answers.forRound(
    pulse.tenantId,
    pulse.initiativeId,
    week,
    pulse.id,
    round.number,
  );
  const reached = await reachedBy(deps, pulse, round);
  const now = deps.clock.now().toISOString();
  const reading = (last: ReadonlyMap<string, Publication>) =>
    publishedRoundResults({
      items: pulse.items,
      answers,
      recipients: reached.recipients,
      recipientsByGroup: reached.recipientsByGroup,
      threshold: deps.anonymityThreshold,
      last,
      now,
    });
  const last = await deps.publications.publish(
    { tenantId: pulse.tenantId, pulseId: pulse.id, round: round.number, week },
    (stored) => reading(stored).published,
  );
  return reading(last).results;
}

/** The figures of one round, with the movement between its published figures and the round before's. */
async function resultsOf(
  history: History,
  round: PulseRound,
  previous: PulseRound | undefined,
): Promise<RoundResults> {
  const results = await history.publishedOf(round);
  const before = previous === undefined ? undefined : (await history.publishedOf(previous)).overall;
  return {
    ...results,
    trend:
      results.overall === undefined || before === undefined ? undefined : trendOf(results.overall, before),
  };
}

/**
 * Whom a round reached, overall and by group: the response rate is over them, not over everyone it was
 * meant for (someone Huddle could not reach, or whose quiet hours outlasted the round, could not answer).
 * Sent to chats, that is the opening's deliveries that arrived; posted in a channel, everyone it asked,
 * who all see the one post.
 */
async function reachedBy(
  deps: ReportingDeps,
  pulse: Pulse,
  round: PulseRound,
): Promise<Pick<PulseRound, 'recipients' | 'recipientsByGroup'>> {
  if (pulse.channel !== undefined) return round;
  const opening = await deps.deliveries.list(roundSendId(pulse.id, round.number, 'open'));
  // Every opening writes a row per recipient; none at all means they are gone (or were never kept, as for
  // the demo's history), and then the people it was sent to are the best base there is, not nobody.
  if (opening.length === 0) return round;
  const reached = opening.filter(wasReached);
  return {
    recipients: reached.length,
    recipientsByGroup: countGroups(reached.map((row) => row.groups ?? {})),
  };
}
