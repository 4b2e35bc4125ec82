import type { Activity } from 'botbuilder';
import type { Logger } from 'pino';
import restify from 'restify';
import { type IncomingActivity, incomingActivitySchema, tenantOf } from './bot/activity.js';
import type { Bot } from './bot/app.js';
import { checkBearerToken } from './http/bearerToken.js';
import { EdgeRefusal } from './http/edgeRefusal.js';
import { checkLocalHeaders, checkLocalServiceUrl } from './http/localOnly.js';
import { readJsonBody } from './http/requestBody.js';
import { withTimeout } from './withTimeout.js';

export interface ServerOptions {
  bot: Bot;
  logger: Logger;
  maxBodyBytes: number;
  requestTimeoutMs: number;
  allowedTenants: readonly string[];
  /** No app id: nothing is authenticated, so only this machine may talk to Huddle. */
  local: boolean;
  /** Resolves when storage answers; rejects otherwise (for `/readyz`). */
  checkReady: () => Promise<void>;
}

export interface HuddleServer {
  listen(port: number, host: string): Promise<string>;
  /** Stops taking turns, waits for those in flight (up to `graceMs`), then closes. */
  close(graceMs: number): Promise<void>;
}

/** How long a caller has to send its headers, and then its body: Teams sends both at once. */
const HEADERS_TIMEOUT_MS = 10_000;
const BODY_TIMEOUT_MS = 10_000;

interface Answer {
  status: number;
  body?: object;
}

/**
 * The HTTP edge. Everything a caller can get wrong is answered here with a status and a short JSON body;
 * nothing internal (stack, SDK message, storage detail) ever reaches the caller, and nothing a request does
 * (a broken body, a dropped connection, a token nobody can check) may stop the process.
 */
