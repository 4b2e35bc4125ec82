import { COMMAND_SYNTAX, COMMON_COMMANDS, type CommandName, groupForHelp } from '../domain/chat/commands.js';
import { commandWords } from '../domain/chat/nearCommand.js';
import type { MyData } from '../domain/people/myData.js';
import type { RoleHolder } from '../domain/people/roleAdmin.js';
import type { Translator } from '../i18n/strings.js';
import { type Card, expandTemplate } from './render.js';
import { formatDay } from './updateCards.js';
import { VERBS } from './verbs.js';

/**
 * One typed function per card template in `/cards`. Each turns a domain model into the template's data,
 * taking every word from the person's locale, so the templates hold layout only.
 */

export function welcomeCard(t: Translator, model: { name: string; anonymityThreshold: number }): Card {
  return expandTemplate('welcome', {
    title:
      model.name.trim() === ''
        ? t('welcome.titleNoName')
        : t('welcome.title', { name: firstName(model.name) }),
    intro: t('welcome.intro'),
    sections: [
      { heading: t('welcome.collectsTitle'), text: t('welcome.collects') },
      { heading: t('welcome.anonymousTitle'), text: t('welcome.anonymous') },
      {
        heading: t('welcome.whoSeesTitle'),
        text: t('welcome.whoSees', { threshold: model.anonymityThreshold }),
      },
      { heading: t('welcome.yourDataTitle'), text: t('welcome.yourData') },
    ],
    helpAction: t('welcome.helpAction'),
  });
}

/**
 * The commands `commands` lists, under headings by who they are for, the common ones also as buttons. A
 * placeholder such as "<role>" shows as "‹role›", as all card text does (render.ts).
 */
export function helpCard(t: Translator, commands: readonly CommandName[]): Card {
  return expandTemplate('help', {
    title: t('help.title'),
    intro: t('help.intro'),
    groups: groupForHelp(commands).map(({ group, commands: listed }) => ({
      heading: t(`help.group.${group}`),
      commands: listed.map((name) => ({
        syntax: COMMAND_SYNTAX[name],
        description: t(`help.command.${name}`),
      })),
      buttons: listed
        .filter((name) => COMMON_COMMANDS.includes(name))
        .map((name) => ({ title: COMMAND_SYNTAX[name], value: COMMAND_SYNTAX[name] })),
    })),
    footer: t('help.footer'),
  });
}

/**
 * The answer to a message that is no command: "Did you mean **results**?" with what it does and a button
 * for it when one is near, and always a button for help. The buttons type the command as if the person had
 * (imBack), so it runs through the same role and chat checks as typing it; nothing on this card can do
 * more than its presser may.
 */
export function nearCommandCard(t: Translator, near: CommandName | undefined): Card {
  const words = near === undefined ? undefined : commandWords(near);
  return expandTemplate('near-command', {
    question: words === undefined ? t('unknown.text') : t('unknown.suggestion', { command: words }),
    description: near === undefined ? '' : t(`help.command.${near}`),
    buttons: [
      ...(words === undefined ? [] : [{ title: words, value: words }]),
      ...(near === 'help' ? [] : [{ title: t('unknown.allCommands'), value: COMMAND_SYNTAX.help }]),
    ],
  });
}

/**
 * "English (United States)" for the code Teams sends ("en-US"), which a care worker would not read as their
 * language; a code that is not a language tag is shown as it is.
 */
function languageName(code: string, locale: string): string {
  try {
    return new Intl.DisplayNames(locale, { type: 'language', languageDisplay: 'standard' }).of(code) ?? code;
  } catch {
    return code;
  }
}

export function myDataCard(t: Translator, data: MyData): Card {
  const notSet = t('myData.notSet');
  const facts: [string, string | undefined][] = [
    ['myData.name', data.name],
    ['myData.email', data.userPrincipalName],
    ['myData.roles', data.roles.map((role) => t(`role.${role}`)).join(', ')],
    ['myData.site', data.groups.site],
    ['myData.unit', data.groups.unit],
    ['myData.jobRole', data.groups.jobRole],
    ['myData.shiftPattern', data.groups.shiftPattern],
    ['myData.locale', languageName(data.locale, t.locale)],
    ['myData.timeZone', data.timeZone],
    [
      'myData.quietHours',
      // Equal times mean none, as the settings card says.
      data.quietHours.start === data.quietHours.end
        ? t('myData.quietHoursNone')
        : t('myData.quietHoursValue', { ...data.quietHours }),
    ],
    [
      'myData.personalChat',
      t(data.personalChatInstalled ? 'myData.personalChatYes' : 'myData.personalChatNo'),
    ],
    ['myData.firstSeen', formatDay(data.firstSeen, t.locale)],
  ];
  return expandTemplate('my-data', {
    title: t('myData.title'),
    facts: facts.map(([key, value]) => ({ label: t(key), value: value ?? notSet })),
    anonymousNote: t('myData.anonymousNote'),
    deleteAction: t('myData.deleteAction'),
  });
}

export function deleteConfirmCard(t: Translator): Card {
  return expandTemplate('delete-confirm', {
    title: t('delete.title'),
    body: t('delete.body'),
    confirm: t('delete.confirm'),
    cancel: t('delete.cancel'),
    confirmVerb: VERBS.deleteMyDataConfirm,
    cancelVerb: VERBS.deleteMyDataCancel,
  });
}

/** A one-line card, used where Action.Execute must answer with a card (e.g. "Nothing was deleted"). */
export function noticeCard(text: string): Card {
  return expandTemplate('notice', { text });
}

export function rolesCard(t: Translator, holders: readonly RoleHolder[]): Card {
  return expandTemplate('roles', {
    title: t('roles.title'),
    empty: t('roles.none'),
    holders: holders.map((holder) => ({
      name:
        holder.userPrincipalName === undefined ? holder.name : `${holder.name} (${holder.userPrincipalName})`,
      roles: [
        holder.roles.map((role) => t(`role.${role}`)).join(', '),
        holder.configured.length > 0 ? t('roles.fromConfig') : '',
      ]
        .filter((part) => part !== '')
        .join(' '),
    })),
  });
}

function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] ?? name;
}
