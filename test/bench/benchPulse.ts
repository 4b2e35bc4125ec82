import { VERBS } from '../../src/cards/verbs.js';
import { groupsText, RespondentKeys } from '../../src/domain/people/respondentKeys.js';
import type { Pulse, PulseRound } from '../../src/domain/pulses/pulse.js';
import type { Storage } from '../../src/storage/openStorage.js';
import { executeAction, type Person, TENANT } from '../support/activities.js';
import { pulseFixture } from '../support/pulses.js';

/** The key Huddle signs answer tokens with in the benchmarks (HUDDLE_ANSWER_KEY). */
export const ANSWER_KEY = 'bench-answer-key-0123456789-0123456789-0123456789';
const keys = new RespondentKeys(ANSWER_KEY);

/** An open pulse of five agree/disagree items and the open question, sent to `recipients` people. */
export async function seedOpenPulse(storage: Storage, id: string, recipients: number): Promise<Pulse> {
  const pulse = pulseFixture({
    id,
    initiativeId: 'dcp',
    items: [
      {
        id: 'aware-why',
        kind: 'agree5',
        dimension: 'awareness',
        text: 'I understand why we are making this change.',
      },
      { id: 'desire-want', kind: 'agree5', dimension: 'desire', text: 'I want this change to work.' },
      {
        id: 'know-what',
        kind: 'agree5',
        dimension: 'knowledge',
        text: 'I know what I need to do differently.',
      },
      {
        id: 'able-busy',
        kind: 'agree5',
        dimension: 'ability',
        text: 'I can work the new way on a busy shift.',
      },
      {
        id: 'team-want',
        kind: 'agree5',
        dimension: 'commitment',
        text: 'People who work here want to make this change work.',
      },
      { id: 'open-easier', kind: 'text', text: 'What one thing would make this change easier for you?' },
    ],
  });
  const round: PulseRound = {
    tenantId: TENANT,
    pulseId: pulse.id,
    number: 1,
    opensAt: pulse.opensAt,
    closesAt: pulse.closesAt,
    reminders: [],
    status: 'open',
    recipients,
    recipientsByGroup: {},
  };
  await storage.pulses.create(pulse);
  await storage.rounds.createMissing(round);
  return pulse;
}

/**
 * The invoke a staff member's answer card sends: `n` is their place in `seedStaff`'s order (which sets their
 * unit), `i` varies the answers; one in five writes something in the open question, as in real pulses.
 */
export function pulseAnswer(pulse: Pulse, who: Person, n: number, i: number, serviceUrl: string) {
  // As seedStaff assigns them; the card carries the groups it was sent with, under the token.
  const groups = { site: 'Oak View', unit: n % 2 === 0 ? 'Willow' : 'Rowan' };
  const data = {
    pulseId: pulse.id,
    round: '1',
    token: keys.cardToken(TENANT, pulse.id, 1, who.aadObjectId, groups),
    groups: groupsText(groups),
    zone: 'Europe/London',
    editing: 'false',
    'q_aware-why': String((i % 5) + 1),
    'q_desire-want': '4',
    'q_know-what': '3',
    'q_able-busy': '2',
    'q_team-want': '5',
    'q_open-easier': i % 5 === 0 ? 'More time on shift to practise with the tablets.' : '',
  };
  return { ...executeAction(who, VERBS.pulseSubmit, { serviceUrl }, data), replyToId: `card-${i}` };
}

/** What Huddle answers a stored pulse answer with. */
export const ANSWER_SAVED = 'Thanks, your answers are saved.';
