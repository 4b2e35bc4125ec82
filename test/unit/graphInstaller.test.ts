import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphInstaller } from '../../src/delivery/graphInstaller.js';
import { TenantRateLimiter } from '../../src/delivery/rateLimiter.js';
import { type GraphStandIn, startGraphStandIn } from '../support/graphStandIn.js';

const CATALOG_ID = 'catalog-huddle';
const users = ['aad-a', 'aad-b', 'aad-c', 'aad-d', 'aad-e', 'aad-f'];
let graph: GraphStandIn;

/** An installer as local mode makes it: no token, Graph's own pace. */
const installer = () =>
  new GraphInstaller({
    graphUrl: graph.url,
    catalogId: CATALOG_ID,
    credential: () => undefined,
    pace: new TenantRateLimiter(10),
    timeoutMs: 5_000,
  });

beforeAll(async () => {
  graph = await startGraphStandIn({ catalogId: CATALOG_ID, users });
});
afterAll(() => graph.close());

describe('installing Huddle through Microsoft Graph', () => {
  it('installs, finds the installation and its chat; installed already (409) and unknown (404) people too', async () => {
    const graphInstaller = installer();
    expect(await graphInstaller.install('t', 'aad-a')).toEqual({
      kind: 'installed',
      chatId: graph.chatIdOf('aad-a'),
    });
    expect(await graphInstaller.install('t', 'aad-a')).toEqual({
      kind: 'installed',
      chatId: graph.chatIdOf('aad-a'),
    });
    expect(graph.calls.filter((call) => call.userId === 'aad-a').map((call) => call.status)).toEqual([
      201, 200, 200, 409, 200, 200,
    ]);
    expect(await graphInstaller.install('t', 'aad-gone')).toEqual({
      kind: 'refused',
      reason: 'installNotFound',
      firstRefusal: false,
    });
    expect(graph.calls.some((call) => call.authorized)).toBe(false);
  });

  it("waits out Graph's Retry-After before any call, not only the throttled one's", async () => {
    const graphInstaller = installer();
    graph.throttle(1, 1);
    expect(await graphInstaller.install('t', 'aad-b')).toMatchObject({
      kind: 'failed',
      failure: { status: 429, retryAfterMs: 1_000 },
    });
    const throttled = graph.calls.at(-1);
    expect(await graphInstaller.install('t', 'aad-c')).toMatchObject({ kind: 'installed' });
    const next = graph.calls.find((call) => call.userId === 'aad-c');
    expect((next?.at ?? 0) - (throttled?.answeredAt ?? 0)).toBeGreaterThanOrEqual(990);
  });

  it('without consent, says so first once, then stops asking Graph until told the permission was granted', async () => {
    const graphInstaller = installer();
    graph.setConsent(false);
    const before = graph.calls.length;
    expect(await graphInstaller.install('t', 'aad-d')).toEqual({
      kind: 'refused',
      reason: 'noConsent',
      firstRefusal: true,
    });
    expect(await graphInstaller.install('t', 'aad-e')).toEqual({
      kind: 'refused',
      reason: 'noConsent',
      firstRefusal: false,
    });
    expect(graph.calls.length).toBe(before + 1);

    graph.setConsent(true);
    graphInstaller.forget('t');
    expect(await graphInstaller.install('t', 'aad-e')).toMatchObject({ kind: 'installed' });
  });

  it('once stopping, lets calls waiting for their turn go without calling Graph', async () => {
    const graphInstaller = installer();
    graphInstaller.close();
    const before = graph.calls.length;
    expect(await graphInstaller.install('t', 'aad-f')).toEqual({
      kind: 'failed',
      failure: { code: 'Stopping' },
    });
    expect(graph.calls.length).toBe(before);
  });
});
