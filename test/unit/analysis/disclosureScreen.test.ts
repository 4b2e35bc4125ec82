import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DisclosureScreen } from '../../../src/analysis/disclosureScreen.js';
import { LocalClassifier } from '../../../src/analysis/localClassifier.js';
import { screenHeadPath } from '../../../src/paths.js';
import { trainingSet } from '../../eval/screenData.js';

/**
 * One screen for the whole file, so the encoder's load (about half a second, 300 MB) is paid once. The
 * encoder module is wrapped only to count how often it is loaded.
 */
const loads = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../../src/analysis/sentenceEncoder.js', async (original) => {
  const actual = await original<typeof import('../../../src/analysis/sentenceEncoder.js')>();
  return {
    ...actual,
    loadEncoder: (...args: Parameters<typeof actual.loadEncoder>) => {
      loads.count += 1;
      return actual.loadEncoder(...args);
    },
  };
});

/** Every way out of the process, made to fail loudly and to leave a note. */
const attempts: string[] = [];
const restore: (() => void)[] = [];
function forbid<T extends object>(target: T, key: keyof T & string, label: string) {
  const saved = target[key];
  (target as Record<string, unknown>)[key] = (...args: unknown[]) => {
    attempts.push(`${label} ${String(args[0]).slice(0, 80)}`);
    throw new Error(`network use is forbidden in this test: ${label}`);
  };
  restore.push(() => {
    (target as Record<string, unknown>)[key] = saved;
  });
}

let screen: DisclosureScreen;
let module: typeof import('../../../src/analysis/disclosureScreen.js');
const classifier = new LocalClassifier();
const EVERYDAY = 'The new rota app works on the tablets most days and the handover sheet is clear. ';
const everyday = (length: number) => EVERYDAY.repeat(Math.ceil(length / EVERYDAY.length));
const PLAIN_DISCLOSURE = 'I saw one of the night staff slap Mrs D across the face when she would not settle.';

beforeAll(async () => {
  forbid(globalThis, 'fetch', 'fetch');
  forbid(http, 'request', 'http.request');
  forbid(http, 'get', 'http.get');
  forbid(https, 'request', 'https.request');
  forbid(https, 'get', 'https.get');
  forbid(net, 'connect', 'net.connect');
  forbid(net, 'createConnection', 'net.createConnection');
  forbid(net.Socket.prototype, 'connect', 'socket.connect');
  // Imported only now, so that whatever the packages do as they load is also under watch.
  module = await import('../../../src/analysis/disclosureScreen.js');
  screen = new module.DisclosureScreen();
});

afterAll(() => {
  for (const undo of restore.reverse()) undo();
});

describe('the disclosure screen', () => {
  it('loads once from the package files, however many first calls arrive together, and fetches nothing', async () => {
    const started = performance.now();
    const [first, second] = await Promise.all([
      screen.screen([PLAIN_DISCLOSURE]),
      screen.screen(['Loving the new rota app, I can swap shifts without ringing the office.']),
      screen.load(),
    ]);
    expect(loads.count).toBe(1);
    expect(attempts).toEqual([]);
    expect(first?.[0]).toMatchObject({ flagged: true, windows: 1 });
    expect(second?.[0]).toMatchObject({ flagged: false, windows: 1 });
    expect(performance.now() - started).toBeLessThan(15_000);
  });

  it('flags every disclosure it was trained on, with the lexicon', { timeout: 120_000 }, async () => {
    const disclosures = (await trainingSet()).filter((example) => example.label === 1);
    expect(disclosures.length).toBeGreaterThanOrEqual(300);
    const readings = await screen.screen(disclosures.map((example) => example.text));
    const missed: string[] = [];
    for (const [index, example] of disclosures.entries()) {
      if (readings[index]?.flagged) continue;
      if ((await classifier.classify(example.text)).safeguarding) continue;
      missed.push(`${readings[index]?.score.toFixed(3)} ${example.file}: ${example.text}`);
    }
    expect(missed).toEqual([]);
    expect(attempts).toEqual([]);
  });

  it('still finds a disclosure at the end of a long comment, wherever the windows fall', async () => {
    // The lexicon finds the slap; the sedation it has no cue for, and the head's score for it is diluted by
    // the everyday sentences that share its window (0.47-0.93 against 0.998 alone), yet it clears the
    // long-comment threshold however the windows fall. Cross-validated, lexicon OR head found 95 of 100
    // disclosures buried after 2,500 characters (README in src/analysis).
    const sedation =
      'The night senior gives lorazepam to anyone who shouts so the floor is quiet by midnight.';
    expect((await classifier.classify(sedation)).safeguarding).toBe(false);
    for (const padding of [7_000, 7_030, 7_060]) {
      const slap = everyday(padding) + PLAIN_DISCLOSURE;
      const [lexiconSees, headOnly, plain] = await screen.screen([
        slap,
        everyday(padding) + sedation,
        everyday(padding),
      ]);
      expect((await classifier.classify(slap)).safeguarding || lexiconSees?.flagged).toBe(true);
      expect(headOnly?.windows).toBeGreaterThan(20);
      expect(headOnly).toMatchObject({ flagged: true });
      expect(plain).toMatchObject({ flagged: false });
      expect(plain?.score).toBeLessThan(0.05);
    }
  });

  it('reads markup as the words inside it', async () => {
    const [marked, bare] = await screen.screen([
      `<p>${PLAIN_DISCLOSURE.replace('slap', '<b>slap</b>')}</p>`,
      PLAIN_DISCLOSURE,
    ]);
    expect(marked?.score).toBeCloseTo(bare?.score ?? -1, 5);
  });

  it('answers awkward inputs within a time bound', async () => {
    const awkward: [string, string][] = [
      ['empty', ''],
      ['spaces', '   \n\t  '],
      ['one 1,000-character word', 'a'.repeat(1_000)],
      ['emoji only', '😀😢🙏👍🏽❤️'.repeat(20)],
      ['Welsh', "Mae'r system newydd yn iawn ond does dim digon o amser i ysgrifennu'r nodiadau."],
      ['Polish', 'Nowy system jest w porządku, ale nie mamy czasu na pisanie notatek.'],
      [
        'HTML',
        '<div><p>The <i>rota</i> is <a href="https://example.org/x">here</a></p><script>x()</script></div>',
      ],
      ['100 KB of sentences', everyday(100_000)],
      ['100 KB in one token', 'b'.repeat(100_000)],
      ['100 KB of short words', 'no '.repeat(33_000)],
    ];
    for (const [name, text] of awkward) {
      const started = performance.now();
      const reading = await screen.screenOne(text);
      const ms = performance.now() - started;
      expect(ms, name).toBeLessThan(3_000);
      expect(reading.score, name).toBeGreaterThanOrEqual(0);
      expect(reading.score, name).toBeLessThanOrEqual(1);
    }
    for (const text of ['', '😀😢🙏', 'a'.repeat(1_000)])
      expect(await screen.screenOne(text)).toEqual({ score: 0, flagged: false, windows: 0 });
  });
});

