import { describe, expect, it } from 'vitest';
import { screenableText, screenWindows, WINDOW } from '../../../src/analysis/screenText.js';

const EVERYDAY = 'The new rota app works on the tablets most days and the handover sheet is clear. ';
const everyday = (length: number) => EVERYDAY.repeat(Math.ceil(length / EVERYDAY.length));

describe('what the disclosure screen gives the encoder', () => {
  it('gives nothing for text with no letters: empty, spaces, emoji, numbers, markup alone', () => {
    for (const text of ['', '   \n ', '😀😢🙏👍', '12 34 !!!', '<p><br/></p>', '&nbsp;&amp;'])
      expect(screenWindows(text)).toEqual([]);
  });

  it('gives a short comment whole, with markup and entities taken out', () => {
    expect(screenWindows('<p>I saw <at>Sam</at> slap Mrs&nbsp;D &amp; laugh</p>')).toEqual([
      'I saw Sam slap Mrs D & laugh',
    ]);
  });

  it('drops a 1,000-character word, as the classifier does, and keeps the words around it', () => {
    expect(screenWindows('a'.repeat(1_000))).toEqual([]);
    expect(screenWindows(`She was hit ${'x'.repeat(1_000)} last night`)).toEqual(['She was hit last night']);
  });

  it('reads a long comment in overlapping windows of whole sentences, none longer than a window', () => {
    const windows = screenWindows(everyday(3_000));
    expect(windows.length).toBeGreaterThan(3_000 / WINDOW);
    for (const window of windows) expect(window.length).toBeLessThanOrEqual(WINDOW);
    // Each window after the first begins with the sentence that ended the one before.
    const firstSentence = EVERYDAY.trim();
    for (const window of windows) expect(window.startsWith(firstSentence)).toBe(true);
  });

  it('keeps a sentence at the end of a long comment within its first 8,000 characters', () => {
    const disclosure = 'Last night I saw a carer slap Mrs D across the face.';
    const windows = screenWindows(`${everyday(7_000)}${disclosure}`);
    expect(windows.at(-1)).toContain(disclosure);
  });

  it('bounds its work whatever arrives: 100 KB in a few milliseconds and a bounded number of windows', () => {
    for (const text of [
      everyday(100_000),
      'ok. '.repeat(25_000),
      'x '.repeat(50_000),
      '<b>'.repeat(30_000),
    ]) {
      const started = performance.now();
      const windows = screenWindows(text);
      expect(performance.now() - started).toBeLessThan(200);
      expect(windows.length).toBeLessThanOrEqual((2 * 8_000) / WINDOW + 2);
      expect(windows.join(' ').length).toBeLessThanOrEqual(2 * 8_000 + 2 * WINDOW);
    }
  });

  it('cuts a sentence longer than a window at spaces', () => {
    const long = `${'word '.repeat(200)}end`;
    const windows = screenWindows(long);
    expect(windows.length).toBeGreaterThan(1);
    for (const window of windows) expect(window.length).toBeLessThanOrEqual(WINDOW);
    expect(screenableText(long).endsWith('end')).toBe(true);
  });
});
