import type { Broadcast, Delivery } from './broadcast.js';
import type { Comment } from './comment.js';
import type { Initiative } from './initiative.js';
import type { Installation } from './installation.js';
import type { Member } from './member.js';
import type { SavedList } from './savedList.js';

/**
 * What the use cases need from storage. `storage/` implements these against Azure Tables; unit tests pass
 * plain objects. Keys, ETags and OData never cross this line.
 */
export interface MemberStore {
  get(tenantId: string, aadObjectId: string): Promise<Member | undefined>;
  /**
   * Reads the member, applies `change` and writes the result, retrying from a fresh read if another writer
   * got there first. `change` must be pure: it may run more than once.
   */
  modify(
    tenantId: string,
    aadObjectId: string,
    change: (current: Member | undefined) => Member,
  ): Promise<Member>;
  /** Removes the member; false when there was nothing to remove. */
  delete(tenantId: string, aadObjectId: string): Promise<boolean>;
  list(tenantId: string): Promise<Member[]>;
  /** Inserts or replaces many members at once (demo data, imports). */
  putMany(members: readonly Member[]): Promise<void>;
}

export interface InstallationStore {
  put(installation: Installation): Promise<void>;
  get(tenantId: string, conversationId: string): Promise<Installation | undefined>;
  list(tenantId: string): Promise<Installation[]>;
}

export interface InitiativeStore {
  /** Inserts or replaces the initiative. */
  put(initiative: Initiative): Promise<void>;
  get(tenantId: string, id: string): Promise<Initiative | undefined>;
  list(tenantId: string): Promise<Initiative[]>;
}

export interface BroadcastStore {
  create(broadcast: Broadcast): Promise<void>;
  get(tenantId: string, id: string): Promise<Broadcast | undefined>;
  list(tenantId: string): Promise<Broadcast[]>;
  /** Read-change-write with optimistic concurrency; `change` returns `undefined` to leave the row alone. */
  modify(
    tenantId: string,
    id: string,
    change: (current: Broadcast) => Broadcast | undefined,
  ): Promise<{ broadcast: Broadcast; changed: boolean } | undefined>;
}

export interface DeliveryStore {
  /** Each recipient's status, for counting. */
  outcomes(
    broadcastId: string,
  ): Promise<Pick<Delivery, 'memberId' | 'status' | 'notBefore' | 'acknowledgedAt'>[]>;
  /** Read-change-write with optimistic concurrency; `undefined` when there is no such row. */
  modify(
    broadcastId: string,
    memberId: string,
    change: (current: Delivery) => Delivery | undefined,
  ): Promise<Delivery | undefined>;
}

export interface CommentStore {
  add(comment: Comment): Promise<void>;
  forBroadcast(
    tenantId: string,
    initiativeId: string | undefined,
    weeks: readonly string[],
    broadcastId: string,
  ): Promise<Comment[]>;
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

export interface Clock {
  now(): Date;
}
