import type { DigestView } from '../domain/broadcasts/broadcast.js';
import type { Digest } from '../domain/digest/digest.js';
import type { Because, DigestFigures } from '../domain/digest/figures.js';
import type { Driver } from '../domain/digest/resistance.js';
import type { DigestSchedule } from '../domain/digest/schedule.js';
import { formatCount, formatPercent, type Translator } from '../i18n/strings.js';
import { actionFromThemeCard } from './actionCards.js';
import { kpiAmount, objectiveLead } from './initiativeCards.js';
import { type Card, expandTemplate } from './render.js';
import { formatDay } from './updateCards.js';
import { VERBS } from './verbs.js';

/**
 * Who is reading decides what the digest shows: a channel gets the aggregate parts only (no quotes, no
 * safeguarding); safeguarding counts go to leaders and safeguarding leads, never to managers.
 */
export interface DigestCardOptions {
  audience: DigestView;
  /**
   * The manager's own view: they may record a KPI value or an action from a theme, and export the change's
   * evidence pack, from the card (never a channel's copy, nor a leader's who does not run changes).
   */
  manages: boolean;
  /** A line above the figures: a value saved, or why it was not. */
  notice?: { text: string; problem: boolean } | undefined;
  today: string;
}

export interface Section {
  heading: string;
  facts: { label: string; value: string }[];
  /**
   * 'line' is drawn on the readiness index's 0-100 scale (the template fixes the axis, so Teams' five
   * ticks read 0, 25, 50, 75, 100 rather than fifths of the highest week); 'bars' are counts, written
   * beside each bar with no axis, whose sixths of the longest bar read 14.3 or 0.33.
   */
  chart: '' | 'line' | 'bars';
  chartTitle: string;
  chartText: string;
  points: { x: string; y: number }[];
  lines: string[];
  note: string;
  /** Buttons under the section that open a card of their own (Action.ShowCard). */
  actions: { title: string; card: Card }[];
}

export const section = (heading: string, parts: Partial<Omit<Section, 'heading'>>): Section => ({
  heading,
  facts: [],
  chart: '',
  chartTitle: '',
  chartText: '',
  points: [],
  lines: [],
  note: '',
  actions: [],
  ...parts,
});

/** "72 (+4)": a figure, written by `format`, and its change since last week, when last week had one. */
function withChange(
  t: Translator,
  now: number | undefined,
  before: number | undefined,
  format: (value: number) => string = (value) => formatCount(t, value),
): string {
  if (now === undefined) return t('digest.none');
  const shown = format(now);
  if (before === undefined) return shown;
  const change = now - before;
  return t('digest.change', { value: shown, change: change > 0 ? `+${change}` : String(change) });
}

/** `withChange`'s `format` for a rate: "56%". */
const asPercent = (t: Translator) => (rate: number) => formatPercent(t, rate);

/** The weekly digest of one initiative, sections in the order leaders read them (issue 14). */
export function digestCard(t: Translator, digest: Digest, view: DigestCardOptions): Card {
  const { figures, previous } = digest;
  const sections = [
    stageSection(t, figures, previous),
    engagementSection(t, figures, previous),
    readinessSection(t, digest),
    sayingSection(t, digest, view),
    resistanceSection(t, figures),
    actionsSection(t, figures, previous),
    // Champions are named people: a channel gets figures only.
    ...(view.audience === 'channel' ? [] : [championsSection(t, digest, view.manages)]),
    ...(view.audience === 'leader' ? [safeguardingSection(t, figures, previous)] : []),
    nextStepsSection(t, digest),
  ];
  return expandTemplate('digest', {
    title: t('digest.title', { initiative: digest.initiative.title }),
    period: periodText(t, digest.period),
    notice: view.notice?.text ?? '',
    noticeColor: view.notice?.problem ? 'Attention' : 'Default',
    sections,
    canRecord: view.manages && figures.kpis.length > 0,
    canExport: view.manages,
    exportEvidence: t('initiative.exportEvidence'),
    exportVerb: VERBS.evidenceExport,
    initiativeId: digest.initiative.id,
    record: {
      title: t('digest.record.title'),
      objectiveLabel: t('digest.record.objective'),
      objectiveRequired: t('digest.record.objectiveRequired'),
      valueLabel: t('digest.record.value'),
      valueRequired: t('digest.record.valueRequired'),
      dateLabel: t('digest.record.date'),
      dateRequired: t('digest.record.dateRequired'),
      noteLabel: t('digest.record.note'),
      save: t('digest.record.save'),
      verb: VERBS.digestRecord,
      today: view.today,
      objectives: figures.kpis.map((kpi, index) => ({
        title: `${kpi.name} (${kpi.unit})`,
        value: String(index),
      })),
    },
  });
}

