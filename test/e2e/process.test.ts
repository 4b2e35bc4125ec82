import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VERBS } from '../../src/cards/verbs.js';
import { freePort } from '../../src/storage/azurite.js';
import { feedbackForm, person, personalInstall } from '../support/activities.js';
import { buttonData, chat } from '../support/chat.js';
import { startFakeIngestion } from '../support/fakeIngestion.js';
import { startProcess, waitFor } from '../support/processes.js';
import { startRecordingConnector } from '../support/recordingConnector.js';
import { conversationIdOf } from '../support/staff.js';
import { postActivity } from '../support/testHuddle.js';
import { until } from '../support/until.js';

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

  it("sends requests, dependency calls and Huddle's own counts to Application Insights, and never what people wrote", async () => {
    const manager = person(1, 'Patti Fernandez');
    const lead = person(2, 'Lynne Robbins');
    // Teams welcomes 11 but answers the update's first send with 429, says 12 has gone and fails every
    // message to 13 with a 500.
    const throttledOnce = person(11, 'Carer 11');
    const gone = person(12, 'Carer 12');
    const failing = person(13, 'Carer 13');
    const writer = person(14, 'Carer 14');
    const ingestion = await startFakeIngestion();
    const connector = await startRecordingConnector([], {
      faults: [
        { ids: [11], from: 2, attempts: 2, fault: { status: 429, retryAfterSeconds: 1 } },
        { ids: [12], fault: { status: 404 } },
        { ids: [13], fault: { status: 500 } },
      ],
    });
    const port = await freePort();
    const run = startProcess({
      PORT: String(port),
      HUDDLE_DATA_DIR: mkdtempSync(join(tmpdir(), 'huddle-otel-')),
      APPLICATIONINSIGHTS_CONNECTION_STRING: ingestion.connectionString,
      NODE_EXTRA_CA_CERTS: ingestion.caFile,
      HUDDLE_MANAGERS: manager.aadObjectId,
      HUDDLE_SAFEGUARDING_LEADS: lead.aadObjectId,
      HUDDLE_QUIET_HOURS: '00:00-00:00',
      HUDDLE_SCHEDULER_TICK_MS: '200',
    });
    const huddle = { post: (activity: unknown) => postActivity(`http://127.0.0.1:${port}`, activity) };
    const { press, say } = chat(huddle, connector);
    const where = { serviceUrl: connector.serviceUrl };
    try {
      await waitFor(() => run.output().includes('Huddle is listening'), 30_000);
      expect(run.output()).toContain('"telemetry":"Application Insights"');
      for (const who of [manager, lead, throttledOnce, gone, failing, writer]) {
        expect((await huddle.post(personalInstall(who, where))).status).toBe(200);
      }
      expect(await say(writer, 'my manager ignores the night staff')).toContain(
        'Tell my manager (anonymously)',
      );

      const update = {
        headline: 'Night handover moves to 07:30',
        message: 'From Monday.',
        audience: 'all',
        when: 'now',
      };
      expect(await press(manager, VERBS.broadcastConfirm, update)).toContain('Night handover');
      await waitFor(
        () =>
          [throttledOnce, lead, writer].every((who) =>
            buttonData(connector, conversationIdOf(who), VERBS.updateGotIt),
          ),
        15_000,
      );

      const disclosure = "I saw a carer slap Mrs D when she wouldn't settle.";
      await press(writer, VERBS.feedbackSubmit, feedbackForm(disclosure, { harm: 'true' }));
      const alert = await until(
        async () => buttonData(connector, conversationIdOf(lead), VERBS.safeguardingAcknowledge),
        (data) => data !== undefined,
        10_000,
      );
      expect(await press(lead, VERBS.safeguardingAcknowledge, alert)).toContain(
        'Acknowledged by Lynne Robbins',
      );

      const closeDate = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
      const pulse = {
        title: 'How are the tablets going?',
        initiativeId: '',
        template: 'wellbeing',
        audience: 'all',
        opens: 'now',
        closeDate,
        closeTime: '12:00',
        cadence: 'once',
        anonymity: 'anonymous',
        itemIds: 'mood',
      };
      expect(await press(manager, VERBS.pulseConfirm, pulse)).toContain('Stop this pulse');
      // The first answer button of the card delivered: it carries the pulse, round, token and groups.
      const button = await until(
        async () => buttonData(connector, conversationIdOf(writer), VERBS.pulseStep),
        (data) => data !== undefined,
        10_000,
      );
      const { step: _step, changing: _changing, ...ref } = button ?? {};
      expect(await press(writer, VERBS.pulseSubmit, { ...ref, editing: 'false', q_mood: '4' })).toContain(
        'Thanks, your answers are saved.',
      );

      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
      const telemetry = ingestion.received();
      expect(telemetry).toContain('"baseType":"RequestData"');
      expect(telemetry).toContain('/api/messages');
      expect(telemetry).toContain('"baseType":"RemoteDependencyData"');
      expect(telemetry).not.toContain('ignores the night staff');
      expect(telemetry).not.toContain('slap');
      // Flushed at shutdown. Sent: the update and the pulse to the four who can be reached, and the alert.
      // Failed: the update and the pulse to 13; 12 is gone after the update, so the pulse skips them.
      expect(
        Object.fromEntries([...ingestion.counters()].filter(([name]) => name.startsWith('huddle.'))),
      ).toEqual({
        'huddle.deliveries.sent': 9,
        'huddle.deliveries.throttled': 1,
        'huddle.deliveries.gone': 1,
        'huddle.deliveries.failed': 2,
        'huddle.answers.stored': 1,
        'huddle.escalations.raised': 1,
        'huddle.escalations.acknowledged': 1,
      });
    } finally {
      run.child.kill('SIGKILL');
      await connector.close();
      await ingestion.close();
    }
  }, 90_000);
});
