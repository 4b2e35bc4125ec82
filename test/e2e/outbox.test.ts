import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { VERBS } from '../../src/cards/verbs.js';
import { createLogger } from '../../src/logger.js';
import { freePort } from '../../src/storage/azurite.js';
import { openStorage, type Storage } from '../../src/storage/openStorage.js';
import { executeAction, type Person, person, personalInstall, TENANT } from '../support/activities.js';
import { startProcess, waitFor } from '../support/processes.js';
import type { FaultRule } from '../support/recordingConnector.js';
import { type RemoteConnector, startRemoteConnector } from '../support/remoteConnector.js';
import { localBox } from '../support/sealing.js';
import { conversationIdOf, seedStaff } from '../support/staff.js';
import { uniquePrefix } from '../support/tablePrefix.js';
import { startTestHuddle } from '../support/testHuddle.js';

/**
 * The outbox against a Teams stand-in in its own process (so its clock is not paused by ours): exactly
 * once per recipient through throttling and failures, a kill -9 mid-broadcast, and two sender processes.
 */
const manager = person(2, 'Alex Wilber');
const draft = {
  headline: 'New medication round times',
  message: 'From Monday the lunchtime round starts at 12:30.',
  audience: 'all',
  when: 'now',
  urgent: 'false',
};

const cleanups: (() => Promise<unknown>)[] = [];
const cleanUp = async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
};
afterEach(cleanUp);
afterAll(cleanUp);

async function connector(options: Parameters<typeof startRemoteConnector>[0]) {
  const remote = await startRemoteConnector(options);
  cleanups.push(() => remote.close());
  return remote;
}

async function post(url: string, body: unknown): Promise<number> {
  const response = await fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await response.text();
  return response.status;
}

/** Asks Huddle at `url`, as the manager, to send `draft` to everyone now. */
async function broadcastToAll(url: string, teams: RemoteConnector) {
  const where = { serviceUrl: teams.serviceUrl };
  expect(await post(url, personalInstall(manager, where))).toBeLessThan(300);
  const confirm = {
    ...executeAction(manager, VERBS.broadcastConfirm, where, draft),
    replyToId: 'progress-card',
  };
  expect(await post(url, confirm)).toBe(200);
}

async function finished(storage: Storage, timeoutMs: number) {
  await waitFor(async () => (await storage.broadcasts.list(TENANT))[0]?.status === 'done', timeoutMs).catch(
    async (error: Error) => {
      const [broadcast] = await storage.broadcasts.list(TENANT);
      throw new Error(
        `${error.message}: broadcast ${broadcast?.status} ${JSON.stringify(broadcast?.figures)}`,
      );
    },
  );
  const [broadcast] = await storage.broadcasts.list(TENANT);
  return { broadcast, deliveries: await storage.deliveries.list(broadcast?.id ?? '') };
}

/** Everyone in `people` but `except` got exactly one message; returns who did not. */
async function notExactlyOnce(
  teams: RemoteConnector,
  people: readonly Person[],
  except: readonly Person[] = [],
) {
  const counts = await teams.messagesPerConversation();
  return people
    .filter((who) => !except.includes(who))
    .filter((who) => counts.get(conversationIdOf(who)) !== 1)
    .map((who) => `${who.name}: ${counts.get(conversationIdOf(who)) ?? 0}`);
}

async function sharedStorage(prefix: string) {
  const storage = await openStorage(
    { kind: 'connectionString', connectionString: inject('storageConnectionString') },
    prefix,
    createLogger('silent'),
    localBox(),
  );
  cleanups.push(() => storage.close());
  return storage;
}

