/**
 * Benchmark: the disclosure screen (sentence encoder + head) against the local classifier alone, in the
 * same run. Not part of the suite.
 *
 *   npx tsx test/bench/screen.bench.ts [comments=10000]
 *
 * 1. Throughput: `comments` comments (the labelled fixtures, one to three run together, so lengths vary as
 *    in a survey export) read by the classifier alone (the baseline), then by the classifier and the screen
 *    in batches of 64 on one thread, then as `huddle analyse` reads an export of everyday comments (where
 *    nearly every comment needs the screen): one at a time, as before, and in a thread per core (at most
 *    four), written in order. Goal: >= 50 comments/s for `huddle analyse`.
 * 2. One comment at a time, as the server reads them: p50/p99 of classifier + screen for 300 comments.
 * 3. Memory, as the server holds it: two fresh processes import the server's modules and warm the
 *    classifier; one also loads the screen and screens 200 comments. Goal: RSS with the model at most
 *    350 MB above RSS without.
 */

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { DisclosureScreen } from '../../src/analysis/disclosureScreen.js';
import { LocalClassifier } from '../../src/analysis/localClassifier.js';
import { analyseFile } from '../../src/cli/analyse.js';
import { ClassifierPool } from '../../src/cli/classifierPool.js';
import { readLabelledFile } from '../../src/cli/labelledFile.js';
import { screened } from '../../src/cli/screened.js';
import type { CommentClassifier } from '../../src/domain/feedback/themes.js';
import { seeded } from '../eval/logistic.js';
import { readCategorised, safeguardingDir } from '../eval/screenData.js';
import { printSummary } from './summary.js';

const COMMENTS = Number(process.argv[2] ?? 10_000);
const BATCH = 64;
const print = (line: string) => process.stdout.write(`${line}\n`);
const fixtures = new URL('../fixtures/', import.meta.url).pathname;
const themeTexts = (
  await Promise.all(
    ['eval.tsv', 'holdout.tsv', 'fresh.tsv'].map(
      async (name) => (await readLabelledFile(`${fixtures}themes/${name}`)).comments,
    ),
  )
).flatMap((rows) => rows.map((row) => row.text));

/**
 * Comments as a survey export holds them: mostly one comment, some two or three run together. `ordinary`:
 * from the everyday comments only, as most of an export is, so nearly every one needs the screen (the
 * lexicon flags few); otherwise half are written disclosures and look-alikes.
 */
function comments(count: number, { ordinary = false } = {}): string[] {
  const pool = [
    ...themeTexts,
    ...(ordinary ? [] : ['disclosures.tsv', 'negatives.tsv']).flatMap((name) =>
      readCategorised(`${safeguardingDir}/${name}`).map((row) => row.text),
    ),
  ];
  const random = seeded(16);
  const pick = () => pool[Math.floor(random() * pool.length)] as string;
  return Array.from({ length: count }, () => {
    const parts = random() < 0.8 ? 1 : random() < 0.5 ? 2 : 3;
    return Array.from({ length: parts }, pick).join(' ');
  });
}

/** Memory of a fresh process that imports the server and warms the classifier, with or without the screen. */
function memoryChild(withScreen: boolean): { rss: number; peak: number; loadMs: number } {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', new URL(import.meta.url).pathname, '--memory-child', withScreen ? 'with' : 'without'],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}');
}

function statusKb(field: string): number {
  const match = readFileSync('/proc/self/status', 'utf8').match(new RegExp(`${field}:\\s+(\\d+) kB`));
  return Number(match?.[1] ?? 0);
}

