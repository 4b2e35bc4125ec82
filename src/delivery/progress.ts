import { type Broadcast, type Figures, figuresOf } from '../domain/broadcasts/broadcast.js';
import type { DeliveryStore } from '../domain/broadcasts/ports.js';
import type { CommentStore } from '../domain/feedback/ports.js';
import { isoWeek } from '../domain/shared/isoWeek.js';

/** A broadcast's figures now: its delivery rows, plus the concerns raised about it since it was created. */
export async function currentFigures(
  stores: { deliveries: DeliveryStore; comments: CommentStore },
  broadcast: Broadcast,
  now: Date,
): Promise<Figures> {
  const deliveries = await stores.deliveries.outcomes(broadcast.id);
  const concerns = await stores.comments.forBroadcast(
    broadcast.tenantId,
    broadcast.initiativeId,
    weeksBetween(new Date(broadcast.createdAt), now),
    broadcast.id,
  );
  return figuresOf(deliveries, concerns.length, now);
}

/** The ISO weeks from `from` to `to`. */
function weeksBetween(from: Date, to: Date): string[] {
  const weeks = new Set<string>([isoWeek(to)]);
  for (let day = from.getTime(); day < to.getTime(); day += 86_400_000) weeks.add(isoWeek(new Date(day)));
  return [...weeks];
}
