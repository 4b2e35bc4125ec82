import { createRequire } from 'node:module';

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
