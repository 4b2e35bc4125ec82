import { isIP } from 'node:net';
import { z } from 'zod';
import type { ReachPolicy } from './domain/people/reach.js';
import type { Role } from './domain/people/roles.js';
import { isTimeZone } from './domain/shared/timeZone.js';

const commaList = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  );

const clockTime = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Boolean flags written the ways people write them in .env files and App Service settings. */
const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], {
      errorMap: () => ({ message: 'use true or false' }),
    })
    .optional()
    .transform((value) => (value === undefined ? fallback : ['true', '1', 'yes'].includes(value)));

const envSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3978),
    HOST: z.string().min(1).default('127.0.0.1'),
    MicrosoftAppId: z.string().trim().optional().default(''),
    MicrosoftAppPassword: z.string().optional().default(''),
    MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('SingleTenant'),
    MicrosoftAppTenantId: z.string().optional().default(''),
    AZURE_STORAGE_CONNECTION_STRING: z.string().trim().optional().default(''),
    AZURE_STORAGE_ACCOUNT_NAME: z
      .string()
      .trim()
      .regex(/^[a-z0-9]{3,24}$/, 'a storage account name is 3-24 lower-case letters and digits')
      .optional(),
    AZURE_CLIENT_ID: z.string().trim().optional(),
    HUDDLE_TABLE_PREFIX: z
      .string()
      .regex(
        /^[A-Za-z][A-Za-z0-9]{0,19}$/,
        'start with a letter; letters and digits only; at most 20 characters',
      )
      .default('huddle'),
    HUDDLE_DATA_DIR: z.string().min(1).default('.huddle-data'),
    HUDDLE_ALLOWED_TENANTS: commaList,
    HUDDLE_ADMINS: commaList,
    HUDDLE_MANAGERS: commaList,
    HUDDLE_LEADERS: commaList,
    HUDDLE_SAFEGUARDING_LEADS: commaList,
    HUDDLE_ANONYMITY_THRESHOLD: z.coerce
      .number()
      .int()
      .min(3, 'the anonymity threshold is never below 3 (DESIGN.md privacy rules)')
      .default(5),
    // Glint's default: comments are quoted and their themes counted only from at least this many.
    HUDDLE_COMMENT_THRESHOLD: z.coerce
      .number()
      .int()
      .min(5, 'the comment threshold is never below 5')
      .default(10),
    HUDDLE_DEFAULT_TIME_ZONE: z
      .string()
      .default('Europe/London')
      .refine(isTimeZone, 'use an IANA time zone name such as Europe/London'),
    HUDDLE_QUIET_HOURS: z
      .string()
      .regex(/^\d\d:\d\d-\d\d:\d\d$/, 'write quiet hours as HH:MM-HH:MM, e.g. 21:00-07:00')
      .refine(
        (value) => value.split('-').every((part) => clockTime.test(part)),
        'use 24-hour times 00:00-23:59',
      )
      .default('21:00-07:00'),
    HUDDLE_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).max(120_000).default(15_000),
    HUDDLE_MAX_BODY_BYTES: z.coerce.number().int().min(16_384).max(4_194_304).default(262_144),
    HUDDLE_SEED_DEMO: flag(false),
    // Guests and people of other organisations are in a team to work with it, not to be messaged by Huddle.
    HUDDLE_MESSAGE_GUESTS: flag(false),
    // Huddle installs itself through Microsoft Graph for people it shares no team with (README: proactive
    // installation); needs the Graph permission TeamsAppInstallation.ReadWriteSelfForUser.All.
    HUDDLE_PROACTIVE_INSTALL: flag(false),
    // The app's id in the organisation's Teams app catalog (not the manifest id): Graph installs by it.
    HUDDLE_TEAMS_APP_CATALOG_ID: z.string().trim().optional(),
    // Graph's base URL: a national cloud's, or in local mode a stand-in on loopback (tests, Playground).
    HUDDLE_GRAPH_URL: z
      .string()
      .trim()
      .url('write the Graph base URL, e.g. https://graph.microsoft.com/v1.0')
      .optional(),
    HUDDLE_SEND_RATE: z.coerce
      .number()
      .min(1)
      .max(50, "Teams allows 50 requests per second per app per tenant; don't go above it")
      .default(50),
    HUDDLE_SEND_TIMEOUT_MS: z.coerce.number().int().min(500).max(120_000).default(20_000),
    HUDDLE_SCHEDULER_TICK_MS: z.coerce.number().int().min(100).max(60_000).default(2_000),
    HUDDLE_SENDING: flag(true),
    APPLICATIONINSIGHTS_CONNECTION_STRING: z
      .string()
      .trim()
      .regex(
        /InstrumentationKey=/i,
        'copy the whole connection string from the Application Insights overview',
      )
      .optional(),
    // Keys the hashes that stand in for people in anonymous answers, and seals the way back to the writer of
    // a comment. Changing it mid-round lets a person answer that round twice and closes open follow-ups, so
    // rotate it between rounds (README: rotating secrets).
    HUDDLE_ANSWER_KEY: z.string().trim().optional().default(''),
    HUDDLE_RETENTION_MONTHS: z.coerce.number().int().min(1).max(120).default(24),
    // What a member who may have disclosed harm is told to do. Each organisation has its own procedure and
    // contacts; the defaults are safe general advice, not a substitute (README: configure safeguarding).
    HUDDLE_SAFEGUARDING_PROCEDURE: z
      .string()
      .trim()
      .min(1)
      .max(2_000)
      .default(
        'If someone is in immediate danger, call 999 now. Otherwise tell the person in charge of your shift straight away, and record what you saw or were told, in the words used, with the date and time. Do not confront the person you are worried about.',
      ),
    HUDDLE_SAFEGUARDING_CONTACTS: z
      .string()
      .trim()
      .min(1)
      .max(2_000)
      .default(
        "Your designated safeguarding lead, or the registered manager. Out of hours: the manager on call. You can also call your local authority's adult or children's safeguarding team, or the CQC on 03000 616161.",
      ),
    // How long a safeguarding alert waits for a lead to acknowledge it before it is sent again (and to admins).
    HUDDLE_SAFEGUARDING_RESEND_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(15),
    // Comments are read by the local classifier unless an admin chooses the model: with `model`, each
    // comment's words go to the endpoint below (README: the optional language model).
    HUDDLE_CLASSIFIER: z.enum(['local', 'model']).default('local'),
    HUDDLE_MODEL_KIND: z.enum(['openai', 'azure']).default('openai'),
    // OpenAI-compatible base URL (https://api.openai.com/v1), or an Azure OpenAI resource endpoint.
    HUDDLE_MODEL_ENDPOINT: z.string().trim().url().optional(),
    HUDDLE_MODEL_KEY: z.string().trim().optional().default(''),
    // The model, or with Azure the deployment name.
    HUDDLE_MODEL_NAME: z.string().trim().min(1).default('gpt-4o-mini'),
    // Past this the local reading is used and the model's late answer ignored.
    HUDDLE_MODEL_TIMEOUT_MS: z.coerce.number().int().min(500).max(60_000).default(8_000),
    // How long after a comment a manager can reply to its writer and the writer answer back.
    HUDDLE_FOLLOW_UP_DAYS: z.coerce.number().int().min(1).max(90).default(30),
    // Where Teams' tokens are checked, for tests of authenticated mode with a signing service on this
    // machine (`<OpenID metadata URL> <issuer>`). Unset, the Bot Framework's public service is used.
    HUDDLE_TOKEN_SERVICE: z
      .string()
      .trim()
      .regex(
        /^http:\/\/127\.0\.0\.1:\d+\/\S* \S+$/,
        'write "<OpenID metadata URL on 127.0.0.1> <issuer>"; only tests set this',
      )
      .optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((env, ctx) => {
    const local = env.MicrosoftAppId === '';
    if (local && !isLoopback(env.HOST)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['HOST'],
        message:
          'without MicrosoftAppId requests are not authenticated, so Huddle only listens on loopback (127.0.0.1 or ::1); set MicrosoftAppId or HOST=127.0.0.1',
      });
    }
    if (!local && env.MicrosoftAppType !== 'UserAssignedMSI' && env.MicrosoftAppPassword === '') {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['MicrosoftAppPassword'],
        message: 'set the bot client secret, or MicrosoftAppType=UserAssignedMSI to use a managed identity',
      });
    }
    if (env.MicrosoftAppType !== 'MultiTenant' && !local && env.MicrosoftAppTenantId === '') {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['MicrosoftAppTenantId'],
        message: 'a single-tenant or managed-identity bot needs the tenant id of its Entra app registration',
      });
    }
    if (env.HUDDLE_ANSWER_KEY.startsWith('@Microsoft.KeyVault(')) {
      // App Service leaves the reference text in place when it cannot read the secret; never use that.
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['HUDDLE_ANSWER_KEY'],
        message:
          'the Key Vault reference did not resolve: create the secret huddle-answer-key and check the app identity has Key Vault Secrets User',
      });
    } else if ((!local || env.HUDDLE_ANSWER_KEY !== '') && env.HUDDLE_ANSWER_KEY.length < 32) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['HUDDLE_ANSWER_KEY'],
        message:
          'set a random secret of at least 32 characters (from Key Vault): it keeps anonymous answers unlinkable',
      });
    }
    if (env.HUDDLE_CLASSIFIER === 'model') {
      if (env.HUDDLE_MODEL_ENDPOINT === undefined) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['HUDDLE_MODEL_ENDPOINT'],
          message:
            'HUDDLE_CLASSIFIER=model needs the endpoint of an OpenAI-compatible or Azure OpenAI service',
        });
      } else if (env.HUDDLE_MODEL_KIND === 'azure' && !env.HUDDLE_MODEL_ENDPOINT.startsWith('https://')) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['HUDDLE_MODEL_ENDPOINT'],
          message: 'an Azure OpenAI endpoint must start with https://',
        });
      }
      if (env.HUDDLE_MODEL_KEY === '' || env.HUDDLE_MODEL_KEY.startsWith('@Microsoft.KeyVault(')) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['HUDDLE_MODEL_KEY'],
          message:
            'HUDDLE_CLASSIFIER=model needs the API key (from Key Vault: check the secret exists and the app identity can read it)',
        });
      }
    }
    if (env.HUDDLE_PROACTIVE_INSTALL && env.HUDDLE_TEAMS_APP_CATALOG_ID === undefined) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['HUDDLE_TEAMS_APP_CATALOG_ID'],
        message:
          "HUDDLE_PROACTIVE_INSTALL=true needs the app's id in your Teams app catalog (Teams admin centre, Manage apps, Huddle: App ID)",
      });
    }
    // A URL the field's own check refused is reported once, there.
    const graphUrl = graphUrlOf(env.HUDDLE_GRAPH_URL);
    const graphNamed = env.HUDDLE_PROACTIVE_INSTALL || env.HUDDLE_GRAPH_URL !== undefined;
    if (URL.canParse(graphUrl) && local && graphNamed && !isLoopbackUrl(graphUrl)) {
      // Local mode authenticates nothing and sends no token: it may only ever talk to a stand-in here.
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['HUDDLE_GRAPH_URL'],
        message:
          'without MicrosoftAppId Huddle only talks to a Graph stand-in on loopback (http://127.0.0.1:<port>); set MicrosoftAppId to use Microsoft Graph',
      });
    }
    if (URL.canParse(graphUrl) && !local && !graphUrl.startsWith('https://')) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['HUDDLE_GRAPH_URL'],
        message: 'Microsoft Graph is reached over https://',
      });
    }
    if (env.AZURE_STORAGE_CONNECTION_STRING !== '' && env.AZURE_STORAGE_ACCOUNT_NAME !== undefined) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['AZURE_STORAGE_ACCOUNT_NAME'],
        message: 'set either AZURE_STORAGE_CONNECTION_STRING or AZURE_STORAGE_ACCOUNT_NAME, not both',
      });
    }
  });