describe('a broadcast to 1,000 people through a Teams that throttles and fails', () => {
  it('reaches every reachable person exactly once without ever breaking the tenant rate', {
    timeout: 90_000,
  }, async () => {
    // Staff are numbered from 1000; `staff[i]` is conversation number 1000 + i.
    // About one recipient in twelve meets a fault on the first try.
    const faults: FaultRule[] = [
      { ids: [1017, 1402], fault: { status: 404 } },
      { ids: [1733], fault: { status: 403 } },
      { every: 50, remainder: 1, attempts: 1, fault: { status: 429, retryAfterSeconds: 1 } },
      { every: 50, remainder: 3, attempts: 1, fault: { status: 429 } },
      { every: 50, remainder: 5, attempts: 1, fault: { status: 503 } },
      { every: 50, remainder: 7, attempts: 2, fault: { status: 502 } },
      { every: 100, remainder: 9, attempts: 1, fault: { delayMs: 1_500 } },
      { every: 100, remainder: 11, attempts: 1, fault: { status: 504 } },
    ];
    const teams = await connector({ tenantRate: 50, faults });
    const bot = await startTestHuddle({ HUDDLE_MANAGERS: manager.aadObjectId });
    cleanups.push(() => bot.stop());
    const staff = await seedStaff(bot.huddle.storage, teams.serviceUrl, 1000);

    await broadcastToAll(bot.url, teams);
    const { broadcast, deliveries } = await finished(bot.huddle.storage, 80_000);

    const unreachable = [17, 402, 733].map((i) => staff[i] as Person);
    expect(await notExactlyOnce(teams, staff, unreachable)).toEqual([]);
    const { calls, selfCaused429s } = await teams.calls();
    expect(selfCaused429s).toBe(0);
    expect(broadcast?.figures).toMatchObject({ recipients: 1001, sent: 998, gone: 3, failed: 0, pending: 0 });
    // 404: Teams no longer knows them; 403 to a message in their own chat: they blocked or removed Huddle.
    const reasons = await Promise.all(
      unreachable.map(
        async (who) => (await bot.huddle.storage.members.get(TENANT, who.aadObjectId))?.unreachableReason,
      ),
    );
    expect(reasons).toEqual(['left', 'left', 'blocked']);
    expect(deliveries.find((row) => row.memberId === staff[17]?.aadObjectId)?.reason).toBe(
      'HTTP 404 Injected',
    );

    // The SDK's own retries are off: a 429 with Retry-After 1 is one refused call, then one accepted a
    // second or more later, both through Huddle's limiter.
    const to = (who: Person | undefined) =>
      calls.filter((call) => call.conversationId === conversationIdOf(who as Person));
    const throttled = to(staff[1]);
    expect(throttled.map((call) => call.status)).toEqual([429, 201]);
    expect((throttled[1]?.at ?? 0) - (throttled[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
    // 502 twice, then delivered: within the retry bound.
    expect(to(staff[7]).map((call) => call.status)).toEqual([502, 502, 201]);
  });
});

describe('sender processes', () => {
  const childEnv = async (prefix: string) => ({
    AZURE_STORAGE_CONNECTION_STRING: inject('storageConnectionString'),
    HUDDLE_TABLE_PREFIX: prefix,
    HUDDLE_MANAGERS: manager.aadObjectId,
    HUDDLE_SEND_TIMEOUT_MS: '1000',
    HUDDLE_SCHEDULER_TICK_MS: '300',
    PORT: String(await freePort()),
    LOG_LEVEL: 'info',
  });

  async function startChild(env: Record<string, string>) {
    const run = startProcess(env);
    cleanups.push(async () => {
      if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
      await run.exited;
    });
    const url = `http://127.0.0.1:${env.PORT}`;
    await waitFor(async () => (await fetch(`${url}/healthz`).catch(() => undefined))?.ok === true, 20_000);
    return { ...run, url };
  }

  it('killed with -9 mid-broadcast and restarted: nobody twice, interrupted sends reported and resendable', {
    timeout: 90_000,
  }, async () => {
    const prefix = uniquePrefix();
    const teams = await connector({ tenantRate: 50 });
    const storage = await sharedStorage(prefix);
    const staff = await seedStaff(storage, teams.serviceUrl, 400);
    const env = await childEnv(prefix);

    const first = await startChild(env);
    // Killed at the worst moment: Teams has accepted the 150th message, Huddle has not heard back.
    await teams.killAt(first.child.pid ?? 0, 150);
    await broadcastToAll(first.url, teams);
    await first.exited;
    expect(first.child.signalCode).toBe('SIGKILL');
    expect((await teams.messagesPerConversation()).size).toBeLessThan(400);

    const second = await startChild({ ...env, PORT: String(await freePort()) });
    const { broadcast, deliveries } = await finished(storage, 60_000);

    const { selfCaused429s, killedDuring } = await teams.calls();
    expect(selfCaused429s).toBe(0);
    const counts = await teams.messagesPerConversation();
    // Nobody got the update twice (the manager's chat also holds the welcome card).
    expect(staff.map(conversationIdOf).filter((id) => (counts.get(id) ?? 0) > 1)).toEqual([]);
    // Sends under way when the process died are "unconfirmed": Huddle cannot know whether Teams got
    // them, and does not send them again. Everyone else got exactly one.
    const doubtful = deliveries
      .filter((row) => row.status === 'unconfirmed')
      .map((row) => `a:personal-${row.memberId}`);
    expect(doubtful).toContain(killedDuring);
    // A row is "sending" from its claim until its answer is recorded. Claims are spaced 20 ms apart by the
    // tenant limiter, so on a quiet machine about 3 are open at once; a loaded CI machine stretches the
    // claim-send-record round and has left 8. One second of sending at the tenant rate is far above both
    // and far below the 250 still queued, which a restart writing off unclaimed rows would report.
    expect(doubtful.length).toBeLessThanOrEqual(50);
    const missing = staff
      .map(conversationIdOf)
      .filter((id) => counts.get(id) !== 1 && !doubtful.includes(id));
    expect(missing).toEqual([]);
    expect(counts.get(killedDuring ?? '')).toBe(1);
    expect(broadcast?.figures).toMatchObject({
      recipients: 401,
      pending: 0,
      failed: 0,
      unconfirmed: doubtful.length,
    });

    // The manager prefers a possible duplicate to a missed update and sends those again.
    const resend = executeAction(
      manager,
      VERBS.broadcastResend,
      { serviceUrl: teams.serviceUrl },
      { broadcastId: broadcast?.id },
    );
    expect(await post(second.url, { ...resend, replyToId: 'progress-card' })).toBe(200);
    const reopened = async () => storage.broadcasts.get(TENANT, broadcast?.id ?? '');
    await waitFor(
      async () => (await reopened())?.status === 'done' && (await reopened())?.figures?.sent === 401,
      30_000,
    );
    const after = await teams.messagesPerConversation();
    expect(staff.map(conversationIdOf).filter((id) => (after.get(id) ?? 0) < 1)).toEqual([]);
  });

  it('two processes share one broadcast and the rate limit, with no duplicates', {
    timeout: 90_000,
  }, async () => {
    const prefix = uniquePrefix();
    const teams = await connector({ tenantRate: 50 });
    const storage = await sharedStorage(prefix);
    const staff = await seedStaff(storage, teams.serviceUrl, 500);
    const env = await childEnv(prefix);
    const one = await startChild(env);
    const two = await startChild({ ...env, PORT: String(await freePort()) });
    await waitFor(() => /"processes":2/.test(one.output()) && /"processes":2/.test(two.output()), 15_000);

    await broadcastToAll(one.url, teams);
    const { deliveries } = await finished(storage, 60_000);

    expect(await notExactlyOnce(teams, staff)).toEqual([]);
    expect((await teams.calls()).selfCaused429s).toBe(0);
    expect(new Set(deliveries.map((row) => row.sentBy)).size).toBe(2);
  });
});
