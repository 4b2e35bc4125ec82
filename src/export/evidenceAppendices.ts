import type { EvidencePack } from '../domain/evidence/evidencePack.js';
import { type Block, groupName, heading, orNone, paragraph, type Text, table } from './documentBlocks.js';
import { statusText } from './evidenceSections.js';

/** The lettered appendices: the logs behind the sections' figures, one table each. */
export function appendices(text: Text, pack: EvidencePack): Block[] {
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
          'answersTheme',
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
          item.answersTheme === undefined ? none : t(`tag.${item.answersTheme}`),
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
