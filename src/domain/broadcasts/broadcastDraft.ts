import { contactOf, currentChampions } from '../champions/championGroups.js';
import type { Initiative } from '../initiatives/initiative.js';
import { GROUP_FIELDS, type Member, type MemberGroups } from '../people/member.js';
import { type ReachPolicy, reachableUnder } from '../people/reach.js';
import type { FieldError } from '../shared/errors.js';
import { zonedToInstant } from '../shared/timeZone.js';
import { audienceOf, type BroadcastAudience, type UpdateContent } from './broadcast.js';
import type { SavedList } from './savedList.js';

/** What a manager typed into the compose card, already shape-checked at the edge. */
export interface DraftInput {
  headline: string;
  message: string;
  audience: string;
  when: 'now' | 'later';
  date: string;
  time: string;
  urgent: boolean;
  imageUrl: string;
  link: string;
  initiativeId: string;
  stageIndex: string;
}

export const DRAFT_LIMITS = { headline: 120, message: 2_000, url: 500 } as const;
/** Scheduling further ahead than this is more likely a typo in the year than a plan. */
const MAX_DAYS_AHEAD = 90;

/** A choice in "who should get it": a stable key for the card, the audience, and how to name it. */
export interface AudienceOption {
  key: string;
  audience: BroadcastAudience;
  label: { key: string; values: Record<string, string | number> };
  /**
   * How many of the people it names Huddle can message in personal chat now: a choice that reaches nobody
   * says so on the card, before the manager presses anything.
   */
  reachable: number;
}

/**
 * Everyone, each group that members actually belong to, each initiative's champions, each saved list.
 * About an initiative (`about`), each choice is within it, as the send will be: "Everyone" names the
 * change's groups and how many people are in them, and a choice with nobody in the change is not offered.
 */
export function audienceOptions(
  policy: ReachPolicy,
  members: readonly Member[],
  initiatives: readonly Initiative[],
  lists: readonly SavedList[],
  about?: Initiative | undefined,
): AudienceOption[] {
  const candidates: Omit<AudienceOption, 'reachable'>[] = [
    { key: 'all', audience: { kind: 'all' }, label: everyone(members, initiatives, about) },
  ];
  for (const field of GROUP_FIELDS) {
    const values = [
      ...new Set(members.map((member) => member.groups[field]).filter((value) => value !== undefined)),
    ];
    for (const value of values.sort()) {
      const group: MemberGroups = { [field]: value };
      candidates.push({
        key: `${field}:${value}`,
        audience: { kind: 'groups', groups: [group] },
        label: { key: `broadcast.audience.${field}`, values: { value } },
      });
    }
  }
  for (const initiative of initiatives) {
    if (initiative.champions.length === 0) continue;
    candidates.push({
      key: `champions:${initiative.id}`,
      audience: { kind: 'champions', initiativeId: initiative.id },
      label: { key: 'broadcast.audience.champions', values: { initiative: initiative.title } },
    });
  }
  for (const list of lists) {
    candidates.push({
      key: `list:${list.id}`,
      audience: { kind: 'list', listId: list.id },
      label: {
        key: 'broadcast.audience.list',
        values: { name: list.name, count: String(list.memberIds.length) },
      },
    });
  }
  return candidates.flatMap((candidate) => {
    const named = audienceOf(members, candidate.audience, about?.id, initiatives, lists);
    // "Everyone" stays, as the form's first choice: with nobody in the change, its label says 0 people.
    if (about !== undefined && named.length === 0 && candidate.key !== 'all') return [];
    return [{ ...candidate, reachable: named.filter(reachableUnder(policy)).length }];
  });
}

/** "Everyone", or, about an initiative that involves only some groups, those groups and how many are in them. */
function everyone(
  members: readonly Member[],
  initiatives: readonly Initiative[],
  about: Initiative | undefined,
): AudienceOption['label'] {
  const inChange = about === undefined ? undefined : whoIsInChange(members, initiatives, about);
  return inChange === undefined
    ? { key: 'broadcast.audience.all', values: {} }
    : { key: 'broadcast.audience.allInChange', values: { ...inChange } };
}

/**
 * Who an initiative that involves only some groups includes: its groups (each as "site · unit", the way
 * the reach report names them) and how many people are in them now. `undefined` for one that includes all.
 */
export function whoIsInChange(
  members: readonly Member[],
  initiatives: readonly Initiative[],
  initiative: Initiative,
): { groups: string; count: number } | undefined {
  if (initiative.audience.kind === 'all') return undefined;
  const groups = initiative.audience.groups.map((group) =>
    GROUP_FIELDS.map((field) => group[field])
      .filter((value) => value !== undefined)
      .join(' · '),
  );
  const count = audienceOf(members, { kind: 'all' }, initiative.id, initiatives, []).length;
  return { groups: groups.join(', '), count };
}

