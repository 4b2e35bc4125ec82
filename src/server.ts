import type { Request as BotRequest, Response as BotResponse } from 'botbuilder';
import type { Logger } from 'pino';
import restify from 'restify';
import { activitySchema, tenantOf } from './bot/activity.js';
import type { Bot } from './bot/app.js';

export interface ServerOptions {
  bot: Bot;
  logger: Logger;
  maxBodyBytes: number;
  requestTimeoutMs: number;
  allowedTenants: readonly string[];
  /** Resolves when storage answers; rejects otherwise (for `/readyz`). */
  checkReady: () => Promise<void>;
}

export interface HuddleServer {
  listen(port: number, host: string): Promise<string>;
  /** Stops taking turns, waits for those in flight (up to `graceMs`), then closes. */
  close(graceMs: number): Promise<void>;
}

/**
 * The HTTP edge. Everything a caller can get wrong is answered here with a status and a short JSON body;
 * nothing internal (stack, SDK message, storage detail) ever reaches the caller.
 */
export function createServer(options: ServerOptions): HuddleServer {
  const { bot, logger } = options;
  const server = restify.createServer({ name: 'huddle', handleUncaughtExceptions: false });
  let inFlight = 0;
  let draining = false;

  // Raw body with a size cap: restify answers 413 past it. JSON is parsed below so that a bad body gets
  // our message rather than the parser's (which quotes the body back).
  server.use(restify.plugins.bodyReader({ maxBodySize: options.maxBodyBytes }));
  server.on('restifyError', (_req, _res, err, next) => {
    err.toJSON = () => ({ error: err.statusCode === 413 ? 'body_too_large' : 'request_failed' });
    next();
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
    const reply = (status: number, body?: object) => {
      if (body === undefined) res.send(status);
      else res.send(status, body);
    };
    if (draining) return reply(503, { error: 'stopping' });
    const body = parseJson(req.body);
    if (body === undefined)
      return reply(400, { error: 'invalid_json', message: 'the body is not valid JSON' });
    const activity = activitySchema.safeParse(body);
    if (!activity.success) {
      const where = activity.error.issues.map((issue) => issue.path.join('.') || 'body').join(', ');
      return reply(400, { error: 'invalid_activity', message: `not a valid activity (${where})` });
    }
    const tenantId = tenantOf(activity.data);
    if (options.allowedTenants.length > 0 && !options.allowedTenants.includes(tenantId ?? '')) {
      logger.warn(
        { activityId: activity.data.id, tenantId },
        'activity from a tenant not on the allow-list refused',
      );
      return reply(403, { error: 'tenant_not_allowed' });
    }

    inFlight++;
    const captured = new CapturedResponse();
    try {
      const outcome = await withTimeout(
        bot.adapter.process(toBotRequest(req, body as Record<string, unknown>), captured, (context) =>
          bot.app.run(context).then(() => undefined),
        ),
        options.requestTimeoutMs,
      );
      if (outcome === 'timeout') {
        logger.error({ activityId: activity.data.id, type: activity.data.type }, 'turn timed out');
        return reply(503, { error: 'timeout' });
      }
      logger.info(
        {
          activityId: activity.data.id,
          type: activity.data.type,
          status: captured.statusCode,
          ms: Date.now() - started,
        },
        'activity',
      );
      return reply(captured.statusCode, captured.safeBody());
    } catch (error) {
      logger.error(
        { activityId: activity.data.id, err: { message: (error as Error).message } },
        'activity failed',
      );
      return reply(500, { error: 'internal' });
    } finally {
      inFlight--;
    }
  });

  return {
    listen: (port, host) =>
      new Promise((done, fail) => {
        server.once('error', fail);
        server.listen(port, host, () => done(server.url));
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

function parseJson(raw: unknown): unknown {
  const text = Buffer.isBuffer(raw) ? raw.toString('utf8') : typeof raw === 'string' ? raw : '';
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function toBotRequest(req: restify.Request, body: Record<string, unknown>): BotRequest {
  return { body, headers: req.headers, method: req.method };
}

/**
 * Collects what botbuilder writes, so the server decides what the caller sees: invoke responses (cards)
 * pass through; 401 and 5xx bodies, which carry SDK error text, are replaced.
 */
class CapturedResponse implements BotResponse {
  socket: unknown = undefined;
  statusCode = 200;
  private body: unknown;

  status(code: number): void {
    this.statusCode = code;
  }
  header(): void {}
  send(body: unknown): void {
    this.body = body;
  }
  end(): void {}

  safeBody(): object | undefined {
    if (this.statusCode === 401) return { error: 'unauthorized' };
    if (this.statusCode >= 500) return { error: 'internal' };
    if (typeof this.body === 'object' && this.body !== null) return this.body;
    return undefined;
  }
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((done) => {
    timer = setTimeout(() => done('timeout'), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
