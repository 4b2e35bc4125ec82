import { COMMAND_SYNTAX, type CommandName, isCommand } from './commands.js';

/**
 * The most words a message may have and still be read as a command someone nearly typed. Anything longer
 * is what someone wants to say, and may be a disclosure: it must reach the offer to pass it on, whatever
 * command words it happens to contain ("the results of the new system are that Mrs K was left in bed").
 */
export const NEAR_WORDS_MAX = 4;
/** Past this many letters, even four words are not a command (and the edit distances stay cheap). */
const NEAR_LENGTH_MAX = 60;

/**
 * Words people put around a command that change nothing about it: politeness, thanks, asking to see. Left
 * out of both what was typed and the command's words before they are compared.
 */
const FILLER = new Set([
  'please',
  'pls',
  'plz',
  'thanks',
  'thank',
  'thx',
  'ta',
  'cheers',
  'can',
  'could',
  'i',
  'me',
  'you',
  'see',
  'show',
  'view',
  'open',
  'get',
  'give',
  'the',
  'a',
  'an',
  'huddle',
]);

/**
 * Other words people use for a command, beside its own: the patterns' alternatives, and what a card offers
 * behind the command (managers invite champions from an initiative on `initiatives`).
 */
const OTHER_WORDS: Partial<Record<CommandName, readonly string[]>> = {
  start: ['join'],
  myData: ['my details'],
  whatsChanging: ['what is changing', 'changes'],
  feedback: ['give feedback'],
  escalations: ['safeguarding alerts', 'alerts'],
  settings: ['quiet hours'],
  broadcast: ['new update', 'send update', 'send broadcast'],
  broadcasts: ['updates', 'sent updates'],
  newInitiative: ['create initiative', 'new change'],
  initiatives: ['invite champions', 'champions', 'change champions'],
  pulse: ['new pulse', 'send pulse', 'survey', 'new survey'],
  results: ['pulse results', 'survey results'],
  comments: ['what staff said', 'staff comments'],
  newAction: ['record action', 'add action'],
  actions: ['you said we did'],
  digest: ['weekly digest'],
  lists: ['saved lists'],
};

/** The words that run `name` on their own, as a button sends them: "digest", "advance stage", "results". */
export function commandWords(name: CommandName): string {
  return COMMAND_SYNTAX[name].split(' <')[0] ?? name;
}

/**
 * The command someone probably meant by a short message that is not quite one, among `allowed` (those
 * their roles let them use here): the command with politeness around it ("comments pls", "can I see
 * results"), in other words ("invite champions"), or with a word or two mistyped ("reslts", "my dat").
 * `undefined` when nothing is close enough to suggest with a straight face, and always for a message of
 * more than `NEAR_WORDS_MAX` words. Commands that need words filled in (grant, revoke) are never
 * suggested: a button cannot know them.
 */
export function nearCommand(text: string, allowed: readonly CommandName[]): CommandName | undefined {
  const typed = wordsOf(text);
  if (typed === undefined || typed.length === 0 || typed.length > NEAR_WORDS_MAX) return undefined;
  const content = typed.filter((word) => !FILLER.has(word));
  if (content.length === 0) return undefined;
  const padded = content.length < typed.length;
  let best: { name: CommandName; distance: number } | undefined;
  for (const name of allowed) {
    if (!isCommand(name, commandWords(name))) continue;
    // "please help" or "help me" may be someone asking for help with something real: only the word itself,
    // mistyped, is taken as the command.
    if (padded && name === 'help') continue;
    for (const phrase of [commandWords(name), ...(OTHER_WORDS[name] ?? [])]) {
      const distance = phraseDistance(content, phraseWords(phrase));
      if (distance !== undefined && (best === undefined || distance < best.distance))
        best = { name, distance };
    }
  }
  return best?.name;
}

/** Lower-case words without punctuation ("What's" -> "whats"), or `undefined` when the text is too long. */
function wordsOf(text: string): string[] | undefined {
  const plain = text
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  if (plain.length > NEAR_LENGTH_MAX) return undefined;
  return plain === '' ? [] : plain.split(' ');
}

const phraseWords = (phrase: string) => (wordsOf(phrase) ?? []).filter((word) => !FILLER.has(word));

/** The most edits, in all, that still make a near match: a slip or two, not another word. */
const EDITS_MAX = 2;

/**
 * Edits from `typed` to `phrase`, word by word in order, or `undefined` when they are not near: a different
 * number of words, a word mistyped past what its length allows, or more than `EDITS_MAX` edits in all.
 */
function phraseDistance(typed: readonly string[], phrase: readonly string[]): number | undefined {
  if (typed.length !== phrase.length) return undefined;
  let total = 0;
  for (const [index, word] of phrase.entries()) {
    const edits = editDistance(typed[index] ?? '', word);
    if (edits > editsAllowed(word)) return undefined;
    total += edits;
  }
  return total <= EDITS_MAX ? total : undefined;
}

/** A short word must be exact ("my", "new"), since one edit makes another word; longer words take more. */
function editsAllowed(word: string): number {
  if (word.length <= 3) return 0;
  return word.length <= 6 ? 1 : 2;
}

/** Edits between two strings, counting a swap of neighbours ("hepl") as one, as people's typos go. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const above = rows[i - 1] ?? [];
      let best = Math.min((above[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (above[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      }
      row.push(best);
    }
    rows.push(row);
  }
  return rows[a.length]?.[b.length] ?? 0;
}
