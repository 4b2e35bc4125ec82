import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { DisclosureScreen } from './analysis/disclosureScreen.js';
import { LocalClassifier } from './analysis/localClassifier.js';
import { ScreenedClassifier } from './analysis/screenedClassifier.js';
import { READ_AFTER_SECONDS, SecondReadingWorker } from './analysis/secondReadingWorker.js';
import { createAdapter, createBot } from './bot/app.js';
import { ModelClassifier } from './bot/modelClassifier.js';
import { createProactiveSender } from './bot/proactiveSender.js';
import { createTeamRosters } from './bot/teamRosters.js';
import { noticeCard } from './cards/cards.js';
import { progressCard } from './cards/updateCards.js';
import type { Config } from './config.js';
import { GRAPH_CALLS_PER_SECOND, GraphInstaller, graphCredentials } from './delivery/graphInstaller.js';
import { outboxMessages } from './delivery/messages.js';
import { queueRecipients } from './delivery/outbox.js';
import { ConversationRateLimiter, TenantRateLimiter } from './delivery/rateLimiter.js';
import { SenderShare } from './delivery/senderShare.js';
import { DeliveryWorker, VISIBILITY_SECONDS } from './delivery/worker.js';
import { ensureDemoData } from './demo/seed.js';
import { DEFAULT_RETRY_POLICY } from './domain/broadcasts/deliveryPolicy.js';
import { ReplyHandles } from './domain/feedback/replyHandles.js';
import { RespondentKeys } from './domain/people/respondentKeys.js';
import { SealedBox } from './domain/shared/sealedBox.js';
import { DEFAULT_LOCALE, Localizer } from './i18n/strings.js';
import { RetentionCleanup } from './schedule/retention.js';
import { Scheduler } from './schedule/scheduler.js';
import { createServer } from './server.js';
import { cachedReads } from './storage/cachedReads.js';
import { openStorage, type Storage } from './storage/openStorage.js';
import { answerMetrics, deliveryMetrics, escalationMetrics } from './telemetry.js';
import { withTimeout } from './withTimeout.js';

export interface RunningHuddle {
  url: string;
  storage: Storage;
  /**
   * Stops taking turns and sending, finishes what is in flight (sending and scheduling for at most
   * `STOP_GRACE_MS`), stops Azurite if it was started here.
   */
  stop(): Promise<void>;
}

const systemClock = { now: () => new Date() };
const ANSWER_READ_MS = 1_000;
/**
 * How long stopping waits for the scheduler and send workers. Each finishes what it is doing first, but
 * with storage down that is a storage call retrying for half a minute or more; what is cut short then is
 * picked up by the next start (a tick runs again, a queue item reappears, a claimed send is "unconfirmed").
 */
const STOP_GRACE_MS = 5_000;

