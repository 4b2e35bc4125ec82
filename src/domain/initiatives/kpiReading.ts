import type { Initiative, KpiReading } from './initiative.js';

/** What a manager typed into "Record a value", as the card sent it. */
export interface KpiReadingInput {
  objective: string;
  value: string;
  on: string;
  note: string;
}

export type KpiReadingProblem = 'noObjective' | 'notNumber' | 'badDate' | 'future';

/** The largest magnitude accepted: a KPI is a count, a percentage or a rate, never an astronomical figure. */
const VALUE_LIMIT = 1e9;

/**
 * Checks a recorded KPI value: an objective the initiative has, a finite number, and a real date that is
 * not after `today` (the manager's own day). Nothing is saved unless all hold.
 */
export function parseKpiReading(
  initiative: Initiative,
  input: KpiReadingInput,
  today: string,
  by: string,
): { ok: true; objective: number; reading: KpiReading } | { ok: false; problem: KpiReadingProblem } {
  const objective = /^\d{1,2}$/.test(input.objective) ? Number(input.objective) : -1;
  if (initiative.objectives[objective] === undefined) return { ok: false, problem: 'noObjective' };
  const text = input.value.trim().replace(/,/g, '');
  const value = /^[-+]?(\d+\.?\d*|\.\d+)$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(value) || Math.abs(value) > VALUE_LIMIT) return { ok: false, problem: 'notNumber' };
  const on = input.on.trim().slice(0, 10);
  const date = new Date(`${on}T12:00:00Z`);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(on) ||
    Number.isNaN(date.getTime()) ||
    date.toISOString().slice(0, 10) !== on
  )
    return { ok: false, problem: 'badDate' };
  if (on > today) return { ok: false, problem: 'future' };
  const note = input.note.trim().slice(0, KPI_NOTE_MAX_LENGTH);
  return { ok: true, objective, reading: { value, on, note: note === '' ? undefined : note, by } };
}

/**
 * Readings kept per KPI: half a year of weekly values. The objectives are one table property (at most 32K
 * characters), and three KPIs with this many readings and notes stay well inside it.
 */
export const KPI_READINGS_KEPT = 26;
export const KPI_NOTE_MAX_LENGTH = 200;

/** The initiative with the reading added to its objective's KPI; the oldest go beyond `KPI_READINGS_KEPT`. */
export function withReading(
  initiative: Initiative,
  objective: number,
  reading: KpiReading,
  now: Date,
): Initiative {
  return {
    ...initiative,
    objectives: initiative.objectives.map((entry, index) =>
      index === objective
        ? {
            ...entry,
            kpi: {
              ...entry.kpi,
              readings: [...(entry.kpi.readings ?? []), reading]
                .sort((a, b) => a.on.localeCompare(b.on))
                .slice(-KPI_READINGS_KEPT),
            },
          }
        : entry,
    ),
    updatedAt: now.toISOString(),
  };
}
