import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERB_ROLES, VERBS, type Verb } from '../../src/cards/verbs.js';
import { COMMAND_SYNTAX, COMMANDS } from '../../src/domain/chat/commands.js';
import type { Initiative } from '../../src/domain/initiatives/initiative.js';
import type { Member } from '../../src/domain/people/member.js';
import type { GrantableRole, Role } from '../../src/domain/people/roles.js';
import { newRound } from '../../src/domain/pulses/pulsing.js';
import {
  BOT,
  channelAction,
  channelMessage,
  executeAction,
  feedbackForm,
  groupChatAction,
  groupChatMessage,
  message,
  type Person,
  person,
  TENANT,
} from '../support/activities.js';
import { buttonData } from '../support/chat.js';
import { pulseFixture } from '../support/pulses.js';
import { type RecordingConnector, startRecordingConnector } from '../support/recordingConnector.js';
import { conversationIdOf, NO_QUIET_HOURS } from '../support/staff.js';
import { dumpTables } from '../support/tableDump.js';
import { uniquePrefix } from '../support/tablePrefix.js';
import { startTestHuddle, type TestHuddle } from '../support/testHuddle.js';
import { until } from '../support/until.js';

/**
 * Who may do what, from the declarations: every text command (COMMANDS) and every card verb (VERB_ROLES)
 * run as each kind of person, in a personal chat, a group chat and a team channel, against one running
 * server. Each cell is either allowed or refused with the sentence that names the role it needs (or asks
 * for the personal chat), and the refused cells together store nothing. A champion is staff with a place
 * on an initiative, not a role: the matrix shows that place gives them nothing more. Then card data copied
 * from someone else's card: another person's pulse card, another writer's follow-up, an update not sent to
 * you, and this tenant's ids pressed by a manager of another tenant.
 */
const OTHER_TENANT = '7b1c2d3e-0000-4000-8000-0000000000bb';
const prefix = uniquePrefix();

interface Persona {
  who: Person;
  /** Roles an admin granted; `undefined` for someone Huddle holds no record of. */
  granted?: GrantableRole[];
  tenantId?: string;
}
const PERSONAS = {
  staff: { who: person(5001, 'Sam Staff'), granted: [] },
  champion: { who: person(5002, 'Priya Champion'), granted: [] },
  manager: { who: person(5003, 'Alex Manager'), granted: ['manager'] },
  leader: { who: person(5004, 'Lee Leader'), granted: ['leader'] },
  safeguardingLead: { who: person(5005, 'Dee Lead'), granted: ['safeguardingLead'] },
  admin: { who: person(5006, 'Ada Admin'), granted: ['admin'] },
  unregistered: { who: person(5007, 'Una Known') },
  otherTenant: { who: person(5008, 'Otto Elsewhere'), tenantId: OTHER_TENANT },
  /** Holds every role, in another tenant: for what crosses tenants, not one of the matrix's rows. */
  otherTenantManager: {
    who: person(5009, 'Olga Elsewhere'),
    granted: ['manager', 'leader', 'safeguardingLead', 'admin'],
    tenantId: OTHER_TENANT,
  },
} satisfies Record<string, Persona>;
type PersonaName = keyof typeof PERSONAS;
const PERSONA_NAMES = (Object.keys(PERSONAS) as PersonaName[]).filter(
  (name) => name !== 'otherTenantManager',
);
const persona = (name: PersonaName): Persona => PERSONAS[name];
const rolesOf = (name: PersonaName): Role[] => ['staff', ...(persona(name).granted ?? [])];

const PLACES = ['personal', 'groupChat', 'channel'] as const;
type Place = (typeof PLACES)[number];
const TEAM_ID = '19:oak-view-team@thread.tacv2';
const CHAT_ID = '19:oak-view-chat@thread.v2';

/** Commands as people type them, their `<arguments>` filled with words that match nobody and nothing. */
const typed = (syntax: string) =>
  syntax.replace(' <initiative>', '').replace('<role>', 'manager').replace('<name or email>', 'Nobody Atall');

