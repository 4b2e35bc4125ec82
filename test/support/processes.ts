import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { inject } from 'vitest';
import { freePort } from '../../src/storage/azurite.js';
import { uniquePrefix } from './tablePrefix.js';

/**
 * Runs a Huddle entry point as its own process: TypeScript through tsx by default (`src/main.ts` is
 * what `npm start` runs, built), or plain node arguments for the compiled build.
 */
export function startProcess(
  env: Record<string, string>,
  args: string[] = ['--import', 'tsx', 'src/main.ts'],
): {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
} {
  let output = '';
  const child = spawn(process.execPath, args, {
    // No default quiet hours, as in startTestHuddle: results must not depend on the hour a test runs at.
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', HUDDLE_QUIET_HOURS: '00:00-00:00', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { child, output: () => output, exited };
}

export interface HuddleProcess {
  url: string;
  /** Its tables' names start with this. */
  tablePrefix: string;
  pid: number;
  /** Everything it has logged so far. */
  output: () => string;
  alive: () => boolean;
  /** Its resident memory now, from /proc. */
  rssBytes: () => number;
  stop: () => void;
}

/** `src/main.ts` as its own process on a free loopback port, against the shared Azurite, once it listens. */
export async function startHuddleProcess(env: Record<string, string>): Promise<HuddleProcess> {
  const port = await freePort();
  const tablePrefix = uniquePrefix();
  const run = startProcess({
    PORT: String(port),
    AZURE_STORAGE_CONNECTION_STRING: inject('storageConnectionString'),
    HUDDLE_TABLE_PREFIX: tablePrefix,
    ...env,
  });
  let exited = false;
  void run.exited.then(() => {
    exited = true;
  });
  await waitFor(() => run.output().includes('Huddle is listening'), 45_000);
  const pid = run.child.pid ?? 0;
  return {
    url: `http://127.0.0.1:${port}`,
    tablePrefix,
    pid,
    output: run.output,
    alive: () => !exited,
    rssBytes: () =>
      Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024,
    stop: () => run.child.kill('SIGKILL'),
  };
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((done) => setTimeout(done, 100));
  }
}

/** Runs a `huddle` command (through tsx) to its end: its exit code, and its stdout and stderr apart. */
export function runHuddle(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/huddle.ts', ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((done) => child.once('close', (code) => done({ code, stdout, stderr })));
}
