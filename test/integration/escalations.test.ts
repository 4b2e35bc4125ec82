import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LocalClassifier } from '../../src/analysis/localClassifier.js';
import { type RecordOutcome, recordComment } from '../../src/domain/feedback.js';
import { ReplyHandles } from '../../src/domain/replyHandles.js';
import { acknowledgedBy, alertSendId } from '../../src/domain/safeguarding.js';
import { createLogger } from '../../src/logger.js';
import { chaseEscalations } from '../../src/schedule/escalations.js';
import { openStorage, type Storage } from '../../src/storage/openStorage.js';
import { TENANT } from '../support/activities.js';
import { localBox } from '../support/sealing.js';
import { seedStaff } from '../support/staff.js';
import { uniquePrefix } from '../support/testHuddle.js';

const logger = createLogger('silent');
const RESEND = 15 * 60_000;
let storage: Storage;
let now = Date.parse('2026-11-23T02:00:00Z');
let ids = 0;

const deps = () => ({
  ...storage,
  classifier: new LocalClassifier(),
  bootstrap: { admin: ['aad-0000-5001'], manager: [], leader: [], safeguardingLead: ['aad-0000-5000'] },
  clock: { now: () => new Date(now) },
  newId: () => `id-${++ids}`,
  safeguardingResendMs: RESEND,
  scheduler: { nudge: () => {} },
  metrics: { escalationRaised: () => {} },
  replyHandles: new ReplyHandles(localBox(), 30 * 86_400_000),
  logger,
});
const escalationOf = (outcome: RecordOutcome) =>
  outcome.kind === 'recorded' ? outcome.escalation : undefined;
const sends = async (escalationId: string) =>
  (await storage.broadcasts.list(TENANT)).filter((send) => send.alert?.escalationId === escalationId);

beforeAll(async () => {
  storage = await openStorage(
    { kind: 'connectionString', connectionString: inject('storageConnectionString') },
    uniquePrefix(),
    logger,
    localBox(),
  );
  await seedStaff(storage, 'http://127.0.0.1:9/', 3, { first: 5000 });
});

afterAll(async () => {
  await storage?.close();
});

describe('an alert nobody acknowledges', () => {
  it('is sent again after the wait, to the leads and the admins, once per wait however often the scheduler ticks', async () => {
    const recorded = await recordComment(deps(), {
      tenantId: TENANT,
      source: 'feedback',
      text: 'A carer on nights shouts at the residents and pushed Mrs B into her chair.',
      anonymous: true,
      groups: {},
    });
    const escalation = escalationOf(recorded);
    expect(escalation).toBeDefined();
    const id = escalation?.id ?? '';
    expect((await sends(id)).map((send) => send.id)).toEqual([alertSendId(id, 1)]);
    expect((await sends(id))[0]?.audience).toEqual({ kind: 'members', memberIds: ['aad-0000-5000'] });
    expect((await sends(id))[0]?.urgent).toBe(true);

    now += RESEND - 1_000;
    await chaseEscalations(deps(), new Date(now));
    expect(await sends(id)).toHaveLength(1);

    now += 1_000;
    await chaseEscalations(deps(), new Date(now));
    await chaseEscalations(deps(), new Date(now));
    const afterWait = await sends(id);
    expect(afterWait.map((send) => send.id).sort()).toEqual([alertSendId(id, 1), alertSendId(id, 2)]);
    const second = afterWait.find((send) => send.id === alertSendId(id, 2));
    expect(second?.audience.kind === 'members' && [...second.audience.memberIds].sort()).toEqual([
      'aad-0000-5000',
      'aad-0000-5001',
    ]);
    expect((await storage.escalations.get(TENANT, id))?.timeline.map((entry) => entry.event)).toEqual([
      'raised',
      'alerted',
      'resent',
    ]);

    await storage.escalations.modify(TENANT, id, (current) =>
      acknowledgedBy(current, { aadObjectId: 'aad-0000-5000', name: 'Carer 1' }, new Date(now)),
    );
    now += 10 * RESEND;
    await chaseEscalations(deps(), new Date(now));
    expect(await sends(id)).toHaveLength(2);
  });

  it('a pulse answer sent again unchanged does not alert the lead a second time', async () => {
    const input = {
      tenantId: TENANT,
      id: 'answer-hash.open',
      source: 'pulse' as const,
      text: 'Someone slapped Mr T on the night shift.',
      anonymous: true,
      groups: {},
    };
    const first = escalationOf(await recordComment(deps(), input));
    const again = escalationOf(await recordComment(deps(), input));
    expect(again?.id).toBe(first?.id);
    expect(await sends(first?.id ?? '')).toHaveLength(1);
  });
});
