import { describe, expect, it } from 'vitest';
import type { AudienceOption } from '../../../src/domain/broadcasts/broadcastDraft.js';
import type { PulseItem } from '../../../src/domain/pulses/pulse.js';
import {
  type ItemEdits,
  type PulseSettingsInput,
  reminderTimes,
  roundWindow,
  validatePulse,
} from '../../../src/domain/pulses/pulseForm.js';
import { parseValues } from '../../../src/domain/pulses/pulsing.js';
import { initiativeFixture } from '../../support/initiatives.js';

const now = new Date('2026-11-23T10:00:00Z');
const all: AudienceOption = {
  key: 'all',
  audience: { kind: 'all' },
  label: { key: 'broadcast.audience.all', values: {} },
  reachable: 40,
};
const nights = { conversationId: '19:nights@thread.tacv2', name: 'Night staff' };
const pilot = initiativeFixture();
const context = {
  options: [all],
  // Willow exists but is not offered for the pilot; no group called Gone exists at all.
  known: ['all', 'unit:Willow'],
  initiatives: [pilot],
  channels: [nights],
  now,
  timeZone: 'Europe/London',
};
const settings = (overrides: Partial<PulseSettingsInput> = {}): PulseSettingsInput => ({
  title: 'How is it going?',
  initiativeId: pilot.id,
  template: 'readiness',
  audience: 'all',
  opens: 'now',
  openDate: '',
  openTime: '',
  closeDate: '2026-11-27',
  closeTime: '17:00',
  cadence: 'once',
  anonymity: 'anonymous',
  where: 'chats',
  ...overrides,
});
const keys = (result: ReturnType<typeof validatePulse>) =>
  result.ok ? [] : result.errors.map((error) => error.key);

describe('pulse settings', () => {
  it('accepts a one-off pulse open now until a time in the manager’s zone', () => {
    const result = validatePulse(settings(), undefined, context);
    expect(result.ok && result.pulse.closesAt.toISOString()).toBe('2026-11-27T17:00:00.000Z');
    expect(result.ok && result.pulse.items.length).toBe(6);
  });

  it('posts in a team channel Huddle is in, or sends to chats; a team Huddle has left is refused', () => {
    const posted = validatePulse(settings({ where: nights.conversationId }), undefined, context);
    expect(posted.ok && posted.pulse.channel).toEqual(nights);
    const chats = validatePulse(settings(), undefined, context);
    expect(chats.ok && chats.pulse.channel).toBeUndefined();
    expect(keys(validatePulse(settings({ where: '19:gone@thread.tacv2' }), undefined, context))).toEqual([
      'pulse.error.unknownChannel',
    ]);
  });

  it('refuses questions about "this change" for a general pulse, and gives it a general open question', () => {
    for (const template of ['stage', 'readiness', 'team'])
      expect(keys(validatePulse(settings({ initiativeId: 'none', template }), undefined, context))).toEqual([
        'pulse.error.templateNeedsChange',
      ]);
    const general = validatePulse(
      settings({ initiativeId: 'none', template: 'wellbeing' }),
      undefined,
      context,
    );
    expect(general.ok && general.pulse.items.map((item) => item.text).join(' ')).not.toMatch(/change/i);
    const aboutPilot = validatePulse(settings({ template: 'wellbeing' }), undefined, context);
    expect(aboutPilot.ok && aboutPilot.pulse.items.at(-1)?.id).toBe('open-easier');
  });

  it('lists every problem at once', () => {
    expect(
      keys(
        validatePulse(
          settings({ title: ' ', template: 'x', audience: 'unit:Gone', anonymity: 'named' }),
          undefined,
          context,
        ),
      ),
    ).toEqual([
      'pulse.error.titleMissing',
      'pulse.error.unknownTemplate',
      'pulse.error.unknownAudience',
      'pulse.error.unknownAnonymity',
    ]);
  });

  it('tells a group outside the change from one that no longer exists', () => {
    expect(keys(validatePulse(settings({ audience: 'unit:Willow' }), undefined, context))).toEqual([
      'pulse.error.audienceNotInChange',
    ]);
    expect(keys(validatePulse(settings({ audience: 'unit:Gone' }), undefined, context))).toEqual([
      'pulse.error.unknownAudience',
    ]);
  });

  it('refuses windows that are too short, too long, or longer than a recurring pulse’s cadence', () => {
    expect(
      keys(validatePulse(settings({ closeDate: '2026-11-23', closeTime: '10:30' }), undefined, context)),
    ).toEqual(['pulse.error.closeTooSoon']);
    expect(keys(validatePulse(settings({ closeDate: '2026-12-30' }), undefined, context))).toEqual([
      'pulse.error.openTooLong',
    ]);
    expect(
      keys(validatePulse(settings({ cadence: 'weekly', closeDate: '2026-12-02' }), undefined, context)),
    ).toEqual(['pulse.error.overlaps']);
    expect(
      keys(
        validatePulse(
          settings({ cadence: 'weekly', closeDate: '2026-11-30', closeTime: '10:01' }),
          undefined,
          context,
        ),
      ),
    ).toEqual(['pulse.error.overlaps']);
    expect(
      keys(
        validatePulse(
          settings({ opens: 'later', openDate: '2026-11-22', openTime: '09:00' }),
          undefined,
          context,
        ),
      ),
    ).toContain('pulse.error.openPast');
  });

  it('applies the manager’s edits: unticked items go, new wording stays, one question of their own is added', () => {
    const edits: ItemEdits = {
      itemIds: ['aware-why', 'desire-want', 'open-easier'],
      keep: { 'desire-want': false },
      wording: { 'aware-why': 'I know why we are going digital.' },
      custom: { kind: 'choice', text: 'Which shift do you mostly work?', options: 'Days, Nights, Both' },
    };
    const result = validatePulse(settings(), edits, context);
    expect(result.ok && result.pulse.items.map((item) => [item.id, item.text])).toEqual([
      ['aware-why', 'I know why we are going digital.'],
      ['open-easier', 'What one thing would make this change easier for you?'],
      ['custom-1', 'Which shift do you mostly work?'],
    ]);
    const bad = {
      ...edits,
      wording: { 'aware-why': '' },
      custom: { kind: 'choice', text: 'Shift?', options: 'Days' },
    };
    expect(keys(validatePulse(settings(), bad, context))).toEqual([
      'pulse.error.itemEmpty',
      'pulse.error.options',
    ]);
    const none = {
      ...edits,
      keep: { 'aware-why': false, 'desire-want': false, 'open-easier': false },
      custom: { kind: 'none', text: '', options: '' },
    };
    expect(keys(validatePulse(settings(), none, context))).toEqual(['pulse.error.noItems']);
  });
});