/** Leaders: one card over every initiative they can see, each with a way into its full digest. */
export function digestOverviewCard(t: Translator, digests: readonly Digest[]): Card {
  const period = digests[0]?.period;
  return expandTemplate('digest-overview', {
    title: t('digest.overview.title'),
    period: period === undefined ? '' : periodText(t, period),
    empty: t('digest.overview.empty'),
    initiatives: digests.map((digest) => {
      const { figures, previous } = digest;
      const top = figures.resistance[0];
      return {
        heading: digest.initiative.title,
        facts: [
          { label: t('digest.fact.stage'), value: stageText(t, figures) },
          ...pulseFact(t, figures),
          {
            label: t('digest.fact.readiness'),
            value: withChange(t, figures.readiness?.index, previous?.readiness?.index),
          },
          { label: t('digest.fact.responseRate'), value: responseRateText(t, figures, previous) },
          {
            label: t('digest.fact.resistance'),
            value: top === undefined ? t('digest.resistance.none') : groupName(top.group),
          },
        ],
        open: t('digest.overview.open'),
        verb: VERBS.digestOpen,
        initiativeId: digest.initiative.id,
      };
    }),
  });
}

/** Managers' choice of the digest's day and time, in the service's zone. */
export function digestScheduleCard(
  t: Translator,
  model: { schedule: DigestSchedule; timeZone: string; error?: string; saved?: boolean },
): Card {
  const days = ISO_WEEKDAYS.map((weekday) => ({ title: weekdayName(t, weekday), value: String(weekday) }));
  return expandTemplate('digest-schedule', {
    title: t('digest.schedule.title'),
    intro: t('digest.schedule.intro'),
    error: model.error ?? '',
    dayLabel: t('digest.schedule.day'),
    dayRequired: t('digest.schedule.dayRequired'),
    timeLabel: t('digest.schedule.time'),
    timeRequired: t('digest.schedule.timeRequired'),
    weekday: String(model.schedule.weekday),
    time: model.schedule.time,
    days,
    zoneNote: t('digest.schedule.zone', { zone: model.timeZone }),
    saved: model.saved
      ? t('digest.schedule.saved', { day: weekdayName(t, model.schedule.weekday), time: model.schedule.time })
      : '',
    save: t('digest.schedule.save'),
    verb: VERBS.digestSchedule,
  });
}

const ISO_WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

/** The weekday's name in the reader's language; 5 January 2026 was a Monday. */
const weekdayName = (t: Translator, weekday: number) =>
  new Intl.DateTimeFormat(t.locale, { weekday: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(2026, 0, 4 + weekday, 12)),
  );

export const periodText = (t: Translator, period: Digest['period']) =>
  t('digest.period', { from: formatDay(period.from, t.locale), to: formatDay(period.to, t.locale) });

function stageText(t: Translator, figures: DigestFigures): string {
  const { stage } = figures;
  if (stage.count === 0) return t('digest.stage.none');
  return t('digest.stage', { number: stage.index + 1, count: stage.count, title: stage.title });
}

