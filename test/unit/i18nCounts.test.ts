import { describe, expect, it } from 'vitest';
import { argumentNames, parseMessage } from '../../src/i18n/message.js';
import { Localizer, loadLocales } from '../../src/i18n/strings.js';

/**
 * Every string with a count in it, filled with 0, 1 and many (every argument gets the same number, which
 * is enough to see the words that depend on it), and what each must then say.
 */
const english = loadLocales().get('en-GB') ?? {};
const t = new Localizer().for('en-GB');
const filledWith = (key: string, n: number) =>
  t(key, Object.fromEntries(placeholdersOf(key).map((name) => [name, n])));
const placeholdersOf = (key: string) => argumentNames(parseMessage(english[key] ?? ''));

type ZeroOneMany = [zero: string, one: string, many: string];
const characters: ZeroOneMany = ['0 characters', '1 character;', '7 characters'];
const counted: Record<string, ZeroOneMany> = {
  'welcome.whoSees': [
    'groups of 0 people or more',
    'groups of 1 person or more',
    'groups of 7 people or more',
  ],
  'concern.textLabel': [
    'up to 0 characters, or 0 if',
    'up to 1 character, or 1 if',
    'up to 7 characters, or 7 if',
  ],
  'feedback.textLabel': ['up to 0 characters', 'up to 1 character,', 'up to 7 characters'],
  'confirm.textLabel': ['up to 0 characters', 'up to 1 character,', 'up to 7 characters'],
  'harm.textLabel': ['(up to 0 characters)', '(up to 1 character)', '(up to 7 characters)'],
  'offer.cut': ['first 0 characters go onto', 'first 1 character goes onto', 'first 7 characters go onto'],
  'comment.tooLong': characters,
  'comment.tooLongUnlessHarm': characters,
  'comment.tooLongDisclosure': characters,
  'broadcast.error.tooLong': characters,
  'pulse.error.tooLong': characters,
  'pulse.error.textTooLong': characters,
  'broadcast.audience.allInChange': ['0, 0 people', '1, 1 person', '7, 7 people'],
  'pulse.partialChange': ['(0, 0 people)', '(1, 1 person)', '(7, 7 people)'],
  'reach.installing': ['including 0 people once', 'including 1 person once', 'including 7 people once'],
  'champion.invite.previewCount': [
    'Send invitations to 0 people',
    'Send invitations to 1 person',
    'Send invitations to 7 people',
  ],
  'broadcast.quietNote': ['None of them are in', 'One of them is in', '7 of them are in'],
  // {rate} is a phrase in use; filled with the count here, it shows as the digit before the dot.
  'broadcast.listFigures.update': ['0 · 0 concerns', '1 · 1 concern', '7 · 7 concerns'],
  'initiative.created': ['with 0 stages.', 'with 1 stage.', 'with 7 stages.'],
  'lists.people': ['Nobody is on this list now.', '1 person: 1', '7 people: 7'],
  'lists.saved': ['with 0 people.', 'with 1 person.', 'with 7 people.'],
  'pulse.intro': ['0 quick questions', 'One quick question,', '7 quick questions'],
  'pulse.formIntro': [
    'groups of 0 answers or more',
    'groups of 1 answer or more',
    'groups of 7 answers or more',
  ],
  'pulse.error.openTooLong': ['at most 0 days.', 'at most 1 day.', 'at most 7 days.'],
  'pulse.error.overlaps': ['within 0 days of', 'within 1 day of', 'within 7 days of'],
  'pulse.error.tooManyItems': ['at most 0 questions,', 'at most 1 question,', 'at most 7 questions,'],
  'pulse.error.options': ['2 to 0 choices,', '2 to 1 choice,', '2 to 7 choices,'],
  'pulse.error.optionTooLong': ['at most 0 characters.', 'at most 1 character.', 'at most 7 characters.'],
  'results.trend': ['answered 0 points', 'answered 1 point', 'answered 7 points'],
  'results.suppressed': [
    'Fewer than 0 people have answered',
    'Nobody has answered yet',
    'Fewer than 7 people have',
  ],
  'results.groupsNote': ['fewer than 0 answers,', 'fewer than 1 answer,', 'fewer than 7 answers,'],
  'results.group': ['0: 0 answers', '1: 1 answer1', '7: 7 answers'],
  'results.themes': ['Of 0 answers,', 'Of 1 answer,', 'Of 7 answers,'],
  'escalations.intro': [
    'No alerts to show.',
    'The last alert and what happened to it.',
    'The last 7 alerts and',
  ],
  'comments.intro': ['from the last 0 days,', 'from the last day,', 'from the last 7 days,'],
  'comments.safeguarding': ['(0 in these 0 days)', '(1 in the last day)', '(7 in these 7 days)'],
  'comments.awaitingWriter': ['0 comments are', 'One comment is', '7 comments are'],
  'comments.none': ['in the last 0 days.', 'in the last day.', 'in the last 7 days.'],
  'comments.noneListed': ['the last 0 days can', 'the last day can', 'the last 7 days can'],
  'comments.pulseWaiting': [
    '0 answers to a pulse are waiting until at least 0 people',
    'One answer to a pulse is waiting until at least 1 person',
    '7 answers to a pulse are waiting until at least 7 people',
  ],
  'advance.done': ['within 0 minutes.', 'within 1 minute.', 'within 7 minutes.'],
  'advance.undoTooLate': ['more than 0 minutes ago', 'more than 1 minute ago', 'more than 7 minutes ago'],
  'results.asPublished': ['once 0 answers have come', 'once 1 answer has come', 'once 7 answers have come'],
  'digest.plan.behind': ['Behind by 0 days', 'Behind by 1 day ', 'Behind by 7 days'],
  'digest.engagement.note': ['over the 0 people', 'over the 1 person', 'over the 7 people'],
  'digest.pulse': ['sent to 0 people', 'sent to 1 person', 'sent to 7 people'],
  'digest.saying.sources': ['0 comments.', '1 comment.', '7 comments.'],
  'digest.because.theme': ['0 comments about', '1 comment about', '7 comments about'],
  'digest.because.readinessFell': ['fell 0 points', 'fell 1 point ', 'fell 7 points'],
  'action.error.tooLong': ['to 0 characters', 'to 1 character.', 'to 7 characters'],
  'evidence.intro': ['fewer than 0 people,', 'until someone has answered.', 'fewer than 7 people,'],
  'evidence.roundsNote': ['fewer than 0 answers', 'A round nobody answered', 'fewer than 7 answers'],
  'evidence.groupsNote': ['at least 0 answers are', 'groups someone answered in', 'at least 7 answers are'],
  'digest.safeguarding.waiting': [
    '0 are still within their time',
    '1 is still within its time',
    '7 are still within their time',
  ],
  'comments.range': ['Showing 0-0 of 0 comments.', 'Showing 1-1 of 1 comment.', 'Showing 7-7 of 7 comments.'],
  'comments.pageExpired': ['more than 0 days old', 'more than a day old', 'more than 7 days old'],
  'digest.champions.some': ['0 champions: 0', '1 champion: 1', '7 champions: 7'],
  'champion.note.group': ['0 (0 people)', '1 (1 person)', '7 (7 people)'],
};

