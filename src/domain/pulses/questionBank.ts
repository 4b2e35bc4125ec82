import type { ReadinessDimension } from '../initiatives/changeModels.js';
import type { Initiative } from '../initiatives/initiative.js';
import type { ItemDimension, PulseItem } from './pulse.js';

/**
 * The question bank. Wording is written for a care worker reading on a phone between tasks: short, plain,
 * about their own shift. The readiness items follow the primer's five dimensions in our own words.
 * Team-readiness items (commitment, efficacy) are adapted from ORIC: Shea CM, Jacobs SR, Esserman DA,
 * Bruce K, Weiner BJ. "Organizational readiness for implementing change: a psychometric assessment of a
 * new measure." Implementation Science 2014;9:7 (CC BY 2.0).
 */
export const QUESTION_BANK: readonly PulseItem[] = [
  {
    id: 'aware-why',
    kind: 'agree5',
    dimension: 'awareness',
    text: 'I understand why we are making this change.',
  },
  { id: 'aware-what', kind: 'agree5', dimension: 'awareness', text: 'I know what is changing and when.' },
  {
    id: 'aware-me',
    kind: 'agree5',
    dimension: 'awareness',
    text: 'I know how this change affects my shifts.',
  },
  { id: 'desire-want', kind: 'agree5', dimension: 'desire', text: 'I want this change to work.' },
  {
    id: 'desire-residents',
    kind: 'agree5',
    dimension: 'desire',
    text: 'I can see how this change will help the people we care for.',
  },
  {
    id: 'desire-worth',
    kind: 'agree5',
    dimension: 'desire',
    text: 'I would tell a colleague this change is worth trying.',
  },
  { id: 'know-what', kind: 'agree5', dimension: 'knowledge', text: 'I know what I need to do differently.' },
  {
    id: 'know-trained',
    kind: 'agree5',
    dimension: 'knowledge',
    text: 'I have had the training I need for this change.',
  },
  { id: 'know-ask', kind: 'agree5', dimension: 'knowledge', text: 'I know who to ask when I get stuck.' },
  { id: 'able-busy', kind: 'agree5', dimension: 'ability', text: 'I can work the new way on a busy shift.' },
  {
    id: 'able-time',
    kind: 'agree5',
    dimension: 'ability',
    text: 'I have the time to do it the new way properly.',
  },
  {
    id: 'able-kit',
    kind: 'agree5',
    dimension: 'ability',
    text: 'The equipment I need works when I need it.',
  },
  {
    id: 'reinforce-norm',
    kind: 'agree5',
    dimension: 'reinforcement',
    text: 'The new way is now just how we do things here.',
  },
  {
    id: 'reinforce-noticed',
    kind: 'agree5',
    dimension: 'reinforcement',
    text: 'When I do it the new way, someone notices.',
  },
  {
    id: 'reinforce-stay',
    kind: 'agree5',
    dimension: 'reinforcement',
    text: 'I would not want to go back to the old way.',
  },
  // ORIC, change commitment (adapted).
  {
    id: 'team-want',
    kind: 'agree5',
    dimension: 'commitment',
    text: 'People who work here want to make this change work.',
  },
  {
    id: 'team-committed',
    kind: 'agree5',
    dimension: 'commitment',
    text: 'People who work here are committed to this change.',
  },
  // ORIC, change efficacy (adapted).
  {
    id: 'team-momentum',
    kind: 'agree5',
    dimension: 'efficacy',
    text: 'People who work here feel confident they can keep the momentum going.',
  },
  {
    id: 'team-challenges',
    kind: 'agree5',
    dimension: 'efficacy',
    text: 'People who work here feel confident they can handle the problems this change brings.',
  },
  {
    id: 'enps',
    kind: 'scale10',
    dimension: 'enps',
    text: 'How likely are you to recommend working here to a friend? (0 not at all, 10 very likely)',
  },
  { id: 'mood', kind: 'mood', text: 'How are you feeling at work this week?' },
  { id: 'open-easier', kind: 'text', text: 'What one thing would make this change easier for you?' },
  { id: 'open-work', kind: 'text', text: 'What one thing would make your work easier this week?' },
];

export const OPEN_QUESTION_ID = 'open-easier';
/** The open question of a general pulse: there is no change to ask about. */
const GENERAL_OPEN_QUESTION_ID = 'open-work';

