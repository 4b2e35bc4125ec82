import type { Logger } from 'pino';
import { createBot } from './bot/app.js';
import type { Config } from './config.js';
import { ensureDemoData } from './demo/seed.js';
import { DEFAULT_LOCALE, Localizer } from './i18n/strings.js';
import { createServer } from './server.js';
import { openStorage, type Storage } from './storage/openStorage.js';

export interface RunningHuddle {
  url: string;
  storage: Storage;
  /** Stops taking turns, finishes those in flight, stops Azurite if it was started here. */
  stop(): Promise<void>;
}

const systemClock = { now: () => new Date() };

/** Composition root: config -> storage -> bot -> server. */
export async function startHuddle(config: Config, logger: Logger): Promise<RunningHuddle> {
  const storage = await openStorage(config.storage, config.tablePrefix, logger);
  try {
    const localizer = new Localizer();
    if (config.seedDemo) await ensureDemoData(storage, systemClock, localizer.for(DEFAULT_LOCALE), logger);
    const bot = createBot(config.bot, {
      members: storage.members,
      installations: storage.installations,
      clock: systemClock,
      localizer,
      logger,
      bootstrap: config.bootstrapRoles,
      defaults: {
        locale: DEFAULT_LOCALE,
        timeZone: config.defaultTimeZone,
        quietHours: config.defaultQuietHours,
      },
      anonymityThreshold: config.anonymityThreshold,
    });
    const server = createServer({
      bot,
      logger,
      maxBodyBytes: config.maxBodyBytes,
      requestTimeoutMs: config.requestTimeoutMs,
      allowedTenants: config.allowedTenants,
      checkReady: storage.ping,
    });
    const url = await server.listen(config.port, config.host);
    logger.info(
      {
        url,
        mode: config.local ? 'local (no authentication, loopback only)' : 'authenticated',
        storage: storage.description,
        allowedTenants: config.allowedTenants.length > 0 ? config.allowedTenants : 'any',
        anonymityThreshold: config.anonymityThreshold,
        demoData: config.seedDemo,
        telemetry: config.appInsightsConnectionString === undefined ? 'off' : 'Application Insights',
      },
      'Huddle is listening',
    );
    return {
      url,
      storage,
      async stop() {
        await server.close(config.requestTimeoutMs);
        await storage.close();
      },
    };
  } catch (error) {
    await storage.close();
    throw error;
  }
}
