import type { RoundAnswers } from '../feedback/ports.js';
import type { Publication } from './publication.js';
import type { Pulse, PulseAnswer, PulseRound } from './pulse.js';

/**
 * What the pulses use cases need from storage. `storage/` implements these against Azure Tables; unit tests
 * pass plain objects. Keys, ETags and OData never cross this line.
 */
export interface PulseStore {
  create(pulse: Pulse): Promise<void>;
  get(tenantId: string, id: string): Promise<Pulse | undefined>;
  list(tenantId: string): Promise<Pulse[]>;
  /** Read-change-write with optimistic concurrency; `change` returns `undefined` to leave it alone. */
  modify(
    tenantId: string,
    id: string,
    change: (current: Pulse) => Pulse | undefined,
  ): Promise<Pulse | undefined>;
}

export interface RoundStore {
  /** Inserts the round unless it exists (a retry after a crash finds it there). */
  createMissing(round: PulseRound): Promise<void>;
  get(tenantId: string, pulseId: string, round: number): Promise<PulseRound | undefined>;
  forPulse(tenantId: string, pulseId: string): Promise<PulseRound[]>;
  /** The pulse's rounds open at some moment in [from, to): a week's, without reading every week's. */
  openDuring(tenantId: string, pulseId: string, from: string, to: string): Promise<PulseRound[]>;
  modify(
    tenantId: string,
    pulseId: string,
    round: number,
    change: (current: PulseRound) => PulseRound | undefined,
  ): Promise<PulseRound | undefined>;
  /** Rounds of every tenant still to open or close: what the scheduler looks after. */
  unfinished(): Promise<PulseRound[]>;
}

export interface AnswerStore extends RoundAnswers<PulseAnswer> {
  /** Inserts or replaces the respondent's answers to the round. */
  put(answer: PulseAnswer): Promise<void>;
  get(
    tenantId: string,
    initiativeId: string | undefined,
    week: string,
    pulseId: string,
    round: number,
    respondent: string,
  ): Promise<PulseAnswer | undefined>;
}

/** Which round a publication belongs to; `week` is the ISO week the round opened (for retention). */
export interface RoundRef {
  tenantId: string;
  pulseId: string;
  round: number;
  week: string;
}

/** The figures last shown for each group of each round (see publication.ts). */
export interface PublicationStore {
  /**
   * Read-decide-write for one round: `decide` gets each group's last publication by `groupLabel` and
   * returns those to record now. When another reader recorded one meanwhile, `decide` runs again on what
   * is there now, so two readers at once never publish figures that differ by fewer than the threshold.
   * Returns each group's last publication once recorded.
   */
  publish(
    round: RoundRef,
    decide: (last: ReadonlyMap<string, Publication>) => Publication[],
  ): Promise<ReadonlyMap<string, Publication>>;
}