export interface ValidDraft {
  audience: AudienceOption;
  urgent: boolean;
  /** `undefined` for "send now". */
  sendAt: Date | undefined;
  initiative: Initiative | undefined;
  stageIndex: number | undefined;
  content: UpdateContent;
}

/**
 * Checks a draft against the rules a manager would expect, collecting every problem at once so the card
 * can show them all: required words, lengths, https links, a group that still exists, a send time that
 * is in the future (in the manager's own time zone) and not absurdly far ahead.
 */
export function validateDraft(
  input: DraftInput,
  context: {
    options: readonly AudienceOption[];
    initiatives: readonly Initiative[];
    now: Date;
    timeZone: string;
    /** Everyone in the service: the names of owners, and the champions still with the team. */
    members: readonly Member[];
  },
): { ok: true; draft: ValidDraft } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const headline = input.headline.trim();
  const message = input.message.trim();
  if (headline === '') errors.push({ key: 'broadcast.error.headlineMissing', values: {} });
  if (message === '') errors.push({ key: 'broadcast.error.messageMissing', values: {} });
  const tooLong = (field: string, value: string, max: number) => {
    if (value.length > max)
      errors.push({ key: 'broadcast.error.tooLong', values: { field, length: value.length, max } });
  };
  tooLong('broadcast.label.headline', headline, DRAFT_LIMITS.headline);
  tooLong('broadcast.label.message', message, DRAFT_LIMITS.message);
  const imageUrl = optionalHttps(input.imageUrl, 'broadcast.label.imageUrl', errors);
  const link = optionalHttps(input.link, 'broadcast.label.link', errors);

  const audience = context.options.find((option) => option.key === input.audience);
  if (audience === undefined) errors.push({ key: 'broadcast.error.unknownAudience', values: {} });

  let sendAt: Date | undefined;
  if (input.when === 'later') {
    if (input.date.trim() === '' || input.time.trim() === '') {
      errors.push({ key: 'broadcast.error.noDate', values: {} });
    } else {
      sendAt = zonedToInstant(input.date.trim(), input.time.trim(), context.timeZone);
      if (sendAt === undefined) errors.push({ key: 'broadcast.error.badDate', values: {} });
      else if (sendAt.getTime() < context.now.getTime() - 60_000) {
        errors.push({ key: 'broadcast.error.pastDate', values: {} });
      } else if (sendAt.getTime() > context.now.getTime() + MAX_DAYS_AHEAD * 86_400_000) {
        errors.push({ key: 'broadcast.error.tooFar', values: {} });
      }
    }
  }

  let initiative: Initiative | undefined;
  let stageIndex: number | undefined;
  if (input.initiativeId !== '') {
    initiative = context.initiatives.find((candidate) => candidate.id === input.initiativeId);
    if (initiative === undefined) errors.push({ key: 'broadcast.error.unknownInitiative', values: {} });
    const index = Number(input.stageIndex);
    if (
      initiative !== undefined &&
      input.stageIndex !== '' &&
      Number.isInteger(index) &&
      initiative.stages[index]
    ) {
      stageIndex = index;
    }
  }

  if (errors.length > 0 || audience === undefined) return { ok: false, errors };
  const stage =
    initiative !== undefined && stageIndex !== undefined ? initiative.stages[stageIndex] : undefined;
  const byId = new Map(context.members.map((member) => [member.aadObjectId, member.name]));
  const names = (ids: readonly string[]) =>
    ids.map((id) => byId.get(id)).filter((name): name is string => name !== undefined);
  return {
    ok: true,
    draft: {
      audience,
      urgent: input.urgent,
      sendAt,
      initiative,
      stageIndex,
      content: {
        headline,
        message,
        initiativeTitle: initiative?.title,
        why: initiative?.why,
        whatItMeans: stage === undefined ? undefined : initiative?.vision,
        from: stage?.plannedStart,
        until: stage?.plannedEnd,
        whoToAsk: initiative === undefined ? undefined : [...new Set(names(initiative.owners))],
        champions:
          initiative === undefined ? undefined : currentChampions(initiative, context.members).map(contactOf),
        imageUrl,
        link,
      },
    },
  };
}

function optionalHttps(value: string, field: string, errors: FieldError[]): string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (trimmed.length > DRAFT_LIMITS.url) {
    errors.push({
      key: 'broadcast.error.tooLong',
      values: { field, length: trimmed.length, max: DRAFT_LIMITS.url },
    });
    return undefined;
  }
  try {
    const url = new URL(trimmed);
    if (url.protocol === 'https:') return url.toString();
  } catch {
    // reported below
  }
  errors.push({ key: 'broadcast.error.badUrl', values: { field } });
  return undefined;
}
