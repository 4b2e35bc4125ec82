import { inject } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { type RunningHuddle, startHuddle } from '../../src/index.js';
import { createLogger } from '../../src/logger.js';
import { uniquePrefix } from './tablePrefix.js';

export interface TestHuddle {
  huddle: RunningHuddle;
  url: string;
  post(body: unknown, headers?: Record<string, string>): Promise<{ status: number; body: unknown }>;
  stop(): Promise<void>;
}

/** Posts `body` to a Huddle's messaging endpoint as Teams would; the answer's body parsed when there is one. */
export async function postActivity(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
}

/** The real server, composed as in production, on a free loopback port against the shared Azurite. */
export async function startTestHuddle(env: Record<string, string> = {}): Promise<TestHuddle> {
  const config = loadConfig({
    AZURE_STORAGE_CONNECTION_STRING: inject('storageConnectionString'),
    HUDDLE_TABLE_PREFIX: uniquePrefix(),
    PORT: '0',
    LOG_LEVEL: 'silent',
    // No default quiet hours: what a test sees must not depend on the hour it runs at (people installed in a
    // test would otherwise take 21:00-07:00). Tests of quiet hours set them on the people they are about.
    HUDDLE_QUIET_HOURS: '00:00-00:00',
    ...env,
  });
  const huddle = await startHuddle(config, createLogger(config.logLevel));
  return {
    huddle,
    url: huddle.url,
    post: (body, headers) => postActivity(huddle.url, body, headers),
    stop: () => huddle.stop(),
  };
}
