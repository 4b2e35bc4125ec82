import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { personalChatOf } from '../../src/delivery/personalChats.js';
import type { OpenResult } from '../../src/delivery/ports.js';
import type { Member } from '../../src/domain/people/member.js';
import { openStorage, type Storage } from '../../src/storage/openStorage.js';
import { TENANT } from '../support/activities.js';
import { localBox } from '../support/sealing.js';
import { uniquePrefix } from '../support/tablePrefix.js';

let storage: Storage;
const clock = { now: () => new Date() };
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
  it('two instances opening the same person at once store one conversation and both send to it', async () => {
    await storage.members.putMany([inTeam(1)]);
    const fake = teams((call) => ({
      kind: 'opened',
      conversation: { conversation: { id: `a:chat-${call}` } },
    }));
    const deps = { ...storage, clock, open: fake.open };
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
    expect(await personalChatOf({ ...storage, clock, open: refused.open }, TENANT, 'aad-open-2')).toEqual({
      kind: 'unreachable',
      reason: 'notInTeam',
    });
    expect(await storage.members.get(TENANT, 'aad-open-2')).toMatchObject({ unreachableReason: 'notInTeam' });

    const throttled = teams(() => ({ kind: 'failed', failure: { status: 429, retryAfterMs: 1_000 } }));
    const outcome = await personalChatOf({ ...storage, clock, open: throttled.open }, TENANT, 'aad-open-3');
    expect(outcome).toEqual({ kind: 'failed', failure: { status: 429, retryAfterMs: 1_000 } });
    const member = await storage.members.get(TENANT, 'aad-open-3');
    expect(member?.unreachableAt).toBeUndefined();
    expect(member?.personalConversation).toBeUndefined();
  });

  it('someone whose only team removed Huddle is not asked for: no team to open the chat through', async () => {
    await storage.members.putMany([inTeam(4, { teamIds: ['19:gone@thread.tacv2'] })]);
    const fake = teams(() => ({ kind: 'opened', conversation: {} }));
    expect(await personalChatOf({ ...storage, clock, open: fake.open }, TENANT, 'aad-open-4')).toEqual({
      kind: 'unreachable',
      reason: 'notInTeam',
    });
    expect(fake.calls()).toBe(0);
  });
});
