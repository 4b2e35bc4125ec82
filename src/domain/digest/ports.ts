import type { ConversationReference } from '../people/member.js';
import type { StoredDigest } from './digest.js';
import type { DigestFigures } from './figures.js';
import type { DigestSchedule } from './schedule.js';

/**
 * What the digest use cases need from storage. `storage/` implements these against Azure Tables; unit tests
 * pass plain objects. Keys, ETags and OData never cross this line.
 */
export interface DigestSnapshotStore {
  /** Inserts or replaces the week's snapshot of one initiative. */
  put(tenantId: string, digest: StoredDigest): Promise<void>;
  get(tenantId: string, initiativeId: string, week: string): Promise<StoredDigest | undefined>;
  /** The initiative's snapshots of weeks before `beforeWeek`, at most `weeks` of them, oldest first. */
  before(tenantId: string, initiativeId: string, beforeWeek: string, weeks: number): Promise<DigestFigures[]>;
}

/** A team channel that gets the aggregate parts of the digest. */
export interface DigestChannel {
  tenantId: string;
  conversationId: string;
  conversation: ConversationReference;
  addedBy: string;
  addedAt: string;
}

export interface DigestSettingsStore {
  /** The service's digest day and time; `undefined` when it was never changed from the default. */
  schedule(tenantId: string): Promise<DigestSchedule | undefined>;
  setSchedule(tenantId: string, schedule: DigestSchedule): Promise<void>;
  channels(tenantId: string): Promise<DigestChannel[]>;
  addChannel(channel: DigestChannel): Promise<void>;
  /** False when the channel was not getting the digest. */
  removeChannel(tenantId: string, conversationId: string): Promise<boolean>;
}
