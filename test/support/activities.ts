import { VERBS } from '../../src/cards/verbs.js';
/** Builders for the activities Teams sends, trimmed to what Teams really includes. */
export const TENANT = '7b1c2d3e-0000-4000-8000-0000000000aa';
export const BOT = { id: '28:huddle-bot', name: 'Huddle' };

export interface Person {
  id: string;
  aadObjectId: string;
  name: string;
}

export const person = (n: number, name: string): Person => ({
  id: `29:user-${n}`,
  aadObjectId: `aad-0000-${String(n).padStart(4, '0')}`,
  name,
});

interface Where {
  serviceUrl: string;
  tenantId?: string;
  locale?: string;
  timeZone?: string;
}

const personalConversation = (who: Person, where: Where) => ({
  id: `a:personal-${who.aadObjectId}`,
  conversationType: 'personal',
  tenantId: where.tenantId ?? TENANT,
});

function base(who: Person, where: Where) {
  return {
    id: `act-${Math.random().toString(36).slice(2)}`,
    channelId: 'msteams',
    serviceUrl: where.serviceUrl,
    timestamp: new Date().toISOString(),
    locale: where.locale ?? 'en-GB',
    from: { id: who.id, name: who.name, aadObjectId: who.aadObjectId },
    recipient: BOT,
    conversation: personalConversation(who, where),
    channelData: { tenant: { id: where.tenantId ?? TENANT } },
  };
}

export function personalInstall(who: Person, where: Where, action: 'add' | 'remove' = 'add') {
  return { ...base(who, where), type: 'installationUpdate', action };
}

export function message(who: Person, text: string, where: Where) {
  return {
    ...base(who, where),
    type: 'message',
    text,
    entities: [
      {
        type: 'clientInfo',
        locale: where.locale ?? 'en-GB',
        timezone: where.timeZone ?? 'Europe/London',
        platform: 'Android',
      },
    ],
  };
}

export function executeAction(who: Person, verb: string, where: Where, data: Record<string, unknown> = {}) {
  return {
    ...base(who, where),
    type: 'invoke',
    name: 'adaptiveCard/action',
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  };
}

/**
 * The person's answer to a file consent card: Teams returns the card's accept or decline context and,
 * on accept, where the bot may upload (an upload session in their OneDrive).
 */
export function fileConsentAnswer(
  who: Person,
  where: Where,
  answer: { action: 'accept' | 'decline'; context: unknown; consentId: string; uploadUrl?: string },
) {
  return {
    ...base(who, where),
    type: 'invoke',
    name: 'fileConsent/invoke',
    replyToId: answer.consentId,
    value: {
      type: 'fileUpload',
      action: answer.action,
      context: answer.context,
      ...(answer.uploadUrl === undefined
        ? {}
        : {
            uploadInfo: {
              contentUrl:
                'https://contoso-my.sharepoint.com/personal/megan/Documents/Microsoft%20Teams%20Chat%20Files/results.csv',
              name: 'results.csv',
              uploadUrl: answer.uploadUrl,
              uniqueId: '1150D938-8870-4044-9F2C-5BBDEBA70C8C',
              fileType: 'csv',
            },
          }),
    },
  };
}

export function teamInstall(who: Person, where: Where & { teamId: string; teamName: string }) {
  return {
    ...base(who, where),
    type: 'conversationUpdate',
    conversation: { id: `${where.teamId}`, conversationType: 'channel', tenantId: where.tenantId ?? TENANT },
    channelData: {
      tenant: { id: where.tenantId ?? TENANT },
      team: { id: where.teamId, name: where.teamName },
      eventType: 'teamMemberAdded',
    },
    membersAdded: [{ id: BOT.id }],
  };
}

/**
 * People joining or leaving a team Huddle is in (`teamMemberAdded` / `teamMemberRemoved`). Teams names
 * those who left by their Teams id alone.
 */