let connector: RecordingConnector;
let bot: TestHuddle;
const strings = JSON.parse(readFileSync('cards/locales/en-GB.json', 'utf8')) as Record<string, string>;

/** The refusal naming the roles that may: one, or the two a command or verb allows ("Manager or Leader"). */
const notAllowed = ([role, other]: readonly Role[]) =>
  (strings[other === undefined ? 'error.notAllowed' : 'error.notAllowedEither'] ?? '')
    .replace('{role}', strings[`role.${role}`] ?? String(role))
    .replace('{other}', strings[`role.${other}`] ?? String(other))
    .replace(' Type **help** to see what you can do.', '');
const personalOnly = () => strings['error.personalOnly'] ?? '';

function whereOf(name: PersonaName) {
  const tenantId = persona(name).tenantId;
  return { serviceUrl: connector.serviceUrl, ...(tenantId === undefined ? {} : { tenantId }) };
}

/**
 * Each cell in a conversation of its own: Teams limits replies to one conversation to a few a second,
 * and hundreds of cells in one chat would spend the run waiting on that limit.
 */
let cells = 0;
function ownConversation<A extends { conversation: { id: string } }>(activity: A): A {
  cells++;
  return {
    ...activity,
    conversation: { ...activity.conversation, id: `${activity.conversation.id}-${cells}` },
  };
}

function messageIn(place: Place, name: PersonaName, text: string) {
  const { who } = persona(name);
  const where = whereOf(name);
  if (place === 'personal') return ownConversation(message(who, text, where));
  if (place === 'groupChat')
    return ownConversation(groupChatMessage(who, text, { ...where, chatId: CHAT_ID }));
  return ownConversation(channelMessage(who, text, { ...where, teamId: TEAM_ID }));
}

function pressIn(place: Place, name: PersonaName, verb: string, data: Record<string, unknown>) {
  const { who } = persona(name);
  const where = whereOf(name);
  if (place === 'personal') return ownConversation(executeAction(who, verb, where, data));
  if (place === 'groupChat')
    return ownConversation(groupChatAction(who, verb, { ...where, chatId: CHAT_ID }, data));
  return ownConversation(channelAction(who, verb, { ...where, teamId: TEAM_ID }, data));
}

/** Sends a message; what Huddle replied to it, as JSON text. */
async function say(place: Place, name: PersonaName, text: string): Promise<string> {
  const activity = messageIn(place, name, text);
  const response = await bot.post(activity);
  expect(response.status).toBe(200);
  return JSON.stringify(connector.sent().filter((sent) => sent.replyToId === activity.id));
}

/** Presses a card button; the answer Teams is given (the card that replaces it, or a message), as JSON text. */
async function press(
  place: Place,
  name: PersonaName,
  verb: string,
  data: Record<string, unknown> = {},
): Promise<string> {
  const response = await bot.post({ ...pressIn(place, name, verb, data), replyToId: `card-${verb}` });
  expect(response.status).toBe(200);
  return JSON.stringify(response.body);
}

/** The tables a refused press could have written to, leaving out what the server writes on its own. */
const storedByTurns = async () => {
  // Each sender process notes it is alive every few seconds, whatever people do.
  const { Senders: _alive, ...rest } = await dumpTables(prefix);
  return rest;
};

/** Runs `work` over `items`, a few at a time: enough to keep the table quick, few enough for two cores. */
async function inTurn<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
}

function memberOf(name: PersonaName, unit: string): Member {
  const { who, granted = [], tenantId = TENANT } = persona(name);
  const now = new Date().toISOString();
  return {
    tenantId,
    aadObjectId: who.aadObjectId,
    teamsUserId: who.id,
    name: who.name,
    locale: 'en-GB',
    timeZone: 'Europe/London',
    roles: granted,
    groups: { site: 'Oak View', unit },
    quietHours: NO_QUIET_HOURS,
    personalConversation: {
      user: { id: who.id, name: who.name, aadObjectId: who.aadObjectId },
      bot: BOT,
      conversation: { id: conversationIdOf(who), conversationType: 'personal', tenantId },
      channelId: 'msteams',
      locale: 'en-GB',
      serviceUrl: connector.serviceUrl,
    },
    personalInstalled: true,
    welcomedAt: now,
    createdAt: now,
    updatedAt: now,
  };
}

