import type { Logger } from 'pino';
import { isOverdue } from '../domain/actions/action.js';
import type { ActionStore } from '../domain/actions/ports.js';
import { SENT_BY_HUDDLE } from '../domain/broadcasts/broadcast.js';
import type { BroadcastStore } from '../domain/broadcasts/ports.js';
import type { InitiativeStore } from '../domain/initiatives/ports.js';
import { localDayAndTime } from '../domain/shared/timeZone.js';

export interface ActionReminderDeps {
  initiatives: Pick<InitiativeStore, 'tenants'>;
  actions: Pick<ActionStore, 'list' | 'modify'>;
  broadcasts: Pick<BroadcastStore, 'createMissing'>;
  /** An action's due day is a day in the service's zone. */
  defaults: { timeZone: string };
  logger: Logger;
}

/** The reminder's send: derived, so a tick repeated after a crash, or on another instance, sends it once. */
export const overdueReminderId = (actionId: string) => `loop.${actionId}.overdue`;

/**
 * The overdue part of a scheduler tick: the owner of each action past its due day, still open or under
 * way, gets one reminder through the outbox (quiet hours are the outbox's). The action is marked once the
 * send exists, so later ticks skip it without asking storage for the send again.
 */
export async function remindOverdueActions(deps: ActionReminderDeps, now: Date): Promise<void> {
  const today = localDayAndTime(now, deps.defaults.timeZone).day;
  for (const tenantId of await deps.initiatives.tenants()) {
    const due = (await deps.actions.list(tenantId)).filter(
      (action) => action.remindedAt === undefined && isOverdue(action, today),
    );
    for (const action of due) {
      const stamp = now.toISOString();
      await deps.broadcasts.createMissing({
        tenantId,
        id: overdueReminderId(action.id),
        content: { headline: action.willDo, message: '' },
        overdueAction: { actionId: action.id },
        audience: { kind: 'members', memberIds: [action.owner.aadObjectId] },
        urgent: false,
        sendAt: stamp,
        status: 'scheduled',
        createdBy: SENT_BY_HUDDLE,
        recipients: 1,
        createdAt: stamp,
        updatedAt: stamp,
      });
      await deps.actions.modify(tenantId, action.id, (current) =>
        current.remindedAt === undefined ? { ...current, remindedAt: stamp } : undefined,
      );
      deps.logger.info({ actionId: action.id }, 'overdue action: owner reminded');
    }
  }
}
