import type { Installation } from './installation.js';
import type { Member } from './member.js';

/**
 * What the people use cases need from storage. `storage/` implements these against Azure Tables; unit tests
 * pass plain objects. Keys, ETags and OData never cross this line.
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
