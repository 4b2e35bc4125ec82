import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LocalClassifier } from '../../src/analysis/localClassifier.js';
import type { CommentRef } from '../../src/domain/feedback/comment.js';
import {
  answerAsWriter,
  passToSafeguarding,
  type RecordOutcome,
  recordComment,
} from '../../src/domain/feedback/feedback.js';
import { recentComments } from '../../src/domain/feedback/followUp.js';
import { ReplyHandles } from '../../src/domain/feedback/replyHandles.js';
import {
  acknowledgedBy,
  alertSendId,
  WRITER_ANSWER_WAIT_MS,
} from '../../src/domain/feedback/safeguarding.js';
import { readAgain } from '../../src/domain/feedback/secondReading.js';
import { createLogger } from '../../src/logger.js';
import { chaseEscalations } from '../../src/schedule/escalations.js';
import { openStorage, type Storage } from '../../src/storage/openStorage.js';
import { TENANT } from '../support/activities.js';
import { STAFF_ONLY } from '../support/members.js';
import { localBox } from '../support/sealing.js';
import { seedStaff } from '../support/staff.js';
import { uniquePrefix } from '../support/tablePrefix.js';

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
  anonymityThreshold: 5,
  reach: STAFF_ONLY,
  scheduler: { nudge: () => {} },
  metrics: { escalationRaised: () => {} },
  replyHandles: new ReplyHandles(localBox(), 30 * 86_400_000),
  secondReading: { due: async (ref: CommentRef) => void readingsDue.push(ref) },
  logger,
});
const readingsDue: CommentRef[] = [];
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

describe('an open answer to a pulse round too few have answered yet', () => {
  it('reaches the lead as any disclosure does, while the ordinary answers of the round wait unlisted and cannot be passed on', async () => {
    const round = { pulseId: 'small-pulse', round: 1, week: '2026-W48' };
    // Two of the round's people have answered: below the threshold of five.
    for (const respondent of ['r1', 'r2'])
      await storage.answers.put({
        tenantId: TENANT,
        ...round,
        respondent,
        values: {},
        groups: {},
        day: '2026-11-23',
      });
    const answer = (id: string, text: string) =>
      recordComment(deps(), {
        tenantId: TENANT,
        id,
        source: 'pulse',
        ...round,
        text,
        anonymous: true,
        groups: {},
      });
    const before = await recentComments(deps(), TENANT);
    const ordinary = await answer('small.ordinary', 'The tablets are slow on nights.');
    const harm = escalationOf(await answer('small.harm', 'A carer on nights pushed Mrs K back into bed.'));
    expect(harm?.status).toBe('asked');
    await answerAsWriter(deps(), TENANT, harm?.id ?? '', 'yes');
    expect((await sends(harm?.id ?? '')).map((send) => send.urgent)).toEqual([true]);

    const after = await recentComments(deps(), TENANT);
    expect(after.withSafeguarding).toBe(before.withSafeguarding + 1);
    expect(after.waiting).toBe(before.waiting + 1);
    expect(after.total).toBe(before.total);
    expect(after.threads.map(({ comment }) => comment.text)).not.toContain('The tablets are slow on nights.');
    const ref = ordinary.kind === 'recorded' ? ordinary.comment : undefined;
    await expect(
      passToSafeguarding(
        deps(),
        { tenantId: TENANT, week: round.week, id: ref?.id ?? '' },
        { name: 'Alex Wilber' },
      ),
    ).rejects.toMatchObject({ messageKey: 'comments.waitingOne' });
  });
});

