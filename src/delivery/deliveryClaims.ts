import type { Delivery } from '../domain/broadcasts/broadcast.js';
import type { Clock } from '../domain/shared/ports.js';
import type { DeliveryRepository } from '../storage/deliveryRepository.js';
import { ConcurrencyError } from '../storage/errors.js';

/** A row this worker holds, as written, with the ETag to write it by. */
export interface HeldDelivery {
  delivery: Delivery;
  etag: string;
}

/**
 * A recipient's delivery row, claimed and settled with its ETag, so that two workers never act on the
 * same recipient at once. A row is claimed twice on its way out: still `pending` before its personal chat
 * is opened (nothing sent yet, so a claim left by a crash is simply taken again once it runs out), then
 * `sending` just before the send (a claim left by a crash then means "sent, not confirmed").
 */
export class DeliveryClaims {
  private claimsMade = 0;

  constructor(
    private readonly deps: {
      deliveries: DeliveryRepository;
      clock: Clock;
      /** Names this process in claims. */
      senderId: string;
      /** How long a claim holds: longer than anything done under it, so a live worker is never taken for dead. */
      holdMs: number;
    },
  ) {}

  /**
   * Claims `row` (as the caller wants it stored) for this worker, or says another worker has it
   * (undefined). Each claim is named by this process and a number of its own, so two claims on one
   * person by the same process (their work item taken twice) are told apart. When storage applied the
   * claim but its answer was lost, the storage client sends it again and the repeat fails its own ETag
   * check: the row then holds exactly this claim, and nothing has been done under it yet. Reading it back
   * tells the two apart, so a lost answer does not turn into a person reported "sent, not confirmed" who
   * in fact got nothing.
   */
  async claim(row: Delivery, etag: string): Promise<HeldDelivery | undefined> {
    this.claimsMade++;
    const claimed: Delivery = {
      ...row,
      claimedBy: `${this.deps.senderId}#${this.claimsMade}`,
      claimedUntil: new Date(this.deps.clock.now().getTime() + this.deps.holdMs).toISOString(),
    };
    try {
      return { delivery: claimed, etag: await this.deps.deliveries.replace(claimed, etag) };
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
      const current = await this.deps.deliveries.get(claimed.broadcastId, claimed.memberId);
      const ours =
        current?.delivery.status === claimed.status &&
        current.delivery.claimedBy === claimed.claimedBy &&
        current.delivery.claimedUntil === claimed.claimedUntil &&
        current.delivery.attempts === claimed.attempts;
      return ours ? { delivery: claimed, etag: current.etag } : undefined;
    }
  }

  /**
   * Writes the row's new state and lets go of any claim on it. If someone else wrote since, a send's
   * outcome still wins (another worker marked a send claim that outlived its time "unconfirmed", but this
   * worker knows what happened); anything else yields, since whoever wrote holds the row now and decides.
   */
  async settle(delivery: Delivery, etag: string, change: Partial<Delivery>): Promise<void> {
    const next: Delivery = { ...delivery, claimedBy: undefined, claimedUntil: undefined, ...change };
    try {
      await this.deps.deliveries.replace(next, etag);
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
      if (delivery.status !== 'sending') return;
      await this.deps.deliveries.modify(delivery.broadcastId, delivery.memberId, (current) =>
        current.status === 'sending' || current.status === 'unconfirmed'
          ? { ...current, ...next }
          : undefined,
      );
    }
  }

  /** Lets go of a claim unused (the worker is stopping), so the next worker need not wait for it to run out. */
  async release({ delivery, etag }: HeldDelivery): Promise<void> {
    if (delivery.claimedBy !== undefined) await this.settle(delivery, etag, {});
  }
}
