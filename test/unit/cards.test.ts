import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { actionFormCard, actionFromThemeCard, actionsCard } from '../../src/cards/actionCards.js';
import { advanceConfirmCard } from '../../src/cards/advanceCards.js';
import { composeCard, previewCard } from '../../src/cards/broadcastCards.js';
import {
  deleteConfirmCard,
  helpCard,
  myDataCard,
  nearCommandCard,
  noticeCard,
  rolesCard,
  welcomeCard,
} from '../../src/cards/cards.js';
import {
  championCard,
  championInviteCard,
  championInvitePreviewCard,
  championNoteCard,
  invitationWords,
} from '../../src/cards/championCards.js';
import { digestCard, digestOverviewCard, digestScheduleCard } from '../../src/cards/digestCards.js';
import {
  commentFormCard,
  commentOfferCard,
  escalationsCard,
  safeguardingAlertCard,
  safeguardingQuestionCard,
  safeguardingWriterCard,
} from '../../src/cards/feedbackCards.js';
import { commentsCard, followUpCard } from '../../src/cards/followUpCards.js';
import { initiativeFormCard, initiativesCard, stagesFormCard } from '../../src/cards/initiativeCards.js';
import { listsCard, settingsCard, whatsChangingCard } from '../../src/cards/memberCards.js';
import {
  pulseCard,
  pulseChannelCard,
  pulseFormCard,
  pulseItemsCard,
  pulseStatusCard,
  pulseThanksCard,
} from '../../src/cards/pulseCards.js';
import { pulseResultsCard } from '../../src/cards/pulseResultsCard.js';
import { reachCard } from '../../src/cards/reachCard.js';
import type { Card } from '../../src/cards/render.js';
import { broadcastsCard, progressCard, updateCard } from '../../src/cards/updateCards.js';
import { VERB_ROLES, type Verb } from '../../src/cards/verbs.js';
import type { Broadcast, Figures, UpdateContent } from '../../src/domain/broadcasts/broadcast.js';
import { EMPTY_DRAFT } from '../../src/domain/broadcasts/broadcasting.js';
import { commandsFor } from '../../src/domain/chat/commands.js';
import type { Digest } from '../../src/domain/digest/digest.js';
import type { DigestFigures } from '../../src/domain/digest/figures.js';
import type { Comment, ThreadMessage } from '../../src/domain/feedback/comment.js';
import type { Escalation } from '../../src/domain/feedback/safeguarding.js';
import { defaultStages, type Initiative } from '../../src/domain/initiatives/initiative.js';
import type { MyData } from '../../src/domain/people/myData.js';
import { noneUnreached } from '../../src/domain/people/reach.js';
import type { Role } from '../../src/domain/people/roles.js';
import type { PulseRound } from '../../src/domain/pulses/pulse.js';
import type { PulseSettingsInput } from '../../src/domain/pulses/pulseForm.js';
import { type RoundResults, roundResults } from '../../src/domain/pulses/pulseResults.js';
import { Localizer } from '../../src/i18n/strings.js';
import { cardsDir } from '../../src/paths.js';
import { lowContrastColours } from '../support/contrast.js';
import { pulseFixture } from '../support/pulses.js';

// The ESM build of adaptivecards does not load in plain Node (extensionless imports); the UMD build does.
const AC = createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js');

const t = new Localizer().for('en-GB');
const pulse = pulseFixture({
  tenantId: 't',
  id: 'p1',
  items: [
    {
      id: 'aware-why',
      kind: 'agree5',
      dimension: 'awareness',
      text: 'I understand why we are making this change.',
    },
    { id: 'mood', kind: 'mood', text: 'How are you feeling at work this week?' },
    { id: 'enps', kind: 'scale10', dimension: 'enps', text: 'How likely are you to recommend working here?' },
    { id: 'choice', kind: 'choice', text: 'Which shift?', options: ['Days', 'Nights'] },
    { id: 'open-easier', kind: 'text', text: 'What one thing would make this change easier for you?' },
  ],
  opensAt: '2026-11-23T10:00:00.000Z',
  closesAt: '2026-11-28T17:00:00.000Z',
});
const pulseSettings: PulseSettingsInput = {
  title: pulse.title,
  initiativeId: '',
  template: 'stage',
  audience: 'all',
  opens: 'now',
  openDate: '',
  openTime: '',
  closeDate: '2026-11-28',
  closeTime: '17:00',
  cadence: 'once',
  anonymity: 'anonymous',
  where: 'chats',
};
const round: PulseRound = {
  tenantId: 't',
  pulseId: 'p1',
  number: 1,
  opensAt: pulse.opensAt,
  closesAt: pulse.closesAt,
  reminders: [{ at: '2026-11-25T10:00:00.000Z', sent: false }],
  status: 'open',
  recipients: 10,
  recipientsByGroup: {},
};
const content: UpdateContent = {
  headline: 'Digital care plans go live on Willow',
  message: 'From Monday, care notes on Willow are written on the handheld devices.',
  initiativeTitle: 'Digital care planning',
  why: 'Paper notes get lost between shifts.',
  whatItMeans: 'Notes at the point of care, no double writing.',
  from: '2026-12-07',
  until: '2026-12-20',
  whoToAsk: ['Alex Wilber', 'Grace Hughes'],
  imageUrl: 'https://example.com/device.png',
  link: 'https://example.com/guide',
};
const escalation: Escalation = {
  tenantId: 'tenant',
  id: 'e1',
  commentId: 'c1',
  text: 'I saw a carer push Mr T back into his chair.',
  anonymous: true,
  flaggedBy: 'both',
  status: 'acknowledged',
  raisedAt: '2026-11-20T02:10:00.000Z',
  alerts: 2,
  nextAlertAt: '2026-11-20T02:40:00.000Z',
  acknowledgedBy: { aadObjectId: 'lead', name: 'Sam Patel' },
  acknowledgedAt: '2026-11-20T02:31:00.000Z',
  timeline: [
    { at: '2026-11-20T02:10:00.000Z', event: 'raised', by: 'both' },
    { at: '2026-11-20T02:10:00.000Z', event: 'alerted' },
    { at: '2026-11-20T02:25:00.000Z', event: 'resent' },
    { at: '2026-11-20T02:31:00.000Z', event: 'acknowledged', by: 'Sam Patel' },
  ],
};
const figures: Figures = {
  recipients: 40,
  sent: 30,
  failed: 1,
  gone: 1,
  pending: 8,
  waiting: 5,
  skipped: 0,
  unconfirmed: 1,
  acknowledged: 12,
  concerns: 2,
};
const broadcast: Broadcast = {
  tenantId: 't',
  id: 'b1',
  content,
  audience: { kind: 'all' },
  urgent: false,
  sendAt: '2026-11-23T10:00:00.000Z',
  status: 'sending',
  createdBy: { aadObjectId: 'a', name: 'Alex Wilber', locale: 'en-GB', timeZone: 'Europe/London' },
  recipients: 40,
  createdAt: '2026-11-23T10:00:00.000Z',
  updatedAt: '2026-11-23T10:00:00.000Z',
};
const initiative: Initiative = {
  tenantId: 't',
  id: 'dcp',
  title: 'Digital care planning',
  why: 'Paper plans get lost.',
  vision: 'One plan on every device.',
  objectives: [],
  model: 'lewin',
  stages: defaultStages('lewin', (key) => t(key)),
  currentStage: 0,
  audience: { kind: 'all' },
  owners: ['a'],
  champions: [],
  createdAt: '2026-11-23T10:00:00.000Z',
  updatedAt: '2026-11-23T10:00:00.000Z',
};
const allOption = {
  key: 'all',
  audience: { kind: 'all' as const },
  label: { key: 'broadcast.audience.all', values: {} },
  reachable: 40,
};
const followedUp: Comment = {
  tenantId: 't',
  id: 'c1',
  source: 'feedback',
  initiativeId: 'i1',
  text: 'The new handover sheet takes twice as long on nights.',
  anonymous: true,
  groups: {},
  week: '2026-W48',
  day: '2026-11-23',
  analysis: {
    primaryTheme: 'workload_time',
    themes: ['workload_time'],
    sentiment: -0.4,
    resistance: 'low',
    resistanceKind: 'cognitive',
    safeguarding: false,
    by: 'local',
  },
  replyHandle: 'sealed',
};
const thread: ThreadMessage[] = [
  {
    tenantId: 't',
    commentId: 'c1',
    id: 'm1',
    from: 'manager',
    manager: { aadObjectId: 'm', name: 'Alex Wilber' },
    text: 'Which part takes longest?',
    at: '2026-11-23T10:00:00Z',
  },
  {
    tenantId: 't',
    commentId: 'c1',
    id: 'm2',
    from: 'writer',
    manager: { aadObjectId: 'm', name: 'Alex Wilber' },
    text: 'The medication part.',
    at: '2026-11-23T11:00:00Z',
  },
];

