import { THEME_SOURCES } from '../domain/feedback/themes.js';
import type { PulseRoundResults } from '../domain/pulses/pulseReporting.js';
import type { GroupFigures } from '../domain/pulses/pulseResults.js';
import { localDayAndTime } from '../domain/shared/timeZone.js';
import type { Translator } from '../i18n/strings.js';
import { answerLabel } from './pulseCards.js';

/**
 * A pulse round's results as a spreadsheet (CSV) a manager can save and take to a meeting: the figures the
 * `results` card shows, one per row, for the groups the anonymity rules allow and no others. Long format
 * (pulse, round, group, figure, question, answer, value) so exports of several rounds can be pasted under
 * one another and pivoted. What the open answers are about is in it, counted as on the card (each by its
 * best source, only from the threshold up); their words are not, as they are not on the card. A group's
 * figures shown again as last published say when, and how many answers they rest on, as on the card.
 */

type Cell = string | number;
/** One row of the round: the pulse, round and times first, then what the figure is and its value. */
type RowOf = (group: string, figure: string, value: Cell, question?: string, answer?: string) => Cell[];

export function resultsRows(
  t: Translator,
  model: PulseRoundResults & { timeZone: string; threshold: number },
): Cell[][] {
  const { pulse, round, results } = model;
  const when = (iso: string) => sortableTime(iso, model.timeZone);
  const row: RowOf = (group, figure, value, question = '', answer = '') => [
    pulse.title,
    round.number,
    when(round.opensAt),
    when(round.closesAt),
    group,
    figure,
    question,
    answer,
    value,
  ];
  const everyone = t('export.group.all');
  const rows: Cell[][] = [
    row(everyone, t('export.figure.asked'), results.recipients),
    row(everyone, t('export.figure.answers'), results.answers),
    row(everyone, t('export.figure.rate'), results.responseRate),
  ];
  if (results.overall === undefined)
    rows.push(
      row(everyone, t('export.figure.withheld'), t('results.suppressed', { threshold: model.threshold })),
    );
  for (const figures of [results.overall, ...results.groups]) {
    if (figures === undefined) continue;
    rows.push(...groupRows(t, model, figures, row));
  }
  const themes = model.themes;
  if (themes !== undefined) {
    for (const { theme, count } of themes.counts)
      rows.push(row(everyone, t('export.figure.theme'), count, '', t(`tag.${theme}`)));
    for (const source of THEME_SOURCES)
      rows.push(row(everyone, t(`export.figure.themeSource.${source}`), themes.sources[source]));
  }
  const trend = results.trend;
  if (trend !== undefined) {
    rows.push(row(everyone, t('export.figure.trendRate'), trend.responseRate));
    if (trend.readinessIndex !== undefined)
      rows.push(row(everyone, t('export.figure.trendReadiness'), trend.readinessIndex));
    if (trend.enps !== undefined) rows.push(row(everyone, t('export.figure.trendEnps'), trend.enps));
    for (const { dimension, change } of trend.dimensions)
      rows.push(
        row(everyone, t('export.figure.trendDimension', { dimension: t(`dimension.${dimension}`) }), change),
      );
  }
  return [
    [
      t('export.column.pulse'),
      t('export.column.round'),
      t('export.column.opens'),
      t('export.column.closes'),
      t('export.column.group'),
      t('export.column.figure'),
      t('export.column.question'),
      t('export.column.answer'),
      t('export.column.value'),
    ],
    ...rows,
  ];
}

function groupRows(
  t: Translator,
  model: PulseRoundResults & { timeZone: string },
  figures: GroupFigures,
  row: RowOf,
): Cell[][] {
  const { group } = figures;
  const name = group.field === 'all' ? t('export.group.all') : `${t(`group.${group.field}`)} ${group.value}`;
  const rows: Cell[][] = [];
  const published = figures.asPublished;
  // Everyone's answer count and rate as they stand are the round's own, already in the first rows.
  if (published !== undefined) {
    rows.push(row(name, t('export.figure.asPublished'), sortableTime(published.at, model.timeZone)));
    rows.push(row(name, t('export.figure.answersWhenPublished'), figures.answers));
  } else if (group.field !== 'all') rows.push(row(name, t('export.figure.answers'), figures.answers));
  if (group.field !== 'all' && figures.responseRate !== undefined)
    rows.push(row(name, t('export.figure.rate'), figures.responseRate));
  if (figures.readinessIndex !== undefined)
    rows.push(row(name, t('results.fact.readiness'), figures.readinessIndex));
  for (const barrier of figures.barriers)
    rows.push(row(name, t('export.figure.barrier'), t(`dimension.${barrier}`)));
  if (figures.enps !== undefined) rows.push(row(name, t('results.fact.enps'), figures.enps));
  for (const { dimension, score } of figures.dimensions)
    rows.push(row(name, t('results.fact.dimension', { dimension: t(`dimension.${dimension}`) }), score));
  for (const item of figures.items) {
    const asked = model.pulse.items.find((one) => one.id === item.id);
    if (item.mean !== undefined) rows.push(row(name, t('export.figure.mean'), item.mean, item.text));
    for (const point of item.distribution) {
      const answer = asked === undefined ? String(point.value) : answerLabel(t, asked, point.value);
      rows.push(row(name, t('export.figure.count'), point.count, item.text, answer));
    }
  }
  return rows;
}

/** `2026-11-27 17:00` on the reader's clock: sorts as text and every spreadsheet reads it as a date. */
function sortableTime(iso: string, timeZone: string): string {
  const { day, time } = localDayAndTime(new Date(iso), timeZone);
  return `${day} ${time}`;
}

/**
 * RFC 4180 text with a byte-order mark, so Excel opens it as UTF-8 (names like Zoë survive). A text cell
 * that a spreadsheet would run as a formula (a question a manager wrote starting with "=", "+", "-" or "@")
 * gets a leading apostrophe, so opening the file can never run anything; numbers are written as numbers.
 */
export function toCsv(rows: readonly (readonly Cell[])[]): string {
  const cell = (value: Cell) => {
    if (typeof value === 'number') return String(value);
    const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
    return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
  };
  return `\uFEFF${rows.map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
}

/** `oak-view-readiness-round-2.csv`: the pulse title in plain letters, so any file system accepts it. */
export function resultsFileName(model: PulseRoundResults): string {
  const slug = model.pulse.title
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .toLowerCase()
    .slice(0, 60)
    .replace(/^-+|-+$/g, '');
  return `${slug === '' ? 'pulse' : slug}-round-${model.round.number}.csv`;
}
