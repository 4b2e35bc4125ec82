import { wasReached } from '../broadcasts/broadcast.js';
import type { DeliveryStore } from '../broadcasts/ports.js';
import type { CommentStore } from '../feedback/ports.js';
import { type ThemeSummary, themeSummary } from '../feedback/themes.js';
import { UserInputError } from '../shared/errors.js';
import { isoWeek } from '../shared/isoWeek.js';
import type { Clock } from '../shared/ports.js';
import type { AnswerStore, PulseStore, RoundStore } from './ports.js';
import { countGroups, type Pulse, type PulseAnswer, type PulseRound, roundSendId } from './pulse.js';
import { type RoundResults, roundResults } from './pulseResults.js';

/** Reading pulse results: the `results` card and the spreadsheet export show the same figures. */
export interface ReportingDeps {
  pulses: PulseStore;
  rounds: RoundStore;
  answers: AnswerStore;
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
      const results = await resultsOf(deps, pulse, history, round, history.rounds[index - 1]);
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
  const results = await resultsOf(deps, pulse, history, round, history.rounds[index - 1]);
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

/** A pulse's rounds, oldest first, and their answers. */
interface History {
  rounds: PulseRound[];
  answersTo: (round: PulseRound) => Promise<PulseAnswer[]>;
}

/**
 * Each round's answers are read at most once: a round shown in `results` is often also the one before the
 * next shown round, which that round's trend needs.
 */
async function historyOf(deps: ReportingDeps, pulse: Pulse): Promise<History> {
  const rounds = (await deps.rounds.forPulse(pulse.tenantId, pulse.id)).sort((a, b) => a.number - b.number);
  const reads = new Map<number, Promise<PulseAnswer[]>>();
  const answersTo = (round: PulseRound) => {
    const answers =
      reads.get(round.number) ??
      deps.answers.forRound(
        pulse.tenantId,
        pulse.initiativeId,
        isoWeek(new Date(round.opensAt)),
        pulse.id,
        round.number,
      );
    reads.set(round.number, answers);
    return answers;
  };
  return { rounds, answersTo };
}

/** The figures of one round, with the trend against the round before it. */
async function resultsOf(
  deps: ReportingDeps,
  pulse: Pulse,
  history: History,
  round: PulseRound,
  previous: PulseRound | undefined,
): Promise<RoundResults> {
  const reached = await reachedBy(deps, pulse, round);
  return roundResults({
    items: pulse.items,
    answers: await history.answersTo(round),
    recipients: reached.recipients,
    recipientsByGroup: reached.recipientsByGroup,
    threshold: deps.anonymityThreshold,
    previous:
      previous === undefined
        ? undefined
        : {
            answers: await history.answersTo(previous),
            recipients: (await reachedBy(deps, pulse, previous)).recipients,
          },
  });
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
  const reached = opening.filter(wasReached);
  return {
    recipients: reached.length,
    recipientsByGroup: countGroups(reached.map((row) => row.groups ?? {})),
  };
}