beforeAll(async () => {
  connector = await startRecordingConnector([], { tenantRate: 50 });
  bot = await startTestHuddle({
    HUDDLE_SCHEDULER_TICK_MS: '200',
    HUDDLE_TABLE_PREFIX: prefix,
    LOG_LEVEL: 'error',
  });
  const registered = (Object.keys(PERSONAS) as PersonaName[]).filter(
    (name) => persona(name).granted !== undefined,
  );
  // Sam works on Rowan, everyone else on Willow: an update to Willow is not sent to Sam.
  await bot.huddle.storage.members.putMany(
    registered.map((name) => memberOf(name, name === 'staff' ? 'Rowan' : 'Willow')),
  );
  const now = new Date().toISOString();
  const initiative: Initiative = {
    tenantId: TENANT,
    id: 'care-plans',
    title: 'Digital care plans',
    why: 'Less paperwork, more time with residents.',
    vision: 'Every plan on a tablet by spring.',
    objectives: [],
    model: 'lewin',
    stages: [{ key: 'change', title: 'Going digital', explanation: '', focus: ['knowledge'] }],
    currentStage: 0,
    audience: { kind: 'all' },
    owners: [PERSONAS.manager.who.aadObjectId],
    champions: [PERSONAS.champion.who.aadObjectId],
    createdAt: now,
    updatedAt: now,
  };
  await bot.huddle.storage.initiatives.put(initiative);
}, 60_000);

afterAll(async () => {
  await bot?.stop();
  await connector?.close();
});

interface Cell {
  place: Place;
  persona: PersonaName;
  /** The sentence that refuses it, or `undefined` when it is allowed. */
  refusal: string | undefined;
}

/** Every command in every place as everyone, with what the declaration says should happen. */
const commandCells = COMMANDS.flatMap((command) =>
  PLACES.flatMap((place) =>
    PERSONA_NAMES.map((name) => {
      const allowedRole = command.roles.some((role) => rolesOf(name).includes(role));
      const refusal = !allowedRole
        ? notAllowed(command.roles)
        : command.personalOnly && place !== 'personal'
          ? personalOnly()
          : undefined;
      return {
        command: command.name,
        text: typed(COMMAND_SYNTAX[command.name]),
        place,
        persona: name,
        refusal,
      };
    }),
  ),
);

/** Every verb in every place as everyone. */
const verbCells = (Object.values(VERBS) as Verb[]).flatMap((verb) =>
  PLACES.flatMap((place) =>
    PERSONA_NAMES.map((name) => {
      const roles = VERB_ROLES[verb] ?? [];
      const refusal = roles.some((role) => rolesOf(name).includes(role))
        ? undefined
        : notAllowed(roles.length === 0 ? ['admin'] : roles);
      return { verb, place, persona: name, refusal };
    }),
  ),
);

const refusals = [...new Set([...COMMANDS.map((command) => notAllowed(command.roles)), personalOnly()])];
const describeCell = (cell: Cell & ({ command: string } | { verb: string })) =>
  `${'command' in cell ? cell.command : cell.verb} as ${cell.persona} in ${cell.place}`;

