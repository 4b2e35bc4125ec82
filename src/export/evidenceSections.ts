import type { EvidencePack, RoundEntry } from '../domain/evidence/evidencePack.js';
import type { EvidenceSection } from '../domain/evidence/frameworks.js';
import type { Translator } from '../i18n/strings.js';
import {
  type Block,
  type Cell,
  facts,
  groupName,
  orNone,
  paragraph,
  type Text,
  table,
} from './documentBlocks.js';

/** The numbered sections of the evidence pack, each from its part of the pack. */
export const SECTIONS: Record<EvidenceSection, (text: Text, pack: EvidencePack) => Block[]> = {
  change: changeSection,
  timeline: timelineSection,
  pulses: pulsesSection,
  themes: themesSection,
  actions: actionsSection,
  champions: championsSection,
  safeguarding: safeguardingSection,
  involvement: involvementSection,
};

function changeSection({ t, day, none }: Text, pack: EvidencePack): Block[] {
  const { stage } = pack;
  return [
    paragraph(t('evidence.why', { why: pack.initiative.why })),
    paragraph(t('evidence.vision', { vision: pack.initiative.vision })),
    facts(t, [
      [t('evidence.fact.model'), t(`initiative.model.${pack.initiative.model}`)],
      [t('evidence.fact.started'), day(pack.initiative.createdAt)],
      [
        t('digest.fact.stage'),
        stage.count === 0 ? t('digest.stage.none') : t('digest.stage', { ...stage, number: stage.index + 1 }),
      ],
      [t('digest.fact.daysIn'), orNone(stage.daysIn, none)],
      [t('evidence.fact.behindDays'), orNone(stage.behindDays, none)],
    ]),
    table(
      ['objective', 'kpi', 'unit', 'baseline', 'target', 'due', 'latest', 'latestOn'].map((key) =>
        t(`evidence.column.${key}`),
      ),
      pack.kpis.map((kpi) => [
        kpi.objective,
        kpi.name,
        kpi.unit,
        kpi.baseline,
        kpi.target,
        kpi.due,
        orNone(kpi.latest?.value, none),
        kpi.latest?.on ?? none,
      ]),
    ),
  ];
}

function timelineSection({ t, day, when, none }: Text, pack: EvidencePack): Block[] {
  return [
    table(
      ['stage', 'title', 'plannedStart', 'plannedEnd', 'state', 'announced'].map((key) =>
        t(`evidence.column.${key}`),
      ),
      pack.stages.map((stage) => [
        stage.number,
        stage.title,
        stage.plannedStart ?? none,
        stage.plannedEnd ?? none,
        t(`evidence.state.${stage.state}`),
        stage.announcedAt === undefined ? none : day(stage.announcedAt),
      ]),
    ),
    pack.communications.length === 0
      ? paragraph(t('evidence.noUpdates'))
      : table(
          ['sent', 'headline', 'delivered', 'acknowledged', 'acknowledgementRate'].map((key) =>
            t(`evidence.column.${key}`),
          ),
          pack.communications.map((entry) => [
            when(entry.sentAt),
            entry.headline,
            entry.delivered,
            entry.acknowledged,
            orNone(entry.acknowledgementRate, none),
          ]),
        ),
  ];
}

function pulsesSection(text: Text, pack: EvidencePack): Block[] {
  const { t, none } = text;
  const rounds =
    pack.rounds.length === 0
      ? [paragraph(t('evidence.noRounds'))]
      : [
          paragraph(t('evidence.roundsNote', { threshold: pack.threshold })),
          table(
            [
              'pulse',
              'round',
              'opened',
              'reached',
              'answers',
              'rate',
              'readiness',
              'readinessChange',
              'enps',
              'barriers',
            ].map((key) => t(`evidence.column.${key}`)),
            pack.rounds.map((round) => roundRow(text, round)),
            2,
          ),
        ];
  const weeks =
    pack.weeks.length === 0
      ? [paragraph(t('evidence.noWeeks'))]
      : [
          paragraph(t('evidence.weeksNote')),
          table(
            ['week', 'updatesSent', 'acknowledgementRate', 'concerns', 'pulseRate', 'readiness'].map((key) =>
              t(`evidence.column.${key}`),
            ),
            pack.weeks.map((week) => [
              week.week,
              week.updatesSent,
              orNone(week.acknowledgementRate, none),
              week.concerns,
              orNone(week.pulseResponseRate, none),
              orNone(week.readiness, none),
            ]),
          ),
        ];
  return [...rounds, ...weeks];
}

