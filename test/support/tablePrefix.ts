import { randomUUID } from 'node:crypto';

/**
 * A table prefix no other test file uses, so files share one Azurite without seeing each other's rows. On
 * its own, not in testHuddle.ts: a test that needs only a prefix should not import the whole server.
 */
export const uniquePrefix = () => `t${randomUUID().replaceAll('-', '').slice(0, 15)}`;