describe('strings with a count in them', () => {
  it.each(Object.entries(counted))('%s reads right for 0, 1 and many', (key, [zero, one, many]) => {
    expect(filledWith(key, 0)).toContain(zero);
    expect(filledWith(key, 1)).toContain(one);
    expect(filledWith(key, 7)).toContain(many);
  });

  it('every string with plural rules is in the list above, so a new one is tested with 0, 1 and many too', () => {
    const withPlurals = Object.keys(english).filter((key) =>
      /\{\s*\w+\s*,\s*plural\s*,/.test(english[key] ?? ''),
    );
    expect(withPlurals.sort()).toEqual(Object.keys(counted).sort());
  });

  it('no string says "1 days", "1 people" or "1 of them are" when its numbers are 1', () => {
    const wrong = Object.keys(english)
      .map((key) => `${key}: ${filledWith(key, 1)}`)
      .filter((line) => /\b1 (?!(?:is|has|was)\b)(?:[a-z]+s|people)\b|\b1 of them are\b/.test(line));
    expect(wrong).toEqual([]);
  });

  it('a title that ends in a question mark reads cleanly before the round', () => {
    const heading = t('results.heading', { title: 'How is it going?', round: 1 });
    expect(heading).toBe('How is it going? (round 1)');
  });
});
