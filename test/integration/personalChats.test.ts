import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { personalChatOf } from '../../src/delivery/personalChats.js';
import type { InstallResult, OpenResult } from '../../src/delivery/ports.js';
import type { Member } from '../../src/domain/people/member.js';
import { openStorage, type Storage } from '../../src/storage/openStorage.js';
import { TENANT } from '../support/activities.js';
import { localBox } from '../support/sealing.js';
import { uniquePrefix } from '../support/tablePrefix.js';

let storage: Storage;
const clock = { now: () => new Date() };
/** The sender asking holds the person's delivery row. */
const claim = async () => true;
const teamId = '19:oakview@thread.tacv2';
const teamReference = { serviceUrl: 'http://127.0.0.1:1/', conversation: { id: teamId } };

const inTeam = (n: number, overrides: Partial<Member> = {}): Member => ({
  tenantId: TENANT,
  aadObjectId: `aad-open-${n}`,
  teamsUserId: `29:open-${n}`,
  name: `Carer ${n}`,
  locale: 'en-GB',
  timeZone: 'UTC',
  roles: [],
  groups: {},
  quietHours: { start: '00:00', end: '00:00' },
  personalInstalled: false,
  teamIds: [teamId],
  createdAt: '2026-12-01T09:00:00.000Z',
  updatedAt: '2026-12-01T09:00:00.000Z',
  ...overrides,
});

/** A chat known by id, on the service of another conversation of the tenant, as the Teams edge builds it. */
const chatReference = (through: Record<string, unknown>, chatId: string) => ({
  ...through,
  conversation: { id: chatId, conversationType: 'personal' },
});

/** Teams as two instances see it: each opening answered after a pause, with a chat id of its own. */
function teams(answer: (call: number) => OpenResult) {
  let calls = 0;
  return {
    calls: () => calls,
    open: async (): Promise<OpenResult> => {
      const call = ++calls;
      await new Promise((wait) => setTimeout(wait, 30));
      return answer(call);
    },
  };
}

beforeAll(async () => {
  storage = await openStorage(
    { kind: 'connectionString', connectionString: inject('storageConnectionString') },
    uniquePrefix(),
    pino({ level: 'silent' }),
    localBox(),
  );
  await storage.installations.put({
    tenantId: TENANT,
    conversationId: teamId,
    scope: 'team',
    conversationReference: teamReference,
    active: true,
    installedAt: '2026-12-01T09:00:00.000Z',
  });
});
afterAll(() => storage.close());

