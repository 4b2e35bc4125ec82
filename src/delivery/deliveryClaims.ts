import type { Delivery } from '../domain/broadcasts/broadcast.js';
import type { DeliveryRepository } from '../storage/deliveryRepository.js';
import { ConcurrencyError } from '../storage/errors.js';

/**
 * A recipient's delivery row, claimed and settled with its ETag, so that two workers never act on the
 * same recipient at once.
 */
export class DeliveryClaims {
  constructor(private readonly deliveries: DeliveryRepository) {}

  /**
   * Claims the row for this send, or says another worker has (undefined). When storage applied the claim but
   * its answer was lost, the storage client sends it again and the repeat fails its own ETag check: the row
   * then holds exactly this claim, written by this process, and nothing has been sent yet. Reading it back
   * tells the two apart, so a lost answer does not turn into a person reported "sent, not confirmed" who in
   * fact got nothing.
   */
  async claim(claimed: Delivery, etag: string): Promise<string | undefined> {
    try {
      return await this.deliveries.replace(claimed, etag);
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
      const current = await this.deliveries.get(claimed.broadcastId, claimed.memberId);
      const ours =
        current?.delivery.status === 'sending' &&
        current.delivery.claimedBy === claimed.claimedBy &&
        current.delivery.claimedUntil === claimed.claimedUntil &&
        current.delivery.attempts === claimed.attempts;
      return ours ? current.etag : undefined;
    }
  }

  /**
   * Writes the row's new state. If someone else wrote since (another worker marked a claim that outlived
   * its time "unconfirmed"), this worker knows the real outcome, so it writes over theirs.
   */
  async settle(delivery: Delivery, etag: string, change: Partial<Delivery>): Promise<void> {
    const next: Delivery = { ...delivery, claimedBy: undefined, claimedUntil: undefined, ...change };
    try {
      await this.deliveries.replace(next, etag);
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
      await this.deliveries.modify(delivery.broadcastId, delivery.memberId, (current) =>
        current.status === 'sending' || current.status === 'unconfirmed'
          ? { ...current, ...next }
          : undefined,
      );
    }
  }
}
