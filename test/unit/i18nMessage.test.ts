import { describe, expect, it } from 'vitest';
import { argumentNames, formatMessage, parseMessage } from '../../src/i18n/message.js';

const format = (source: string, values: Record<string, string | number>, locale = 'en-GB') =>
  formatMessage(parseMessage(source), values, locale);

const alerts = '{count, plural, =0 {No alerts.} one {The last alert.} other {The last # alerts.}}';

describe('ICU-style messages', () => {
  it('fills {name} placeholders as before, and leaves one without a value as written', () => {
    expect(format('Hello {name}, {name}!', { name: 'Sam' })).toBe('Hello Sam, Sam!');
    expect(format('Stage {number} of {total}', { number: 2 })).toBe('Stage 2 of {total}');
    expect(format("didn't, won't: {who}'s", { who: 'Sam' })).toBe("didn't, won't: Sam's");
  });

  it('picks the branch for 0, 1 and many, an exact =N before the plural category', () => {
    expect(format(alerts, { count: 0 })).toBe('No alerts.');
    expect(format(alerts, { count: 1 })).toBe('The last alert.');
    expect(format(alerts, { count: 12 })).toBe('The last 12 alerts.');
    expect(format('{n, plural, one {# day} other {# days}}', { n: 0 })).toBe('0 days');
  });

  it('writes # and {x, number} the way the language writes numbers, and keeps placeholders inside branches', () => {
    expect(format('{n, plural, one {# person} other {# people}}', { n: 1200 })).toBe('1,200 people');
    expect(format('up to {max, number}', { max: 4000 })).toBe('up to 4,000');
    expect(format('{n, plural, one {# of {total}} other {# of {total}}}', { n: 1, total: 9 })).toBe('1 of 9');
    expect(format('{n, plural, other {#}} #', { n: 3 })).toBe('3 #');
  });

  it('follows the plural rules of the locale', () => {
    const days =
      '{n, plural, zero {# diwrnod} one {# diwrnod} two {# ddiwrnod} few {# diwrnod} other {# o ddiwrnodau}}';
    expect(format(days, { n: 2 }, 'cy')).toBe('2 ddiwrnod');
    expect(format(days, { n: 2 }, 'en-GB')).toBe('2 o ddiwrnodau');
  });

  it('throws for a plural or number without a number, so a caller passing "1,000" is caught in tests', () => {
    expect(() => format(alerts, {})).toThrow('needs a number');
    expect(() => format(alerts, { count: '1,000' })).toThrow('needs a number');
    expect(format(alerts, { count: '3' })).toBe('The last 3 alerts.');
  });

  it('refuses malformed messages with the text quoted', () => {
    for (const bad of [
      '{count, plural, one {#}}',
      '{count, plural, few {#} other {#}',
      '{count, select, a {x} other {y}}',
      '{count, plural, lots {#} other {#}}',
      'a } b',
      '{ }',
    ]) {
      expect(() => parseMessage(bad), bad).toThrow(bad);
    }
  });

  it('names every argument, in branches too', () => {
    expect(argumentNames(parseMessage('{a} {b, number} {c, plural, one {{d}} other {#}}'))).toEqual([
      'a',
      'b',
      'c',
      'd',
    ]);
  });
});
