import { ClientSecretCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import type { BotCredentials, ProactiveInstallSettings } from '../config.js';
import { parseRetryAfter, type SendFailure } from '../domain/broadcasts/deliveryPolicy.js';
import type { AppInstaller, InstallResult } from './ports.js';
import type { TenantRateLimiter } from './rateLimiter.js';

/**
 * Graph calls per second from this process. Graph's Teams limits per app per tenant are well above this
 * (and not published for app installation); an install is three calls, so about three people a second,
 * which a broadcast to a few hundred uninstalled people gets through in minutes, out of Teams' way.
 */
export const GRAPH_CALLS_PER_SECOND = 10;

/**
 * After Graph refused for want of consent, how long the tenant's installs are answered "no consent"
 * without asking again: the rest of a broadcast would only hear the same refusal, one call each. Short,
 * so installs work within a minute of an admin granting the permission.
 */
const REFUSAL_MEMORY_MS = 60_000;
/** A refusal within this long of the last is not news: the manager is told once, not every minute. */
const TELL_AGAIN_AFTER_MS = 24 * 3_600_000;

/** What one Graph call answered; `status` is undefined when no answer came. */
interface GraphAnswer {
  status: number | undefined;
  body: unknown;
  failure: SendFailure;
}

export interface GraphInstallerOptions extends ProactiveInstallSettings {
  /** The credential for a tenant's Graph, or undefined in local mode (the stand-in on loopback takes none). */
  credential: (tenantId: string) => TokenCredential | undefined;
  /** Graph's own pace, apart from Teams' send limit; a 429's Retry-After pauses it. */
  pace: TenantRateLimiter;
  timeoutMs: number;
}

/**
 * Installs Huddle in people's personal scope through Microsoft Graph, as Company Communicator does: add
 * the catalog app for the user (409: it is there already), find the installation, then its chat, whose
 * id is the personal conversation's. Needs the application permission
 * TeamsAppInstallation.ReadWriteSelfForUser.All, granted by an admin (README: proactive installation).
 */
export class GraphInstaller implements AppInstaller {
  /** When Graph last refused each tenant for want of consent. */
  private readonly refusedAt = new Map<string, number>();
  private closed = false;

  constructor(private readonly options: GraphInstallerOptions) {}

  close(): void {
    this.closed = true;
    this.options.pace.close();
  }

  forget(tenantId: string): void {
    this.refusedAt.delete(tenantId);
  }

  async install(tenantId: string, aadObjectId: string): Promise<InstallResult> {
    if (this.refusing(tenantId)) return { kind: 'refused', reason: 'noConsent', firstRefusal: false };
    const { graphUrl, catalogId } = this.options;
    const apps = `/users/${encodeURIComponent(aadObjectId)}/teamwork/installedApps`;
    const added = await this.call(tenantId, 'POST', apps, {
      'teamsApp@odata.bind': `${graphUrl}/appCatalogs/teamsApps/${catalogId}`,
    });
    if (added.status !== 201 && added.status !== 409) return this.refusalOrFailure(tenantId, added);
    const filter = encodeURIComponent(`teamsApp/id eq '${catalogId}'`);
    const listed = await this.call(tenantId, 'GET', `${apps}?$expand=teamsApp&$filter=${filter}`);
    if (listed.status !== 200) return this.refusalOrFailure(tenantId, listed);
    const installationId = (listed.body as { value?: { id?: unknown }[] } | undefined)?.value?.[0]?.id;
    // Just installed and not listed yet: Graph catches up within seconds; the send is tried again then.
    if (typeof installationId !== 'string') return { kind: 'failed', failure: { code: 'NotListedYet' } };
    const chat = await this.call(tenantId, 'GET', `${apps}/${encodeURIComponent(installationId)}/chat`);
    // The installation exists, so a 404 here is its chat not made yet, not the person gone.
    if (chat.status === 404) return { kind: 'failed', failure: { code: 'ChatNotReady' } };
    if (chat.status !== 200) return this.refusalOrFailure(tenantId, chat);
    const chatId = (chat.body as { id?: unknown } | undefined)?.id;
    if (typeof chatId !== 'string') return { kind: 'failed', failure: { code: 'NoChatId' } };
    return { kind: 'installed', chatId };
  }

  private refusing(tenantId: string): boolean {
    return Date.now() - (this.refusedAt.get(tenantId) ?? Number.NEGATIVE_INFINITY) < REFUSAL_MEMORY_MS;
  }

  /**
   * 403: no admin has granted the permission (news once a day). 404: Graph knows no such person, or no
   * such app in the catalog (a wrong HUDDLE_TEAMS_APP_CATALOG_ID gives the same answer, and Graph also
   * says it for people without Teams), so it is not taken to mean they left: a mistyped id would mark
   * everyone as gone.
   */
  private refusalOrFailure(tenantId: string, answer: GraphAnswer): InstallResult {
    if (answer.status === 404) return { kind: 'refused', reason: 'installNotFound', firstRefusal: false };
    if (answer.status !== 403) return { kind: 'failed', failure: answer.failure };
    if (answer === refused) return { kind: 'refused', reason: 'noConsent', firstRefusal: false };
    const firstRefusal =
      Date.now() - (this.refusedAt.get(tenantId) ?? Number.NEGATIVE_INFINITY) >= TELL_AGAIN_AFTER_MS;
    this.refusedAt.set(tenantId, Date.now());
    return { kind: 'refused', reason: 'noConsent', firstRefusal };
  }

  private async call(
    tenantId: string,
    method: 'GET' | 'POST',
    path: string,
    body?: object,
  ): Promise<GraphAnswer> {
    await this.options.pace.acquire();
    if (this.closed) return stopping;
    const answered = await this.options.pace.admit();
    try {
      // Refused while this call waited its turn: the answer is known without asking again.
      if (this.refusing(tenantId)) return refused;
      const token = await this.options.credential(tenantId)?.getToken(scopeOf(this.options.graphUrl));
      const response = await fetch(`${this.options.graphUrl}${path}`, {
        method,
        headers: {
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(token ? { authorization: `Bearer ${token.token}` } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      const text = await response.text();
      const parsed = parseJson(text);
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after') ?? undefined, new Date());
      // Graph's Retry-After is for the app in the tenant: every call waits it out, not just this one.
      if (response.status === 429) this.options.pace.pauseFor(retryAfterMs ?? 1_000);
      return {
        status: response.status,
        body: parsed,
        failure: { status: response.status, code: errorCodeOf(parsed), retryAfterMs },
      };
    } catch (error) {
      // No answer (timeout, refused connection, no token): nothing was installed that a retry would not find.
      const { name, code } = error as { name?: unknown; code?: unknown };
      return {
        status: undefined,
        body: undefined,
        failure: { code: typeof code === 'string' ? code : String(name ?? 'Error') },
      };
    } finally {
      answered();
    }
  }
}

const stopping: GraphAnswer = { status: undefined, body: undefined, failure: { code: 'Stopping' } };
/** Graph's last answer for the tenant, remembered rather than asked again (see `REFUSAL_MEMORY_MS`). */
const refused: GraphAnswer = { status: 403, body: undefined, failure: { status: 403, code: 'Forbidden' } };

/** The `.default` scope of the Graph the base URL names (national clouds have their own hosts). */
const scopeOf = (graphUrl: string) => `${new URL(graphUrl).origin}/.default`;

function parseJson(text: string): unknown {
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

const errorCodeOf = (body: unknown) => {
  const code = (body as { error?: { code?: unknown } } | undefined)?.error?.code;
  return typeof code === 'string' ? code : undefined;
};

/**
 * Graph's credential for each member tenant: the bot's own app registration and secret, or its
 * user-assigned managed identity (which lives in one tenant). Local mode sends no token at all.
 */
export function graphCredentials(
  bot: BotCredentials,
  local: boolean,
): (tenantId: string) => TokenCredential | undefined {
  if (local) return () => undefined;
  if (bot.appType === 'UserAssignedMSI') {
    const identity = new ManagedIdentityCredential({ clientId: bot.appId });
    return () => identity;
  }
  const byTenant = new Map<string, TokenCredential>();
  return (tenantId) => {
    const known = byTenant.get(tenantId);
    if (known !== undefined) return known;
    const credential = new ClientSecretCredential(tenantId, bot.appId, bot.appPassword);
    byTenant.set(tenantId, credential);
    return credential;
  };
}