export type Env = z.input<typeof envSchema>;

/** Who the bot is to the Bot Framework, and where the tokens Teams sends it are checked. */
export interface BotCredentials {
  appId: string;
  appPassword: string;
  appType: string;
  tenantId: string;
  /**
   * Where the tokens Teams sends are checked: Bot Framework's public-cloud service unless overridden, which
   * only the tests do (a signing service on loopback, so authenticated mode can be attacked offline).
   */
  tokenService:
    | { ToBotFromChannelOpenIdMetadataUrl: string; ToBotFromChannelTokenIssuer: string }
    | undefined;
}

export type ClassifierChoice =
  | { kind: 'local' }
  | {
      kind: 'model';
      service: 'openai' | 'azure';
      endpoint: string;
      key: string;
      model: string;
      timeoutMs: number;
    };

/** Where storage comes from: embedded Azurite, a connection string, or an account reached by managed identity. */
export type StorageSource =
  | { kind: 'embedded'; dataDir: string }
  | { kind: 'connectionString'; connectionString: string }
  | { kind: 'managedIdentity'; accountName: string; clientId: string | undefined };

export interface Config {
  port: number;
  host: string;
  bot: BotCredentials;
  /** Local mode: no app id, so no authentication and loopback only. */
  local: boolean;
  storage: StorageSource;
  tablePrefix: string;
  allowedTenants: readonly string[];
  bootstrapRoles: Readonly<Record<Exclude<Role, 'staff'>, readonly string[]>>;
  anonymityThreshold: number;
  commentThreshold: number;
  defaultTimeZone: string;
  defaultQuietHours: { start: string; end: string };
  requestTimeoutMs: number;
  maxBodyBytes: number;
  seedDemo: boolean;
  /**
   * Whom Huddle messages beyond the organisation's own staff (guests only when an admin says so), and
   * whether it installs itself for people it shares no team with.
   */
  reach: ReachPolicy;
  /** Where and as which catalog app Huddle installs itself; `undefined` while proactive installation is off. */
  proactiveInstall: ProactiveInstallSettings | undefined;
  outbox: {
    /** Sends per second for the whole tenant, shared by every sender process. */
    tenantRate: number;
    sendTimeoutMs: number;
    schedulerTickMs: number;
    /** Whether this process runs the scheduler and send workers (off for a web-only instance). */
    enabled: boolean;
  };
  /** The deployment secret behind anonymous answers' keyed hashes (see RespondentKeys). */
  answerKey: string;
  /** Answers and comments older than this are deleted by a daily clean-up. */
  retentionMonths: number;
  safeguarding: { procedure: string; contacts: string; resendMs: number };
  followUpWindowMs: number;
  /** Which classifier reads comments; a model only when an admin chose it. */
  classifier: ClassifierChoice;
  logLevel: string;
  /** Application Insights; telemetry is off when undefined. */
  appInsightsConnectionString: string | undefined;
}

