import type { ThemeSummary } from '../domain/feedback/themes.js';
import type { Pulse, PulseRound } from '../domain/pulses/pulse.js';
import type { GroupFigures, RoundResults, Trend } from '../domain/pulses/pulseResults.js';
import { formatPercent, type Translator } from '../i18n/strings.js';
import { actionFromThemeCard } from './actionCards.js';
import { answerLabel } from './pulseCards.js';
import { type Card, expandTemplate } from './render.js';
import { formatWhen } from './updateCards.js';
import { VERBS } from './verbs.js';

/**
 * The `results` card: figures of open and recent pulse rounds, as the anonymity rules let them be shown. A
 * figure shown again as last published (too few answers changed since) says when, and how many it rests on.
 */

const signed = (value: number) => (value > 0 ? `+${value}` : String(value));

/** "+4" or "-10"; a score that did not move says so, since "readiness 0" reads as a readiness of nothing. */
const moved = (t: Translator, value: number) => (value === 0 ? t('results.trend.unchanged') : signed(value));

/** "readiness +4, eNPS -10, answered -3 points", naming only the figures this pulse has (no "eNPS -"). */
function trendText(t: Translator, trend: Trend): string {
  return [
    trend.readinessIndex === undefined
      ? undefined
      : t('results.trend.readiness', { change: moved(t, trend.readinessIndex) }),
    trend.enps === undefined ? undefined : t('results.trend.enps', { change: moved(t, trend.enps) }),
    t('results.trend', { rate: signed(trend.responseRate), points: trend.responseRate }),
  ]
    .filter((part) => part !== undefined)
    .join(', ');
}

/** What the open answers are about, most first, and who chose the themes: staff, a manager or Huddle. */
function themesLine(t: Translator, themes: ThemeSummary): string {
  const list = themes.counts.map(({ theme, count }) => `${t(`tag.${theme}`)} ${count}`).join(' · ');
  return t('results.themes', { list, ...themes.sources, total: themes.total });
}

/** Results of open and recent rounds, only for groups the anonymity rules allow. */
export function pulseResultsCard(
  t: Translator,
  model: {
    rounds: readonly {
      pulse: Pulse;
      round: PulseRound;
      results: RoundResults;
      themes?: ThemeSummary | undefined;
    }[];
    threshold: number;
    timeZone: string;
    /** A manager may record an action from a round's themes and stop a pulse (a leader reads the results only). */
    canAct: boolean;
  },
): Card {
  return expandTemplate('pulse-results', {
    title: t('results.title'),
    empty: t('results.empty'),
    rounds: model.rounds.map(({ pulse, round, results, themes }) => {
      const overall = results.overall;
      const at = (iso: string) => formatWhen(iso, t.locale, model.timeZone);
      const facts = [
        {
          label: t('results.fact.answered'),
          value: t('results.answered', {
            answers: results.answers,
            recipients: results.recipients,
            // Nobody reached yet (a round just opened): no rate, not "0%".
            rate: formatPercent(t, results.recipients === 0 ? undefined : results.responseRate),
          }),
        },
        ...(overall?.asPublished === undefined
          ? []
          : [
              {
                label: t('results.fact.figures'),
                value: t('results.asPublished', {
                  when: at(overall.asPublished.at),
                  answers: overall.answers,
                  threshold: model.threshold,
                }),
              },
            ]),
        ...(overall === undefined ? [] : overallFacts(t, overall)),
        ...(results.trend === undefined
          ? []
          : [
              {
                label: t('results.fact.trend'),
                value: trendText(t, results.trend),
              },
            ]),
      ];
      return {
        heading: t('results.heading', { title: pulse.title, round: round.number }),
        status:
          round.status === 'open'
            ? t('results.status.open', { when: at(round.closesAt) })
            : t('results.status.closed', { when: at(round.closesAt) }),
        facts,
        themes: themes === undefined ? '' : themesLine(t, themes),
        themeActions:
          themes === undefined || themes.counts.length === 0 || !model.canAct
            ? []
            : [
                actionFromThemeCard(t, {
                  themes: themes.counts.map((entry) => entry.theme),
                  initiativeId: pulse.initiativeId ?? '',
                }),
              ],
        note:
          overall === undefined
            ? t('results.suppressed', { threshold: model.threshold })
            : `${t('results.groupsNote', { threshold: model.threshold })} ${pulse.items.some((item) => item.kind === 'text') ? t('results.openNote') : ''}`.trim(),
        items: (overall?.items ?? []).map((item) => {
          const asked = pulse.items.find((one) => one.id === item.id);
          const distribution = item.distribution
            .map(
              (point) =>
                `${asked === undefined ? point.value : answerLabel(t, asked, point.value)}: ${point.count}`,
            )
            .join(' · ');
          return {
            question: item.text,
            figures:
              item.mean === undefined
                ? t('results.itemCounts', { distribution })
                : t('results.itemFigures', { mean: item.mean, distribution }),
          };
        }),
        groupsHeading: t('results.groupsHeading'),
        groups: results.groups.map((group) => groupLine(t, group, at)),
        canStop: model.canAct && pulse.status === 'active',
        stop: t('pulse.stop'),
        stopVerb: VERBS.pulseStop,
        pulseId: pulse.id,
        roundNumber: round.number,
        exportTitle: t('results.export'),
        exportVerb: VERBS.resultsExport,
      };
    }),
  });
}

function overallFacts(t: Translator, overall: GroupFigures) {
  const first = overall.barriers[0];
  return [
    ...(overall.readinessIndex === undefined
      ? []
      : [
          { label: t('results.fact.readiness'), value: String(overall.readinessIndex) },
          {
            label: t('results.fact.barriers'),
            value:
              overall.barriers.length === 0
                ? t('results.fact.noBarriers')
                : overall.barriers.map((dimension) => t(`dimension.${dimension}`)).join(', '),
          },
          ...(first === undefined
            ? []
            : [{ label: t('results.fact.firstBarrier'), value: t(`dimension.${first}`) }]),
        ]),
    ...(overall.enps === undefined ? [] : [{ label: t('results.fact.enps'), value: signed(overall.enps) }]),
    ...overall.dimensions.map((entry) => ({
      label: t('results.fact.dimension', { dimension: t(`dimension.${entry.dimension}`) }),
      value: String(entry.score),
    })),
  ];
}

function groupLine(t: Translator, group: GroupFigures, at: (iso: string) => string): string {
  if (group.group.field === 'all') return '';
  return t('results.group', {
    field: t(`group.${group.group.field}`),
    value: group.group.value,
    answers: group.answers,
    rate:
      group.responseRate === undefined
        ? ''
        : t('results.groupRate', { rate: formatPercent(t, group.responseRate) }),
    readiness:
      group.readinessIndex === undefined ? '' : t('results.groupReadiness', { value: group.readinessIndex }),
    enps: group.enps === undefined ? '' : t('results.groupEnps', { value: signed(group.enps) }),
    published:
      group.asPublished === undefined
        ? ''
        : t('results.groupAsPublished', { when: at(group.asPublished.at) }),
  });
}
