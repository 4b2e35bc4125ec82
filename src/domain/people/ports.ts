import type { Installation } from './installation.js';
import type { ConversationReference, Member, SeenPerson } from './member.js';

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
  /**
   * Inserts many new members in few writes; returns the ids of those it did not insert because they, or
   * others written together with them, were already stored (to be changed one by one with `modify`).
   */
  insertNew(members: readonly Member[]): Promise<Set<string>>;
}

export interface InstallationStore {
  put(installation: Installation): Promise<void>;
  get(tenantId: string, conversationId: string): Promise<Installation | undefined>;
  list(tenantId: string): Promise<Installation[]>;
  /**
   * Applies `change` to the stored installation, from a fresh read if it changed meanwhile; `undefined`
   * from `change` leaves it alone. `undefined` when there is no such installation.
   */
  modify(
    tenantId: string,
    conversationId: string,
    change: (current: Installation) => Installation | undefined,
  ): Promise<Installation | undefined>;
  /** Installations in every tenant with roster work left (see `Installation.roster`). */
  withRosterWork(): Promise<Installation[]>;
}

/** One page of a team's members as Teams lists them. */
export interface RosterPage {
  people: SeenPerson[];
  /** Where the next page starts; absent on the last. */
  continuationToken?: string | undefined;
}

/** Reads a team's roster from Teams, a page at a time; the Teams edge implements it. */
export interface TeamRosters {
  page(
    team: { tenantId: string; teamId: string; reference: ConversationReference },
    continuationToken: string | undefined,
  ): Promise<RosterPage>;
}

/**
 * What this process remembers of Microsoft Graph refusing to install Huddle for want of consent (it stops
 * asking for a minute after a refusal); forgotten when a manager says the permission has been granted.
 */
export interface InstallRefusals {
  forget(tenantId: string): void;
}
