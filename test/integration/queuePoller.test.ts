import { QueueServiceClient } from '@azure/storage-queue';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { QueuePoller } from '../../src/storage/queuePoller.js';
import { openWorkQueue, WorkQueue } from '../../src/storage/workQueue.js';
import { uniquePrefix } from '../support/tablePrefix.js';

const schema = z.object({ n: z.number() });
const logged: { level: number; msg: string }[] = [];
const logger = pino({ level: 'info' }, { write: (line: string) => logged.push(JSON.parse(line)) });
const options = { pollMs: 40, visibilitySeconds: 30, maxTakes: 2, logger };

let service: QueueServiceClient;
let prefix: string;
let queue: WorkQueue<{ n: number }>;

beforeAll(async () => {
  const connectionString = inject('storageConnectionString');
  service = QueueServiceClient.fromConnectionString(connectionString);
  prefix = uniquePrefix().toLowerCase();
  queue = await openWorkQueue(
    { kind: 'connectionString', connectionString },
    prefix,
    'work',
    schema,
    'test work',
  );
});
afterAll(() => service.getQueueClient(`${prefix}-work`).delete());

describe('the queue poller every worker takes work with', () => {
  it('removes a message that is not valid work, and hands valid work on', async () => {
    await service.getQueueClient(`${prefix}-work`).sendMessage('{"n":"not a number"}');
    await queue.put({ n: 7 });
    const poller = new QueuePoller(queue, options);
    const taken = await poller.take(8);
    const items = await Promise.all(taken.map((one) => poller.workable(one)));
    expect(items.filter((item) => item !== undefined)).toEqual([{ n: 7 }]);
    expect(logged.some((line) => line.msg === 'dropping test work that cannot be done')).toBe(true);
    for (const one of taken) if (one.item !== undefined) await queue.done(one);
    expect(await queue.approximateLength()).toBe(0);
  });

  it('drops work that keeps coming back, once it has been taken more than the limit', async () => {
    await queue.put({ n: 8 });
    const poller = new QueuePoller(queue, options);
    for (let take = 1; take <= options.maxTakes; take++) {
      const [taken] = await poller.take(1);
      expect(taken && (await poller.workable(taken))).toEqual({ n: 8 });
      // Left unfinished, as by a worker that failed on it: visible again at once.
      if (taken) await queue.extend(taken, 0);
    }
    const [last] = await poller.take(1);
    expect(last?.dequeueCount).toBe(options.maxTakes + 1);
    expect(last && (await poller.workable(last))).toBeUndefined();
    expect(await queue.approximateLength()).toBe(0);
  });

  it('waits longer after each empty take, and a take storage refuses counts as empty', async () => {
    const missing = new WorkQueue(service.getQueueClient(`${prefix}-missing`), schema, 'missing work');
    const poller = new QueuePoller(missing, options);
    const waits: number[] = [];
    for (let take = 0; take < 3; take++) {
      const started = Date.now();
      expect(await poller.take(1)).toEqual([]);
      waits.push(Date.now() - started);
    }
    expect(waits[0]).toBeGreaterThanOrEqual(options.pollMs);
    expect(waits[2]).toBeGreaterThanOrEqual(3 * options.pollMs);
    expect(logged.filter((line) => line.msg === 'could not take missing work')).toHaveLength(3);
  });
});
