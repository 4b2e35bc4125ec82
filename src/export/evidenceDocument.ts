import type { EvidencePack, RoundEntry } from '../domain/evidence/evidencePack.js';
import type { EvidenceSection } from '../domain/evidence/frameworks.js';
import type { GroupKey } from '../domain/pulses/anonymity.js';
import { localDayAndTime } from '../domain/shared/timeZone.js';
import type { Translator } from '../i18n/strings.js';

/**
 * The evidence pack as a document in no particular format: headings, paragraphs and tables in reading
 * order. The Word, Markdown and CSV files are each a plain rendering of this one document, so they can
 * never say different things.
 */
export type Cell = string | number;
export type Block =
  | { kind: 'heading'; level: 1 | 2; text: string }
  | { kind: 'paragraph'; text: string }
  /** `keys`: how many leading columns name a row (a round is its pulse and number); 1 unless said. */
  | { kind: 'table'; columns: string[]; rows: Cell[][]; keys?: number | undefined };

export interface EvidenceDocument {
  title: string;
  blocks: Block[];
}

/** The numbered sections, in order; the framework map refers to them by these headings. */
const SECTION_ORDER: readonly EvidenceSection[] = [
  'change',
  'timeline',
  'pulses',
  'themes',
  'actions',
  'champions',
  'safeguarding',
  'involvement',
];

export function evidenceDocument(t: Translator, pack: EvidencePack, timeZone: string): EvidenceDocument {
  const day = (iso: string | undefined) =>
    iso === undefined ? '' : localDayAndTime(new Date(iso), timeZone).day;
  const when = (iso: string) => {
    const { day: date, time } = localDayAndTime(new Date(iso), timeZone);
    return `${date} ${time}`;
  };
  const text: Text = { t, day, when, none: t('evidence.none') };
  const title = t('evidence.title', { title: pack.initiative.title });
  const blocks: Block[] = [
    { kind: 'heading', level: 1, text: title },
    paragraph(t('evidence.intro', { day: day(pack.generatedAt), threshold: pack.threshold })),
    ...(pack.empty ? [paragraph(t('evidence.empty'))] : []),
  ];
  for (const section of SECTION_ORDER) {
    blocks.push(heading(sectionTitle(t, section)), ...SECTIONS[section](text, pack));
  }
  blocks.push(...frameworkBlocks(t, pack), ...appendices(text, pack));
  // An empty table says so in words, in every format alike.
  const nothing = paragraph(t('evidence.nothingRecorded'));
  return {
    title,
    blocks: blocks.map((block) => (block.kind === 'table' && block.rows.length === 0 ? nothing : block)),
  };
}

interface Text {
  t: Translator;
  day: (iso: string | undefined) => string;
  when: (iso: string) => string;
  none: string;
}

const heading = (text: string): Block => ({ kind: 'heading', level: 2, text });
const paragraph = (text: string): Block => ({ kind: 'paragraph', text });
const table = (columns: string[], rows: Cell[][], keys?: number): Block => ({
  kind: 'table',
  columns,
  rows,
  keys,
});
/** Two columns of label and value: a card's facts. */
const facts = (t: Translator, rows: [string, Cell][]): Block =>
  table([t('evidence.column.figure'), t('evidence.column.value')], rows);
const orNone = (value: Cell | undefined, none: string): Cell => value ?? none;

export const sectionTitle = (t: Translator, section: EvidenceSection) =>
  t(`evidence.section.${section}`, { number: SECTION_ORDER.indexOf(section) + 1 });

export const groupName = (t: Translator, key: GroupKey) =>
  key.field === 'all' ? t('export.group.all') : `${t(`group.${key.field}`)} ${key.value}`;