function stageSection(t: Translator, figures: DigestFigures, previous: DigestFigures | undefined): Section {
  const { stage } = figures;
  const facts = [
    { label: t('digest.fact.stage'), value: stageText(t, figures) },
    ...(stage.daysIn === undefined
      ? []
      : [{ label: t('digest.fact.daysIn'), value: formatCount(t, stage.daysIn) }]),
    ...(stage.behindDays === undefined || stage.plannedEnd === undefined
      ? []
      : [
          {
            label: t('digest.fact.plan'),
            value:
              stage.behindDays === 0
                ? t('digest.plan.onTrack', { end: formatDay(stage.plannedEnd, t.locale) })
                : t('digest.plan.behind', {
                    days: stage.behindDays,
                    end: formatDay(stage.plannedEnd, t.locale),
                  }),
          },
        ]),
  ];
  const lines = figures.kpis.map((kpi, index) => {
    const before = previous?.kpis[index]?.latest?.value;
    return t('digest.kpi', {
      objective: objectiveLead(kpi.objective),
      name: kpi.name,
      baseline: kpiAmount(t, kpi.baseline, kpi.unit),
      target: kpiAmount(t, kpi.target, kpi.unit),
      latest:
        kpi.latest === undefined
          ? t('digest.kpi.noValue')
          : t('digest.kpi.latest', {
              value: withChange(t, kpi.latest.value, before, (value) => kpiAmount(t, value, kpi.unit)),
              on: formatDay(kpi.latest.on, t.locale),
            }),
    });
  });
  return section(t('digest.section.stage'), { facts, lines });
}

function engagementSection(
  t: Translator,
  figures: DigestFigures,
  previous: DigestFigures | undefined,
): Section {
  const now = figures.engagement;
  const before = previous?.engagement;
  return section(t('digest.section.engagement'), {
    facts: [
      { label: t('digest.fact.updatesSent'), value: withChange(t, now.updatesSent, before?.updatesSent) },
      {
        label: t('digest.fact.acknowledged'),
        value: withChange(t, now.acknowledgementRate, before?.acknowledgementRate, asPercent(t)),
      },
      { label: t('digest.fact.concerns'), value: withChange(t, now.concerns, before?.concerns) },
    ],
    note: t('digest.engagement.note', { reached: now.reached }),
  });
}

/** "Weekly check-in, opened 24 November 2026, sent to 14 people": the round the rate and readiness are from. */
const pulseFact = (t: Translator, { pulse, engagement }: DigestFigures) =>
  pulse === undefined
    ? []
    : [
        {
          label: t('digest.fact.pulse'),
          value: t('digest.pulse', {
            title: pulse.title,
            opened: formatDay(pulse.opensAt, t.locale),
            recipients: engagement.pulseRecipients ?? 0,
          }),
        },
      ];

/**
 * Which pulse, and how many answered it, above its readiness: a leader reads the rate and the index as one
 * pulse's figures (the digest takes both from one round), so they sit together under that pulse's name.
 */
function pulseFacts(t: Translator, digest: Digest): Section['facts'] {
  const { pulse, engagement } = digest.figures;
  if (pulse === undefined && engagement.pulseResponseRate === undefined) return [];
  return [
    ...pulseFact(t, digest.figures),
    { label: t('digest.fact.responseRate'), value: responseRateText(t, digest.figures, digest.previous) },
  ];
}

/**
 * How many answered the digest's pulse. A round still open reads "so far" with when it closes, and is not
 * set against last week's: a rate minutes after opening is no fall on a round that has run its course.
 */
function responseRateText(
  t: Translator,
  figures: DigestFigures,
  previous: DigestFigures | undefined,
): string {
  const rate = figures.engagement.pulseResponseRate;
  const openUntil = figures.pulse?.openUntil;
  if (rate !== undefined && openUntil !== undefined)
    return t('digest.responseRate.soFar', {
      rate: formatPercent(t, rate),
      until: formatDay(openUntil, t.locale),
    });
  return withChange(t, rate, previous?.engagement.pulseResponseRate, asPercent(t));
}

