/**
 * Runs every benchmark in test/bench/ one after another and appends a dated row with the commit to
 * RESULTS.md. Not part of the test suite.
 *
 *   npm run bench              small sizes, under 5 minutes in all: to see that nothing got worse
 *   npm run bench -- --full    the sizes RESULTS.md's own sections were measured at (about 20 minutes)
 *
 * Small-size rows compare with small-size rows only: a short run is dominated by start-up and warm-up.
 * Each benchmark runs in its own process (they start their own Azurite and Huddle processes and read CPU
 * and memory per process); a failed one is marked in the row and makes the command fail.
 */

import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { appendRow } from './resultsTable.js';
import { type Figures, readSummary } from './summary.js';

const { values: flags } = parseArgs({ options: { full: { type: 'boolean', default: false } } });
const RESULTS = new URL('RESULTS.md', import.meta.url).pathname;
const HEADING = '## Every benchmark at once (`npm run bench`)';

/** Each benchmark's arguments at the small size and at the published size. */
const BENCHES = {
  broadcast: { small: ['600', '200'], full: ['10000', '3000'] },
  calm: { small: ['400', '--calm'], full: ['10000', '--calm'] },
  pulse: { small: ['400', '16', '3'], full: ['3000', '16', '10'] },
  screen: { small: ['100'], full: ['10000'] },
  digest: { small: ['3'], full: ['15'] },
  soak: { small: ['30', '20', '1000'], full: ['600', '20', '2000'] },
} as const;
type Bench = keyof typeof BENCHES;

const fileOf = (bench: Bench) => (bench === 'calm' ? 'broadcast' : bench);

/** Runs one benchmark, passing its output through, and returns the figures it summarised. */
function run(bench: Bench): Promise<Figures | undefined> {
  const args = BENCHES[bench][flags.full ? 'full' : 'small'];
  process.stdout.write(`\n== ${fileOf(bench)}.bench.ts ${args.join(' ')}\n`);
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', `test/bench/${fileOf(bench)}.bench.ts`, ...args],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
    process.stdout.write(chunk);
  });
  return new Promise((done) =>
    child.once('exit', (code) => done(code === 0 ? readSummary(output) : undefined)),
  );
}

const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8' }).trim();
const load = () => loadavg()[0]?.toFixed(2) ?? '?';

const started = Date.now();
const loadBefore = load();
// Read before running: a commit made while the benchmarks run is not what they measured.
const dirty = git('status', '--porcelain', '--untracked-files=no') === '' ? '' : ' + uncommitted changes';
const commit = `${git('rev-parse', '--short', 'HEAD')}${dirty}`;
const figures = new Map<Bench, Figures | undefined>();
for (const bench of Object.keys(BENCHES) as Bench[]) figures.set(bench, await run(bench));

/** The named figures of one benchmark joined with `separator`, or "failed". */
const cell = (bench: Bench, names: readonly string[], separator = ' / ') => {
  const found = figures.get(bench);
  return found === undefined ? 'failed' : names.map((name) => String(found[name] ?? '?')).join(separator);
};
const row = [
  new Date().toISOString().slice(0, 16).replace('T', ' '),
  commit,
  flags.full ? 'full' : 'small',
  `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  `${loadBefore} / ${load()}`,
  cell('broadcast', ['achievedOverCeiling', 'achievedOverLimit', 'meanAnswerMs']),
  cell('broadcast', ['lostSilently', 'duplicated', 'selfCaused429s']),
  cell('calm', ['achievedOverCeiling', 'achievedOverLimit', 'meanAnswerMs']),
  cell('pulse', ['huddleCpuMsPerAnswer', 'p99Ms']),
  cell('screen', ['commentsPerSecond', 'oneAtATimeP99Ms']),
  cell('digest', ['historyRatio', 'scaleRatio']),
  cell('soak', ['rssRatio', 'loopP99Ms', 'errors', 'turnsLost', 'broadcastReached', 'broadcastDuplicated']),
  `${Math.round((Date.now() - started) / 1000)} s`,
];
writeFileSync(RESULTS, appendRow(readFileSync(RESULTS, 'utf8'), HEADING, row));
process.stdout.write(`\nRESULTS.md: | ${row.join(' | ')} |\n`);
if ([...figures.values()].includes(undefined)) process.exitCode = 1;