const SECTIONS: Record<EvidenceSection, (text: Text, pack: EvidencePack) => Block[]> = {
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

const statusText = (t: Translator, status: string, overdue: boolean) =>
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

function frameworkBlocks(t: Translator, pack: EvidencePack): Block[] {
  const where = (sections: readonly EvidenceSection[]) =>
    sections.map((section) => sectionTitle(t, section)).join('; ');
  const cqc = pack.frameworks.filter((link) => link.framework === 'cqc');
  const nos = pack.frameworks.filter((link) => link.framework === 'nos');
  return [
    heading(t('evidence.frameworks')),
    paragraph(t('evidence.cqcNote')),
    table(
      [t('evidence.column.statement'), t('evidence.column.sections')],
      cqc.map((link) => [t(`evidence.cqc.${link.key}`), where(link.sections)]),
    ),
    paragraph(t('evidence.nosNote')),
    table(
      [t('evidence.column.criterion'), t('evidence.column.wording'), t('evidence.column.sections')],
      nos.map((link) => [link.criterion ?? '', t(`evidence.nos.${link.key}`), where(link.sections)]),
    ),
  ];
}

function appendices(text: Text, pack: EvidencePack): Block[] {
  const { t, day, when, none } = text;
  const appendix = (letter: string, key: string, blocks: Block[]) => [
    heading(t('evidence.appendix', { letter, title: t(`evidence.appendix.${key}`) })),
    ...blocks,
  ];
  const columns = (keys: string[]) => keys.map((key) => t(`evidence.column.${key}`));
  const parts: Block[][] = [
    appendix('A', 'communications', [
      table(
        columns([
          'sent',
          'headline',
          'stage',
          'recipients',
          'delivered',
          'acknowledged',
          'acknowledgementRate',
          'concerns',
        ]),
        pack.communications.map((entry) => [
          when(entry.sentAt),
          entry.headline,
          orNone(entry.stage, none),
          entry.recipients,
          entry.delivered,
          entry.acknowledged,
          orNone(entry.acknowledgementRate, none),
          entry.concerns,
        ]),
      ),
    ]),
    appendix('B', 'rounds', [
      paragraph(t('evidence.groupsNote', { threshold: pack.threshold })),
      table(
        columns(['pulse', 'round', 'group', 'answers', 'readiness', 'enps', 'asPublished']),
        pack.rounds.flatMap((round) =>
          [round.overall, ...round.groups].flatMap((figures) =>
            figures === undefined
              ? []
              : [
                  [
                    round.pulse,
                    round.round,
                    groupName(t, figures.group),
                    figures.answers,
                    orNone(figures.readinessIndex, none),
                    orNone(figures.enps, none),
                    figures.asPublished === undefined ? none : when(figures.asPublished.at),
                  ],
                ],
          ),
        ),
        3,
      ),
    ]),
    appendix('C', 'actions', [
      table(
        columns([
          'heard',
          'willDo',
          'owner',
          'due',
          'status',
          'doneOn',
          'published',
          'fromComment',
          'dropReason',
        ]),
        pack.actions.items.map((item) => [
          item.heard,
          item.willDo,
          item.owner,
          item.due,
          statusText(t, item.status, item.overdue),
          item.doneAt === undefined ? none : day(item.doneAt),
          item.published.map((as) => t(`evidence.published.${as}`)).join(', ') || none,
          t(item.fromStaffComment ? 'evidence.yes' : 'evidence.no'),
          item.dropReason ?? '',
        ]),
      ),
    ]),
    appendix('D', 'kpiReadings', [
      table(
        columns(['kpi', 'on', 'value', 'note']),
        pack.kpis.flatMap((kpi) =>
          kpi.readings.map((reading) => [kpi.name, reading.on, reading.value, reading.note ?? '']),
        ),
        2,
      ),
    ]),
  ];
  const safeguarding = pack.safeguarding;
  if (safeguarding !== undefined)
    parts.push(
      appendix('E', 'safeguarding', [
        table(
          columns(['raised', 'minutesToAcknowledge']),
          safeguarding.log.map((entry) => [when(entry.raisedAt), orNone(entry.minutesToAcknowledge, none)]),
        ),
      ]),
    );
  return parts.flat();
}
