import { describe, expect, it } from 'vitest';
import {
  argumentsOf,
  commandsFor,
  isGreetingOrThanks,
  patternOf,
  refusalFor,
  suggestCommand,
} from '../../../src/domain/commands.js';

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
  });

  it('keeps personal commands out of team and group chats, where the whole team would read the answer', () => {
    expect(commandsFor(['staff', 'admin'], false)).toEqual(['help']);
    expect(refusalFor('myData', ['staff'], false)).toEqual({ messageKey: 'error.personalOnly', values: {} });
    expect(refusalFor('help', ['staff'], false)).toBeUndefined();
  });

  it('recognises commands with the punctuation and case people use on phones', () => {
    expect(patternOf('help').test('Help?')).toBe(true);
    expect(patternOf('whatsChanging').test("What's changing?")).toBe(true);
    expect(patternOf('whatsChanging').test('what is changing')).toBe(true);
    expect(argumentsOf('advanceStage', 'advance stage digital care')?.name).toBe('digital care');
    expect(argumentsOf('advanceStage', 'advance stage')?.name).toBeUndefined();
    expect(patternOf('myData').test('show my data')).toBe(true);
    expect(patternOf('deleteMyData').test('Delete my data.')).toBe(true);
    expect(patternOf('myData').test('delete my data')).toBe(false);
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

  it('suggests the command someone nearly typed, only among those they may use', () => {
    expect(suggestCommand('hepl', ['staff'])).toBe('help');
    expect(suggestCommand('my dat', ['staff'])).toBe('myData');
    expect(suggestCommand('rolse', ['staff'])).toBeUndefined();
    expect(suggestCommand('rolse', ['staff', 'admin'])).toBe('roles');
    expect(suggestCommand('the tablets keep freezing on nights', ['staff'])).toBeUndefined();
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
    ])
      expect({ words, greeting: isGreetingOrThanks(words) }).toEqual({ words, greeting: true });
    for (const words of [
      'thanks for nothing, the rota is a mess',
      'hi, Mr Patel was left in wet pads all night',
      'Night staff leave Mr Patel in wet pads until the morning',
    ])
      expect({ words, greeting: isGreetingOrThanks(words) }).toEqual({ words, greeting: false });
  });
});
