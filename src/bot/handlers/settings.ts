import type { Application } from '@microsoft/teams-ai';
import { z } from 'zod';
import { digestScheduleCard } from '../../cards/digestCards.js';
import { settingsCard } from '../../cards/memberCards.js';
import { VERBS } from '../../cards/verbs.js';
import { DEFAULT_DIGEST_SCHEDULE } from '../../domain/digest/schedule.js';
import { isClockTime } from '../../domain/people/quietHours.js';
import { UserInputError } from '../../domain/shared/errors.js';
import { onAction } from '../actionRoute.js';
import { onCommand } from '../commandRoute.js';
import type { BotDeps } from '../deps.js';
import { sendCard } from '../turn.js';

const quietData = z.object({
  quietStart: z.string().max(20).optional().default(''),
  quietEnd: z.string().max(20).optional().default(''),
});

/** `settings`: a member's quiet hours, in their own time zone (night staff set their daytime sleep). */
export function register(app: Application, deps: BotDeps): void {
  onCommand(app, deps, 'settings', async (context, turn) => {
    if (turn.member === undefined) throw new UserInputError('settings.noRecord', {});
    await sendCard(context, settingsCard(turn.t, turn.member));
    // Managers also set when the service's weekly digest goes out.
    if (turn.roles.includes('manager')) {
      const schedule = (await deps.digestSettings.schedule(turn.member.tenantId)) ?? DEFAULT_DIGEST_SCHEDULE;
      await sendCard(context, digestScheduleCard(turn.t, { schedule, timeZone: deps.defaults.timeZone }));
    }
  });

  onAction(app, deps, VERBS.settingsSave, { data: quietData }, async (_context, turn, data) => {
    const member = turn.member;
    if (member === undefined) throw new UserInputError('settings.noRecord', {});
    // Some Teams clients send seconds ("21:00:00").
    const start = data.quietStart.slice(0, 5);
    const end = data.quietEnd.slice(0, 5);
    if (!isClockTime(start) || !isClockTime(end)) {
      return settingsCard(turn.t, { ...member, error: turn.t('settings.badTime') });
    }
    const saved = await deps.members.modify(member.tenantId, member.aadObjectId, (current) => ({
      ...(current ?? member),
      quietHours: { start, end },
      updatedAt: deps.clock.now().toISOString(),
    }));
    deps.logger.info({ activityId: turn.facts.id }, 'quiet hours changed');
    return settingsCard(turn.t, { ...saved, saved: true });
  });
}