const safeguarding = {
  procedure: 'If someone is in immediate danger, call 999.',
  contacts: 'The registered manager.',
};

const sampleResults = roundResults({
  items: pulse.items,
  answers: Array.from({ length: 6 }, (_, n) => ({
    values: { 'aware-why': (n % 5) + 1, mood: 3, enps: n + 4, choice: n % 2 },
    groups: { unit: n < 3 ? 'Willow' : 'Rowan' },
  })),
  recipients: 10,
  recipientsByGroup: {},
  threshold: 3,
});
/** Results whose every figure is shown again as it was published at `at`. */
const asPublished = (results: RoundResults, at: string): RoundResults => ({
  ...results,
  overall: results.overall && { ...results.overall, asPublished: { at } },
  groups: results.groups.map((group) => ({ ...group, asPublished: { at } })),
});

/** A week with every section filled: a trend to chart, themes, a quote, a group resisting, next steps. */
const digest: Digest = {
  initiative: { id: 'care-plans', title: 'Digital care plans' },
  period: { from: '2026-11-23T08:00:00Z', to: '2026-11-30T08:00:00Z' },
  figures: {
    week: '2026-W49',
    stage: {
      index: 1,
      count: 3,
      title: 'Going digital',
      daysIn: 10,
      behindDays: 3,
      plannedEnd: '2026-11-27',
    },
    kpis: [
      {
        objective: 'Every plan digital by March',
        name: 'Plans digitised',
        unit: '%',
        baseline: 0,
        target: 100,
        latest: { value: 40, on: '2026-11-20' },
      },
    ],
    engagement: { updatesSent: 1, reached: 9, acknowledgementRate: 56, concerns: 2, pulseResponseRate: 71 },
    readiness: {
      index: 45,
      dimensions: [{ dimension: 'knowledge', score: 2.6 }],
      barriers: ['knowledge'],
      enps: 10,
      answers: 10,
      publishedAt: '2026-11-26T09:00:00Z',
    },
    themes: {
      total: 11,
      top: [
        { theme: 'training_gap', count: 6 },
        { theme: 'workload_time', count: 5 },
      ],
      sources: { writer: 6, manager: 0, classifier: 5 },
    },
    resistance: [
      {
        group: 'shiftPattern:Nights',
        score: 64,
        level: 'high',
        drivers: [{ kind: 'silence', responseRate: 0.38 }],
      },
    ],
    safeguarding: { raised: 2, acknowledgedInTime: 1, waiting: 0 },
    // None decided yet: closure rate and median days have no figure.
    actions: { open: 1, overdue: 0, doneThisWeek: 0 },
  },
  trend: [
    { week: '2026-W48', readiness: 54 },
    { week: '2026-W49', readiness: 45 },
  ],
  quotes: [
    {
      ref: { tenantId: 't', initiativeId: 'care-plans', week: '2026-W49', id: 'c1' },
      theme: 'training_gap',
      text: 'Nobody showed nights how to use the tablets.',
    },
  ],
  nextSteps: [{ id: 'championDropIns', because: { kind: 'barrier', dimension: 'knowledge' } }],
  champions: [
    { group: { field: 'unit', value: 'Willow' }, champions: ['Priya Shah', 'Sean Doyle'] },
    { group: { field: 'shiftPattern', value: 'Nights' }, champions: [] },
  ],
};

/**
 * The comments card as a manager sees it with one comment on the first page; each case changes what it is
 * about.
 */
function oneComment(
  comment: Comment,
  change: Partial<Parameters<typeof commentsCard>[1]> = {},
  messages: ThreadMessage[] = [],
): Card {
  return commentsCard(t, {
    threads: [{ comment, messages, open: true }],
    page: { first: 1, start: undefined, older: undefined },
    total: 1,
    withSafeguarding: 0,
    awaitingWriter: 0,
    waiting: 0,
    threshold: 5,
    themeSources: { writer: 1, manager: 0, classifier: 0 },
    canReply: true,
    canChangeTheme: true,
    initiativeTitles: new Map(),
    timeZone: 'Europe/London',
    ...change,
  });
}

/** What `my data` shows for a carer, for the cards that differ in one field. */
const someonesData: MyData = {
  name: 'Grace Hughes',
  roles: ['staff'],
  groups: {},
  locale: 'en-GB',
  timeZone: 'Europe/London',
  quietHours: { start: '21:00', end: '07:00' },
  personalChatInstalled: true,
  firstSeen: '2026-11-01T09:00:00.000Z',
  lastUpdated: '2026-11-20T09:00:00.000Z',
};

