import type { Initiative } from './initiative.js';

/**
 * What the initiatives use cases need from storage. `storage/` implements these against Azure Tables; unit tests
 * pass plain objects. Keys, ETags and OData never cross this line.
 */
export interface InitiativeStore {
  /** Inserts or replaces the initiative. */
  put(initiative: Initiative): Promise<void>;
  get(tenantId: string, id: string): Promise<Initiative | undefined>;
  list(tenantId: string): Promise<Initiative[]>;
  /** Every tenant with at least one initiative: whose weekly digest the scheduler looks after. */
  tenants(): Promise<string[]>;
  /** Read-change-write with optimistic concurrency; `change` returns `undefined` to leave it alone. */
  modify(
    tenantId: string,
    id: string,
    change: (current: Initiative) => Initiative | undefined,
  ): Promise<Initiative | undefined>;
}
