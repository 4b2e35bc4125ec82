import { createRequire } from 'node:module';
import { metrics } from '@opentelemetry/api';
import type { DeliveryMetrics } from './delivery/ports.js';

/**
 * Application Insights through the Azure Monitor OpenTelemetry distro: incoming requests, outgoing calls
 * (Bot Connector, Azure Storage) and exceptions. Only URLs, status codes and timings are recorded, never
 * request bodies, so nothing anyone wrote reaches telemetry. Pino logs stay on stdout.
 */
export interface Telemetry {
  enabled: boolean;
  /** Flushes what is buffered; call on shutdown. */
  stop(): Promise<void>;
}

/**
 * Must run before restify and the Azure SDKs are loaded, so that their use of `http` is instrumented:
 * main.ts calls it first and imports the rest of the app afterwards.
 */
export function startTelemetry(connectionString: string | undefined): Telemetry {
  if (connectionString === undefined) return { enabled: false, stop: async () => {} };
  // Statsbeat sends the SDK's own usage figures to Microsoft rather than to the customer's resource; a care
  // provider's deployment sends nothing it did not ask for.
  process.env.APPLICATIONINSIGHTS_STATSBEAT_DISABLED ??= 'true';
  // 1.12.0 (the last release for Node 20) ships an ESM build whose index imports a name its types.js
  // lacks; the CommonJS build is complete, so it is loaded through require.
  const { useAzureMonitor, shutdownAzureMonitor } = createRequire(import.meta.url)(
    '@azure/monitor-opentelemetry',
  ) as typeof import('@azure/monitor-opentelemetry');
  useAzureMonitor({
    azureMonitorExporterOptions: { connectionString },
    enableLiveMetrics: false,
    instrumentationOptions: {
      http: { enabled: true },
      azureSdk: { enabled: true },
      mongoDb: { enabled: false },
      mySql: { enabled: false },
      postgreSql: { enabled: false },
      redis: { enabled: false },
      redis4: { enabled: false },
      bunyan: { enabled: false },
      winston: { enabled: false },
    },
  });
  return { enabled: true, stop: shutdownAzureMonitor };
}

/**
 * Delivery counters through the OpenTelemetry API. Without Application Insights no meter provider is
 * registered and these cost nothing; with it they appear as customMetrics `huddle.deliveries.*`.
 */
export function deliveryMetrics(): DeliveryMetrics {
  const meter = metrics.getMeter('huddle');
  const counter = (name: string, description: string) =>
    meter.createCounter(`huddle.deliveries.${name}`, { description });
  const sent = counter('sent', 'Messages Teams accepted');
  const failed = counter('failed', 'Messages given up on after the retry bound or a permanent error');
  const throttled = counter('throttled', 'Sends Teams answered with 429');
  const gone = counter('gone', 'Recipients Teams says are gone (403/404)');
  return {
    sent: () => sent.add(1),
    failed: () => failed.add(1),
    throttled: () => throttled.add(1),
    gone: () => gone.add(1),
  };
}

/** Pulse answers stored (a changed answer counts again), as customMetrics `huddle.answers.stored`. */
export function answerMetrics(): { stored(): void } {
  const stored = metrics.getMeter('huddle').createCounter('huddle.answers.stored', {
    description: 'Pulse answers saved, including changed answers',
  });
  return { stored: () => stored.add(1) };
}

/** Safeguarding escalations raised and acknowledged, as customMetrics `huddle.escalations.*`. */
export function escalationMetrics(): { escalationRaised(): void; escalationAcknowledged(): void } {
  const meter = metrics.getMeter('huddle');
  const raised = meter.createCounter('huddle.escalations.raised', {
    description: 'Possible safeguarding disclosures passed to the safeguarding lead',
  });
  const acknowledged = meter.createCounter('huddle.escalations.acknowledged', {
    description: 'Safeguarding alerts a lead acknowledged',
  });
  return { escalationRaised: () => raised.add(1), escalationAcknowledged: () => acknowledged.add(1) };
}