describe('opening a personal chat through a team', () => {
  it('two instances opening the same person at once (one claim ran out) store one conversation and both send to it', async () => {
    await storage.members.putMany([inTeam(1)]);
    const fake = teams((call) => ({
      kind: 'opened',
      conversation: { conversation: { id: `a:chat-${call}` } },
    }));
    const deps = { ...storage, clock, claim, chatReference, open: fake.open };
    const [first, second] = await Promise.all([
      personalChatOf(deps, TENANT, 'aad-open-1'),
      personalChatOf(deps, TENANT, 'aad-open-1'),
    ]);
    expect(fake.calls()).toBe(2);
    expect(first).toEqual(second);
    const stored = (await storage.members.get(TENANT, 'aad-open-1'))?.personalConversation;
    expect(first).toEqual({ kind: 'open', conversation: stored });

    // Later sends reuse it without asking Teams again.
    expect(await personalChatOf(deps, TENANT, 'aad-open-1')).toEqual(first);
    expect(fake.calls()).toBe(2);
  });

  it('a 403 marks the person unreachable because Huddle shares no team with them; a 429 is left to retry', async () => {
    await storage.members.putMany([inTeam(2), inTeam(3)]);
    const refused = teams(() => ({
      kind: 'failed',
      failure: { status: 403, code: 'BotNotInConversationRoster' },
    }));
    expect(
      await personalChatOf(
        { ...storage, clock, claim, chatReference, open: refused.open },
        TENANT,
        'aad-open-2',
      ),
    ).toEqual({
      kind: 'unreachable',
      reason: 'notInTeam',
    });
    expect(await storage.members.get(TENANT, 'aad-open-2')).toMatchObject({ unreachableReason: 'notInTeam' });

    const throttled = teams(() => ({ kind: 'failed', failure: { status: 429, retryAfterMs: 1_000 } }));
    const outcome = await personalChatOf(
      { ...storage, clock, claim, chatReference, open: throttled.open },
      TENANT,
      'aad-open-3',
    );
    expect(outcome).toEqual({ kind: 'failed', failure: { status: 429, retryAfterMs: 1_000 }, by: 'teams' });
    const member = await storage.members.get(TENANT, 'aad-open-3');
    expect(member?.unreachableAt).toBeUndefined();
    expect(member?.personalConversation).toBeUndefined();
  });

  it('a person another sender has claimed is left to it: Teams is not asked, nothing is stored', async () => {
    await storage.members.putMany([inTeam(5)]);
    const fake = teams(() => ({ kind: 'opened', conversation: { conversation: { id: 'a:chat-5' } } }));
    const claimedElsewhere = async () => false;
    expect(
      await personalChatOf(
        { ...storage, clock, claim: claimedElsewhere, chatReference, open: fake.open },
        TENANT,
        'aad-open-5',
      ),
    ).toEqual({ kind: 'taken' });
    expect(fake.calls()).toBe(0);
    expect((await storage.members.get(TENANT, 'aad-open-5'))?.personalConversation).toBeUndefined();
  });

  it('someone whose only team removed Huddle is not asked for: no team to open the chat through', async () => {
    await storage.members.putMany([inTeam(4, { teamIds: ['19:gone@thread.tacv2'] })]);
    const fake = teams(() => ({ kind: 'opened', conversation: {} }));
    expect(
      await personalChatOf(
        { ...storage, clock, claim, chatReference, open: fake.open },
        TENANT,
        'aad-open-4',
      ),
    ).toEqual({
      kind: 'unreachable',
      reason: 'notInTeam',
    });
    expect(fake.calls()).toBe(0);
  });
});