describe('reminders and rounds', () => {
  const at = (iso: string) => new Date(iso);
  it('reminds 48 hours after opening and 24 hours before closing, only inside the window', () => {
    expect(
      reminderTimes(at('2026-11-23T10:00:00Z'), at('2026-11-30T10:00:00Z')).map((d) => d.toISOString()),
    ).toEqual(['2026-11-25T10:00:00.000Z', '2026-11-29T10:00:00.000Z']);
    expect(reminderTimes(at('2026-11-23T10:00:00Z'), at('2026-11-24T09:00:00Z'))).toEqual([]);
    // Three days: 48 h after opening and 24 h before closing fall together; one reminder, not two.
    expect(reminderTimes(at('2026-11-23T10:00:00Z'), at('2026-11-26T10:30:00Z'))).toHaveLength(1);
  });

  it('repeats the first window every cadence period', () => {
    const pulse = {
      opensAt: '2026-11-23T10:00:00.000Z',
      closesAt: '2026-11-27T17:00:00.000Z',
      cadence: 'fortnightly' as const,
      createdBy: { timeZone: 'Europe/London' },
    };
    expect(roundWindow(pulse, 3)).toEqual({
      opensAt: at('2026-12-21T10:00:00.000Z'),
      closesAt: at('2026-12-25T17:00:00.000Z'),
    });
  });

  it('keeps the manager’s wall-clock times when the clocks change between rounds', () => {
    // Monday 09:00 to Friday 17:00 in London; the clocks go forward on Sunday 28 March 2027.
    const pulse = {
      opensAt: '2027-03-22T09:00:00.000Z',
      closesAt: '2027-03-26T17:00:00.000Z',
      cadence: 'weekly' as const,
      createdBy: { timeZone: 'Europe/London' },
    };
    expect(roundWindow(pulse, 2)).toEqual({
      opensAt: at('2027-03-29T08:00:00.000Z'),
      closesAt: at('2027-04-02T16:00:00.000Z'),
    });
    // The same pulse set up from New York keeps New York's times, whose clocks changed on 14 March.
    const newYork = { ...pulse, createdBy: { timeZone: 'America/New_York' } };
    expect(roundWindow(newYork, 2).opensAt).toEqual(at('2027-03-29T09:00:00.000Z'));
  });

  it('leaves the first round exactly as set, even inside the hour the clocks repeat', () => {
    // 01:30:15.250 on 25 October 2026 happens twice in London; this is the second (GMT) one.
    const pulse = {
      opensAt: '2026-10-25T01:30:15.250Z',
      closesAt: '2026-10-27T17:00:00.000Z',
      cadence: 'weekly' as const,
      createdBy: { timeZone: 'Europe/London' },
    };
    expect(roundWindow(pulse, 1)).toEqual({ opensAt: at(pulse.opensAt), closesAt: at(pulse.closesAt) });
    expect(roundWindow(pulse, 2).closesAt).toEqual(at('2026-11-03T17:00:00.000Z'));
  });

  it('lets a weekly window run a whole local week across a clock change, and no longer', () => {
    // Monday 19 October 09:00 BST to Monday 26 October 09:00 GMT is 169 hours but one calendar week.
    const autumn = { ...context, now: new Date('2026-10-19T07:00:00Z') };
    const week = settings({
      cadence: 'weekly',
      opens: 'later',
      openDate: '2026-10-19',
      openTime: '09:00',
      closeDate: '2026-10-26',
      closeTime: '09:00',
    });
    expect(keys(validatePulse(week, undefined, autumn))).toEqual([]);
    expect(keys(validatePulse({ ...week, closeTime: '09:01' }, undefined, autumn))).toEqual([
      'pulse.error.overlaps',
    ]);
  });
});