describe('the authorisation matrix', () => {
  it('declares who may press every verb', () => {
    for (const verb of Object.values(VERBS)) {
      expect(VERB_ROLES[verb], `${verb} has no roles in VERB_ROLES`).toEqual(expect.any(Array));
      expect(VERB_ROLES[verb]?.length, `${verb} may be pressed by nobody`).toBeGreaterThan(0);
    }
  });

  it('registers no card verb outside onAction, which checks VERB_ROLES', async () => {
    const files = (await readdir('src', { recursive: true })).filter((file) => file.endsWith('.ts'));
    const registering: string[] = [];
    for (const file of files) {
      if ((await readFile(join('src', file), 'utf8')).includes('actionExecute(')) registering.push(file);
    }
    expect(registering).toEqual([join('bot', 'actionRoute.ts')]);
  });

  it('refuses every cell the declarations refuse, with the sentence that says why, and stores nothing', async () => {
    const before = await storedByTurns();
    const wrong: string[] = [];
    await inTurn(
      commandCells.filter((cell) => cell.refusal !== undefined),
      async (cell) => {
        const reply = await say(cell.place, cell.persona, cell.text);
        if (!reply.includes(cell.refusal ?? '')) wrong.push(`${describeCell(cell)}: ${reply.slice(0, 300)}`);
      },
    );
    await inTurn(
      verbCells.filter((cell) => cell.refusal !== undefined),
      async (cell) => {
        const answer = await press(cell.place, cell.persona, cell.verb);
        if (!answer.includes(cell.refusal ?? ''))
          wrong.push(`${describeCell(cell)}: ${answer.slice(0, 300)}`);
      },
    );
    expect(wrong).toEqual([]);
    expect(await storedByTurns()).toEqual(before);
  }, 60_000);

  it('is not empty on either side: staff are refused admin work, and admins do it', () => {
    const cell = (command: string, name: PersonaName, place: Place) =>
      commandCells.find((one) => one.command === command && one.persona === name && one.place === place);
    expect(cell('grant', 'staff', 'personal')?.refusal).toBe(
      'Sorry, only someone with the Admin role can do that.',
    );
    expect(cell('grant', 'otherTenant', 'personal')?.refusal).toBeDefined();
    expect(cell('roles', 'admin', 'personal')?.refusal).toBeUndefined();
    expect(cell('myData', 'staff', 'channel')?.refusal).toBe(personalOnly());
    expect(verbCells.find((one) => one.verb === VERBS.pulseStop && one.persona === 'leader')?.refusal).toBe(
      'Sorry, only someone with the Manager role can do that.',
    );
  });

  it('lets staff press only the buttons on their own cards: widening a verb to everyone shows here', () => {
    const everyone = verbCells
      .filter((cell) => cell.persona === 'staff' && cell.place === 'personal' && cell.refusal === undefined)
      .map((cell) => cell.verb)
      .sort();
    expect(everyone).toEqual(
      [
        VERBS.deleteMyDataConfirm,
        VERBS.deleteMyDataCancel,
        VERBS.updateGotIt,
        VERBS.updateConcern,
        VERBS.concernSubmit,
        VERBS.concernBack,
        VERBS.settingsSave,
        VERBS.pulseStep,
        VERBS.pulseSubmit,
        VERBS.pulseEdit,
        VERBS.pulseView,
        VERBS.feedbackOpen,
        VERBS.feedbackSubmit,
        VERBS.safeguardingAnswer,
        VERBS.followUpAnswer,
        VERBS.followUpClose,
        VERBS.championVolunteer,
      ].sort(),
    );
  });
});

/** The data of the `verb` button on the newest card sent to `who`, waiting for the card to arrive. */
const buttonTo = (who: Person, verb: string) =>
  until(
    async () => buttonData(connector, conversationIdOf(who), verb),
    (data) => data !== undefined,
  ) as Promise<Record<string, string>>;
const text = (key: string) => strings[key] ?? key;
/** Waits for every update and follow-up to finish sending, so a dump compares what turns stored. */
const sendsSettled = () =>
  until(
    () => bot.huddle.storage.broadcasts.list(TENANT),
    (list) => list.every((broadcast) => broadcast.status === 'done'),
  );

