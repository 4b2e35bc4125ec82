/**
 * What became of one recipient of a work item. `later`: put back on the queue, due then. `abandoned`: the
 * worker is stopping; the recipient is untouched and the item reappears for another.
 */
export type Outcome = { kind: 'done' } | { kind: 'later'; at: Date } | { kind: 'abandoned' };
export const DONE: Outcome = { kind: 'done' };
