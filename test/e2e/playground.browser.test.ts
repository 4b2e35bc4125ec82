import { existsSync, mkdirSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Playground, startPlayground } from '../../src/dev/playground.js';
import { startTestHuddle, type TestHuddle } from '../support/testHuddle.js';

const CHROMIUM = '/usr/bin/chromium';
const OUT = 'test-output/playground';

let bot: TestHuddle;
let playground: Playground;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (.ci/run does)`);
  mkdirSync(OUT, { recursive: true });
  bot = await startTestHuddle();
  playground = await startPlayground(bot.url, OUT);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
  await playground?.stop();
  await bot?.stop();
});

describe('Huddle in Agents Playground, driven like a person in a real browser', () => {
  it('shows the welcome card in personal chat and answers help', async () => {
    await page.goto(playground.url);
    const welcome = page.locator('.ac-adaptiveCard', { hasText: "Hello Alex, I'm Huddle" });
    await welcome.first().waitFor({ timeout: 15_000 });
    expect(await welcome.count()).toBe(1);

    const editor = page.locator('[contenteditable="true"]').first();
    await editor.click();
    await page.keyboard.type('help');
    await page.keyboard.press('Enter');
    const help = page.locator('.ac-adaptiveCard', { hasText: 'What you can ask me' });
    await help.first().waitFor({ timeout: 15_000 });
    await expect(help.first().innerText()).resolves.toContain('delete my data');
    await page.screenshot({ path: `${OUT}/welcome-and-help.png` });

    const stored = await bot.huddle.storage.members.get(
      '00000000-0000-0000-0000-0000000000001',
      '00000000-0000-0000-0000-0000000000020',
    );
    expect(stored).toMatchObject({ name: 'Alex Wilber', personalInstalled: true });
  });
});