const samples: Record<string, Card> = {
  'action-form': actionFormCard(t, {
    values: {
      heard: 'Nights have no time to learn',
      willDo: 'Drop-ins at 22:00',
      owner: 'm',
      due: '2026-12-15',
      initiativeId: '',
      audience: 'all',
      fromCommentId: 'c1',
      fromInitiativeId: '',
      fromWeek: '2026-W49',
      fromTheme: '',
      commentsDay: '2026-11-30',
      commentsId: 'c9',
    },
    owners: [{ aadObjectId: 'm', name: 'Alex Wilber' }],
    initiatives: [],
    options: [
      {
        key: 'all',
        audience: { kind: 'all' },
        label: { key: 'broadcast.audience.all', values: {} },
        reachable: 40,
      },
    ],
    errors: [{ key: 'action.error.duePast', values: {} }],
  }),
  'action-from-theme': actionFromThemeCard(t, {
    themes: ['training_gap', 'workload_time'],
    initiativeId: 'care-plans',
  }).card,
  actions: actionsCard(t, {
    actions: [
      {
        tenantId: 't',
        id: 'a1',
        heard: 'Nights have no time to learn the tablets',
        willDo: 'Champion-led drop-ins at 22:00 on each night shift',
        owner: { aadObjectId: 'm', name: 'Alex Wilber' },
        due: '2026-11-20',
        audience: 'all',
        status: 'open',
        createdBy: { aadObjectId: 'm', name: 'Alex Wilber' },
        createdAt: '2026-11-10T09:00:00Z',
        updatedAt: '2026-11-10T09:00:00Z',
        published: [],
      },
    ],
    today: '2026-12-01',
    canManage: true,
  }),
  champion: championCard(t, {
    broadcast: {
      id: 'b1',
      content: { headline: 'Would you like to be a change champion?', message: 'Say yes.' },
    },
    step: 'volunteered',
    initiative: { id: 'care-plans', title: 'Digital care plans' },
    volunteer: { aadObjectId: 'v1', name: 'Priya Shah', groups: { unit: 'Willow', shiftPattern: 'Nights' } },
  }),
  'champion-invite': championInviteCard(t, {
    initiative,
    options: [
      {
        key: 'all',
        audience: { kind: 'all' },
        label: { key: 'broadcast.audience.all', values: {} },
        reachable: 40,
      },
    ],
    audience: 'all',
    errors: [],
  }),
  'champion-invite-preview': championInvitePreviewCard(t, {
    initiative,
    audience: {
      key: 'unit:Willow',
      audience: { kind: 'groups', groups: [{ unit: 'Willow' }] },
      label: { key: 'broadcast.audience.unit', values: { value: 'Willow' } },
      reachable: 6,
    },
    recipients: 6,
    reach: { reachable: 6, installing: 0, unreachable: { ...noneUnreached(), notInTeam: 2 } },
    words: invitationWords(t, initiative, 'Alex Wilber'),
    previewId: 'p1',
  }),
  digest: digestCard(t, digest, { audience: 'leader', manages: true, today: '2026-11-30' }),
  'digest-overview': digestOverviewCard(t, [digest]),
  'digest-schedule': digestScheduleCard(t, {
    schedule: { weekday: 1, time: '08:00' },
    timeZone: 'Europe/London',
    error: 'Choose a day and a time like 08:00.',
    saved: true,
  }),
  welcome: welcomeCard(t, { name: 'Grace Hughes', anonymityThreshold: 5 }),
  help: helpCard(t, commandsFor(['staff', 'admin'])),
  'near-command': nearCommandCard(t, 'results'),
  'my-data': myDataCard(t, {
    ...someonesData,
    userPrincipalName: 'grace@oakview.example',
    roles: ['staff', 'manager'],
    groups: { site: 'Oak View', unit: 'Willow', jobRole: 'Senior carer', shiftPattern: 'nights' },
  }),
  'delete-confirm': deleteConfirmCard(t),
  notice: noticeCard('Nothing was deleted.'),
  roles: rolesCard(t, [
    { name: 'Alex Wilber', userPrincipalName: 'alexw@example.com', roles: ['admin'], configured: ['admin'] },
  ]),
  update: updateCard(t, { broadcastId: 'b1', content, urgent: true, state: { kind: 'open' } }),
  // Every optional part at once: the safeguarding lead-in, the changes to choose from, an error.
  'comment-form': commentFormCard(t, {
    purpose: 'harm',
    sendVerb: 'feedback.submit',
    data: { purpose: 'harm' },
    initiatives: [{ id: 'i1', title: 'Digital care planning' }],
    text: 'Night staff leave Mr P in wet pads until the morning.',
    harm: true,
    error: 'Write something first.',
    safeguarding,
  }),
  'comment-offer': commentOfferCard(t, {
    text: 'Night staff leave Mr P in wet pads.',
    cut: true,
    safeguarding,
  }),
  'safeguarding-writer': safeguardingWriterCard(t, { anonymous: true, ...safeguarding }),
  'safeguarding-question': safeguardingQuestionCard(t, { ...safeguarding, escalationId: 'e1', token: 'tok' }),
  'safeguarding-alert': safeguardingAlertCard(t, { escalation, alert: 2, timeZone: 'Europe/London' }),
  escalations: escalationsCard(
    t,
    [escalation, { ...escalation, id: 'e2', status: 'raised' }],
    'Europe/London',
  ),
  comments: commentsCard(t, {
    threads: [
      { comment: followedUp, messages: thread, open: true },
      {
        comment: { ...followedUp, id: 'c2', anonymous: false, author: { aadObjectId: 'a', name: 'Sam' } },
        messages: [],
        open: false,
      },
    ],
    // The second page, with a third to come, and "Pass to the safeguarding lead" pressed under c2.
    page: {
      first: 11,
      start: { day: followedUp.day, id: followedUp.id },
      older: { day: followedUp.day, id: 'c9' },
    },
    confirming: 'c2',
    total: 34,
    withSafeguarding: 2,
    awaitingWriter: 1,
    waiting: 3,
    threshold: 5,
    themeSources: { writer: 9, manager: 2, classifier: 3 },
    canReply: true,
    canChangeTheme: true,
    initiativeTitles: new Map([['i1', 'Digital care planning']]),
    timeZone: 'Europe/London',
    status: { commentId: 'c1', text: 'Write something first.', good: false, draft: '' },
  }),
  'follow-up': followUpCard(t, {
    viewer: 'writer',
    comment: followedUp,
    messages: thread,
    open: true,
    timeZone: 'Europe/London',
  }),
  'broadcast-compose': composeCard(t, {
    values: EMPTY_DRAFT,
    options: [allOption],
    errors: [
      {
        key: 'broadcast.error.tooLong',
        values: { field: 'broadcast.label.headline', length: 130, max: 120 },
      },
    ],
    context: 'Stage update',
    timeZone: 'Europe/London',
  }),
  'broadcast-preview': previewCard(t, {
    input: { ...EMPTY_DRAFT, headline: content.headline, message: content.message },
    draft: {
      audience: allOption,
      urgent: false,
      sendAt: undefined,
      initiative: undefined,
      stageIndex: undefined,
      content,
    },
    recipients: 40,
    reach: {
      reachable: 40,
      installing: 0,
      unreachable: { ...noneUnreached(), notInTeam: 3, left: 1 },
    },
    inQuietHours: 6,
    timeZone: 'Europe/London',
  }),
  'broadcast-progress': progressCard(t, broadcast, figures),
  reach: reachCard(
    t,
    {
      overall: {
        reachable: 40,
        installing: 0,
        unreachable: { ...noneUnreached(), notInTeam: 3, left: 1, blocked: 1 },
      },
      groups: [
        {
          site: 'Oak View',
          unit: 'Willow',
          count: {
            reachable: 25,
            installing: 0,
            unreachable: { ...noneUnreached(), notInTeam: 3, blocked: 1 },
          },
        },
        {
          count: {
            reachable: 15,
            installing: 0,
            unreachable: { ...noneUnreached(), left: 1 },
          },
        },
      ],
    },
    true,
  ),
  broadcasts: broadcastsCard(t, [{ broadcast, figures }]),
  settings: settingsCard(t, {
    quietHours: { start: '09:00', end: '17:00' },
    timeZone: 'Europe/London',
    saved: true,
  }),
  'initiative-form': initiativeFormCard(t, {
    values: {
      title: '',
      why: '',
      vision: '',
      model: 'kotter',
      audience: 'all',
      owners: 'a',
      champions: '',
      objectives: [],
    },
    groups: [{ key: 'unit:Willow', field: 'unit', value: 'Willow' }],
    people: [{ aadObjectId: 'a', name: 'Alex Wilber' }],
    errors: [{ key: 'initiative.error.noObjective', values: {} }],
  }),
  'stages-form': stagesFormCard(t, { initiative, errors: [], saved: true }),
  initiatives: initiativesCard(t, [initiative], () => 'Alex Wilber', ['staff', 'manager']),
  'advance-stage': advanceConfirmCard(t, initiative, { ...initiative, currentStage: 1 }),
  lists: listsCard(t, {
    lists: [
      {
        tenantId: 't',
        id: 'l1',
        name: 'Night seniors',
        memberIds: ['a'],
        createdBy: 'a',
        createdAt: '',
        updatedAt: '',
      },
    ],
    people: [{ aadObjectId: 'a', name: 'Alex Wilber' }],
    message: { text: 'Saved.', good: true },
  }),
  pulse: pulseCard(t, {
    pulse,
    round,
    token: 'tok',
    groups: { site: 'Oak View', unit: 'Willow' },
    initiativeTitle: initiative.title,
    timeZone: 'Europe/London',
    values: { 'aware-why': 4 },
    errors: [{ key: 'pulse.error.unanswered', values: { question: 'I want this change to work.' } }],
    reminder: true,
  }),
  'pulse-thanks': pulseThanksCard(t, {
    pulse,
    round,
    token: 'tok',
    groups: {},
    timeZone: 'Europe/London',
    values: { 'aware-why': 4, mood: 2, enps: 10, choice: 1, 'open-easier': 'More time.' },
    now: new Date('2026-11-24T10:00:00Z'),
  }),
  'pulse-form': pulseFormCard(t, {
    values: { ...pulseSettings, title: '', initiativeId: 'dcp', cadence: 'weekly' },
    audiences: [allOption],
    initiatives: [initiative],
    channels: [{ conversationId: '19:nights@thread.tacv2', name: 'Night staff' }],
    partial: [{ initiative: 'Digital care planning', groups: 'Oak View · Willow', count: 12 }],
    errors: [{ key: 'pulse.error.titleMissing', values: {} }],
    timeZone: 'Europe/London',
    threshold: 5,
  }),
  'pulse-channel': pulseChannelCard(t, {
    pulse,
    round,
    initiativeTitle: 'Digital care planning',
    userIds: ['29:user-1', '29:user-2'],
    timeZone: 'Europe/London',
  }),
  'pulse-items': pulseItemsCard(t, {
    settings: { ...pulseSettings, anonymity: 'confidential' },
    pulse: {
      title: pulse.title,
      initiative: undefined,
      template: 'stage',
      audience: allOption,
      opensAt: undefined,
      closesAt: new Date('2026-11-28T17:00:00Z'),
      cadence: 'once',
      anonymity: 'confidential',
      items: pulse.items,
      channel: { conversationId: '19:nights@thread.tacv2', name: 'Night staff' },
    },
    edits: {
      itemIds: ['aware-why', 'mood'],
      keep: { mood: false },
      wording: {},
      custom: { kind: 'choice', text: 'Which shift?', options: 'Days, Nights' },
    },
    recipients: 40,
    reach: {
      reachable: 30,
      installing: 0,
      unreachable: { ...noneUnreached(), blocked: 2 },
    },
    errors: [],
    timeZone: 'Europe/London',
    reminders: [new Date('2026-11-25T10:00:00Z')],
  }),
  'pulse-status': pulseStatusCard(t, { pulse, round, recipients: 40 }),
  'pulse-results': pulseResultsCard(t, {
    rounds: [
      {
        pulse,
        round,
        results: sampleResults,
        themes: {
          counts: [
            { theme: 'training_gap', count: 3 },
            { theme: 'workload_time', count: 2 },
          ],
          sources: { writer: 3, manager: 1, classifier: 1 },
          total: 5,
        },
      },
      // Two answers later: the figures stay as published, and say so.
      {
        pulse,
        round,
        results: { ...asPublished(sampleResults, '2026-11-24T09:00:00Z'), answers: 8, responseRate: 80 },
      },
    ],
    threshold: 3,
    timeZone: 'Europe/London',
    canAct: true,
  }),
  'whats-changing': whatsChangingCard(
    t,
    [
      {
        title: 'Digital care planning',
        stageNumber: 2,
        stageCount: 8,
        stageTitle: 'Building the team',
        content,
      },
    ],
    { unit: 'Willow' },
  ),
};

