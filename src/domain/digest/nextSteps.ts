import type { Theme } from '../feedback/themes.js';
import type { ReadinessDimension } from '../initiatives/changeModels.js';
import type { Because, DigestFigures, NextStep, NextStepId } from './figures.js';

interface Rule {
  id: NextStepId;
  when: (now: DigestFigures, before: DigestFigures | undefined) => Because | undefined;
}

/** A theme counts when it is among the week's two commonest concerns, and more than one or two people's. */
const TOP_THEMES = 2;
const THEME_AT_LEAST = 3;
/** Readiness falling by this much in a week is worth acting on. */
const READINESS_FALL = 5;
const LOW_ACKNOWLEDGEMENT = 60;
const LOW_RESPONSE = 40;
const HIGH_READINESS = 70;

/** In order of what matters most when several fire: being heard and being able come before pace and praise. */
export const NEXT_STEP_RULES: readonly Rule[] = [
  { id: 'pilotGroup', when: (now) => topTheme(now, ['not_consulted']) },
  {
    id: 'championDropIns',
    when: (now) =>
      barrier(now, ['knowledge', 'ability']) ?? topTheme(now, ['training_gap', 'technology_confidence']),
  },
  {
    id: 'slowThePace',
    when: (now, before) => topTheme(now, ['change_fatigue']) ?? readinessFell(now, before),
  },
  {
    id: 'openQandA',
    when: (now) =>
      topTheme(now, ['trust_management']) ??
      (now.readiness?.enps !== undefined && now.readiness.enps < 0
        ? { kind: 'enps', enps: now.readiness.enps }
        : undefined),
  },
  { id: 'protectedTime', when: (now) => topTheme(now, ['workload_time']) },
  {
    id: 'explainWhy',
    when: (now) =>
      barrier(now, ['awareness', 'desire']) ??
      (now.engagement.acknowledgementRate !== undefined &&
      now.engagement.acknowledgementRate < LOW_ACKNOWLEDGEMENT
        ? { kind: 'acknowledgement', rate: now.engagement.acknowledgementRate }
        : undefined),
  },
  {
    id: 'closeTheLoop',
    // A round still open has not had its say yet (its reminders may not have gone): a low rate so far is
    // no sign that people stopped answering.
    when: (now) =>
      now.pulse?.openUntil === undefined &&
      now.engagement.pulseResponseRate !== undefined &&
      now.engagement.pulseResponseRate < LOW_RESPONSE
        ? { kind: 'responseRate', rate: now.engagement.pulseResponseRate }
        : undefined,
  },
  {
    id: 'celebrateWins',
    when: (now) =>
      barrier(now, ['reinforcement']) ??
      (now.readiness?.index !== undefined &&
      now.readiness.index >= HIGH_READINESS &&
      now.readiness.barriers.length === 0
        ? { kind: 'readinessHigh', index: now.readiness.index }
        : undefined),
  },
];

/** At most three steps, most important first. */
export function nextSteps(now: DigestFigures, before: DigestFigures | undefined, limit = 3): NextStep[] {
  const steps: NextStep[] = [];
  for (const rule of NEXT_STEP_RULES) {
    const because = rule.when(now, before);
    if (because !== undefined) steps.push({ id: rule.id, because });
    if (steps.length === limit) break;
  }
  return steps;
}

function topTheme(figures: DigestFigures, themes: readonly Theme[]): Because | undefined {
  const top = (figures.themes?.top ?? [])
    .filter((entry) => entry.theme !== 'supportive' && entry.theme !== 'neutral')
    .slice(0, TOP_THEMES)
    .find((entry) => themes.includes(entry.theme) && entry.count >= THEME_AT_LEAST);
  return top === undefined ? undefined : { kind: 'theme', theme: top.theme, count: top.count };
}

/** The first barrier point (A-D-K-A-R order) among `dimensions`. */
function barrier(figures: DigestFigures, dimensions: readonly ReadinessDimension[]): Because | undefined {
  const found = figures.readiness?.barriers.find((dimension) => dimensions.includes(dimension));
  return found === undefined ? undefined : { kind: 'barrier', dimension: found };
}

function readinessFell(now: DigestFigures, before: DigestFigures | undefined): Because | undefined {
  const drop = (before?.readiness?.index ?? 0) - (now.readiness?.index ?? Number.POSITIVE_INFINITY);
  return before?.readiness?.index !== undefined && drop >= READINESS_FALL
    ? { kind: 'readinessFell', drop }
    : undefined;
}
