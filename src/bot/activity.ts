import { z } from 'zod';
import type { InstallScope } from '../domain/people/installation.js';
import type { SeenPerson } from '../domain/people/member.js';
import { isTimeZone } from '../domain/shared/timeZone.js';

/**
 * The parts of an incoming Teams activity Huddle relies on, checked once. Teams and the Playground send
 * much more; anything else is ignored. Ids are bounded so a hostile payload cannot blow up a table key.
 */
const id = z.string().min(1).max(512);
const account = z.object({ id, name: z.string().max(256).optional(), aadObjectId: id.optional() });

export const activitySchema = z.object({
  type: z.string().min(1).max(64),
  id: z.string().max(512).optional(),
  action: z.string().max(64).optional(),
  locale: z.string().max(32).optional(),
  from: account.optional(),
  recipient: account.optional(),
  conversation: z
    .object({
      id,
      conversationType: z.string().max(32).optional(),
      tenantId: z.string().max(128).optional(),
      name: z.string().max(256).optional(),
    })
    .optional(),
  channelData: z
    .object({
      tenant: z.object({ id: z.string().max(128) }).optional(),
      team: z.object({ id: z.string().max(512), name: z.string().max(256).optional() }).optional(),
    })
    .passthrough()
    .optional(),
  entities: z.array(z.object({ type: z.string() }).passthrough()).optional(),
  membersAdded: z.array(account).optional(),
  membersRemoved: z.array(account).optional(),
});
export type ActivityFacts = z.infer<typeof activitySchema>;

/**
 * What the server requires of an activity arriving over HTTP, beyond the facts: everything Teams always
 * sends. Without a `serviceUrl` botbuilder would reply to a public Bot Framework host (and wait on it);
 * without `from`, `conversation` or `recipient` no turn can be answered. The tenant named in two places
 * must be one tenant, or the allow-list could be passed with one and the turn run as the other.
 */
export const incomingActivitySchema = activitySchema
  .extend({
    serviceUrl: z.string().url().max(2_048),
    from: account,
    recipient: account,
    conversation: activitySchema.shape.conversation.unwrap(),
  })
  .refine(
    (activity) =>
      activity.conversation.tenantId === undefined ||
      activity.channelData?.tenant?.id === undefined ||
      activity.conversation.tenantId === activity.channelData.tenant.id,
    {
      message: 'conversation.tenantId and channelData.tenant.id name different tenants',
      path: ['channelData'],
    },
  );
export type IncomingActivity = z.infer<typeof incomingActivitySchema>;

export function tenantOf(activity: ActivityFacts): string | undefined {
  return activity.conversation?.tenantId ?? activity.channelData?.tenant?.id;
}

export function scopeOf(activity: ActivityFacts): InstallScope {
  switch (activity.conversation?.conversationType) {
    case 'channel':
      return 'team';
    case 'groupChat':
      return 'groupChat';
    default:
      return 'personal';
  }
}

/**
 * Bare UTC is what a machine with no zone set reports (Agents Playground passes on its host's, a fresh VM
 * or container has it); nobody's wall clock at a care home reads UTC. Taken as no zone, so the service's
 * zone is used and a night worker's quiet hours are not an hour out half the year.
 */
const MACHINE_ZONES = new Set([
  'utc',
  'etc/utc',
  'etc/uct',
  'uct',
  'etc/universal',
  'universal',
  'etc/zulu',
  'zulu',
]);

/**
 * Teams puts the user's IANA time zone in a `clientInfo` entity on messages from the client. Anything the
 * runtime does not recognise is ignored rather than stored, so quiet hours never rest on a bad zone.
 */
function timeZoneOf(activity: ActivityFacts): string | undefined {
  const info = activity.entities?.find((entity) => entity.type === 'clientInfo');
  const zone = info?.timezone;
  if (typeof zone !== 'string' || zone.length > 64 || MACHINE_ZONES.has(zone.toLowerCase())) return undefined;
  return isTimeZone(zone) ? zone : undefined;
}

/** The person behind an activity, or `undefined` when Teams did not say who (no AAD id or no tenant). */
export function senderOf(activity: ActivityFacts): SeenPerson | undefined {
  return personOf(activity, activity.from);
}

export function personOf(
  activity: ActivityFacts,
  who: z.infer<typeof account> | undefined,
): SeenPerson | undefined {
  const tenantId = tenantOf(activity);
  if (who?.aadObjectId === undefined || tenantId === undefined) return undefined;
  return {
    tenantId,
    aadObjectId: who.aadObjectId,
    teamsUserId: who.id,
    name: who.name ?? '',
    locale: who === activity.from ? activity.locale : undefined,
    timeZone: who === activity.from ? timeZoneOf(activity) : undefined,
  };
}
