import { NOT_REACHED_REASONS, type ReachCount } from '../domain/people/reach.js';
import type { ReachReport } from '../domain/people/reachReport.js';
import { formatCount, type Translator } from '../i18n/strings.js';
import { reachAdvice, unreachedReasons } from './reachText.js';
import { type Card, expandTemplate } from './render.js';

const total = (count: ReachCount) =>
  count.reachable + NOT_REACHED_REASONS.reduce((sum, reason) => sum + count.unreachable[reason], 0);

/** "12 of 14" and, when someone cannot be reached, why. */
function countText(t: Translator, count: ReachCount): string {
  const of = t('reach.of', { reached: formatCount(t, count.reachable), total: formatCount(t, total(count)) });
  const reasons = unreachedReasons(t, count);
  return reasons === '' ? of : `${of} · ${reasons}`;
}

/** The `reach` command's answer: how many people Huddle can message, by site and unit, and why not. */
export function reachCard(t: Translator, report: ReachReport): Card {
  return expandTemplate('reach', {
    title: t('reach.title'),
    summary: t('reach.summary', { count: countText(t, report.overall) }),
    groups: report.groups.map((group) => ({
      name: [group.site, group.unit].filter((part) => part !== undefined).join(' · ') || t('reach.noGroup'),
      value: countText(t, group.count),
    })),
    advice: reachAdvice(t, report.overall),
  });
}
