import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { projectRoot } from '../paths.js';
import { freePort } from '../storage/azurite.js';

export interface Playground {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts Microsoft 365 Agents Playground (a Teams-like client that also plays the Bot Connector) pointed
 * at Huddle, on loopback only, without opening a browser or sending telemetry. Its logs go to `logDir`.
 */
export async function startPlayground(botUrl: string, logDir: string): Promise<Playground> {
  const port = await freePort();
  const cli = join(
    dirname(createRequire(import.meta.url).resolve('@microsoft/m365agentsplayground/package.json')),
    'cli.js',
  );
  mkdirSync(logDir, { recursive: true });
  const out = openSync(join(logDir, 'playground.log'), 'a');
  const args = [
    '-r',
    join(projectRoot, 'src', 'dev', 'loopback-only.cjs'),
    cli,
    '-e',
    `${botUrl}/api/messages`,
    '-c',
    'msteams',
    '-p',
    String(port),
    '--service-url',
    `http://127.0.0.1:${port}/_connector`,
    '--disable-telemetry',
  ];
  const child = spawn(process.execPath, args, {
    cwd: logDir, // it writes devTools/*.log into its working directory
    env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none' },
    stdio: ['ignore', out, out],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForPing(url, child);
  return { url, stop: () => stop(child) };
}

async function waitForPing(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Agents Playground exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/_debug/ping`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 150));
  }
  throw new Error('Agents Playground did not start within 20 s');
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
