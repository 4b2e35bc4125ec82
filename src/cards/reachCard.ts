import { INSTALL_REFUSALS } from '../domain/people/member.js';
import { NOT_REACHED_REASONS, type ReachCount } from '../domain/people/reach.js';
import type { ReachReport } from '../domain/people/reachReport.js';
import { formatCount, type Translator } from '../i18n/strings.js';
import { reachAdvice, reachedText, unreachedReasons } from './reachText.js';
import { type Card, expandTemplate } from './render.js';
import { VERBS } from './verbs.js';

const total = (count: ReachCount) =>
  count.reachable + NOT_REACHED_REASONS.reduce((sum, reason) => sum + count.unreachable[reason], 0);

/** "12 of 14" and, when someone cannot be reached, why. */
function countText(t: Translator, count: ReachCount): string {
  const of = t('reach.of', { reached: reachedText(t, count), total: formatCount(t, total(count)) });
  const reasons = unreachedReasons(t, count);
  return reasons === '' ? of : `${of} · ${reasons}`;
}

/**
 * The `reach` command's answer: how many people Huddle can message, by site and unit, and why not; and
 * whether Huddle installs itself for the people Teams gives it no other way to.
 */
export function reachCard(t: Translator, report: ReachReport, proactiveInstall: boolean): Card {
  return expandTemplate('reach', {
    installStatus: t(proactiveInstall ? 'reach.install.on' : 'reach.install.off'),
    title: t('reach.title'),
    summary: t('reach.summary', { count: countText(t, report.overall) }),
    groups: report.groups.map((group) => ({
      name: [group.site, group.unit].filter((part) => part !== undefined).join(' · ') || t('reach.noGroup'),
      value: countText(t, group.count),
    })),
    advice: reachAdvice(t, report.overall),
    // Offered where Graph refused someone: an admin may have granted the permission since.
    canInstallAgain:
      proactiveInstall && INSTALL_REFUSALS.some((reason) => report.overall.unreachable[reason] > 0),
    installAgainHint: t('reach.installAgainHint'),
    installAgain: t('reach.installAgain'),
    installAgainVerb: VERBS.reachInstallAgain,
  });
}