function readinessSection(t: Translator, digest: Digest): Section {
  const { readiness } = digest.figures;
  const before = digest.previous?.readiness;
  const points = digest.trend
    .filter((week) => week.readiness !== undefined)
    .map((week) => ({ x: week.week.slice(5), y: week.readiness as number }));
  if (readiness === undefined)
    return section(t('digest.section.readiness'), {
      facts: pulseFacts(t, digest),
      lines: [t('digest.readiness.none')],
    });
  return section(t('digest.section.readiness'), {
    facts: [
      ...pulseFacts(t, digest),
      { label: t('digest.fact.readiness'), value: withChange(t, readiness.index, before?.index) },
      ...readiness.dimensions
        .filter((entry) => entry.dimension !== 'enps')
        .map((entry) => ({
          label: t(`dimension.${entry.dimension}`),
          value: entry.score.toFixed(1),
        })),
      {
        label: t('digest.fact.barriers'),
        value:
          readiness.barriers.length === 0
            ? t('digest.none')
            : readiness.barriers.map((dimension) => t(`dimension.${dimension}`)).join(', '),
      },
      { label: t('digest.fact.enps'), value: withChange(t, readiness.enps, before?.enps) },
    ],
    chart: points.length > 1 ? 'line' : '',
    chartTitle: t('digest.chart.readiness'),
    chartText: points.map((point) => `${point.x} ${point.y}`).join(' · '),
    points,
    note:
      readiness.publishedAt === undefined
        ? ''
        : t('digest.readiness.published', { answers: readiness.answers }),
  });
}

function sayingSection(t: Translator, digest: Digest, view: DigestCardOptions): Section {
  const { themes } = digest.figures;
  if (themes === undefined) return section(t('digest.section.saying'), { lines: [t('digest.saying.few')] });
  const before = digest.previous?.themes?.top;
  const points = themes.top.map((entry) => ({ x: t(`tag.${entry.theme}`), y: entry.count }));
  const movement = themes.top.map((entry) => {
    const last = before?.find((one) => one.theme === entry.theme)?.count;
    return `${t(`tag.${entry.theme}`)}: ${withChange(t, entry.count, before === undefined ? undefined : (last ?? 0))}`;
  });
  return section(t('digest.section.saying'), {
    chart: 'bars',
    chartTitle: t('digest.chart.themes'),
    chartText: movement.join(' · '),
    points,
    lines: [
      ...(view.audience === 'channel'
        ? []
        : digest.quotes.map((quote) => t('digest.quote', { text: quote.text }))),
    ],
    note: t('digest.saying.sources', { total: themes.total, ...themes.sources }),
    actions: view.manages
      ? [
          actionFromThemeCard(t, {
            themes: themes.top.map((entry) => entry.theme),
            initiativeId: digest.initiative.id,
          }),
        ]
      : [],
  });
}

function resistanceSection(t: Translator, figures: DigestFigures): Section {
  const lines = figures.resistance.map((group) =>
    t('digest.resistance.group', {
      group: groupName(group.group),
      level: t(`digest.level.${group.level}`),
      drivers: group.drivers.map((driver) => driverText(t, driver)).join(', ') || t('digest.none'),
    }),
  );
  return section(t('digest.section.resistance'), {
    lines: lines.length === 0 ? [t('digest.resistance.none')] : lines,
    note: t('digest.resistance.note'),
  });
}

function actionsSection(t: Translator, figures: DigestFigures, previous: DigestFigures | undefined): Section {
  const now = figures.actions;
  const before = previous?.actions;
  if (now === undefined) return section(t('digest.section.actions'), {});
  return section(t('digest.section.actions'), {
    facts: [
      { label: t('digest.fact.actionsOpen'), value: withChange(t, now.open, before?.open) },
      { label: t('digest.fact.actionsOverdue'), value: withChange(t, now.overdue, before?.overdue) },
      { label: t('digest.fact.actionsDone'), value: withChange(t, now.doneThisWeek, before?.doneThisWeek) },
      {
        label: t('digest.fact.closureRate'),
        value: withChange(t, now.closureRate, before?.closureRate, asPercent(t)),
      },
      {
        label: t('digest.fact.medianDays'),
        value: withChange(t, now.medianDaysToClose, before?.medianDaysToClose),
      },
    ],
  });
}