function validationEvents(card: Card): string[] {
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, context);
  const events: string[] = [];
  for (let i = 0; i < context.eventCount; i++) {
    const { message } = context.getEventAt(i);
    // Teams' charts are newer than this validator; each must carry a fallback, checked in chartsWithoutFallback.
    if (!/^Unknown element type "Chart\.[A-Za-z.]+"\. Fallback will be used if present\.$/.test(message))
      events.push(message);
  }
  for (const event of parsed.validateProperties().validationEvents) events.push(event.message);
  return events;
}

/** Every chart element of a card (Teams' Chart.* types). */
function charts(node: unknown): Record<string, unknown>[] {
  if (Array.isArray(node)) return node.flatMap(charts);
  if (typeof node !== 'object' || node === null) return [];
  const record = node as Record<string, unknown>;
  const own = typeof record.type === 'string' && record.type.startsWith('Chart.') ? [record] : [];
  return [...own, ...Object.values(record).flatMap(charts)];
}

/** Chart elements a host without charts (Agents Playground, older Teams clients) would drop silently. */
const chartsWithoutFallback = (node: unknown): string[] =>
  charts(node)
    .filter((chart) => chart.fallback === undefined)
    .map((chart) => String(chart.type));

/** The titles and values of every fact: Teams reads them as Markdown, as it does a TextBlock's text. */
function factTexts(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(factTexts);
  if (typeof node !== 'object' || node === null) return [];
  const record = node as Record<string, unknown>;
  const own =
    record.type === 'FactSet' && Array.isArray(record.facts)
      ? (record.facts as { title: string; value: string }[]).flatMap((fact) => [fact.title, fact.value])
      : [];
  return [...own, ...Object.values(record).flatMap(factTexts)];
}

function textBlocks(node: unknown): Record<string, unknown>[] {
  if (Array.isArray(node)) return node.flatMap(textBlocks);
  if (typeof node !== 'object' || node === null) return [];
  const record = node as Record<string, unknown>;
  const own = record.type === 'TextBlock' ? [record] : [];
  return [...own, ...Object.values(record).flatMap(textBlocks)];
}

/**
 * Texts and fact values that Markdown reads as an empty list item ("-" alone), which Teams and the Playground
 * draw as a blank or a stray bullet, so a "no figure" would look like a missing line.
 */
function bareListMarkers(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(bareListMarkers);
  if (typeof node !== 'object' || node === null) return [];
  const record = node as Record<string, unknown>;
  const shown = [record.type === 'TextBlock' ? record.text : undefined, record.title && record.value].filter(
    (value): value is string => typeof value === 'string' && /^\s*[-*+]\s*$/.test(value),
  );
  return [...shown, ...Object.values(record).flatMap(bareListMarkers)];
}

/**
 * Labels of required inputs whose error message says nothing more than the label itself (or is missing):
 * under an empty "Value" box Teams would print "Value" in red, which tells nobody what to do.
 */
function requiredWithoutHelp(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(requiredWithoutHelp);
  if (typeof node !== 'object' || node === null) return [];
  const record = node as Record<string, unknown>;
  const own =
    record.isRequired === true && (record.errorMessage === undefined || record.errorMessage === record.label)
      ? [String(record.label ?? record.id)]
      : [];
  return [...own, ...Object.values(record).flatMap(requiredWithoutHelp)];
}