/** A round's row; below the threshold only how many were asked and answered, as on the `results` card. */
function roundRow({ t, day, none }: Text, round: RoundEntry): Cell[] {
  const withheld = t('export.figure.withheld');
  const overall = round.overall;
  const change = (value: number | undefined) =>
    value === undefined ? none : value > 0 ? `+${value}` : String(value);
  return [
    round.pulse,
    round.round,
    day(round.opensAt),
    round.recipients,
    round.answers,
    round.responseRate,
    overall === undefined ? withheld : orNone(overall.readinessIndex, none),
    overall === undefined ? withheld : change(round.trend?.readinessIndex),
    overall === undefined ? withheld : orNone(overall.enps, none),
    overall === undefined
      ? withheld
      : overall.barriers.map((barrier) => t(`dimension.${barrier}`)).join(', ') ||
        t('results.fact.noBarriers'),
  ];
}

function themesSection({ t, none }: Text, pack: EvidencePack): Block[] {
  const counted = pack.weeks.filter((week) => week.themes !== undefined);
  if (counted.length === 0) return [paragraph(t('evidence.noThemes'))];
  return [
    paragraph(t('evidence.themesNote')),
    table(
      ['week', 'commentsCounted', 'topThemes', 'byWriter', 'byManager', 'byClassifier'].map((key) =>
        t(`evidence.column.${key}`),
      ),
      counted.map((week) => {
        const themes = week.themes;
        return [
          week.week,
          themes?.total ?? 0,
          themes?.top.map(({ theme, count }) => `${t(`theme.${theme}`)} ${count}`).join(', ') || none,
          themes?.sources.writer ?? 0,
          themes?.sources.manager ?? 0,
          themes?.sources.classifier ?? 0,
        ];
      }),
    ),
  ];
}

function actionsSection({ t, none }: Text, pack: EvidencePack): Block[] {
  const { figures, dropped, items } = pack.actions;
  if (items.length === 0) return [paragraph(t('evidence.noActions'))];
  return [
    facts(t, [
      [t('digest.fact.actionsOpen'), figures.open],
      [t('digest.fact.actionsOverdue'), figures.overdue],
      [t('evidence.fact.actionsDone'), figures.doneThisWeek],
      [t('evidence.fact.actionsDropped'), dropped],
      [t('evidence.fact.closureRate'), orNone(figures.closureRate, none)],
      [t('digest.fact.medianDays'), orNone(figures.medianDaysToClose, none)],
    ]),
    table(
      ['heard', 'willDo', 'status'].map((key) => t(`evidence.column.${key}`)),
      items.map((item) => [item.heard, item.willDo, statusText(t, item.status, item.overdue)]),
    ),
  ];
}

export const statusText = (t: Translator, status: string, overdue: boolean) =>
  overdue
    ? `${t(`action.status.${status}`)} (${t('digest.fact.actionsOverdue')})`
    : t(`action.status.${status}`);

function championsSection({ t, none }: Text, pack: EvidencePack): Block[] {
  const { names, notMembers, groupsWithout } = pack.champions;
  return [
    facts(t, [
      [t('evidence.fact.champions'), names.length],
      [t('evidence.fact.championNames'), names.join(', ') || none],
      ...(notMembers > 0 ? [[t('evidence.fact.championsGone'), notMembers] as [string, Cell]] : []),
      [t('evidence.fact.groupsWithout'), groupsWithout.map((key) => groupName(t, key)).join(', ') || none],
    ]),
  ];
}

function safeguardingSection({ t, none }: Text, pack: EvidencePack): Block[] {
  const figures = pack.safeguarding;
  if (figures === undefined) return [paragraph(t('evidence.safeguardingHidden'))];
  return [
    paragraph(t('evidence.safeguardingNote')),
    facts(t, [
      [t('digest.fact.raised'), figures.raised],
      [t('evidence.fact.acknowledged'), figures.acknowledged],
      [
        t('digest.fact.acknowledgedInTime'),
        t('digest.safeguarding.inTime', { inTime: figures.acknowledgedInTime, raised: figures.raised }),
      ],
      [t('evidence.fact.medianMinutes'), orNone(figures.medianMinutesToAcknowledge, none)],
    ]),
  ];
}

function involvementSection({ t }: Text, pack: EvidencePack): Block[] {
  const involved = pack.involvement;
  return [
    paragraph(t('evidence.involvementNote')),
    facts(t, [
      [t('evidence.fact.people'), involved.people],
      [t('digest.fact.updatesSent'), involved.updatesSent],
      [t('evidence.fact.delivered'), involved.delivered],
      [t('evidence.fact.gotIt'), involved.acknowledged],
      [t('evidence.fact.pulseRounds'), involved.pulseRounds],
      [t('evidence.fact.pulseAnswers'), involved.pulseAnswers],
      [t('digest.fact.concerns'), involved.concerns],
      [t('evidence.fact.actionsFromComments'), involved.actionsFromComments],
      [t('evidence.fact.champions'), involved.champions],
    ]),
  ];
}
