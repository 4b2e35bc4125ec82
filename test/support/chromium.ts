import { accessSync, constants } from 'node:fs';

/** Where Chromium or Chrome lives when installed the usual way: Debian's package first, as `.ci/run` installs. */
export const BROWSER_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
] as const;

export const INSTALL_HINT =
  "no Chromium or Chrome found: install Debian's chromium (apt-get install chromium) or set HUDDLE_CHROMIUM to a browser's path";

const isExecutable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * The browser the Playground test drives: `HUDDLE_CHROMIUM` when set, else the first of `BROWSER_PATHS`
 * there is, else undefined (the browser tests are then skipped, so `npm test` passes on a machine without
 * one). A `HUDDLE_CHROMIUM` that names nothing runnable is an error, not a skip: whoever set it (`.ci/run`
 * does) wants those tests run.
 */
export function findChromium(
  env: Record<string, string | undefined> = process.env,
  runnable: (path: string) => boolean = isExecutable,
): string | undefined {
  const chosen = env.HUDDLE_CHROMIUM;
  if (chosen !== undefined && chosen !== '') {
    if (!runnable(chosen))
      throw new Error(`HUDDLE_CHROMIUM is ${chosen}, which is not a browser that can be run`);
    return chosen;
  }
  return BROWSER_PATHS.find(runnable);
}
