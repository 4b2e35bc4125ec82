import type { AudienceOption } from '../domain/broadcasts/broadcastDraft.js';
import type { PulseChoices } from '../domain/pulses/pulsing.js';
import type { Translator } from '../i18n/strings.js';

/**
 * A choice of audience as the manager reads it; one that reaches nobody in personal chat says so in its
 * title, so it is understood before it is chosen rather than refused after.
 */
export function audienceTitle(t: Translator, option: AudienceOption): string {
  const title = t(option.label.key, option.label.values);
  return option.reachable === 0 ? t('broadcast.audience.reachesNobody', { choice: title }) : title;
}

/** Choices for an Adaptive Card choice set. */
export const audienceChoices = (t: Translator, options: readonly AudienceOption[]) =>
  options.map((option) => ({ title: audienceTitle(t, option), value: option.key }));

/**
 * Under the pulse form's audience: the initiatives that involve only some groups, and who they include,
 * since the initiative and the audience are chosen on the same card. '' when every initiative includes all.
 */
export function partialChangesNote(t: Translator, partial: PulseChoices['partial']): string {
  if (partial.length === 0) return '';
  return t('pulse.partialChanges', {
    changes: partial.map((change) => t('pulse.partialChange', change)).join('; '),
  });
}
