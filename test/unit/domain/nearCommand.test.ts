import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CommandName, commandsFor } from '../../../src/domain/chat/commands.js';
import { commandWords, NEAR_WORDS_MAX, nearCommand } from '../../../src/domain/chat/nearCommand.js';
import type { Role } from '../../../src/domain/people/roles.js';

const STAFF = commandsFor(['staff']);
const MANAGER = commandsFor(['staff', 'manager']);
const EVERYONE = commandsFor(['staff', 'manager', 'leader', 'safeguardingLead', 'admin']);
const near = (text: string, roles: Role[] = ['staff', 'manager']) => nearCommand(text, commandsFor(roles));

describe('a message that is nearly a command', () => {
  it('is the command with politeness, thanks or asking to see around it', () => {
    expect(near('comments pls')).toBe('comments');
    expect(near('Can I see results?')).toBe('results');
    expect(near('show me the results')).toBe('results');
    expect(near('results please, thanks!')).toBe('results');
    expect(near('show me my data')).toBe('myData');
    expect(near('settings pls 👍')).toBe('settings');
  });

  it('is the command in other words, including what a card offers behind it', () => {
    expect(near('invite champions')).toBe('initiatives');
    expect(near('invite a champion')).toBe('initiatives');
    expect(near('survey results')).toBe('results');
    expect(near('send update please')).toBe('broadcast');
    expect(near('comment')).toBe('comments');
  });

  it('is the command with a word or two mistyped, and short words must be exact', () => {
    expect(near('reslts')).toBe('results');
    expect(near('comentss')).toBe('comments');
    expect(near('hepl')).toBe('help');
    expect(near('my dat')).toBe('myData');
    expect(near('whats chaning')).toBe('whatsChanging');
    expect(near('broadcst')).toBe('broadcast');
    expect(near('brodcasts')).toBe('broadcasts');
    // Three edits is another word, not a slip; and one letter makes another short word.
    expect(near('rsltz')).toBeUndefined();
    expect(near('ny data')).toBeUndefined();
  });

  it('is only ever a command this person may use here', () => {
    expect(nearCommand('comments pls', STAFF)).toBeUndefined();
    expect(nearCommand('reslts', STAFF)).toBeUndefined();
    expect(nearCommand('rolse', STAFF)).toBeUndefined();
    expect(nearCommand('rolse', commandsFor(['staff', 'admin']))).toBe('roles');
    expect(nearCommand('invite champions', commandsFor(['staff', 'admin']))).toBeUndefined();
    expect(nearCommand('my dat', commandsFor(['staff', 'manager'], false))).toBeUndefined();
    expect(nearCommand('digest hre', commandsFor(['staff', 'manager'], false))).toBe('digestHere');
  });

  it('is never a command that needs words filled in, which a button cannot know', () => {
    expect(nearCommand('grnat', EVERYONE)).toBeUndefined();
    expect(nearCommand('revoke pls', EVERYONE)).toBeUndefined();
    expect(nearCommand('advance stge', MANAGER)).toBe('advanceStage');
    expect(commandWords('advanceStage')).toBe('advance stage');
  });

  it('is never help when there are other words with it: "please help" may be someone asking for real help', () => {
    for (const words of ['please help', 'help me', 'help pls', 'can you help', 'help!! please'])
      expect({ words, near: near(words) }).toEqual({ words, near: undefined });
  });

  it('is never what someone wants to say, whatever command words it holds', () => {
    for (const words of [
      'the results of the new system are that Mrs K was left in bed',
      'comments about Mrs K',
      'my data was shared',
      'results were bad',
      'Mr Patel fell',
      'thank you',
      '???',
      '',
    ])
      expect({ words, near: nearCommand(words, EVERYONE) }).toEqual({ words, near: undefined });
  });

  it(`never takes a message of more than ${NEAR_WORDS_MAX} words as a command, whatever the words`, () => {
    const knownWords = [
      ...new Set(
        EVERYONE.flatMap((name) => commandWords(name).split(' ')).concat([
          'please',
          'pls',
          'show',
          'me',
          'the',
          'can',
          'i',
          'see',
          'invite',
          'champions',
          'reslts',
          'help',
        ]),
      ),
    ];
    const word = fc.oneof(
      fc.constantFrom(...knownWords),
      fc.stringMatching(/^[a-z]{1,8}$/),
      fc.constantFrom('!', '?', ',', '👍', "'s"),
    );
    const separator = fc.constantFrom(' ', '  ', ', ', '\n', ' - ');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...knownWords), separator), {
          minLength: NEAR_WORDS_MAX + 1,
          maxLength: 12,
        }),
        fc.array(word, { maxLength: 3 }),
        (words, extra) => {
          const text = words.map(([one, gap]) => `${one}${gap}`).join('') + extra.join('');
          expect(nearCommand(text, EVERYONE)).toBeUndefined();
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('takes each command its own words run, as typed with politeness around them', () => {
    const offered = (name: CommandName) => nearCommand(`${commandWords(name)} please`, EVERYONE);
    for (const name of EVERYONE.filter((one) => one !== 'help' && one !== 'grant' && one !== 'revoke'))
      expect({ name, near: offered(name) }).toEqual({ name, near: name });
  });
});
