import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VERBS } from '../../src/cards/verbs.js';
import { freePort } from '../../src/storage/azurite.js';
import { executeAction, message, person, personalInstall } from '../support/activities.js';
import { startFakeIngestion } from '../support/fakeIngestion.js';
import { startProcess, waitFor } from '../support/processes.js';
import { startRecordingConnector } from '../support/recordingConnector.js';

const portOpen = (port: number) =>
  new Promise<boolean>((done) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.end();
      done(true);
    });
    socket.once('error', () => done(false));
  });

describe('the Huddle process', () => {
  it('refuses to start unauthenticated on a public interface, saying how to fix it', async () => {
    const run = startProcess({ HOST: '0.0.0.0' });
    expect(await run.exited).toBe(2);
    expect(run.output()).toContain('only listens on loopback');
  });

  it('starts its own Azurite, serves health and readiness, and on SIGTERM stops cleanly with Azurite', async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'huddle-data-'));
    const run = startProcess({ PORT: String(port), HUDDLE_DATA_DIR: dataDir });
    try {
      await waitFor(() => run.output().includes('Huddle is listening'), 30_000);
      const started = run.output();
      expect(started).toContain('local (no authentication, loopback only)');
      expect(started).not.toContain('AccountKey');
      const tablePort = Number(/127\.0\.0\.1:(\d+)\/devstoreaccount1/.exec(started)?.[1]);

      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      expect(await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()).toEqual({ status: 'ready' });
      expect(await portOpen(tablePort)).toBe(true);

      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
      expect(run.output()).toContain('"msg":"stopped"');
      expect(await portOpen(tablePort)).toBe(false);
      expect(readFileSync(join(dataDir, 'azurite.log'), 'utf8')).toBeDefined();
    } finally {
      run.child.kill('SIGKILL');
    }
  }, 60_000);

  it('`huddle dev` (npm run dev) brings up Azurite, the Oak View demo and Agents Playground, and stops them all', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'huddle-dev-'));
    const run = startProcess({ PORT: '0', HUDDLE_DATA_DIR: dataDir, LOG_LEVEL: 'info' }, [
      '--import',
      'tsx',
      'src/cli/huddle.ts',
      'dev',
    ]);
    try {
      await waitFor(() => /Open http:\/\/127\.0\.0\.1:\d+/.test(run.output()), 45_000);
      const output = run.output();
      expect(output).toContain('loaded the Oak View demo');
      expect(output).toContain("as Alex Wilber, Oak View's registered manager");
      const playground = /Open (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1] ?? '';
      const huddle = /Huddle is running at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1] ?? '';
      expect(await (await fetch(`${playground}/_debug/ping`)).text()).toBe('pong');
      expect((await fetch(`${huddle}/readyz`)).status).toBe(200);
      // The Playground's own configuration names the tenant and user the demo was keyed to.
      const { config } = (await (await fetch(`${playground}/_internal/v1/config`)).json()) as {
        config: { tenantId: string; currentUser: { aadObjectId: string } };
      };
      expect(config.tenantId).toBe('00000000-0000-0000-0000-0000000000001');
      expect(config.currentUser.aadObjectId).toBe('00000000-0000-0000-0000-0000000000020');

      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
      await expect(fetch(`${playground}/_debug/ping`)).rejects.toThrow();
      await expect(fetch(`${huddle}/healthz`)).rejects.toThrow();
    } finally {
      run.child.kill('SIGKILL');
    }
  }, 90_000);

  it('the production build (npm run build, then node dist/main.js, no tsx) answers /healthz and /readyz', async () => {
    execFileSync('npm', ['run', 'build'], { stdio: 'ignore' });
    const port = await freePort();
    const run = startProcess(
      { PORT: String(port), HUDDLE_DATA_DIR: mkdtempSync(join(tmpdir(), 'huddle-prod-')) },
      ['dist/main.js'],
    );
    try {
      await waitFor(() => run.output().includes('Huddle is listening'), 30_000);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      expect(await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()).toEqual({ status: 'ready' });
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
    } finally {
      run.child.kill('SIGKILL');
    }
  }, 90_000);

  it('sends requests and dependency calls to Application Insights, and never what people wrote', async () => {
    const ingestion = await startFakeIngestion();
    const connector = await startRecordingConnector();
    const port = await freePort();
    const run = startProcess({
      PORT: String(port),
      HUDDLE_DATA_DIR: mkdtempSync(join(tmpdir(), 'huddle-otel-')),
      APPLICATIONINSIGHTS_CONNECTION_STRING: ingestion.connectionString,
      NODE_EXTRA_CA_CERTS: ingestion.caFile,
      HUDDLE_MANAGERS: person(1, 'Patti Fernandez').aadObjectId,
    });
    try {
      await waitFor(() => run.output().includes('Huddle is listening'), 30_000);
      expect(run.output()).toContain('"telemetry":"Application Insights"');
      const where = { serviceUrl: connector.serviceUrl };
      const night = person(1, 'Patti Fernandez');
      const post = (activity: object) =>
        fetch(`http://127.0.0.1:${port}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(activity),
        });
      expect((await post(personalInstall(night, where))).status).toBe(200);
      expect((await post(message(night, 'my manager ignores the night staff', where))).status).toBe(200);
      const update = {
        headline: 'Night handover moves to 07:30',
        message: 'From Monday.',
        audience: 'all',
        when: 'now',
      };
      expect((await post(executeAction(night, VERBS.broadcastConfirm, where, update))).status).toBe(200);
      await waitFor(
        () => connector.sent().some((sent) => JSON.stringify(sent).includes('Night handover')),
        15_000,
      );
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
      const telemetry = ingestion.received();
      expect(telemetry).toContain('"baseType":"RequestData"');
      expect(telemetry).toContain('/api/messages');
      expect(telemetry).toContain('"baseType":"RemoteDependencyData"');
      expect(telemetry).not.toContain('ignores the night staff');
      // Custom metrics for deliveries, flushed at shutdown.
      expect(telemetry).toContain('huddle.deliveries.sent');
    } finally {
      run.child.kill('SIGKILL');
      await connector.close();
      await ingestion.close();
    }
  }, 90_000);
});
