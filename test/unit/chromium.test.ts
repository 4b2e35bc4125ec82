import { describe, expect, it } from 'vitest';
import { findChromium } from '../support/chromium.js';

const only =
  (...installed: string[]) =>
  (path: string) =>
    installed.includes(path);

describe('finding a browser for the Playground test', () => {
  it('uses HUDDLE_CHROMIUM when it names a browser, ahead of any installed one', () => {
    expect(
      findChromium(
        { HUDDLE_CHROMIUM: '/opt/chrome/chrome' },
        only('/opt/chrome/chrome', '/usr/bin/chromium'),
      ),
    ).toBe('/opt/chrome/chrome');
  });

  it("finds Debian's chromium, as .ci/run installs it", () => {
    expect(findChromium({}, only('/usr/bin/chromium', '/usr/bin/google-chrome'))).toBe('/usr/bin/chromium');
  });

  it('falls back to Chrome when there is no Chromium', () => {
    expect(findChromium({}, only('/usr/bin/google-chrome-stable'))).toBe('/usr/bin/google-chrome-stable');
  });

  it('finds nothing on a machine without a browser, so the browser tests are skipped rather than failed', () => {
    expect(findChromium({ HUDDLE_CHROMIUM: '' }, only())).toBeUndefined();
  });

  it('refuses a HUDDLE_CHROMIUM that names nothing runnable instead of quietly skipping the tests', () => {
    expect(() => findChromium({ HUDDLE_CHROMIUM: '/usr/bin/chromium' }, only())).toThrow(
      'HUDDLE_CHROMIUM is /usr/bin/chromium, which is not a browser that can be run',
    );
  });
});