export interface ProactiveInstallSettings {
  /** Microsoft Graph's base URL, without a trailing slash (a stand-in on loopback in local mode). */
  graphUrl: string;
  /** The app's id in the organisation's Teams app catalog. */
  catalogId: string;
}

/** A bad environment: the message lists every bad variable with how to fix it. */
export class ConfigError extends Error {
  override name = 'ConfigError';

  constructor(
    /** One line per bad variable: its name and how to fix it. */
    readonly problems: readonly string[],
    heading = 'Huddle cannot start; fix these settings:',
  ) {
    super(`${heading}\n${problems.join('\n')}`);
  }
}

/** The key local mode uses for answers and sealing; tests open local storage with it. */
export const LOCAL_ANSWER_KEY = 'local-mode-only: not a secret, never used in production';

export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(emptyToUndefined(env));
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (issue) => `  ${issue.path.join('.') || 'environment'}: ${issue.message}`,
    );
    throw new ConfigError(lines);
  }
  const e = parsed.data;
  const [quietStart = '21:00', quietEnd = '07:00'] = e.HUDDLE_QUIET_HOURS.split('-');
  return {
    port: e.PORT,
    host: e.HOST,
    bot: {
      appId: e.MicrosoftAppId,
      appPassword: e.MicrosoftAppPassword,
      // botbuilder refuses SingleTenant without an app id; local mode authenticates nothing anyway.
      appType: e.MicrosoftAppId === '' ? 'MultiTenant' : e.MicrosoftAppType,
      tenantId: e.MicrosoftAppTenantId,
      tokenService: tokenServiceOf(e.HUDDLE_TOKEN_SERVICE),
    },
    local: e.MicrosoftAppId === '',
    storage: storageSource(e),
    tablePrefix: e.HUDDLE_TABLE_PREFIX,
    allowedTenants: e.HUDDLE_ALLOWED_TENANTS,
    bootstrapRoles: {
      admin: e.HUDDLE_ADMINS,
      manager: e.HUDDLE_MANAGERS,
      leader: e.HUDDLE_LEADERS,
      safeguardingLead: e.HUDDLE_SAFEGUARDING_LEADS,
    },
    anonymityThreshold: e.HUDDLE_ANONYMITY_THRESHOLD,
    commentThreshold: e.HUDDLE_COMMENT_THRESHOLD,
    defaultTimeZone: e.HUDDLE_DEFAULT_TIME_ZONE,
    defaultQuietHours: { start: quietStart, end: quietEnd },
    requestTimeoutMs: e.HUDDLE_REQUEST_TIMEOUT_MS,
    maxBodyBytes: e.HUDDLE_MAX_BODY_BYTES,
    seedDemo: e.HUDDLE_SEED_DEMO,
    reach: { guests: e.HUDDLE_MESSAGE_GUESTS, proactiveInstall: e.HUDDLE_PROACTIVE_INSTALL },
    proactiveInstall:
      e.HUDDLE_PROACTIVE_INSTALL && e.HUDDLE_TEAMS_APP_CATALOG_ID !== undefined
        ? { graphUrl: graphUrlOf(e.HUDDLE_GRAPH_URL), catalogId: e.HUDDLE_TEAMS_APP_CATALOG_ID }
        : undefined,
    retentionMonths: e.HUDDLE_RETENTION_MONTHS,
    safeguarding: {
      procedure: e.HUDDLE_SAFEGUARDING_PROCEDURE,
      contacts: e.HUDDLE_SAFEGUARDING_CONTACTS,
      resendMs: e.HUDDLE_SAFEGUARDING_RESEND_MINUTES * 60_000,
    },
    followUpWindowMs: e.HUDDLE_FOLLOW_UP_DAYS * 86_400_000,
    classifier:
      e.HUDDLE_CLASSIFIER === 'model' && e.HUDDLE_MODEL_ENDPOINT !== undefined
        ? {
            kind: 'model',
            service: e.HUDDLE_MODEL_KIND,
            endpoint: e.HUDDLE_MODEL_ENDPOINT,
            key: e.HUDDLE_MODEL_KEY,
            model: e.HUDDLE_MODEL_NAME,
            timeoutMs: e.HUDDLE_MODEL_TIMEOUT_MS,
          }
        : { kind: 'local' },
    // Local mode holds only demo and test data, so a fixed key is fine there; production must bring its own.
    answerKey: e.HUDDLE_ANSWER_KEY || LOCAL_ANSWER_KEY,
    outbox: {
      tenantRate: e.HUDDLE_SEND_RATE,
      sendTimeoutMs: e.HUDDLE_SEND_TIMEOUT_MS,
      schedulerTickMs: e.HUDDLE_SCHEDULER_TICK_MS,
      enabled: e.HUDDLE_SENDING,
    },
    logLevel: e.LOG_LEVEL,
    appInsightsConnectionString: e.APPLICATIONINSIGHTS_CONNECTION_STRING,
  };
}