/** Composition root: config -> storage -> bot -> server + scheduler + send workers. */
export async function startHuddle(config: Config, logger: Logger): Promise<RunningHuddle> {
  const box = new SealedBox(config.answerKey);
  const storage = await openStorage(config.storage, config.tablePrefix, logger, box);
  try {
    const localizer = new Localizer();
    const senderId = randomUUID();
    const keys = new RespondentKeys(config.answerKey);
    const replyHandles = new ReplyHandles(box, config.followUpWindowMs);
    const adapter = createAdapter(config.bot);
    // The turn reads a comment with the local lexicon alone (a few milliseconds); the slower readers, the
    // disclosure screen and a configured language model, read it again once its writer has been thanked.
    const local = new LocalClassifier();
    // Made now, so a missing model or head file stops start-up naming the file; the encoder loads later.
    const screen = new DisclosureScreen();
    const reader = new ScreenedClassifier(
      config.classifier.kind === 'model'
        ? new ModelClassifier({ choice: config.classifier, adapter, local, logger })
        : local,
      screen,
      (error, forGood) =>
        logger.error(
          { err: { name: error.name, message: error.message } },
          forGood
            ? 'disclosure screen unavailable: comments are screened by the lexicon alone'
            : 'disclosure screen failed on a comment: the lexicon screened it',
        ),
    );
    if (config.seedDemo) {
      await ensureDemoData(
        storage,
        {
          clock: systemClock,
          words: localizer.for(DEFAULT_LOCALE),
          keys,
          // Loading runs no turns: the demo's comments get both readings at once.
          classifier: reader,
          replyHandles,
          bootstrap: config.bootstrapRoles,
          safeguardingResendMs: config.safeguarding.resendMs,
          anonymityThreshold: config.anonymityThreshold,
          commentThreshold: config.commentThreshold,
          reach: config.reach,
          quietHours: config.defaultQuietHours,
        },
        logger,
      );
    }
    // Every answer reads its pulse and round; a second's staleness only delays noticing a stop by a second.
    const cachedPulses = cachedReads(storage.pulses, ANSWER_READ_MS);
    const cachedRounds = cachedReads(storage.rounds, ANSWER_READ_MS);
    const tenantLimiter = new TenantRateLimiter(config.outbox.tenantRate);
    const conversationLimiter = new ConversationRateLimiter();
    const defaults = {
      locale: DEFAULT_LOCALE,
      timeZone: config.defaultTimeZone,
      quietHours: config.defaultQuietHours,
    };
    const installer =
      config.proactiveInstall === undefined
        ? undefined
        : new GraphInstaller({
            ...config.proactiveInstall,
            credential: graphCredentials(config.bot, config.local),
            pace: new TenantRateLimiter(GRAPH_CALLS_PER_SECOND),
            timeoutMs: config.outbox.sendTimeoutMs,
          });
    let scheduler: Scheduler | undefined;
    const bot = createBot(adapter, {
      members: storage.members,
      installations: storage.installations,
      initiatives: storage.initiatives,
      broadcasts: storage.broadcasts,
      deliveries: storage.deliveries,
      comments: storage.comments,
      savedLists: storage.savedLists,
      pulses: cachedPulses,
      rounds: cachedRounds,
      answers: storage.answers,
      publications: storage.publications,
      keys,
      classifier: local,
      secondReading: { due: (ref) => storage.readings.put(ref, READ_AFTER_SECONDS) },
      escalations: storage.escalations,
      threads: storage.threads,
      actionClaims: storage.actionClaims,
      replyHandles,
      safeguarding: { procedure: config.safeguarding.procedure, contacts: config.safeguarding.contacts },
      safeguardingResendMs: config.safeguarding.resendMs,
      metrics: { answerStored: answerMetrics().stored, ...escalationMetrics() },
      outbox: {
        requeue: (tenantId, broadcastId, memberIds) =>
          queueRecipients(storage.queue, tenantId, broadcastId, memberIds),
      },
      scheduler: { nudge: () => scheduler?.nudge() },
      newId: randomUUID,
      clock: systemClock,
      localizer,
      logger,
      bootstrap: config.bootstrapRoles,
      defaults,
      reach: config.reach,
      // Only asked to forget while proactive installation is on, when there is an installer.
      installRefusals: installer ?? { forget: () => {} },
      anonymityThreshold: config.anonymityThreshold,
      commentThreshold: config.commentThreshold,
      digestSnapshots: storage.digestSnapshots,
      digestSettings: storage.digestSettings,
      actions: storage.actions,
    });
    const sender = createProactiveSender(bot.adapter, config.bot.appId);
    const share = new SenderShare({
      registry: storage.senders,
      limiter: tenantLimiter,
      tenantRate: config.outbox.tenantRate,
      senderId,
      clock: systemClock,
      logger,
    });
    const worker = new DeliveryWorker({
      ...storage,
      sender,
      installer,
      reach: config.reach,
      installRefusedNotice: (broadcast) =>
        noticeCard(localizer.for(broadcast.createdBy.locale)('reach.install.refused')),
      compose: outboxMessages({
        ...storage,
        keys,
        localizer,
        clock: systemClock,
        safeguarding: { procedure: config.safeguarding.procedure, contacts: config.safeguarding.contacts },
      }),
      tenantLimiter,
      conversationLimiter,
      clock: systemClock,
      logger,
      retry: DEFAULT_RETRY_POLICY,
      random: Math.random,
      senderId,
      metrics: deliveryMetrics(),
      timing: {
        sendTimeoutMs: config.outbox.sendTimeoutMs,
        visibilitySeconds: VISIBILITY_SECONDS,
        pollMs: 100,
      },
    });
    const readings = new SecondReadingWorker({
      ...storage,
      queue: storage.readings,
      reader,
      replyHandles,
      writerToken: (tenantId, escalationId, memberId) => keys.writerToken(tenantId, escalationId, memberId),
      clock: systemClock,
      scheduler: { nudge: () => scheduler?.nudge() },
      logger,
      pollMs: 100,
    });
    scheduler = new Scheduler({
      ...storage,
      sender,
      rosters: createTeamRosters(bot.adapter, config.bot.appId),
      tenantLimiter,
      conversationLimiter,
      retention: new RetentionCleanup({
        ...storage,
        logger,
        retentionMonths: config.retentionMonths,
        replyWindowMs: config.followUpWindowMs,
      }),
      replyHandles,
      defaults,
      reach: config.reach,
      bootstrap: config.bootstrapRoles,
      safeguardingResendMs: config.safeguarding.resendMs,
      anonymityThreshold: config.anonymityThreshold,
      commentThreshold: config.commentThreshold,
      renderProgress: (broadcast, figures) =>
        progressCard(localizer.for(broadcast.createdBy.locale), broadcast, figures),
      clock: systemClock,
      logger,
      tickMs: config.outbox.schedulerTickMs,
    });
    const server = createServer({
      bot,
      logger,
      maxBodyBytes: config.maxBodyBytes,
      requestTimeoutMs: config.requestTimeoutMs,
      allowedTenants: config.allowedTenants,
      local: config.local,
      checkReady: storage.ping,
    });
    const url = await server.listen(config.port, config.host);
    // Loaded once the server answers, so the first comment does not wait for it and a damaged model file
    // shows in the log at start-up; until then a comment waits for the same load.
    screen.load().catch((error: Error) => {
      logger.error({ err: { name: error.name, message: error.message } }, 'disclosure screen could not load');
    });
    readings.start();
    if (config.outbox.enabled) {
      scheduler.start();
      await share.start();
      worker.start();
    }
    logger.info(
      {
        url,
        mode: config.local ? 'local (no authentication, loopback only)' : 'authenticated',
        storage: storage.description,
        allowedTenants: config.allowedTenants.length > 0 ? config.allowedTenants : 'any',
        anonymityThreshold: config.anonymityThreshold,
        demoData: config.seedDemo,
        sending: config.outbox.enabled ? `${config.outbox.tenantRate}/s per tenant, shared` : 'off',
        proactiveInstall:
          config.proactiveInstall === undefined
            ? 'off'
            : `through ${new URL(config.proactiveInstall.graphUrl).host}`,
        telemetry: config.appInsightsConnectionString === undefined ? 'off' : 'Application Insights',
        // Said plainly at start-up: with the model, comments' words leave the tenant for this host.
        screen: 'lexicon and sentence encoder, on this machine; a person decides',
        classifier:
          config.classifier.kind === 'model'
            ? `model ${config.classifier.model} at ${new URL(config.classifier.endpoint).host} (local reading as fallback)`
            : 'local (comments never leave Huddle)',
      },
      'Huddle is listening',
    );
    return {
      url,
      storage,
      async stop() {
        await server.close(config.requestTimeoutMs);
        const stopped = Promise.all([
          readings.stop(),
          ...(config.outbox.enabled ? [scheduler?.stop(), worker.stop(), share.stop()] : []),
        ]);
        if ((await withTimeout(stopped, STOP_GRACE_MS)) === 'timeout') {
          logger.warn({ graceMs: STOP_GRACE_MS }, 'stopped without waiting longer for storage');
        }
        await storage.close();
      },
    };
  } catch (error) {
    await storage.close();
    throw error;
  }
}