describe('card templates', () => {
  it('every template in /cards has a typed render function exercised here', () => {
    const templates = readdirSync(cardsDir)
      .filter((file) => file.endsWith('.json'))
      .map((file) => file.replace(/\.json$/, ''));
    expect(Object.keys(samples).sort()).toEqual(templates.sort());
  });

  it.each(Object.entries(samples))('%s expands to a valid Adaptive Card 1.5 for Teams', (_name, card) => {
    expect(card.type).toBe('AdaptiveCard');
    expect(card.version).toBe('1.5');
    expect(validationEvents(card)).toEqual([]);
    expect(chartsWithoutFallback(card)).toEqual([]);
    expect(JSON.stringify(card)).not.toMatch(/\$\{|\$data|\$when/);
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(80 * 1024);
    // Readable in Teams' light theme: every text colour at least WCAG AA (4.5:1) on its container.
    expect(lowContrastColours(card)).toEqual([]);
    for (const block of textBlocks(card.body)) expect(block.wrap, String(block.text)).toBe(true);
    expect(bareListMarkers(card.body)).toEqual([]);
    // en-GB writes a percentage with no space: "40%", never "40 %".
    expect(JSON.stringify(card)).not.toMatch(/\d %/);
    expect(requiredWithoutHelp(card)).toEqual([]);
  });

  it("a champion's weekly note is a valid card naming its group, readiness and movement, themes and one step", () => {
    const card = championNoteCard(t, digest, [
      {
        group: { field: 'unit', value: 'Willow' },
        people: 8,
        readiness: { now: 61, before: 55 },
        themes: [{ theme: 'training_gap', count: 4 }],
        step: { id: 'championDropIns', because: { kind: 'barrier', dimension: 'knowledge' } },
      },
    ]);
    expect(validationEvents(card)).toEqual([]);
    const text = JSON.stringify(card);
    expect(text).toContain('Willow (8 people)');
    expect(text).toContain('61 (+6 since the survey before)');
    expect(text).toContain('training');
    expect(text).toContain('One thing to try:');
  });

  it('the results card counts the open answers whose themes it lists, and says where to read their words', () => {
    const shown = JSON.stringify(samples['pulse-results']);
    expect(shown).toContain('training 3 · time and workload 2. Of 5 answers, 3 chosen by staff');
    expect(shown).toContain('To read the open answers themselves, type comments.');
    expect(shown).not.toContain('pipeline');
  });

  it("the results card's change since the last round names only the figures the pulse has", () => {
    const rounds = (trend: NonNullable<typeof sampleResults.trend>) => [
      { pulse, round, results: { ...sampleResults, trend } },
    ];
    const options = { threshold: 3, timeZone: 'Europe/London', canAct: false };
    const without = JSON.stringify(
      pulseResultsCard(t, {
        ...options,
        rounds: rounds({ responseRate: -3, readinessIndex: 4, dimensions: [] }),
      }),
    );
    expect(without).toContain('"value":"readiness +4, answered -3 points"');
    const all = { responseRate: 1, readinessIndex: 0, enps: -10, dimensions: [] };
    expect(JSON.stringify(pulseResultsCard(t, { ...options, rounds: rounds(all) }))).toContain(
      '"value":"readiness unchanged, eNPS -10, answered +1 point"',
    );
  });

  it('a readiness or eNPS that did not move since the last round says unchanged, not 0, which reads as a score of nothing', () => {
    const still = { responseRate: -2, readinessIndex: 0, enps: 0, dimensions: [] };
    const card = pulseResultsCard(t, {
      threshold: 3,
      timeZone: 'Europe/London',
      canAct: false,
      rounds: [{ pulse, round, results: { ...sampleResults, trend: still } }],
    });
    expect(JSON.stringify(card)).toContain(
      '"value":"readiness unchanged, eNPS unchanged, answered -2 points"',
    );
  });

  it('the results card offers Record an action to a manager, on a round whose themes it shows', () => {
    const shown = JSON.stringify(samples['pulse-results']);
    // Two rounds, one with its themes counted: one way in, beside those themes.
    expect(shown.match(/"title":"Record an action"/g)).toHaveLength(1);
    expect(shown).toContain('"title":"training","value":"training_gap"');
    const forLeader = pulseResultsCard(t, {
      rounds: [
        {
          pulse,
          round,
          results: sampleResults,
          themes: {
            counts: [{ theme: 'training_gap', count: 3 }],
            sources: { writer: 3, manager: 0, classifier: 0 },
            total: 3,
          },
        },
      ],
      threshold: 3,
      timeZone: 'Europe/London',
      canAct: false,
    });
    expect(JSON.stringify(forLeader)).toContain('What the open answers are about');
    expect(JSON.stringify(forLeader)).not.toContain('Record an action');
  });

  it('the comments card offers a manager Record an action under a comment its writer tagged, though not Change theme', () => {
    const tagged = { ...followedUp, tags: ['training_gap' as const] };
    const onItsPage = {
      page: { first: 1, start: { day: tagged.day, id: tagged.id }, older: undefined },
      initiativeTitles: new Map([['i1', 'Digital care planning']]),
    };
    const forManager = JSON.stringify(oneComment(tagged, { ...onItsPage, canChangeTheme: true }));
    expect(forManager).toContain('"title":"Record an action"');
    expect(forManager).not.toContain('"title":"Change theme"');
    expect(JSON.stringify(oneComment(tagged, { ...onItsPage, canChangeTheme: false }))).not.toContain(
      'Record an action',
    );
  });

  it('says how many pulse answers wait for more people to answer, and does not call an empty list nobody writing', () => {
    const none = { page: { first: 1, start: undefined, older: undefined }, threads: [], total: 0 };
    const waiting = JSON.stringify(oneComment(followedUp, { ...none, waiting: 2 }));
    expect(waiting).toContain(
      '2 answers to a pulse are waiting until at least 5 people have answered it, so nobody can be picked out.',
    );
    expect(waiting).toContain('No comment from the last 28 days can be listed yet.');
    expect(waiting).not.toContain('Nobody has left a comment');
    const nothing = JSON.stringify(oneComment(followedUp, none));
    expect(nothing).toContain('Nobody has left a comment in the last 28 days.');
    expect(nothing).not.toContain('waiting until');
  });

  it('a comment whose writer chose two themes shows both, as they chose them', () => {
    const both = { ...followedUp, tags: ['workload_time' as const, 'technology_confidence' as const] };
    const card = oneComment(both);
    expect(JSON.stringify(card)).toContain(
      'Theme: time and workload, using the new system (chosen by the writer)',
    );
  });

  it('a last page holding one comment says which comment it is, not "Showing 41-41 of 41"', () => {
    const lastOne = oneComment(followedUp, {
      page: { first: 41, start: { day: followedUp.day, id: followedUp.id }, older: undefined },
      total: 41,
      themeSources: { writer: 20, manager: 1, classifier: 20 },
    });
    expect(JSON.stringify(lastOne)).toContain('Showing comment 41 of 41.');
    expect(JSON.stringify(lastOne)).not.toContain('41-41');
    expect(JSON.stringify(samples.comments)).toContain('Showing 11-12 of 34 comments.');
  });

  it('an objective written as a sentence runs into its measure without a stray full stop, on initiatives and the digest', () => {
    const sentence = 'All 40 care plans are on the system within three months.';
    const objective = {
      text: sentence,
      kpi: { name: 'Plans digitised', unit: '%', baseline: 0, target: 100, due: '2027-01-18' },
    };
    const list = JSON.stringify(
      initiativesCard(t, [{ ...initiative, objectives: [objective] }], () => 'Alex', ['staff', 'manager']),
    );
    const kpi = { ...digest.figures.kpis[0], objective: sentence } as DigestFigures['kpis'][number];
    const week = JSON.stringify(
      digestCard(
        t,
        { ...digest, figures: { ...digest.figures, kpis: [kpi] } },
        { audience: 'manager', manages: true, today: '2026-11-30' },
      ),
    );
    for (const card of [list, week]) {
      expect(card).toContain('within three months: Plans digitised from 0');
      expect(card).not.toContain('.:');
    }
  });

  it('my data says when someone has no quiet hours, as settings does, and gives the first day as other cards do', () => {
    const data = { ...someonesData, quietHours: { start: '00:00', end: '00:00' } };
    const shown = JSON.stringify(myDataCard(t, data));
    expect(shown).toContain('None: Huddle may message you at any time');
    expect(shown).not.toContain('00:00 to 00:00');
    expect(shown).toContain('"value":"1 November 2026"');
    expect(JSON.stringify(samples['my-data'])).toContain('21:00 to 07:00, no messages unless urgent');
  });

  it('a leader\'s initiatives and results offer no button a leader would be refused (it replaced the card with "only a Manager")', () => {
    const verbs = (node: unknown): Verb[] => {
      if (Array.isArray(node)) return node.flatMap(verbs);
      if (typeof node !== 'object' || node === null) return [];
      const record = node as Record<string, unknown>;
      const own = typeof record.verb === 'string' ? [record.verb as Verb] : [];
      return [...own, ...Object.values(record).flatMap(verbs)];
    };
    const refused = (card: Card, roles: readonly Role[]) =>
      verbs(card).filter((verb) => !VERB_ROLES[verb].some((role) => roles.includes(role)));
    const active = { ...pulse, status: 'active' as const };
    const results = (canAct: boolean) =>
      pulseResultsCard(t, {
        rounds: [{ pulse: active, round, results: sampleResults }],
        threshold: 3,
        timeZone: 'Europe/London',
        canAct,
      });
    const list = (roles: readonly Role[]) => initiativesCard(t, [initiative], () => 'Alex Wilber', roles);
    expect(refused(results(false), ['staff', 'leader'])).toEqual([]);
    expect(refused(list(['staff', 'leader']), ['staff', 'leader'])).toEqual([]);
    expect(JSON.stringify(list(['staff', 'leader']))).not.toContain('Export evidence');
    expect(validationEvents(list(['staff', 'leader']))).toEqual([]);
    // A leader who is also an admin may export the evidence, and nothing else.
    expect(verbs(list(['staff', 'leader', 'admin']))).toEqual(['evidence.export']);
    expect(verbs(results(true))).toContain('pulse.stop');
    expect(verbs(list(['staff', 'manager']))).toEqual([
      'initiative.edit',
      'stages.edit',
      'evidence.export',
      'champion.inviteForm',
    ]);
  });

  it('settings says there are no quiet hours when the two times are the same, before anything is saved', () => {
    const none = settingsCard(t, { quietHours: { start: '00:00', end: '00:00' }, timeZone: 'Europe/London' });
    expect(JSON.stringify(none)).toContain('You have no quiet hours now');
    const some = settingsCard(t, { quietHours: { start: '21:00', end: '07:00' }, timeZone: 'Europe/London' });
    expect(JSON.stringify(some)).not.toContain('no quiet hours');
    const saved = settingsCard(t, {
      quietHours: { start: '08:00', end: '08:00' },
      timeZone: 'Europe/London',
      saved: true,
    });
    expect(JSON.stringify(saved).match(/no quiet hours/g)).toHaveLength(1);
  });

  it('my data names the language in words, not as a code such as en-US, and shows a code it cannot name as it is', () => {
    const data = { ...someonesData, name: 'Patti Fernandez', locale: 'en-US' };
    expect(JSON.stringify(myDataCard(t, data))).toContain(
      '"title":"Language","value":"English (United States)"',
    );
    expect(JSON.stringify(myDataCard(t, { ...data, locale: 'not a tag' }))).toContain('"value":"not a tag"');
  });

  it('the reach card, with proactive installation off, tells the manager about it once, not twice', () => {
    const none = { left: 0, blocked: 0, noConsent: 0, installNotFound: 0, guest: 0, external: 0 };
    const overall = { reachable: 1, installing: 0, unreachable: { ...none, notInTeam: 42 } };
    const shown = JSON.stringify(reachCard(t, { overall, groups: [] }, false));
    expect(shown).toContain('Proactive installation is off');
    expect(shown.match(/install itself/g)).toHaveLength(1);
  });

  it('help shows its placeholders in marks the Playground keeps: it drops "<role>" from card text as an HTML tag', () => {
    const texts = textBlocks(samples.help?.body).map((block) => String(block.text));
    expect(texts).toContain('**grant ‹role› to ‹name or email›**');
    expect(texts.join('\n')).toContain('Words in ‹angle brackets› are yours to fill in.');
    expect(texts.filter((text) => text.includes('<'))).toEqual([]);
  });

  it('a near command is offered as a button that types it, so it runs through the same role check as typing it', () => {
    const suggested = nearCommandCard(t, 'results');
    expect(textBlocks(suggested.body).map((block) => block.text)).toEqual([
      'Did you mean **results**?',
      t('help.command.results'),
    ]);
    // imBack only: no Action.Execute verb that could reach a handler without the command's refusal.
    const allCommands = {
      type: 'Action.Submit',
      title: 'All commands',
      data: { msteams: { type: 'imBack', value: 'help' } },
    };
    expect(suggested.actions).toEqual([
      { type: 'Action.Submit', title: 'results', data: { msteams: { type: 'imBack', value: 'results' } } },
      allCommands,
    ]);
    const nothingNear = nearCommandCard(t, undefined);
    expect(textBlocks(nothingNear.body).map((block) => block.text)).toEqual([t('unknown.text')]);
    expect(nothingNear.actions).toEqual([allCommands]);
    expect(validationEvents(nothingNear)).toEqual([]);
    // "hepl" gets one button for help, not two.
    expect(JSON.stringify(nearCommandCard(t, 'help').actions).match(/imBack/g)).toHaveLength(1);
  });

  it('shows what people typed in <angle brackets> as they wrote it (Teams drops "<new>" as an HTML tag), and a link with its address', () => {
    const named = (name: string) => ({ aadObjectId: 'm', name });
    const shown = {
      comments: oneComment(
        { ...followedUp, text: 'the <new> system logs me out' },
        { initiativeTitles: new Map([['i1', 'The <new> rota']]) },
        [
          {
            ...thread[0],
            text: 'Is it the <login> page? [the new rota](https://rota.example.test/x)',
          } as ThreadMessage,
        ],
      ),
      digest: digestCard(
        t,
        {
          ...digest,
          initiative: { ...digest.initiative, title: 'The <new> rota' },
          quotes: [{ ...digest.quotes[0], text: 'staff <3 the rota' } as Digest['quotes'][number]],
          champions: [{ group: { field: 'unit', value: 'Willow' }, champions: ['Mrs <name>'] }],
        },
        { audience: 'leader', manages: true, today: '2026-11-30' },
      ),
      actions: actionsCard(t, {
        actions: [
          {
            tenantId: 't',
            id: 'a1',
            heard: 'Mrs <name> was left',
            willDo: 'Check the <new> rota daily',
            owner: named('Mrs <name>'),
            due: '2026-12-20',
            audience: 'all',
            status: 'open',
            createdBy: named('Alex Wilber'),
            createdAt: '2026-11-10T09:00:00Z',
            updatedAt: '2026-11-10T09:00:00Z',
            published: [],
          },
        ],
        today: '2026-12-01',
        canManage: true,
      }),
      update: updateCard(t, {
        broadcastId: 'b1',
        content: { ...content, headline: 'The <new> rota', message: 'From Monday the <new> rota starts.' },
        urgent: false,
        state: { kind: 'open' },
      }),
      initiatives: initiativesCard(t, [{ ...initiative, title: 'The <new> rota' }], () => 'Mrs <name>', [
        'manager',
      ]),
    };
    const texts = (card: Card) => [
      ...textBlocks(card.body).map((block) => String(block.text)),
      ...factTexts(card.body),
    ];
    expect(texts(shown.comments)).toEqual(
      expect.arrayContaining([
        'the ‹new› system logs me out',
        // A link's words cannot hide where it goes: the address shows.
        'Is it the ‹login› page? [the new rota] (https://rota.example.test/x)',
      ]),
    );
    expect(texts(shown.digest).join('\n')).toContain('staff ‹3 the rota');
    expect(texts(shown.digest).join('\n')).toContain('Mrs ‹name›');
    expect(texts(shown.actions).join('\n')).toContain('Mrs ‹name› was left');
    expect(texts(shown.actions).join('\n')).toContain('Check the ‹new› rota daily');
    expect(texts(shown.update).join('\n')).toContain('From Monday the ‹new› rota starts.');
    expect(texts(shown.initiatives).join('\n')).toContain('The ‹new› rota');
    for (const [name, card] of Object.entries(shown)) {
      expect(validationEvents(card), name).toEqual([]);
      expect(
        texts(card).filter((text) => /[<>]/.test(text)),
        name,
      ).toEqual([]);
    }
  });

  it('keeps what people typed exactly as written where it is not shown as Markdown: a reply being written', () => {
    const card = oneComment(followedUp, {
      canChangeTheme: false,
      status: {
        commentId: 'c1',
        text: 'Write something first.',
        good: false,
        draft: 'Is it the <login> page?',
      },
    });
    expect(JSON.stringify(card)).toContain('"value":"Is it the <login> page?"');
  });

  it('writes a KPI in per cent as every other percentage, "from 0% to 100%", on the digest and initiatives', () => {
    const week = JSON.stringify(samples.digest);
    expect(week).toContain('Plans digitised from 0% to 100%; latest 40% on');
    const objective = {
      text: 'Every plan digital by March',
      kpi: {
        name: 'Plans digitised',
        unit: '%',
        baseline: 0,
        target: 100,
        due: '2027-03-01',
        readings: [{ value: 40, on: '2026-11-20', by: 'm', at: '2026-11-20T09:00:00Z' }],
      },
    };
    const list = JSON.stringify(
      initiativesCard(t, [{ ...initiative, objectives: [objective] }], () => 'A', ['manager']),
    );
    expect(list).toContain('Plans digitised from 0% to 100% by 1 March 2027; latest 40% on');
  });

  it('a round nobody has been sent yet shows no response rate, not "0%" as if nobody answered', () => {
    const results = roundResults({
      items: pulse.items,
      answers: [],
      recipients: 0,
      recipientsByGroup: {},
      threshold: 3,
    });
    const card = JSON.stringify(
      pulseResultsCard(t, {
        rounds: [{ pulse, round, results }],
        threshold: 3,
        timeZone: 'UTC',
        canAct: false,
      }),
    );
    expect(card).toContain('"value":"0 of the 0 it reached (–)"');
  });

  it('the digest names the pulse its response rate and readiness are from, and shows them together under it', () => {
    const named = {
      ...digest,
      figures: {
        ...digest.figures,
        engagement: { ...digest.figures.engagement, pulseRecipients: 14 },
        pulse: { title: 'Weekly check-in', opensAt: '2026-11-23T09:00:00Z' },
      },
    };
    const card = digestCard(t, named, { audience: 'leader', manages: false, today: '2026-11-30' });
    const facts = factTexts(card.body);
    const at = (text: string) => facts.indexOf(text);
    expect(at('Weekly check-in, opened 23 November 2026, sent to 14 people')).toBe(at('Pulse') + 1);
    // Pulse, its rate, then its readiness, in one run of facts: no other section's figure between them.
    expect(facts.slice(at('Pulse'), at('Readiness index (0-100)') + 2)).toEqual([
      'Pulse',
      'Weekly check-in, opened 23 November 2026, sent to 14 people',
      'Pulse answered',
      '71%',
      'Readiness index (0-100)',
      '45',
    ]);
    expect(facts.filter((text) => text === 'Pulse answered')).toHaveLength(1);
    expect(textBlocks(card.body).map((block) => block.text)).toContain('Pulse and readiness');

    const overview = factTexts(digestOverviewCard(t, [named]).body);
    expect(overview).toContain('Weekly check-in, opened 23 November 2026, sent to 14 people');
  });

  it('the digest reads the answers to a pulse round still open as so far, with when it closes', () => {
    const open = {
      ...digest,
      previous: { ...digest.figures, engagement: { ...digest.figures.engagement, pulseResponseRate: 80 } },
      figures: {
        ...digest.figures,
        engagement: { ...digest.figures.engagement, pulseResponseRate: 33, pulseRecipients: 3 },
        pulse: {
          title: 'Weekly check-in',
          opensAt: '2026-11-30T07:50:00Z',
          openUntil: '2026-12-04T17:00:00Z',
        },
      },
    };
    const soFar = '33% so far; the round is open until 4 December 2026';
    const facts = factTexts(
      digestCard(t, open, { audience: 'leader', manages: false, today: '2026-11-30' }).body,
    );
    expect(facts[facts.indexOf('Pulse answered') + 1]).toBe(soFar);
    expect(factTexts(digestOverviewCard(t, [open]).body)).toContain(soFar);

    const closed = {
      ...open,
      figures: { ...open.figures, pulse: { ...open.figures.pulse, openUntil: undefined } },
    };
    const after = factTexts(
      digestCard(t, closed, { audience: 'leader', manages: false, today: '2026-11-30' }).body,
    );
    expect(after[after.indexOf('Pulse answered') + 1]).toBe('33% (-47 on last week)');
  });

  it('the digest says an alert not yet acknowledged is still within its time, so "0 of 1" does not read as missed', () => {
    const fresh = {
      ...digest,
      figures: { ...digest.figures, safeguarding: { raised: 1, acknowledgedInTime: 0, waiting: 1 } },
    };
    const card = JSON.stringify(
      digestCard(t, fresh, { audience: 'leader', manages: false, today: '2026-11-30' }),
    );
    expect(card).toContain('"title":"Acknowledged in time","value":"0 of 1 · 1 is still within its time"');
    expect(JSON.stringify(samples.digest)).toContain('"title":"Acknowledged in time","value":"1 of 2"');
  });

  it('the digest tells only a manager to invite a champion where a group has none; a leader cannot', () => {
    const forLeader = JSON.stringify(
      digestCard(t, digest, { audience: 'leader', manages: false, today: '2026-11-30' }),
    );
    expect(forLeader).toContain('"title":"Nights","value":"No champion: nobody here to ask."');
    expect(forLeader).not.toContain('Invite one');
    const forManager = JSON.stringify(
      digestCard(t, digest, { audience: 'manager', manages: true, today: '2026-11-30' }),
    );
    expect(forManager).toContain('Invite one from **initiatives**.');
  });

  it('the digest of a change with no stages yet says so instead of "1 of 0"', () => {
    const card = JSON.stringify(
      digestCard(
        t,
        { ...digest, figures: { ...digest.figures, stage: { index: 0, count: 0, title: '' } } },
        { audience: 'manager', manages: false, today: '2026-11-30' },
      ),
    );
    expect(card).toContain('No stages yet');
    expect(card).not.toContain('1 of 0');
  });

  it("the digest's charts carry numbers, as Teams draws them, and say the same in words where charts are not drawn", () => {
    const text = JSON.stringify(samples.digest);
    const line = /"type":"Chart.Line".*?"values":(\[.*?\])/.exec(text)?.[1];
    expect(JSON.parse(line ?? '[]')).toEqual([
      { x: 'W48', y: 54 },
      { x: 'W49', y: 45 },
    ]);
    const bars = /"type":"Chart.HorizontalBar".*?"data":(\[.*?\])/.exec(text)?.[1];
    expect(JSON.parse(bars ?? '[]')).toEqual([
      { x: 'training', y: 6 },
      { x: 'time and workload', y: 5 },
    ]);
    expect(text).toContain('W48 54 · W49 45');
  });

  it("the digest's chart axes read as whole numbers: readiness on its 0-100 scale, theme counts beside their bars", () => {
    const drawn = charts(samples.digest);
    const line = drawn.find((chart) => chart.type === 'Chart.Line');
    // Teams draws five evenly spaced ticks from yMin to yMax (the data's own range when they are absent).
    const ticks = [0, 1, 2, 3, 4].map(
      (step) => Number(line?.yMin) + (step * (Number(line?.yMax) - Number(line?.yMin))) / 4,
    );
    expect(ticks).toEqual([0, 25, 50, 75, 100]);
    // A bar chart's axis is sixths of its longest bar, with no setting for its range: the counts are shown
    // on the bars instead, with no axis.
    expect(drawn.find((chart) => chart.type === 'Chart.HorizontalBar')?.displayMode).toBe('AbsoluteNoAxis');
  });

  it('the pulse card is valid at every step: each question, the open answer, and the answers to check', () => {
    const base = { pulse, round, token: 'tok', groups: {}, timeZone: 'Europe/London' };
    for (let step = 0; step <= pulse.items.length; step++) {
      const card = pulseCard(t, { ...base, values: { 'aware-why': 4 }, step });
      expect(validationEvents(card), `step ${step}`).toEqual([]);
      expect(lowContrastColours(card)).toEqual([]);
      for (const block of textBlocks(card.body)) expect(block.wrap, String(block.text)).toBe(true);
    }
  });

  it('the validator really catches a broken card', () => {
    const broken = {
      type: 'AdaptiveCard',
      version: '1.5',
      body: [{ type: 'Input.Text', id: 'x', isRequired: true }, { type: 'Carousel' }],
    } as Card;
    expect(validationEvents(broken).length).toBeGreaterThan(0);
  });

  it('the comment form and the offer lead with 999 and the procedure only when someone may be at risk', () => {
    const headingOf = (card: Card) => textBlocks(card.body)[0];
    expect(headingOf(samples['comment-form'] as Card)).toMatchObject({
      text: 'It sounds like someone may be at risk. If they are in danger now, call 999.',
      color: 'Attention',
    });
    expect(JSON.stringify(samples['comment-offer'])).toContain(safeguarding.contacts);
    const plain = [
      commentFormCard(t, { purpose: 'feedback', sendVerb: 'feedback.submit', data: {} }),
      commentOfferCard(t, { text: 'The rota app logs me out.', cut: false }),
    ];
    for (const card of plain) {
      expect(validationEvents(card)).toEqual([]);
      expect(headingOf(card)?.color).toBe('Default');
      expect(JSON.stringify(card)).not.toContain('999');
    }
    expect(headingOf(plain[1] as Card)?.text).toBe('Would you like to pass this on?');
  });

  it('the welcome card greets without a name when Teams did not give one', () => {
    expect(JSON.stringify(welcomeCard(t, { name: '', anonymityThreshold: 5 }))).toContain(
      "Hello, I'm Huddle",
    );
    expect(JSON.stringify(welcomeCard(t, { name: 'Grace Hughes', anonymityThreshold: 7 }))).toContain(
      'groups of 7 people',
    );
  });

  it('the update card shows every section staff need and, once answered, thanks them instead of the buttons', () => {
    const open = JSON.stringify(samples.update);
    for (const words of [
      'Urgent',
      'Why',
      'What it means for you',
      '7 December 2026 to 20 December 2026',
      'Alex Wilber, Grace Hughes',
      'Got it',
      'I have a concern',
    ]) {
      expect(open).toContain(words);
    }
    const thanked = JSON.stringify(
      updateCard(t, {
        broadcastId: 'b1',
        content,
        urgent: false,
        state: { kind: 'concernSent', anonymous: true },
      }),
    );
    expect(thanked).toContain('passed on anonymously');
    expect(thanked).not.toContain('Got it');
  });

  it('the preview carries the whole draft on Send and Edit, so confirming needs nothing stored', () => {
    const actions = samples['broadcast-preview']?.actions as {
      verb: string;
      data?: Record<string, unknown>;
    }[];
    expect(actions.map((action) => action.verb)).toEqual([
      'broadcast.confirm',
      'broadcast.edit',
      'broadcast.discard',
    ]);
    expect(actions[0]?.data).toMatchObject({ headline: content.headline, audience: 'all', urgent: 'false' });
    expect(JSON.stringify(samples['broadcast-preview'])).toContain('6 of them are in their quiet hours');
  });

  it('compose errors name the field in words', () => {
    expect(JSON.stringify(samples['broadcast-compose'])).toContain(
      'Headline is 130 characters; the most is 120.',
    );
  });

  it('the progress card offers Stop only while there is something to stop', () => {
    expect(JSON.stringify(samples['broadcast-progress'])).toContain('Stop sending');
    expect(JSON.stringify(progressCard(t, { ...broadcast, status: 'done' }, figures))).not.toContain(
      'Stop sending',
    );
  });

  it("a champion invitation's progress counts deliveries only: it has no Got it or concern to count", () => {
    const invitation = {
      ...broadcast,
      status: 'done' as const,
      champion: { initiativeId: 'dcp', step: 'invite' as const },
    };
    const shown = JSON.stringify(progressCard(t, invitation, figures));
    expect(shown).toContain('"title":"Delivered"');
    expect(shown).not.toContain('"title":"Got it"');
    expect(shown).not.toContain('"title":"Concerns raised"');
    expect(JSON.stringify(samples['broadcast-progress'])).toContain('"title":"Got it"');
  });

  it("a champion invitation's progress and its line in broadcasts are headed as an invitation, not by the question staff got", () => {
    const invitation: Broadcast = {
      ...broadcast,
      status: 'done',
      content: {
        headline: 'Would you like to be a change champion for Digital care planning?',
        message: '',
        initiativeTitle: 'Digital care planning',
      },
      champion: { initiativeId: 'dcp', step: 'invite' },
    };
    const progress = JSON.stringify(progressCard(t, invitation, figures));
    const list = JSON.stringify(broadcastsCard(t, [{ broadcast: invitation, figures }]));
    for (const shown of [progress, list]) {
      expect(shown).toContain('Invitation to be a change champion: Digital care planning');
      expect(shown).not.toContain('Would you like to be');
    }
  });

  it('broadcasts counts only the answers each send had: none for an invitation or a pulse, Thanks for "You said, we did"', () => {
    const invitation = {
      ...broadcast,
      status: 'done' as const,
      champion: { initiativeId: 'dcp', step: 'invite' as const },
    };
    const pulseOpening = {
      ...broadcast,
      status: 'done' as const,
      pulse: { pulseId: 'p1', round: 1, send: 'open' as const },
    };
    const loop = { ...broadcast, status: 'done' as const, content: { ...content, loop: 'willDo' as const } };
    const [invited, asked, looped, update] = textBlocks(
      broadcastsCard(t, [
        { broadcast: invitation, figures },
        { broadcast: pulseOpening, figures },
        { broadcast: loop, figures },
        { broadcast, figures },
      ]).body,
    )
      .map((block) => String(block.text))
      .filter((text) => text.includes('delivered'));
    expect(invited).toBe('30 of 40 delivered');
    // A pulse is answered on its own card, counted in results.
    expect(asked).toBe('30 of 40 delivered');
    expect(looped).toBe(
      "30 of 40 delivered · 12 said Thanks (39% of those reached) · 2 said This doesn't fix it",
    );
    expect(update).toBe('30 of 40 delivered · 12 got it (39% of those reached) · 2 concerns');
  });

  it('a "You said, we did" card\'s progress names its answers as the buttons staff had: Thanks and This doesn\'t fix it', () => {
    const loop = { ...broadcast, content: { ...content, loop: 'willDo' as const } };
    const shown = JSON.stringify(progressCard(t, loop, figures));
    expect(shown).toContain('"title":"Thanks","value":"12');
    expect(shown).toContain('"title":"This doesn\'t fix it","value":"2"');
    expect(shown).not.toContain('"title":"Got it"');
  });

  it('the results card says which figures are kept as published, since when, and on how many answers', () => {
    const [current, kept] = JSON.stringify(samples['pulse-results'])
      .split('"type":"Container","separator":true')
      .slice(1);
    expect(current).not.toContain('As published');
    expect(kept).toContain(
      'As published on 24 November 2026 at 09:00, when 6 had answered. They are updated once 3 answers have come in or changed since.',
    );
    expect(kept).toContain('"value":"8 of the 10 it reached (80%)"');
    expect(kept).toMatch(/Unit Rowan: 3 answers[^"]* \(as published on 24 November 2026 at 09:00\)/);
  });

  it('the roles card says so when no one has a role yet', () => {
    expect(JSON.stringify(rolesCard(t, []))).toContain('No one has a role beyond staff yet');
  });
});