describe("card data copied from someone else's card", () => {
  it("refuses another person's pulse card, and saves no answer", async () => {
    const pulse = pulseFixture({ id: 'pulse-authz' });
    await bot.huddle.storage.pulses.create(pulse);
    await bot.huddle.storage.rounds.createMissing(newRound(pulse, 1));
    const priyas = await buttonTo(PERSONAS.champion.who, VERBS.pulseStep);
    await sendsSettled();
    const before = await storedByTurns();

    // A step carries which question is next; the submit and the edit carry the card's reference alone.
    const { step: _step, changing: _changing, ...reference } = priyas;
    const copied = {
      [VERBS.pulseStep]: priyas,
      [VERBS.pulseSubmit]: { ...reference, q_mood: '4' },
      [VERBS.pulseEdit]: reference,
    };
    for (const [verb, data] of Object.entries(copied)) {
      expect(await press('personal', 'staff', verb, data), verb).toContain(text('pulse.notYours'));
      expect(await press('personal', 'otherTenant', verb, data), verb).toContain(text('pulse.notYours'));
    }
    expect(await storedByTurns()).toEqual(before);
    // The same card data is good for the person it was sent to.
    expect(await press('personal', 'champion', VERBS.pulseSubmit, copied[VERBS.pulseSubmit])).not.toContain(
      text('pulse.notYours'),
    );
    expect((await storedByTurns()).Answers).toHaveLength((before.Answers?.length ?? 0) + 1);
  });

  it("refuses someone else's follow-up on a comment: they can neither answer the manager nor close it", async () => {
    expect(
      await press(
        'personal',
        'staff',
        VERBS.feedbackSubmit,
        feedbackForm('The night rota leaves Rowan short every weekend.'),
      ),
    ).toContain('Thank you');
    const [comment] = (await storedByTurns()).Comments as { partitionKey: string; rowKey: string }[];
    const week = comment?.partitionKey.split('|').at(-1) ?? '';
    const ref = { commentId: comment?.rowKey ?? '', initiativeId: '', week };
    expect(
      await press('personal', 'manager', VERBS.followUpReply, {
        ...ref,
        input: 'text',
        view: 'thread',
        text: 'Thank you. Which weekends were worst?',
      }),
    ).toContain(text('followUp.sent'));
    const samsAnswer = await buttonTo(PERSONAS.staff.who, VERBS.followUpAnswer);
    await sendsSettled();
    const before = await storedByTurns();

    const answer = { ...samsAnswer, [samsAnswer.input ?? 'text']: 'Every one in November.' };
    expect(await press('personal', 'champion', VERBS.followUpAnswer, answer)).toContain(
      text('followUp.notYours'),
    );
    expect(await press('personal', 'champion', VERBS.followUpClose, { ...ref, as: 'writer' })).toContain(
      text('followUp.notYours'),
    );
    expect(await press('personal', 'leader', VERBS.followUpClose, { ...ref, as: 'manager' })).toContain(
      notAllowed(['manager']),
    );
    expect(await press('personal', 'otherTenant', VERBS.followUpAnswer, answer)).not.toContain(
      'Every one in November',
    );
    expect(await storedByTurns()).toEqual(before);
    // The writer's own answer goes through.
    expect(await press('personal', 'staff', VERBS.followUpAnswer, answer)).not.toContain(
      text('followUp.notYours'),
    );
  });

  it('does not count "Got it" on an update that was not sent to the person pressing it', async () => {
    const draft = {
      headline: 'Willow handover moves to 7.30',
      message: 'From Monday the morning handover on Willow starts at 7.30.',
      audience: 'unit:Willow',
      when: 'now',
      urgent: 'false',
    };
    await press('personal', 'manager', VERBS.broadcastConfirm, draft);
    const broadcast = (await sendsSettled()).find((sent) => sent.content.headline === draft.headline);
    const gotIt = { broadcastId: broadcast?.id ?? '' };
    const before = await storedByTurns();

    expect(await press('personal', 'staff', VERBS.updateGotIt, gotIt)).toContain(text('update.notSentToYou'));
    expect(await press('personal', 'otherTenant', VERBS.updateGotIt, gotIt)).toContain(text('update.gone'));
    expect(await storedByTurns()).toEqual(before);
    // Someone it was sent to is counted.
    expect(await press('personal', 'champion', VERBS.updateGotIt, gotIt)).toContain(text('update.thanks'));
    expect(
      (await bot.huddle.storage.deliveries.get(gotIt.broadcastId, PERSONAS.champion.who.aadObjectId))
        ?.delivery.acknowledgedAt,
    ).toBeDefined();
    // And counted on the manager's figures, once the scheduler next counts them.
    await until(
      () => bot.huddle.storage.broadcasts.get(TENANT, gotIt.broadcastId),
      (counted) => counted?.figures?.acknowledged === 1,
    );
  });
  it('shows a manager of another tenant nothing of this one, and lets them change nothing in it', async () => {
    const stored = await sendsSettled();
    const update = stored.find((sent) => sent.content.headline.startsWith('Willow handover'));
    const [comment] = (await storedByTurns()).Comments as {
      partitionKey: string;
      rowKey: string;
      day: string;
    }[];
    const ref = {
      commentId: comment?.rowKey ?? '',
      initiativeId: '',
      week: comment?.partitionKey.split('|').at(-1),
    };
    const before = await storedByTurns();

    const answers: string[] = [];
    for (const command of [
      'comments',
      'broadcasts',
      'results',
      'initiatives',
      'roles',
      'escalations',
      'digest',
    ])
      answers.push(await say('personal', 'otherTenantManager', command));
    const pressed: [Verb, Record<string, unknown>][] = [
      [VERBS.broadcastCancel, { broadcastId: update?.id }],
      [VERBS.broadcastResend, { broadcastId: update?.id }],
      [VERBS.pulseStop, { pulseId: 'pulse-authz' }],
      [VERBS.resultsExport, { pulseId: 'pulse-authz', round: '1' }],
      [VERBS.commentPassOn, ref],
      [VERBS.commentPassOnConfirm, ref],
      [VERBS.commentsOlder, { fromDay: comment?.day, fromId: comment?.rowKey }],
      [VERBS.commentTheme, { ...ref, input: 'theme0', theme0: 'workload' }],
      [VERBS.followUpReply, { ...ref, input: 'text', view: 'thread', text: 'Hello from elsewhere' }],
      [VERBS.followUpClose, { ...ref, as: 'manager' }],
      [VERBS.digestOpen, { initiativeId: 'care-plans' }],
      [VERBS.advanceConfirm, { initiativeId: 'care-plans', stage: '0', cycle: '1' }],
    ];
    for (const [verb, data] of pressed)
      answers.push(await press('personal', 'otherTenantManager', verb, data));

    const ours = [
      'Rowan short',
      'Willow handover',
      'Digital care plans',
      'Alex Manager',
      'Sam Staff',
      'change going',
    ];
    for (const answer of answers) for (const words of ours) expect(answer).not.toContain(words);
    expect(await storedByTurns()).toEqual(before);
  });
});

