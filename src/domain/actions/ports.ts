import type { LoopAction } from './action.js';

/**
 * What the "You said, we did" use cases need from storage. `storage/` implements these against Azure
 * Tables; unit tests pass plain objects. Keys, ETags and OData never cross this line.
 */
export interface ActionStore {
  create(action: LoopAction): Promise<void>;
  get(tenantId: string, id: string): Promise<LoopAction | undefined>;
  list(tenantId: string): Promise<LoopAction[]>;
  /** Read-change-write with optimistic concurrency; `change` returns `undefined` to leave it alone. */
  modify(
    tenantId: string,
    id: string,
    change: (current: LoopAction) => LoopAction | undefined,
  ): Promise<LoopAction | undefined>;
}