describe("when the screen's files are wrong", () => {
  const scratch = mkdtempSync(join(tmpdir(), 'huddle-screen-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const modelDir = () => screen.modelDir;

  /** A copy of the encoder folder (links, except `changed`, which is copied so it can be altered). */
  function modelCopy(name: string, changed?: string): string {
    const dir = join(scratch, name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    for (const file of readdirSync(modelDir())) {
      if (file === changed) copyFileSync(join(modelDir(), file), join(dir, file));
      else symlinkSync(join(modelDir(), file), join(dir, file));
    }
    return dir;
  }

  it('refuses a missing head file, naming it', () => {
    const path = join(scratch, 'no-such-head.json');
    expect(() => new module.DisclosureScreen({ headPath: path })).toThrow(module.ScreenFileError);
    expect(() => new module.DisclosureScreen({ headPath: path })).toThrow(path);
  });

  it('refuses a corrupt head file, naming it: not JSON, or weights of the wrong length', () => {
    const notJson = join(scratch, 'broken.json');
    writeFileSync(notJson, readFileSync(screenHeadPath, 'utf8').slice(0, 500));
    expect(() => new module.DisclosureScreen({ headPath: notJson })).toThrow(
      /broken\.json is not valid JSON/,
    );
    const short = join(scratch, 'short.json');
    const head = JSON.parse(readFileSync(screenHeadPath, 'utf8'));
    writeFileSync(short, JSON.stringify({ ...head, weights: head.weights.slice(0, 100) }));
    expect(() => new module.DisclosureScreen({ headPath: short })).toThrow(
      /short\.json is not a valid screen head at weights/,
    );
  });

  it('refuses a missing model file when made, naming it', () => {
    const dir = modelCopy('missing');
    rmSync(join(dir, 'group1-shard3of7'));
    let error: unknown;
    try {
      new module.DisclosureScreen({ modelDir: dir });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(module.ScreenFileError);
    expect((error as InstanceType<typeof module.ScreenFileError>).file).toBe(join(dir, 'group1-shard3of7'));
  });

  it('refuses a corrupt model file on first use, naming it, and never screens with it', async () => {
    const dir = modelCopy('corrupt', 'group1-shard5of7');
    const shard = join(dir, 'group1-shard5of7');
    const bytes = readFileSync(shard);
    bytes[1_000] = (bytes[1_000] ?? 0) ^ 0xff;
    writeFileSync(shard, bytes);
    const broken = new module.DisclosureScreen({ modelDir: dir });
    await expect(broken.screen([PLAIN_DISCLOSURE])).rejects.toThrow(module.ScreenFileError);
    await expect(broken.load()).rejects.toThrow(
      `${shard} differs from the file the screen head was trained with`,
    );
    // Text with nothing to read needs no encoder, so it is answered.
    expect(await broken.screen([''])).toEqual([{ score: 0, flagged: false, windows: 0 }]);
  });
});
