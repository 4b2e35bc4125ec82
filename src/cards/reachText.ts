import { NOT_REACHED_REASONS, type ReachCount } from '../domain/people/reach.js';
import { formatCount, type Translator } from '../i18n/strings.js';

/**
 * "Will reach 12; 3 cannot be reached yet (...)" and what the manager can do about each reason, or ''
 * when everyone can be reached as things are. Shown wherever a manager is about to send, so nobody
 * mistakes the people Huddle can message for everyone they chose, or for people it already has a chat with.
 */
export function reachNote(t: Translator, count: ReachCount): string {
  const unreached = NOT_REACHED_REASONS.reduce((sum, reason) => sum + count.unreachable[reason], 0);
  if (unreached === 0) {
    return count.installing === 0 ? '' : t('reach.lineAll', { reached: reachedText(t, count) });
  }
  return `${t('reach.line', {
    reached: reachedText(t, count),
    unreached: formatCount(t, unreached),
    reasons: unreachedReasons(t, count),
  })} ${reachAdvice(t, count)}`;
}

/** "12", or "12 (including 3 people once Huddle has installed itself for them)". */
export function reachedText(t: Translator, count: ReachCount): string {
  const reached = formatCount(t, count.reachable);
  return count.installing === 0
    ? reached
    : `${reached} (${t('reach.installing', { count: count.installing })})`;
}

/** "not in a team with Huddle: 2; left the organisation: 1", reasons with nobody left out. */
export function unreachedReasons(t: Translator, count: ReachCount): string {
  return NOT_REACHED_REASONS.filter((reason) => count.unreachable[reason] > 0)
    .map((reason) => t(`reach.reason.${reason}`, { count: formatCount(t, count.unreachable[reason]) }))
    .join('; ');
}

/** What the manager can do, for each reason that applies. */
export function reachAdvice(t: Translator, count: ReachCount): string {
  return NOT_REACHED_REASONS.filter((reason) => count.unreachable[reason] > 0)
    .map((reason) => t(`reach.advice.${reason}`))
    .join(' ');
}
