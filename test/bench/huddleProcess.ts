import { type ChildProcess, spawn } from 'node:child_process';
import { freePort } from '../../src/storage/azurite.js';

export interface HuddleProcess {
  child: ChildProcess;
  url: string;
  /** Posts one activity to /api/messages, as the Bot Connector would. */
  post(activity: unknown): Promise<Response>;
  stop(): Promise<void>;
}

/**
 * Starts `src/main.ts` in a process of its own, as a deployment runs it, with `env` on top of PATH and a
 * free port, and resolves once it answers /readyz. Quiet hours are off unless `env` sets them: people who
 * install in the run (the manager) would otherwise take the service's 21:00-07:00, and a run in the evening
 * would wait until morning for their card. `nodeArgs` go after tsx's loader, before the entry point (a profiler, a
 * preloaded probe).
 */
export async function startHuddle(
  env: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<HuddleProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', ...nodeArgs, 'src/main.ts'], {
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      HUDDLE_QUIET_HOURS: '00:00-00:00',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise((done) => child.once('exit', done));
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    const ready = await fetch(`${url}/readyz`)
      .then((response) => response.ok)
      .catch(() => false);
    if (ready) break;
    if (child.exitCode !== null) throw new Error(`Huddle exited with ${child.exitCode} before it was ready`);
    await new Promise((done) => setTimeout(done, 200));
  }
  return {
    child,
    url,
    post: (activity) =>
      fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(activity),
      }),
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