async function memoryChildMain(withScreen: boolean) {
  await import('../../src/index.js');
  const classifier = new LocalClassifier();
  const sample = comments(200);
  for (const text of sample) await classifier.classify(text);
  let loadMs = 0;
  if (withScreen) {
    const screen = new DisclosureScreen();
    const started = performance.now();
    await screen.load();
    loadMs = performance.now() - started;
    for (let start = 0; start < sample.length; start += BATCH)
      await screen.screen(sample.slice(start, start + BATCH));
  }
  globalThis.gc?.();
  process.stdout.write(
    `${JSON.stringify({ rss: statusKb('VmRSS') / 1024, peak: statusKb('VmHWM') / 1024, loadMs })}\n`,
  );
}

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function main() {
  print(
    `machine: ${cpus().length} cores (${cpus()[0]?.model}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${loadavg()[0]?.toFixed(2)}`,
  );
  const texts = comments(COMMENTS);
  const characters = texts.reduce((sum, text) => sum + text.length, 0);
  print(
    `${texts.length} comments, mean ${Math.round(characters / texts.length)} characters, longest ${Math.max(...texts.map((text) => text.length))}`,
  );

  const classifier = new LocalClassifier();
  await classifier.classify('warm up');
  let started = performance.now();
  for (const text of texts) await classifier.classify(text);
  const baseline = texts.length / ((performance.now() - started) / 1000);
  print(`baseline, classifier alone: ${baseline.toFixed(0)} comments/s`);

  const screen = new DisclosureScreen();
  started = performance.now();
  await screen.load();
  print(`screen loaded in ${Math.round(performance.now() - started)} ms`);
  started = performance.now();
  let flagged = 0;
  for (let start = 0; start < texts.length; start += BATCH) {
    const batch = texts.slice(start, start + BATCH);
    const readings = await screen.screen(batch);
    for (const [index, text] of batch.entries())
      if ((await classifier.classify(text)).safeguarding || readings[index]?.flagged) flagged += 1;
  }
  const both = texts.length / ((performance.now() - started) / 1000);
  print(
    `classifier + screen, batches of ${BATCH}: ${both.toFixed(1)} comments/s (goal >= 50), ${(both / baseline).toFixed(3)} of the baseline; ${flagged} flagged`,
  );

  // What `huddle analyse` does with an export of everyday comments: before, one comment at a time on the main
  // thread; now a thread per core. Both skip the screen where the lexicon already flags, as the server does.
  const dir = mkdtempSync(join(tmpdir(), 'huddle-screen-bench-'));
  const file = { input: join(dir, 'in.jsonl'), output: join(dir, 'out.jsonl'), textColumn: 'text' };
  const everyday = comments(texts.length, { ordinary: true });
  writeFileSync(file.input, everyday.map((text) => JSON.stringify({ text })).join('\n'));
  const rate = async (classifier: CommentClassifier, inFlight: number) => {
    const began = performance.now();
    const report = await analyseFile(file, classifier, { inFlight });
    return {
      perSecond: report.written / ((performance.now() - began) / 1000),
      flagged: report.safeguarding.length,
    };
  };
  const oneThread = await rate(screened(new LocalClassifier()), 1);
  const threads = Math.min(4, availableParallelism());
  const pool = new ClassifierPool(threads);
  await pool.classify('warm up');
  const analysed = await rate(pool, threads * 4);
  await pool.close();
  rmSync(dir, { recursive: true, force: true });
  print(
    `huddle analyse on ${everyday.length} everyday comments, one at a time: ${oneThread.perSecond.toFixed(1)} comments/s; in ${threads} threads (loaded before timing): ${analysed.perSecond.toFixed(1)} comments/s (goal >= 50); ${analysed.flagged} flagged (${oneThread.flagged} one at a time)`,
  );

  const latencies: number[] = [];
  for (const text of texts.slice(0, 300)) {
    const one = performance.now();
    await classifier.classify(text);
    await screen.screenOne(text);
    latencies.push(performance.now() - one);
  }
  latencies.sort((a, b) => a - b);
  print(
    `one at a time: p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms`,
  );

  const without = memoryChild(false);
  const withModel = memoryChild(true);
  print(
    `server modules + classifier: RSS ${without.rss.toFixed(0)} MB (peak ${without.peak.toFixed(0)}); with the screen loaded (${withModel.loadMs.toFixed(0)} ms): ${withModel.rss.toFixed(0)} MB (peak ${withModel.peak.toFixed(0)}); difference ${(withModel.rss - without.rss).toFixed(0)} MB, peak ${(withModel.peak - without.peak).toFixed(0)} MB (goal <= +350)`,
  );
  print(`load average at the end ${loadavg()[0]?.toFixed(2)}`);
  printSummary({
    commentsPerSecond: Number(analysed.perSecond.toFixed(1)),
    oneThreadCommentsPerSecond: Number(oneThread.perSecond.toFixed(1)),
    oneAtATimeP99Ms: Number(percentile(latencies, 99).toFixed(1)),
    screenRssMb: Math.round(withModel.rss - without.rss),
  });
}

const childAt = process.argv.indexOf('--memory-child');
if (childAt >= 0) await memoryChildMain(process.argv[childAt + 1] === 'with');
else await main();
