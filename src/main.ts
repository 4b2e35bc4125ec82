import { type Config, ConfigError, loadConfig } from './config.js';
import { createLogger, routeConsoleTo } from './logger.js';
import { startTelemetry } from './telemetry.js';

/** Runs until SIGTERM or SIGINT, then shuts down gracefully. */
async function main(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  routeConsoleTo(logger);
  const telemetry = startTelemetry(config.appInsightsConnectionString);
  // Imported only now, so that telemetry is in place before restify and the Azure SDKs load.
  const { startHuddle } = await import('./index.js');
  const huddle = await startHuddle(config, logger);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    await huddle.stop();
    // Telemetry that cannot be flushed (ingestion unreachable) must not turn a clean stop into a crash.
    await telemetry.stop().catch((error: unknown) => {
      logger.warn({ err: { message: (error as Error).message } }, 'telemetry could not be flushed');
    });
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error('Huddle failed to start:', (error as Error).message);
  process.exit(1);
});