export function teamMembersChanged(
  who: readonly Person[],
  change: 'added' | 'removed',
  where: Where & { teamId: string; teamName: string },
) {
  const install = teamInstall(who[0] as Person, where);
  return {
    ...install,
    from: { id: '29:team-owner', name: 'Team owner' },
    channelData: {
      ...install.channelData,
      eventType: change === 'added' ? 'teamMemberAdded' : 'teamMemberRemoved',
    },
    membersAdded: change === 'added' ? who.map(({ id, aadObjectId }) => ({ id, aadObjectId })) : undefined,
    membersRemoved: change === 'removed' ? who.map(({ id }) => ({ id })) : undefined,
  };
}

/** Huddle removed from a team. */
export function teamUninstall(who: Person, where: Where & { teamId: string; teamName: string }) {
  const install = teamInstall(who, where);
  return {
    ...install,
    channelData: { ...install.channelData, eventType: 'teamMemberRemoved' },
    membersAdded: undefined,
    membersRemoved: [{ id: BOT.id }],
  };
}

/** A message @mentioning Huddle in a team channel (Teams strips nothing; teams-ai removes the mention). */
export function channelMessage(who: Person, text: string, where: Where & { teamId: string }) {
  return {
    ...message(who, `<at>Huddle</at> ${text}`, where),
    conversation: {
      id: `${where.teamId};messageid=1`,
      conversationType: 'channel',
      tenantId: where.tenantId ?? TENANT,
    },
    channelData: { tenant: { id: where.tenantId ?? TENANT }, team: { id: where.teamId } },
    entities: [{ type: 'mention', text: '<at>Huddle</at>', mentioned: BOT }],
  };
}

/** A card button pressed on a post in a team channel (or Teams refreshing it as the person looks at it). */
export function channelAction(
  who: Person,
  verb: string,
  where: Where & { teamId: string },
  data: Record<string, unknown> = {},
  trigger: 'manual' | 'automatic' = 'manual',
) {
  const pressed = executeAction(who, verb, where, data);
  return {
    ...pressed,
    conversation: {
      id: `${where.teamId};messageid=1`,
      conversationType: 'channel',
      tenantId: where.tenantId ?? TENANT,
    },
    channelData: { tenant: { id: where.tenantId ?? TENANT }, team: { id: where.teamId } },
    value: { ...pressed.value, trigger },
  };
}

/** The group chat `groupChatMessage` and `groupChatAction` happen in. */
const groupChat = (where: Where & { chatId: string }) => ({
  conversation: { id: where.chatId, conversationType: 'groupChat', tenantId: where.tenantId ?? TENANT },
  channelData: { tenant: { id: where.tenantId ?? TENANT } },
});

/** A message @mentioning Huddle in a group chat it was added to (Teams sends no team there). */
export function groupChatMessage(who: Person, text: string, where: Where & { chatId: string }) {
  return {
    ...message(who, `<at>Huddle</at> ${text}`, where),
    ...groupChat(where),
    entities: [{ type: 'mention', text: '<at>Huddle</at>', mentioned: BOT }],
  };
}

/** A card button pressed on a message in a group chat. */
export function groupChatAction(
  who: Person,
  verb: string,
  where: Where & { chatId: string },
  data: Record<string, unknown> = {},
) {
  return { ...executeAction(who, verb, where, data), ...groupChat(where) };
}

/** What the feedback form sends: anonymous, not marked as harm, unless `extra` says otherwise. */
export const feedbackForm = (text: string, extra: Record<string, string> = {}) => ({
  purpose: 'feedback',
  text,
  giveName: 'false',
  harm: 'false',
  ...extra,
});

/**
 * The manager pressing Send on an update to everyone, now and not urgent, from their progress card: how the
 * benchmarks and outbox tests start a broadcast.
 */
export function sendUpdateToEveryone(manager: Person, where: Where) {
  return {
    ...executeAction(manager, VERBS.broadcastConfirm, where, {
      headline: 'New medication round times',
      message: 'From Monday the lunchtime round starts at 12:30.',
      audience: 'all',
      when: 'now',
      urgent: 'false',
    }),
    replyToId: 'progress-card',
  };
}
