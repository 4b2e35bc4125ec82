import { notAllowed, type Role } from '../people/roles.js';

/**
 * The text commands people can type, who may use each, where, and the words that trigger it. Help lists
 * exactly these, filtered by the person's roles and the chat they are in, so the list and the behaviour
 * cannot drift apart. Commands that show or change someone's own data, or everyone's roles, only work in
 * personal chat: typed in a team channel their answer would be read by the whole team.
 */
export const COMMANDS = [
  {
    name: 'help',
    roles: ['staff'],
    personalOnly: false,
    pattern: /^\s*(help|\?|what can you do)\s*[.!?]?\s*$/i,
  },
  { name: 'myData', roles: ['staff'], personalOnly: true, pattern: /^\s*(show\s+)?my\s+data\s*[.!?]?\s*$/i },
  {
    name: 'deleteMyData',
    roles: ['staff'],
    personalOnly: true,
    pattern: /^\s*(delete|remove|erase)\s+my\s+data\s*[.!?]?\s*$/i,
  },
  { name: 'start', roles: ['staff'], personalOnly: true, pattern: /^\s*(start|join)\s*[.!?]?\s*$/i },
  {
    name: 'whatsChanging',
    roles: ['staff'],
    personalOnly: true,
    pattern: /^\s*what('?s| is)\s+changing\s*[.!?]?\s*$/i,
  },
  {
    name: 'feedback',
    roles: ['staff'],
    personalOnly: true,
    pattern: /^\s*(feedback|give feedback|i have (some )?feedback|say something)\s*[.!?]?\s*$/i,
  },
  {
    name: 'escalations',
    roles: ['safeguardingLead', 'admin'],
    personalOnly: true,
    pattern: /^\s*(escalations|safeguarding( alerts)?)\s*$/i,
  },
  { name: 'settings', roles: ['staff'], personalOnly: true, pattern: /^\s*(settings|quiet hours)\s*$/i },
  {
    name: 'broadcast',
    roles: ['manager'],
    personalOnly: true,
    pattern: /^\s*(broadcast|new update|send an? update)\s*$/i,
  },
  { name: 'broadcasts', roles: ['manager', 'leader'], personalOnly: true, pattern: /^\s*broadcasts\s*$/i },
  { name: 'reach', roles: ['manager', 'admin'], personalOnly: true, pattern: /^\s*reach\s*$/i },
  {
    name: 'newInitiative',
    roles: ['manager'],
    personalOnly: true,
    pattern: /^\s*(new|create|start an?)\s+(initiative|change)\s*$/i,
  },
  { name: 'initiatives', roles: ['manager', 'leader'], personalOnly: true, pattern: /^\s*initiatives\s*$/i },
  {
    name: 'pulse',
    roles: ['manager'],
    personalOnly: true,
    pattern: /^\s*(pulse|new pulse|survey|new survey)\s*$/i,
  },
  {
    name: 'results',
    roles: ['manager', 'leader'],
    personalOnly: true,
    pattern: /^\s*(pulse\s+)?results\s*$/i,
  },
  {
    name: 'comments',
    roles: ['manager', 'leader'],
    personalOnly: true,
    pattern: /^\s*(comments|what (staff|people) (have )?said|feedback received)\s*[.!?]?\s*$/i,
  },
  {
    name: 'newAction',
    roles: ['manager'],
    personalOnly: true,
    pattern: /^\s*(new|record an?|add an?)\s+action\s*$/i,
  },
  {
    name: 'actions',
    roles: ['manager', 'leader'],
    personalOnly: true,
    pattern: /^\s*(actions|you said,? we did)\s*$/i,
  },
  {
    name: 'digestHere',
    roles: ['manager', 'leader'],
    personalOnly: false,
    pattern: /^\s*digest\s+(here|on)\s*[.!]?\s*$/i,
  },
  {
    name: 'digestOff',
    roles: ['manager', 'leader'],
    personalOnly: false,
    pattern: /^\s*digest\s+(off|stop)\s*[.!]?\s*$/i,
  },
  {
    name: 'digest',
    roles: ['manager', 'leader'],
    personalOnly: true,
    pattern: /^\s*(weekly\s+)?digest(?!\s+(here|on|off|stop)\s*[.!]?\s*$)(\s+(?<name>.+?))?\s*[.!?]?\s*$/i,
  },
  { name: 'lists', roles: ['manager'], personalOnly: true, pattern: /^\s*(saved\s+)?lists\s*$/i },
  {
    name: 'advanceStage',
    roles: ['manager'],
    personalOnly: true,
    pattern: /^\s*advance(\s+stage)?(\s+(?<name>.+?))?\s*$/i,
  },
  { name: 'roles', roles: ['admin'], personalOnly: true, pattern: /^\s*roles\s*$/i },
  {
    name: 'grant',
    roles: ['admin'],
    personalOnly: true,
    pattern: /^\s*grant\s+(?<role>.+?)\s+to\s+(?<who>.+?)\s*$/i,
  },
  {
    name: 'revoke',
    roles: ['admin'],
    personalOnly: true,
    pattern: /^\s*revoke\s+(?<role>.+?)\s+from\s+(?<who>.+?)\s*$/i,
  },
] as const satisfies readonly {
  name: string;
  roles: readonly Role[];
  personalOnly: boolean;
  pattern: RegExp;
}[];

export type CommandName = (typeof COMMANDS)[number]['name'];

/** How each command is typed, shown in help. Commands are syntax, like a CLI, so they are not translated. */
export const COMMAND_SYNTAX: Record<CommandName, string> = {
  help: 'help',
  myData: 'my data',
  deleteMyData: 'delete my data',
  start: 'start',
  whatsChanging: "what's changing",
  feedback: 'feedback',
  escalations: 'escalations',
  settings: 'settings',
  broadcast: 'broadcast',
  broadcasts: 'broadcasts',
  reach: 'reach',
  newInitiative: 'new initiative',
  initiatives: 'initiatives',
  pulse: 'pulse',
  results: 'results',
  comments: 'comments',
  newAction: 'new action',
  actions: 'actions',
  digest: 'digest <initiative>',
  digestHere: 'digest here',
  digestOff: 'digest off',
  lists: 'lists',
  advanceStage: 'advance stage <initiative>',
  roles: 'roles',
  grant: 'grant <role> to <name or email>',
  revoke: 'revoke <role> from <name or email>',
};

/** The headings help groups commands under, in the order shown. */
export const HELP_GROUPS = ['everyone', 'change', 'safeguarding', 'admin'] as const;
export type HelpGroup = (typeof HELP_GROUPS)[number];

/** Which heading each command is listed under in help: who it is for, not only who may use it. */
export const COMMAND_GROUP: Record<CommandName, HelpGroup> = {
  help: 'everyone',
  myData: 'everyone',
  deleteMyData: 'everyone',
  start: 'everyone',
  whatsChanging: 'everyone',
  feedback: 'everyone',
  settings: 'everyone',
  broadcast: 'change',
  broadcasts: 'change',
  newInitiative: 'change',
  initiatives: 'change',
  pulse: 'change',
  results: 'change',
  comments: 'change',
  lists: 'change',
  advanceStage: 'change',
  reach: 'change',
  digest: 'change',
  newAction: 'change',
  actions: 'change',
  digestHere: 'change',
  digestOff: 'change',
  escalations: 'safeguarding',
  roles: 'admin',
  grant: 'admin',
  revoke: 'admin',
};

/**
 * The commands most people reach for, which help also offers as buttons. Only commands typed without
 * arguments: a button sends its words exactly as shown.
 */
export const COMMON_COMMANDS: readonly CommandName[] = [
  'whatsChanging',
  'feedback',
  'settings',
  'broadcast',
  'pulse',
  'results',
  'comments',
  'escalations',
  'roles',
];

/** `commands` under their help headings, in `HELP_GROUPS` order, leaving out headings with none. */
export function groupForHelp(
  commands: readonly CommandName[],
): { group: HelpGroup; commands: CommandName[] }[] {
  return HELP_GROUPS.map((group) => ({
    group,
    commands: commands.filter((name) => COMMAND_GROUP[name] === group),
  })).filter((entry) => entry.commands.length > 0);
}

/** The commands someone with `roles` may use in this kind of chat (all of them in personal chat). */
export function commandsFor(roles: readonly Role[], personalChat = true): CommandName[] {
  return COMMANDS.filter(
    (command) =>
      command.roles.some((role) => roles.includes(role)) && (personalChat || !command.personalOnly),
  ).map((command) => command.name);
}

function commandNamed(name: CommandName) {
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (command === undefined) throw new Error(`unknown command ${name}`);
  return command;
}

/** Why `name` may not run here, or `undefined` when it may: the role it needs, or personal chat. */
export function refusalFor(
  name: CommandName,
  roles: readonly Role[],
  personalChat: boolean,
): { messageKey: string; values: Record<string, string> } | undefined {
  const command = commandNamed(name);
  if (!command.roles.some((role) => roles.includes(role))) {
    return notAllowed(command.roles);
  }
  if (command.personalOnly && !personalChat) return { messageKey: 'error.personalOnly', values: {} };
  return undefined;
}

const GREETING = /^(hi|hiya|hello|hey|(good )?(morning|afternoon|evening))( (there|huddle|all))?[.!?]*$/i;
// With Welsh and Polish thanks, and the thumbs-up or folded hands a phone offers, alone or after the words.
const THANKS =
  /^(?:(?:thanks|thank you|thx|ta|cheers|diolch|dziękuję|dzięki)(?: (?:very|so) much| yn fawr)?(?: (?:huddle|again))?[.!?]*)?(?: ?(?:👍|🙏))*$/iu;
/** Huddle's own words a newcomer asks about; each has a one-line answer in the strings file. */
export const HUDDLE_WORDS = ['pulse', 'initiative', 'champion', 'anonymous'] as const;
export type HuddleWord = (typeof HUDDLE_WORDS)[number];
const WHAT_IS =
  /^what(?:'?s| is| are| does)? (?:an? |the )?(pulse|initiative|champion|anonymous|anonymity)(?:s| surveys?)?(?: mean)?[?.!]*$/i;

/**
 * Whole messages that are small talk, not something to pass on: a greeting, thanks, or "what is a pulse?"
 * about one of Huddle's own words. Deliberately a short list; anything more is treated as words someone
 * may want to pass on, since a disclosure must never be mistaken for chat.
 */
export function smallTalkOf(
  text: string,
): { kind: 'greeting' } | { kind: 'thanks' } | { kind: 'whatIs'; word: HuddleWord } | undefined {
  const typed = commandText(text);
  // Nothing but punctuation ("?", "...") is not thanks: it may be someone unsure how to start.
  if (typed === undefined || typed === '') return undefined;
  if (GREETING.test(typed)) return { kind: 'greeting' };
  if (THANKS.test(typed)) return { kind: 'thanks' };
  const asked = WHAT_IS.exec(typed)?.[1]?.toLowerCase();
  if (asked === undefined) return undefined;
  return { kind: 'whatIs', word: asked === 'anonymity' ? 'anonymous' : (asked as HuddleWord) };
}

/** The longest text read as a command; the longest command with a long initiative name fits easily. */
const COMMAND_TEXT_MAX = 300;

/**
 * Text as commands are matched: whitespace runs made one space and the ends trimmed, or `undefined` when
 * it is too long to be a command. On raw text the patterns' `\s*` runs backtrack: "advance a", 20,000
 * spaces and "b" held the event loop 0.3 s, and a 100 KB message would hold it for seconds.
 */
function commandText(text: string): string | undefined {
  const collapsed = text.replace(/\s+/g, ' ').trim();
  if (collapsed.length > COMMAND_TEXT_MAX) return undefined;
  // "my data!!" or "help?" is the command: phones and habit add punctuation, and no command ends in it.
  // Stripped only once the text is short, since the pattern scans a long run of dots once per dot.
  return collapsed.replace(/ ?[.!?]+$/, '');
}

/** Whether `text` is the command `name`. */
export function isCommand(name: CommandName, text: string): boolean {
  const typed = commandText(text);
  return typed !== undefined && commandNamed(name).pattern.test(typed);
}

/** Named parts of a command ("grant <role> to <who>"), or `undefined` when the text does not match. */
export function argumentsOf(name: CommandName, text: string): Record<string, string> | undefined {
  const typed = commandText(text);
  return typed === undefined ? undefined : commandNamed(name).pattern.exec(typed)?.groups;
}
