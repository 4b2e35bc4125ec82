/**
 * What the shared use cases need from storage. `storage/` implements these against Azure Tables; unit tests
 * pass plain objects. Keys, ETags and OData never cross this line.
 */
export interface Clock {
  now(): Date;
}

/** Card presses that store something, each done once however often Teams or a thumb repeats it. */
export interface ActionClaimStore {
  /** True if this press is new, or its last claim is older than `windowMs`; false for a repeat. */
  claim(tenantId: string, key: string, now: Date, windowMs: number): Promise<boolean>;
  /** Gives a claim back when its press stored nothing, so sending it again is not taken for a repeat. */
  release(tenantId: string, key: string): Promise<void>;
}