// Last: the allowed cells include deleting one's own data, which takes the person's roles with it (so
// those cells go after all the others).
describe('the authorisation matrix, allowed side', () => {
  it('lets through every cell the declarations allow, with no refusal', async () => {
    const wrong: string[] = [];
    await inTurn(
      commandCells.filter((cell) => cell.refusal === undefined),
      async (cell) => {
        const reply = await say(cell.place, cell.persona, cell.text);
        if (reply === '[]' || refusals.some((refusal) => reply.includes(refusal)))
          wrong.push(`${describeCell(cell)}: ${reply.slice(0, 300)}`);
      },
    );
    const allowed = verbCells.filter((one) => one.refusal === undefined);
    const pressAllowed = async (cell: (typeof allowed)[number]) => {
      const answer = await press(cell.place, cell.persona, cell.verb);
      if (refusals.some((refusal) => answer.includes(refusal)))
        wrong.push(`${describeCell(cell)}: ${answer.slice(0, 300)}`);
    };
    const deleting = (cell: (typeof allowed)[number]) => cell.verb === VERBS.deleteMyDataConfirm;
    await inTurn(
      allowed.filter((cell) => !deleting(cell)),
      pressAllowed,
    );
    await inTurn(allowed.filter(deleting), pressAllowed);
    expect(wrong).toEqual([]);
  }, 60_000);
});