/** The variables the schema knows, for the README table and the infrastructure drift test. */
export const configVariables: readonly string[] = Object.keys(envSchema.innerType().shape);

function tokenServiceOf(setting: string | undefined): BotCredentials['tokenService'] {
  if (setting === undefined) return undefined;
  const [metadataUrl = '', issuer = ''] = setting.split(' ');
  return { ToBotFromChannelOpenIdMetadataUrl: metadataUrl, ToBotFromChannelTokenIssuer: issuer };
}

function storageSource(e: z.output<typeof envSchema>): StorageSource {
  if (e.AZURE_STORAGE_CONNECTION_STRING !== '') {
    return { kind: 'connectionString', connectionString: e.AZURE_STORAGE_CONNECTION_STRING };
  }
  if (e.AZURE_STORAGE_ACCOUNT_NAME !== undefined) {
    return {
      kind: 'managedIdentity',
      accountName: e.AZURE_STORAGE_ACCOUNT_NAME,
      clientId: e.AZURE_CLIENT_ID,
    };
  }
  return { kind: 'embedded', dataDir: e.HUDDLE_DATA_DIR };
}

/** App Service and .env files often carry a variable set to nothing; treat that as unset so defaults apply. */
function emptyToUndefined(env: Record<string, string | undefined>): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(env).map(([key, value]) => [key, value === '' ? undefined : value]),
  );
}

const graphUrlOf = (setting: string | undefined) =>
  (setting ?? 'https://graph.microsoft.com/v1.0').replace(/\/+$/, '');

function isLoopbackUrl(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  return (protocol === 'http:' || protocol === 'https:') && isLoopback(hostname.replace(/^\[(.*)\]$/, '$1'));
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}
