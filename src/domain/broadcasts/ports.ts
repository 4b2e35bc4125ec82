import type { Broadcast, Delivery } from './broadcast.js';
import type { SavedList } from './savedList.js';

/**
 * What the broadcasts use cases need from storage. `storage/` implements these against Azure Tables; unit tests
 * pass plain objects. Keys, ETags and OData never cross this line.
 */
export interface BroadcastStore {
  create(broadcast: Broadcast): Promise<void>;
  get(tenantId: string, id: string): Promise<Broadcast | undefined>;
  list(tenantId: string): Promise<Broadcast[]>;
  /** The tenant's sends due to start in [from, to): a week's updates, without reading every week's. */
  dueBetween(tenantId: string, from: string, to: string): Promise<Broadcast[]>;
  /** Read-change-write with optimistic concurrency; `change` returns `undefined` to leave the row alone. */
  modify(
    tenantId: string,
    id: string,
    change: (current: Broadcast) => Broadcast | undefined,
  ): Promise<{ broadcast: Broadcast; changed: boolean } | undefined>;
  /** Inserts the send unless one with its id exists (a retry after a crash finds it there); true if it did. */
  createMissing(broadcast: Broadcast): Promise<boolean>;
}

export interface DeliveryStore {
  /** Each recipient's status, for counting. */
  outcomes(
    broadcastId: string,
  ): Promise<Pick<Delivery, 'memberId' | 'status' | 'notBefore' | 'acknowledgedAt' | 'groups'>[]>;
  /** Every recipient's row (conversation, groups and status). */
  list(broadcastId: string): Promise<Delivery[]>;
  /** Read-change-write with optimistic concurrency; `undefined` when there is no such row. */
  modify(
    broadcastId: string,
    memberId: string,
    change: (current: Delivery) => Delivery | undefined,
  ): Promise<Delivery | undefined>;
  /** Moves a row to the member id `change` gives it, in one step; false when there was no row. */
  rekey(broadcastId: string, memberId: string, change: (current: Delivery) => Delivery): Promise<boolean>;
}

export interface SavedListStore {
  /** Inserts or replaces the list. */
  put(list: SavedList): Promise<void>;
  list(tenantId: string): Promise<SavedList[]>;
  /** False when there was no such list. */
  delete(tenantId: string, id: string): Promise<boolean>;
}

/** Puts recipients of a broadcast (back) on the outbox queue. */
export interface Outbox {
  requeue(tenantId: string, broadcastId: string, memberIds: readonly string[]): Promise<void>;
}