/**
 * Each unit and shift with how many champions it has and who; a group with none is flagged, and only a
 * reader who manages (who has Invite champions) is told to invite one.
 */
function championsSection(t: Translator, digest: Digest, manages: boolean): Section {
  return section(t('digest.section.champions'), {
    facts: digest.champions.map(({ group, champions }) => ({
      label: group.value,
      value:
        champions.length === 0
          ? t(manages ? 'digest.champions.none' : 'digest.champions.noneToRead')
          : t('digest.champions.some', { count: champions.length, names: champions.join(', ') }),
    })),
    lines: digest.champions.length === 0 ? [t('digest.champions.noGroups')] : [],
  });
}

function safeguardingSection(
  t: Translator,
  figures: DigestFigures,
  previous: DigestFigures | undefined,
): Section {
  return section(t('digest.section.safeguarding'), {
    facts: [
      {
        label: t('digest.fact.raised'),
        value: withChange(t, figures.safeguarding.raised, previous?.safeguarding.raised),
      },
      {
        label: t('digest.fact.acknowledgedInTime'),
        value: [
          t('digest.safeguarding.inTime', {
            inTime: figures.safeguarding.acknowledgedInTime,
            raised: figures.safeguarding.raised,
          }),
          figures.safeguarding.waiting === 0
            ? undefined
            : t('digest.safeguarding.waiting', { count: figures.safeguarding.waiting }),
        ]
          .filter((part) => part !== undefined)
          .join(' · '),
      },
    ],
  });
}

function nextStepsSection(t: Translator, digest: Digest): Section {
  const lines = digest.nextSteps.map((step, index) =>
    t('digest.step.line', {
      number: index + 1,
      step: t(`digest.step.${step.id}`),
      because: becauseText(t, step.because),
    }),
  );
  return section(t('digest.section.next'), { lines: lines.length === 0 ? [t('digest.step.none')] : lines });
}

export function becauseText(t: Translator, because: Because): string {
  switch (because.kind) {
    case 'theme':
      return t('digest.because.theme', { theme: t(`tag.${because.theme}`), count: because.count });
    case 'barrier':
      return t('digest.because.barrier', { dimension: t(`dimension.${because.dimension}`) });
    case 'readinessFell':
      return t('digest.because.readinessFell', { drop: because.drop });
    case 'enps':
      return t('digest.because.enps', { enps: because.enps });
    case 'acknowledgement':
      return t('digest.because.acknowledgement', { rate: formatPercent(t, because.rate) });
    case 'responseRate':
      return t('digest.because.responseRate', { rate: formatPercent(t, because.rate) });
    case 'readinessHigh':
      return t('digest.because.readinessHigh', { index: because.index });
  }
}

function driverText(t: Translator, driver: Driver): string {
  switch (driver.kind) {
    case 'words':
      return t('digest.driver.words', { theme: t(`tag.${driver.theme}`) });
    case 'lowReadiness':
      return t('digest.driver.lowReadiness', { index: driver.index });
    case 'fallingReadiness':
      return t('digest.driver.fallingReadiness', { drop: driver.drop });
    case 'silence':
      return t('digest.driver.silence', { rate: formatPercent(t, Math.round(driver.responseRate * 100)) });
    case 'unacknowledged':
      return t('digest.driver.unacknowledged', {
        rate: formatPercent(t, Math.round(driver.acknowledgementRate * 100)),
      });
    case 'concerns':
      return t('digest.driver.concerns', { perPerson: driver.perPerson.toFixed(1) });
  }
}

/** `shiftPattern:Nights` -> "Nights": the value is what people call the group. */
const groupName = (label: string) => label.slice(label.indexOf(':') + 1);