describe('installing Huddle for someone in no team with it (proactive installation)', () => {
  const policy = { guests: false, proactiveInstall: true };
  const manager = { serviceUrl: 'http://127.0.0.1:2/', conversation: { id: 'a:manager' } };
  const noTeam = (n: number, overrides: Partial<Member> = {}) =>
    inTeam(n, { teamIds: undefined, teamsUserId: undefined, ...overrides });
  /** Graph as two instances see it: each install answered after a pause, the person's one chat. */
  function graph(answer: (aadObjectId: string) => InstallResult) {
    const asked: string[] = [];
    return {
      asked,
      installer: {
        close() {},
        forget() {},
        install: async (_tenantId: string, aadObjectId: string): Promise<InstallResult> => {
          asked.push(aadObjectId);
          await new Promise((wait) => setTimeout(wait, 30));
          return answer(aadObjectId);
        },
      },
    };
  }
  const teamsNeverAsked = teams(() => {
    throw new Error('Teams is not asked for someone in no team');
  });
  const depsWith = (installer: ReturnType<typeof graph>['installer']) => ({
    ...storage,
    clock,
    claim,
    chatReference,
    open: teamsNeverAsked.open,
    install: { installer, policy, fallback: manager },
  });

  it('two instances installing at once (one claim ran out) store one conversation, on the service of a team of the tenant', async () => {
    await storage.members.putMany([noTeam(10)]);
    const fake = graph((id) => ({ kind: 'installed', chatId: `19:${id}_bot@unq.gbl.spaces` }));
    const [first, second] = await Promise.all([
      personalChatOf(depsWith(fake.installer), TENANT, 'aad-open-10'),
      personalChatOf(depsWith(fake.installer), TENANT, 'aad-open-10'),
    ]);
    expect(first).toEqual(second);
    expect(first).toEqual({
      kind: 'open',
      conversation: {
        ...teamReference,
        conversation: { id: '19:aad-open-10_bot@unq.gbl.spaces', conversationType: 'personal' },
      },
    });
    expect(await storage.members.get(TENANT, 'aad-open-10')).toMatchObject({
      personalInstalled: true,
      personalConversation: { conversation: { id: '19:aad-open-10_bot@unq.gbl.spaces' } },
    });
    // Reused from then on: Graph is not asked again.
    await personalChatOf(depsWith(fake.installer), TENANT, 'aad-open-10');
    expect(fake.asked).toHaveLength(2);
  });

  it('a chat stored meanwhile by the install event wins over the one Graph names', async () => {
    await storage.members.putMany([noTeam(11)]);
    const fromEvent = { ...manager, conversation: { id: 'a:from-install-event' } };
    const fake = graph(() => ({ kind: 'installed', chatId: '19:from-graph' }));
    const slow = {
      ...fake.installer,
      install: async (tenantId: string, aadObjectId: string) => {
        const result = await fake.installer.install(tenantId, aadObjectId);
        await storage.members.modify(TENANT, 'aad-open-11', (current) => ({
          ...(current as Member),
          personalConversation: fromEvent,
          personalInstalled: true,
        }));
        return result;
      },
    };
    expect(await personalChatOf(depsWith(slow), TENANT, 'aad-open-11')).toEqual({
      kind: 'open',
      conversation: fromEvent,
    });
  });

  it('Graph refusing for want of consent marks the person, the first to learn it saying so; a 404 marks them for the admin to look into, not as gone', async () => {
    await storage.members.putMany([noTeam(12), noTeam(13)]);
    const refused = graph(() => ({ kind: 'refused', reason: 'noConsent', firstRefusal: true }));
    expect(await personalChatOf(depsWith(refused.installer), TENANT, 'aad-open-12')).toEqual({
      kind: 'unreachable',
      reason: 'noConsent',
      firstRefusal: true,
    });
    expect(await storage.members.get(TENANT, 'aad-open-12')).toMatchObject({
      unreachableReason: 'noConsent',
    });
    const unknown = graph(() => ({ kind: 'refused', reason: 'installNotFound', firstRefusal: false }));
    expect(await personalChatOf(depsWith(unknown.installer), TENANT, 'aad-open-13')).toEqual({
      kind: 'unreachable',
      reason: 'installNotFound',
    });
  });

  it('someone Teams will not open a chat with (403: no longer in the team) is installed for instead', async () => {
    await storage.members.putMany([inTeam(16)]);
    const refusedByTeams = teams(() => ({ kind: 'failed', failure: { status: 403 } }));
    const fake = graph(() => ({ kind: 'installed', chatId: '19:aad-open-16_bot@unq.gbl.spaces' }));
    const outcome = await personalChatOf(
      { ...depsWith(fake.installer), open: refusedByTeams.open },
      TENANT,
      'aad-open-16',
    );
    expect(refusedByTeams.calls()).toBe(1);
    expect(outcome).toMatchObject({
      kind: 'open',
      conversation: { conversation: { id: '19:aad-open-16_bot@unq.gbl.spaces' } },
    });
    expect((await storage.members.get(TENANT, 'aad-open-16'))?.unreachableAt).toBeUndefined();
  });

  it('a person another sender has claimed is not installed for by this one', async () => {
    await storage.members.putMany([noTeam(17)]);
    const fake = graph((id) => ({ kind: 'installed', chatId: `19:${id}_bot@unq.gbl.spaces` }));
    const claimedElsewhere = async () => false;
    expect(
      await personalChatOf({ ...depsWith(fake.installer), claim: claimedElsewhere }, TENANT, 'aad-open-17'),
    ).toEqual({ kind: 'taken' });
    expect(fake.asked).toEqual([]);
  });

  it('a throttled Graph is left to retry, said to be Graph, nothing marked; a guest is not installed for', async () => {
    await storage.members.putMany([noTeam(14), noTeam(15, { account: 'guest' })]);
    const throttled = graph(() => ({ kind: 'failed', failure: { status: 429, retryAfterMs: 1_000 } }));
    expect(await personalChatOf(depsWith(throttled.installer), TENANT, 'aad-open-14')).toEqual({
      kind: 'failed',
      failure: { status: 429, retryAfterMs: 1_000 },
      by: 'graph',
    });
    expect((await storage.members.get(TENANT, 'aad-open-14'))?.unreachableAt).toBeUndefined();
    expect(await personalChatOf(depsWith(throttled.installer), TENANT, 'aad-open-15')).toEqual({
      kind: 'unreachable',
      reason: 'notInTeam',
    });
    expect(throttled.asked).toEqual(['aad-open-14']);
  });
});
