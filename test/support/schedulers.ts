import { progressCard } from '../../src/cards/updateCards.js';
import { ConversationRateLimiter, TenantRateLimiter } from '../../src/delivery/rateLimiter.js';
import { ReplyHandles } from '../../src/domain/feedback/replyHandles.js';
import type { BootstrapRoles } from '../../src/domain/people/roles.js';
import type { Clock } from '../../src/domain/shared/ports.js';
import { Localizer } from '../../src/i18n/strings.js';
import { createLogger } from '../../src/logger.js';
import { RetentionCleanup } from '../../src/schedule/retention.js';
import { Scheduler } from '../../src/schedule/scheduler.js';
import type { Storage } from '../../src/storage/openStorage.js';
import { STAFF_ONLY } from './members.js';
import { localBox } from './sealing.js';

const logger = createLogger('silent');
const t = new Localizer().for('en-GB');
const NO_ROLES: BootstrapRoles = { admin: [], manager: [], leader: [], safeguardingLead: [] };

/** One app instance's scheduler; each has its own storage clients and so its own lease. */
export function schedulerOn(
  storage: Storage,
  clock: Clock = { now: () => new Date() },
  bootstrap = NO_ROLES,
  tickMs = 100,
) {
  return new Scheduler({
    ...storage,
    sender: {
      send: () => Promise.reject(new Error('the scheduler never sends updates itself')),
      update: () => Promise.reject(new Error('no progress card in this test')),
      openPersonalChat: () => Promise.reject(new Error('the scheduler never opens chats')),
      chatReference: () => {
        throw new Error('the scheduler never opens chats');
      },
    },
    rosters: { page: () => Promise.reject(new Error('no team in this test')) },
    tenantLimiter: new TenantRateLimiter(50),
    conversationLimiter: new ConversationRateLimiter(),
    renderProgress: (broadcast, figures) => progressCard(t, broadcast, figures),
    retention: new RetentionCleanup({
      ...storage,
      logger,
      retentionMonths: 24,
      replyWindowMs: 30 * 86_400_000,
    }),
    replyHandles: new ReplyHandles(localBox(), 30 * 86_400_000),
    bootstrap,
    reach: STAFF_ONLY,
    defaults: { locale: 'en-GB', timeZone: 'Europe/London', quietHours: { start: '21:00', end: '07:00' } },
    safeguardingResendMs: 15 * 60_000,
    anonymityThreshold: 5,
    commentThreshold: 10,
    clock,
    logger,
    tickMs,
  });
}