export function createServer(options: ServerOptions): HuddleServer {
  const { bot, logger } = options;
  const server = restify.createServer({ name: 'huddle', handleUncaughtExceptions: false });
  let inFlight = 0;
  let draining = false;
  let port = 0;

  // A half-sent request must not hold its connection. Node enforces these timeouts only when it checks its
  // connections (every 30 s by default); the interval is read at listen, and @types/node omits it.
  Object.assign(server.server, {
    headersTimeout: HEADERS_TIMEOUT_MS,
    requestTimeout: HEADERS_TIMEOUT_MS + BODY_TIMEOUT_MS + options.requestTimeoutMs,
    connectionsCheckingInterval: 1_000,
  });
  // A client that sends what Node cannot parse as HTTP, or too slowly, gets its answer and its socket closed.
  server.server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    const status = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
    socket.destroy();
  });

  server.get('/healthz', async (_req, res) => {
    res.send(200, { status: 'alive' });
  });

  server.get('/readyz', async (_req, res) => {
    if (draining) {
      res.send(503, { status: 'stopping' });
      return;
    }
    try {
      await options.checkReady();
      res.send(200, { status: 'ready' });
    } catch (error) {
      logger.warn({ err: { message: (error as Error).message } }, 'storage not reachable');
      res.send(503, { status: 'storage unreachable' });
    }
  });

  server.post('/api/messages', async (req, res) => {
    const started = Date.now();
    if (draining) return send(res, { status: 503, body: { error: 'stopping' } });
    inFlight++;
    try {
      const answer = await answerActivity(req);
      send(res, answer);
    } catch (error) {
      if (error instanceof EdgeRefusal) {
        logger.info(
          { status: error.status, refused: error.code, ms: Date.now() - started },
          'request refused',
        );
        // The rest of a refused body is never read: close the connection rather than drain it.
        res.header('connection', 'close');
        send(res, { status: error.status, body: error.body() });
      } else {
        logger.error({ err: { message: (error as Error).message } }, 'request failed');
        send(res, { status: 500, body: { error: 'internal' } });
      }
    } finally {
      inFlight--;
    }
  });

  async function answerActivity(req: restify.Request): Promise<Answer> {
    if (options.local) checkLocalHeaders(req.headers, port);
    const raw = await readJsonBody(req, { maxBytes: options.maxBodyBytes, timeoutMs: BODY_TIMEOUT_MS });
    const { activity, body } = parseActivity(raw);
    if (options.local) checkLocalServiceUrl(activity.serviceUrl);
    else checkBearerToken(req.headers.authorization, activity.serviceUrl, Date.now());
    return runTurn(req.headers.authorization ?? '', activity, body);
  }

  const tenantAllowed = (activity: IncomingActivity) =>
    options.allowedTenants.length === 0 || options.allowedTenants.includes(tenantOf(activity) ?? '');

  /**
   * One turn through botbuilder, bounded in time. A failure before the turn begins is authentication's:
   * a refused token is 401, and anything else there (the signing keys could not be fetched) is 503, since
   * Huddle could not tell whether the caller was Teams.
   *
   * The tenant allow-list is read only once botbuilder has authenticated the caller: refusing a forged
   * token with 403 for one tenant and 401 for another would tell anyone which tenants are allowed.
   */
  async function runTurn(authHeader: string, activity: IncomingActivity, body: Activity): Promise<Answer> {
    let turnBegan = false;
    let tenantRefused = false;
    const started = Date.now();
    const facts = { activityId: activity.id, type: activity.type };
    try {
      const outcome = await withTimeout(
        bot.adapter.runActivity(authHeader, body, async (context) => {
          turnBegan = true;
          if (tenantAllowed(activity)) await bot.app.run(context);
          else tenantRefused = true;
        }),
        options.requestTimeoutMs,
      );
      if (tenantRefused) {
        throw new EdgeRefusal(403, 'tenant_not_allowed', 'this tenant is not on the allow-list');
      }
      if (outcome === 'timeout') {
        logger.error(facts, 'turn timed out');
        return { status: 503, body: { error: 'timeout' } };
      }
      const status = outcome?.status ?? 200;
      logger.info({ ...facts, status, ms: Date.now() - started }, 'activity');
      return { status, body: status >= 500 ? { error: 'internal' } : (outcome?.body as object | undefined) };
    } catch (error) {
      if (turnBegan) throw error;
      if (isRefusedToken(error)) {
        throw new EdgeRefusal(401, 'unauthorized', 'the token was refused');
      }
      logger.warn({ ...facts, err: { message: (error as Error).message } }, 'token could not be checked');
      throw new EdgeRefusal(503, 'authentication_unavailable', 'the token could not be checked; try again');
    }
  }

  return {
    listen: (wanted, host) =>
      new Promise((done, fail) => {
        server.once('error', fail);
        server.listen(wanted, host, () => {
          port = (server.address() as { port: number }).port;
          done(server.url);
        });
      }),
    async close(graceMs) {
      draining = true;
      const deadline = Date.now() + graceMs;
      while (inFlight > 0 && Date.now() < deadline) await new Promise((done) => setTimeout(done, 25));
      if (inFlight > 0) logger.warn({ inFlight }, 'stopping with turns still running');
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

/** The activity checked, and the whole of it as sent (botbuilder reads more than the checked facts). */
function parseActivity(raw: string): { activity: IncomingActivity; body: Activity } {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw new EdgeRefusal(400, 'invalid_json', 'the body is not valid JSON');
  }
  const activity = incomingActivitySchema.safeParse(body);
  if (!activity.success) {
    const where = activity.error.issues.map((issue) => issue.path.join('.') || 'body').join(', ');
    throw new EdgeRefusal(400, 'invalid_activity', `not a valid activity (${where})`);
  }
  return { activity: activity.data, body: body as Activity };
}

/** botbuilder's own refusals carry 401; jsonwebtoken's (a bad signature, not yet valid) carry their names. */
function isRefusedToken(error: unknown): boolean {
  const { statusCode, name } = error as { statusCode?: unknown; name?: unknown };
  return (
    statusCode === 401 || ['JsonWebTokenError', 'TokenExpiredError', 'NotBeforeError'].includes(String(name))
  );
}

function send(res: restify.Response, answer: Answer): void {
  if (answer.body === undefined) res.send(answer.status);
  else res.send(answer.status, answer.body);
}