describe('the second reading, after the writer was thanked', () => {
  const flagging = (flag: boolean) => ({
    classify: async (text: string) => ({
      ...(await new LocalClassifier().classify(text)),
      safeguarding: flag,
    }),
  });
  const readingDeps = (flag: boolean) => ({
    ...deps(),
    reader: flagging(flag),
    writerToken: (tenantId: string, escalationId: string, memberId: string) =>
      `token:${tenantId}:${escalationId}:${memberId}`,
  });
  const questions = async (escalationId: string) =>
    (await storage.broadcasts.list(TENANT)).filter((send) => send.question?.escalationId === escalationId);
  const store = async (text: string, author = true) => {
    readingsDue.length = 0;
    const outcome = await recordComment(deps(), {
      tenantId: TENANT,
      source: 'feedback',
      text,
      anonymous: true,
      author: author ? { aadObjectId: 'aad-0000-5002', name: 'Carer 3' } : undefined,
      groups: {},
    });
    if (outcome.kind !== 'recorded') throw new Error('not recorded');
    return outcome.comment;
  };

  it('is asked for every comment nothing flagged at once, before it is stored', async () => {
    const stored = await store('The new tablets are slow at the end of the shift.');
    expect(readingsDue).toEqual([
      { tenantId: TENANT, initiativeId: undefined, week: stored.week, id: stored.id },
    ]);
    await store('A carer on nights pushed Mrs B into her chair and shouted at her.');
    expect(readingsDue).toEqual([]);
  });

  it('finding nothing, leaves the comment with the managers', async () => {
    const stored = await store('Handover takes longer with the tablets.');
    expect(await readAgain(readingDeps(false), stored)).toBe('read');
    expect((await storage.comments.get(stored))?.escalationId).toBeUndefined();
  });

  it('finding a possible disclosure, asks the anonymous writer once through the reply handle, keeping it from the managers', async () => {
    const stored = await store('Mr K was unsettled again after tea last night.');
    expect(await readAgain(readingDeps(true), stored)).toBe('flagged');
    expect(await readAgain(readingDeps(true), stored)).toBe('read');
    const after = await storage.comments.get(stored);
    const escalationId = after?.escalationId ?? '';
    expect((await storage.escalations.get(TENANT, escalationId))?.status).toBe('asked');
    expect(after?.analysis?.safeguarding).toBe(true);
    expect(after?.replyHandle).toBe(stored.replyHandle);
    const sent = await questions(escalationId);
    expect(sent.map((send) => [send.audience.kind, send.urgent, send.question?.token])).toEqual([
      ['writer', true, `token:${TENANT}:${escalationId}:aad-0000-5002`],
    ]);
    // The question names nobody: the token is keyed, and the row is Huddle's own.
    expect(sent[0]?.createdBy.aadObjectId).toBe('huddle');

    expect((await answerAsWriter(deps(), TENANT, escalationId, 'no'))?.status).toBe('dismissed');
    const back = await storage.comments.get(stored);
    expect(back?.escalationId).toBeUndefined();
    // Back with the managers, who can still reply to it.
    expect(back?.replyHandle).toBe(stored.replyHandle);
    expect(await readAgain(readingDeps(true), stored)).toBe('read');
    expect((await storage.comments.get(stored))?.escalationId).toBeUndefined();
    expect(await questions(escalationId)).toHaveLength(1);
  });

  it('with no way back to the writer, the lead gets it at the next tick, marked not confirmed', async () => {
    const stored = await store('Mrs F was very quiet at breakfast again today.', false);
    expect(await readAgain(readingDeps(true), stored)).toBe('flagged');
    const escalationId = (await storage.comments.get(stored))?.escalationId ?? '';
    expect(await questions(escalationId)).toEqual([]);
    await chaseEscalations(deps(), new Date(now));
    const raised = await storage.escalations.get(TENANT, escalationId);
    expect([raised?.status, raised?.unconfirmed]).toEqual(['raised', true]);
    expect((await sends(escalationId)).map((send) => send.urgent)).toEqual([false]);
  });

  it("reads a writer's answer in a follow-up and asks about it, leaving the comment with the managers", async () => {
    const stored = await store('The handover sheet is missing on nights.');
    const answer = 'Since you ask, Mr K is left in bed all morning by the agency carer.';
    await storage.threads.add({
      tenantId: TENANT,
      commentId: stored.id,
      id: 'message-1',
      from: 'writer',
      manager: { aadObjectId: 'aad-0000-0002', name: 'Alex Wilber' },
      text: answer,
      at: new Date(now).toISOString(),
    });
    const ref = { ...stored, messageId: 'message-1' };
    expect(await readAgain(readingDeps(false), ref)).toBe('read');
    expect(await readAgain(readingDeps(true), ref)).toBe('flagged');
    // Read twice (the queue item reappeared after a crash): still one question.
    await readAgain(readingDeps(true), ref);
    const asked = (await storage.broadcasts.list(TENANT)).filter(
      (send) => send.question?.commentId === stored.id,
    );
    expect(asked).toHaveLength(1);
    const [question] = asked;
    const escalation = await storage.escalations.get(TENANT, question?.question?.escalationId ?? '');
    expect([escalation?.status, escalation?.text]).toEqual(['asked', answer]);
    expect((await storage.comments.get(stored))?.escalationId).toBeUndefined();
    expect(await readAgain(readingDeps(true), { ...stored, messageId: 'no-such-message' })).toBe('notStored');
  });

  it('finds nothing to read for a comment that was never stored', async () => {
    expect(
      await readAgain(readingDeps(true), { tenantId: TENANT, week: '2026-W48', id: 'never-stored' }),
    ).toBe('notStored');
  });
});
