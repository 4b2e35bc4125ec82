import { describe, expect, it } from 'vitest';
import {
  argumentsOf,
  COMMAND_SYNTAX,
  COMMON_COMMANDS,
  commandsFor,
  groupForHelp,
  isCommand,
  refusalFor,
  smallTalkOf,
} from '../../../src/domain/chat/commands.js';

describe('commands', () => {
  it('shows staff the personal commands and admins the role commands as well', () => {
    expect(commandsFor(['staff'])).toEqual([
      'help',
      'myData',
      'deleteMyData',
      'start',
      'whatsChanging',
      'feedback',
      'settings',
    ]);
    expect(commandsFor(['staff', 'admin'])).toContain('grant');
    expect(commandsFor(['staff', 'safeguardingLead'])).toContain('escalations');
    expect(commandsFor(['staff', 'manager'])).not.toContain('escalations');
    expect(commandsFor(['staff', 'manager'])).toEqual(expect.arrayContaining(['broadcast', 'advanceStage']));
    expect(commandsFor(['staff', 'leader'])).toContain('broadcasts');
    expect(commandsFor(['staff', 'leader'])).not.toContain('broadcast');
    expect(refusalFor('grant', ['staff', 'manager'], true)).toEqual({
      messageKey: 'error.notAllowed',
      values: { role: 'admin' },
    });
    expect(refusalFor('grant', ['staff', 'admin'], true)).toBeUndefined();
    // A command two roles may use names both: a carer told "only a Manager" would think leaders cannot.
    expect(refusalFor('results', ['staff'], true)).toEqual({
      messageKey: 'error.notAllowedEither',
      values: { role: 'manager', other: 'leader' },
    });
  });

  it('groups help by who it is for, and offers as buttons only commands typed without arguments', () => {
    expect(groupForHelp(commandsFor(['staff'])).map((entry) => entry.group)).toEqual(['everyone']);
    const all = groupForHelp(commandsFor(['staff', 'manager', 'safeguardingLead', 'admin']));
    expect(all.map((entry) => entry.group)).toEqual(['everyone', 'change', 'safeguarding', 'admin']);
    expect(all.find((entry) => entry.group === 'admin')?.commands).toEqual(['roles', 'grant', 'revoke']);
    expect(all.flatMap((entry) => entry.commands).sort()).toEqual(
      commandsFor(['staff', 'manager', 'safeguardingLead', 'admin']).sort(),
    );
    for (const name of COMMON_COMMANDS) expect(COMMAND_SYNTAX[name]).not.toContain('<');
  });

  it('keeps personal commands out of team and group chats, where the whole team would read the answer', () => {
    expect(commandsFor(['staff', 'admin'], false)).toEqual(['help']);
    expect(refusalFor('myData', ['staff'], false)).toEqual({ messageKey: 'error.personalOnly', values: {} });
    expect(refusalFor('help', ['staff'], false)).toBeUndefined();
  });

  it('recognises commands with the punctuation and case people use on phones', () => {
    expect(isCommand('help', 'Help?')).toBe(true);
    expect(isCommand('whatsChanging', "What's changing?")).toBe(true);
    expect(isCommand('whatsChanging', 'what is changing')).toBe(true);
    expect(argumentsOf('advanceStage', 'advance stage digital care')?.name).toBe('digital care');
    expect(argumentsOf('advanceStage', 'advance stage')?.name).toBeUndefined();
    expect(isCommand('myData', 'show my data')).toBe(true);
    expect(isCommand('deleteMyData', 'Delete my data.')).toBe(true);
    expect(isCommand('myData', 'delete my data')).toBe(false);
  });

  it('reads text padded with 100,000 spaces at once, as the words it holds, and longer text as no command', () => {
    const started = performance.now();
    const padded = (start: string) => `${start}${' '.repeat(100_000)}b`;
    expect(argumentsOf('advanceStage', padded('advance a'))?.name).toBe('a b');
    expect(argumentsOf('grant', padded('grant manager to Adele'))).toEqual({
      role: 'manager',
      who: 'Adele b',
    });
    expect(isCommand('help', padded('help'))).toBe(false);
    expect(isCommand('advanceStage', `advance ${'x'.repeat(100_000)}`)).toBe(false);
    expect(performance.now() - started).toBeLessThan(200);
    expect(argumentsOf('grant', 'grant  manager\n to   Adele   Vance ')).toEqual({
      role: 'manager',
      who: 'Adele Vance',
    });
  });

  it('takes a command typed with punctuation after it, as on a phone', () => {
    expect(isCommand('myData', 'my data!!')).toBe(true);
    expect(isCommand('help', 'help?')).toBe(true);
    expect(isCommand('results', 'results...')).toBe(true);
    expect(isCommand('reach', 'Reach!')).toBe(true);
    expect(argumentsOf('grant', 'grant leader to meganb@example.com.')).toEqual({
      role: 'leader',
      who: 'meganb@example.com',
    });
    expect(isCommand('help', 'help me, Mr Patel fell')).toBe(false);
  });

  it('reads the role and person from grant and revoke', () => {
    expect(argumentsOf('grant', 'grant safeguarding lead to Adele Vance')).toEqual({
      role: 'safeguarding lead',
      who: 'Adele Vance',
    });
    expect(argumentsOf('revoke', 'revoke manager from tom@oakview.example')).toEqual({
      role: 'manager',
      who: 'tom@oakview.example',
    });
  });

  it('knows a greeting or thanks on its own, and nothing longer, so other words are never brushed off', () => {
    for (const words of [
      'hi',
      'Hello!',
      'hi there',
      'Good morning',
      'thanks',
      'Thank you very much.',
      'cheers',
      // Welsh and Polish staff thank in their own words, and a thumbs-up is thanks on a phone.
      'diolch 🙏',
      'Diolch yn fawr',
      'dziękuję',
      'dzięki!',
      '👍',
      'thanks 👍',
    ])
      expect({ words, talk: smallTalkOf(words)?.kind }).toEqual({
        words,
        talk: expect.stringMatching(/greeting|thanks/),
      });
    for (const words of [
      'thanks for nothing, the rota is a mess',
      'hi, Mr Patel was left in wet pads all night',
      'Night staff leave Mr Patel in wet pads until the morning',
      '?',
      '...',
    ])
      expect({ words, talk: smallTalkOf(words) }).toEqual({ words, talk: undefined });
  });

  it("answers what Huddle's own words mean, and nothing else that starts with 'what'", () => {
    expect(smallTalkOf('what is a pulse?')).toEqual({ kind: 'whatIs', word: 'pulse' });
    expect(smallTalkOf("What's an initiative")).toEqual({ kind: 'whatIs', word: 'initiative' });
    expect(smallTalkOf('what are champions?')).toEqual({ kind: 'whatIs', word: 'champion' });
    expect(smallTalkOf('what does anonymous mean?')).toEqual({ kind: 'whatIs', word: 'anonymous' });
    expect(smallTalkOf('what is happening to Mrs K at night?')).toBeUndefined();
    expect(smallTalkOf('what is a pulse doing on my phone at 3am, I was asleep')).toBeUndefined();
  });
});