describe('answers from a card', () => {
  const items: PulseItem[] = [
    { id: 'a', kind: 'agree5', text: 'A' },
    { id: 'e', kind: 'scale10', text: 'E' },
    { id: 'c', kind: 'choice', text: 'C', options: ['x', 'y'] },
    { id: 'o', kind: 'text', text: 'O' },
  ];
  it('reads numbers on each scale and keeps open text, which may be left empty', () => {
    expect(parseValues(items, { q_a: '5', q_e: '0', q_c: '1', q_o: '' })).toEqual({
      values: { a: 5, e: 0, c: 1 },
      tags: { o: [] },
      errors: [],
    });
  });
  it("reads what the open answer's writer says it is about: up to two tags, in the list's order", () => {
    const answered = { q_a: '5', q_e: '0', q_c: '1', q_o: 'No time to learn it.' };
    expect(parseValues(items, { ...answered, tags_o: 'training_gap,workload_time' }).tags).toEqual({
      o: ['workload_time', 'training_gap'],
    });
    expect(
      parseValues(items, { ...answered, tags_o: 'training_gap,workload_time,supportive' }).errors,
    ).toEqual([{ key: 'comment.tags.tooMany', values: { max: 2 } }]);
    expect(() => parseValues(items, { ...answered, tags_o: 'bribery' })).toThrow('pulse.badAnswer');
    expect(() => parseValues(items, { ...answered, tags_a: 'training_gap' })).toThrow('pulse.badAnswer');
  });
  it('refuses values the card cannot send and fields for no item', () => {
    const tampered: Record<string, string>[] = [
      { q_a: '6' },
      { q_e: '11' },
      { q_c: '2' },
      { q_a: '1.5' },
      { q_a: '-1' },
      { q_a: '3', q_x: '1' },
    ];
    for (const fields of tampered) {
      expect(() => parseValues(items, { q_a: '3', q_e: '3', q_c: '0', ...fields })).toThrow(
        'pulse.badAnswer',
      );
    }
  });
  it('asks the person to fix an unanswered item or an over-long open answer', () => {
    const { errors } = parseValues(items, { q_a: '', q_e: '3', q_c: '0', q_o: 'x'.repeat(1_001) });
    expect(errors.map((error) => error.key)).toEqual(['pulse.error.unanswered', 'pulse.error.textTooLong']);
  });
});
