import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LocalClassifier } from '../../src/analysis/localClassifier.js';
import {
  answerAsWriter,
  passToSafeguarding,
  type RecordOutcome,
  recordComment,
} from '../../src/domain/feedback/feedback.js';
import { ReplyHandles } from '../../src/domain/feedback/replyHandles.js';
import {
  acknowledgedBy,
  alertSendId,
  WRITER_ANSWER_WAIT_MS,
} from '../../src/domain/feedback/safeguarding.js';
import { createLogger } from '../../src/logger.js';
import { chaseEscalations } from '../../src/schedule/escalations.js';
import { openStorage, type Storage } from '../../src/storage/openStorage.js';
import { TENANT } from '../support/activities.js';
import { STAFF_ONLY } from '../support/members.js';
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
  reach: STAFF_ONLY,
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
      writerSaysHarm: true,
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
      writerSaysHarm: true,
    };
    const first = escalationOf(await recordComment(deps(), input));
    const again = escalationOf(await recordComment(deps(), input));
    expect(again?.id).toBe(first?.id);
    expect(await sends(first?.id ?? '')).toHaveLength(1);
  });
});

describe('words only Huddle reads as a possible disclosure', () => {
  const askFor = async (text: string) => {
    const recorded = await recordComment(deps(), {
      tenantId: TENANT,
      source: 'feedback',
      text,
      anonymous: true,
      groups: {},
    });
    const escalation = escalationOf(recorded);
    expect(escalation?.status).toBe('asked');
    return escalation?.id ?? '';
  };
  const comment = async (id: string) => {
    const escalation = await storage.escalations.get(TENANT, id);
    return storage.comments.get({
      tenantId: TENANT,
      week: escalation?.commentWeek ?? '',
      id: escalation?.commentId ?? '',
    });
  };

  it('alert nobody until the writer answers; after 30 minutes the lead gets it once, not urgent, as not confirmed', async () => {
    const id = await askFor('I saw a carer slap Mrs J when she would not eat.');
    expect(await sends(id)).toEqual([]);
    now += WRITER_ANSWER_WAIT_MS - 1_000;
    await chaseEscalations(deps(), new Date(now));
    expect(await sends(id)).toEqual([]);

    now += 1_000;
    await chaseEscalations(deps(), new Date(now));
    await chaseEscalations(deps(), new Date(now));
    const [alert, ...more] = await sends(id);
    expect(more).toEqual([]);
    expect(alert?.urgent).toBe(false);
    expect(await storage.escalations.get(TENANT, id)).toMatchObject({ status: 'raised', unconfirmed: true });
    // No re-sending loop for what the writer did not confirm.
    now += 10 * RESEND;
    await chaseEscalations(deps(), new Date(now));
    expect(await sends(id)).toHaveLength(1);
    // The writer says yes afterwards: confirmed, sent again at once, urgent, and chased from now on.
    await answerAsWriter(deps(), TENANT, id, 'yes');
    const urgent = (await sends(id)).find((send) => send.id === alertSendId(id, 2));
    expect(urgent?.urgent).toBe(true);
    expect((await storage.escalations.get(TENANT, id))?.timeline.map((entry) => entry.event)).toEqual([
      'asked',
      'notAnswered',
      'alerted',
      'confirmed',
      'alerted',
    ]);
  });

  it("yes alerts the lead at once; no alerts nobody and gives the comment back to the managers' list", async () => {
    const yes = await askFor('One of the seniors takes money from Mrs P purse.');
    expect((await answerAsWriter(deps(), TENANT, yes, 'yes'))?.status).toBe('raised');
    expect((await sends(yes)).map((send) => [send.id, send.urgent])).toEqual([[alertSendId(yes, 1), true]]);

    const no = await askFor('Staff shout at the residents with dementia when they are busy.');
    expect((await comment(no))?.escalationId).toBe(no);
    expect((await answerAsWriter(deps(), TENANT, no, 'no'))?.status).toBe('dismissed');
    expect(await sends(no)).toEqual([]);
    expect((await comment(no))?.escalationId).toBeUndefined();
    // A second answer changes nothing, and the wait passing raises nothing.
    await answerAsWriter(deps(), TENANT, no, 'yes');
    now += WRITER_ANSWER_WAIT_MS;
    await chaseEscalations(deps(), new Date(now));
    expect(await sends(no)).toEqual([]);
  });

  it('does not ask again, nor hide the comment, when a pulse answer the writer called not about harm is sent again', async () => {
    const input = {
      tenantId: TENANT,
      id: 'answer-hash.open-again',
      source: 'pulse' as const,
      text: 'Staff shout at the residents with dementia when they are busy.',
      anonymous: true,
      groups: {},
    };
    const asked = escalationOf(await recordComment(deps(), input));
    expect(asked?.status).toBe('asked');
    await answerAsWriter(deps(), TENANT, asked?.id ?? '', 'no');
    const again = await recordComment(deps(), input);
    expect(escalationOf(again)).toBeUndefined();
    expect((await comment(asked?.id ?? ''))?.escalationId).toBeUndefined();
    expect(await sends(asked?.id ?? '')).toEqual([]);
  });

  it("a writer's no does not take back a comment a manager has since passed to the lead", async () => {
    const id = await askFor('Mrs D goes very quiet when one of the night staff comes in, and cries.');
    const ref = await comment(id);
    const passed = await passToSafeguarding(
      deps(),
      { tenantId: TENANT, initiativeId: undefined, week: ref?.week ?? '', id: ref?.id ?? '' },
      { name: 'Alex Wilber' },
    );
    expect(passed.id).not.toBe(id);
    expect((await sends(passed.id)).map((send) => send.urgent)).toEqual([true]);
    await answerAsWriter(deps(), TENANT, id, 'no');
    const after = await storage.comments.get({ tenantId: TENANT, week: ref?.week ?? '', id: ref?.id ?? '' });
    expect(after?.escalationId).toBe(passed.id);
  });
});