/** Ready-made sets a manager can start from; `stage` follows the initiative's current stage. */
export const TEMPLATES = ['stage', 'readiness', 'team', 'wellbeing'] as const;
export type TemplateName = (typeof TEMPLATES)[number];

/** Sets whose questions ask about "this change": a general pulse has no change for them to mean. */
const ABOUT_A_CHANGE: readonly TemplateName[] = ['stage', 'readiness', 'team'];

/** The sets that fit a pulse about a change (all of them) or a general pulse (those that never mention one). */
export const templatesFor = (aboutAChange: boolean): TemplateName[] =>
  TEMPLATES.filter((name) => aboutAChange || !ABOUT_A_CHANGE.includes(name));

/** At most this many scored items, plus the open question: under a minute to answer. */
export const MAX_SCORED_ITEMS = 5;

const bank = new Map(QUESTION_BANK.map((item) => [item.id, item]));
const pick = (...ids: string[]): PulseItem[] =>
  ids.map((id) => {
    const item = bank.get(id);
    if (item === undefined) throw new Error(`no bank item ${id}`);
    return item;
  });

/** The items a stage's focus calls for: early awareness and desire, middle knowledge and ability, late reinforcement. */
const FOCUS_ITEMS: Record<ReadinessDimension, string[]> = {
  awareness: ['aware-why', 'aware-what', 'aware-me'],
  desire: ['desire-want', 'desire-residents', 'desire-worth'],
  knowledge: ['know-what', 'know-trained', 'know-ask'],
  ability: ['able-busy', 'able-time', 'able-kit'],
  reinforcement: ['reinforce-norm', 'reinforce-noticed', 'reinforce-stay'],
};

/** Team readiness that suits a focus: commitment while people decide, efficacy once they are doing it. */
const TEAM_ITEM: Record<ReadinessDimension, string> = {
  awareness: 'team-want',
  desire: 'team-want',
  knowledge: 'team-momentum',
  ability: 'team-momentum',
  reinforcement: 'team-momentum',
};

/**
 * A stage's default pulse: items for each dimension the stage focuses on, shared out evenly, one
 * team-readiness item, at most `MAX_SCORED_ITEMS` scored items, then the open question. Late stages ask
 * eNPS too: by then the change is part of what working here is like.
 */
export function stageItems(focus: readonly ReadinessDimension[]): PulseItem[] {
  const dimensions = focus.length > 0 ? focus : (['awareness', 'desire'] as const);
  const late = dimensions.length === 1 && dimensions[0] === 'reinforcement';
  const room = MAX_SCORED_ITEMS - 1 - (late ? 1 : 0);
  const perDimension = Math.max(1, Math.floor(room / dimensions.length));
  const readiness = dimensions.flatMap((dimension) => FOCUS_ITEMS[dimension].slice(0, perDimension));
  const team = TEAM_ITEM[dimensions[0] ?? 'awareness'];
  return pick(...readiness.slice(0, room), team, ...(late ? ['enps'] : []), OPEN_QUESTION_ID);
}

/** The items of a template, for an initiative (or none: a general pulse). */
export function templateItems(template: TemplateName, initiative: Initiative | undefined): PulseItem[] {
  switch (template) {
    case 'stage':
      return stageItems(initiative?.stages[initiative.currentStage]?.focus ?? []);
    case 'readiness':
      return pick('aware-why', 'desire-want', 'know-what', 'able-busy', 'reinforce-norm', OPEN_QUESTION_ID);
    case 'team':
      return pick('team-want', 'team-committed', 'team-momentum', 'team-challenges', OPEN_QUESTION_ID);
    case 'wellbeing':
      return pick('mood', 'enps', initiative === undefined ? GENERAL_OPEN_QUESTION_ID : OPEN_QUESTION_ID);
  }
}

/** Dimensions in the order help is given: the first barrier in this order is where to start. */
export const READINESS_ORDER: readonly ReadinessDimension[] = [
  'awareness',
  'desire',
  'knowledge',
  'ability',
  'reinforcement',
];

export const isReadiness = (dimension: ItemDimension | undefined): dimension is ReadinessDimension =>
  dimension !== undefined && (READINESS_ORDER as readonly string[]).includes(dimension);
