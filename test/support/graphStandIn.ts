import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface GraphCall {
  method: string;
  /** Path and query after the base URL, decoded. */
  path: string;
  /** The user the call is about (`/users/{id}/...`). */
  userId: string;
  status: number;
  /** When the request arrived and when its answer was written (ms since epoch). */
  at: number;
  answeredAt: number;
  /** Whether it carried a bearer token (local mode must never send one). */
  authorized: boolean;
}

export interface GraphStandIn {
  /** The base URL to configure as HUDDLE_GRAPH_URL, like https://graph.microsoft.com/v1.0. */
  url: string;
  calls: GraphCall[];
  /** Successful installs (201) per user. */
  installs(): Map<string, number>;
  /** The chat Teams has between Huddle and a user once it is installed for them. */
  chatIdOf(userId: string): string;
  /** Huddle already installed for the user (by an admin's policy, or a user), its event never seen. */
  preinstall(userId: string): void;
  /** Whether an admin has granted TeamsAppInstallation.ReadWriteSelfForUser.All; refused: every call 403. */
  setConsent(granted: boolean): void;
  /** The next `calls` calls are answered 429 with Retry-After `retryAfterSeconds`. */
  throttle(calls: number, retryAfterSeconds: number): void;
  close(): Promise<void>;
}

/**
 * Microsoft Graph's app-installation endpoints for users, on loopback, as Company Communicator uses them:
 * `POST /users/{id}/teamwork/installedApps` (201, or 409 when the app is installed already),
 * `GET .../installedApps?$expand=teamsApp&$filter=teamsApp/id eq '{catalogId}'`, and
 * `GET .../installedApps/{installationId}/chat`. Unknown users are 404, a body that does not bind the
 * catalog app is 400; it can be told to refuse every call for want of consent (403) or to throttle
 * (429 with Retry-After). It records every call.
 */
export async function startGraphStandIn(options: {
  catalogId: string;
  users: readonly string[];
}): Promise<GraphStandIn> {
  const calls: GraphCall[] = [];
  const users = new Set(options.users);
  const installed = new Set<string>();
  let consent = true;
  let throttled = { calls: 0, retryAfterSeconds: 0 };
  let base = '';
  const chatIdOf = (userId: string) => `19:${userId}_huddle-bot@unq.gbl.spaces`;
  const installationIdOf = (userId: string) => `installation-${userId}`;

  const server: Server = createServer(async (req, res) => {
    const at = Date.now();
    const body = await readText(req);
    const [rawPath = '', rawQuery] = (req.url ?? '').replace(/^\/v1\.0/, '').split('?');
    const query = new URLSearchParams(rawQuery ?? '');
    const path = decodeURIComponent(rawPath) + (rawQuery === undefined ? '' : `?${query}`);
    const method = req.method ?? '';
    const userId = /^\/users\/([^/?]+)/.exec(path)?.[1] ?? '';
    const reply = (status: number, answerBody: object | undefined, headers: Record<string, string> = {}) => {
      calls.push({
        method,
        path,
        userId,
        status,
        at,
        answeredAt: Date.now(),
        authorized: /^Bearer /.test(req.headers.authorization ?? ''),
      });
      answer(res, status, answerBody, headers);
    };
    if (throttled.calls > 0) {
      throttled = { ...throttled, calls: throttled.calls - 1 };
      reply(429, graphError('TooManyRequests'), { 'retry-after': String(throttled.retryAfterSeconds) });
      return;
    }
    if (!consent) return reply(403, graphError('Forbidden'));
    if (!users.has(userId)) return reply(404, graphError('Request_ResourceNotFound'));
    const apps = `/users/${userId}/teamwork/installedApps`;
    if (method === 'POST' && path === apps) {
      const bind = (parseJson(body) as Record<string, unknown> | undefined)?.['teamsApp@odata.bind'];
      if (bind !== `${base}/appCatalogs/teamsApps/${options.catalogId}`)
        return reply(400, graphError('BadRequest'));
      if (installed.has(userId)) return reply(409, graphError('Conflict'));
      installed.add(userId);
      return reply(201, undefined);
    }
    if (method === 'GET' && path.startsWith(`${apps}?`)) {
      const asked =
        query.get('$expand') === 'teamsApp' &&
        query.get('$filter') === `teamsApp/id eq '${options.catalogId}'`;
      if (!asked) return reply(400, graphError('BadRequest'));
      const value = installed.has(userId)
        ? [{ id: installationIdOf(userId), teamsApp: { id: options.catalogId, displayName: 'Huddle' } }]
        : [];
      return reply(200, { value });
    }
    if (method === 'GET' && path === `${apps}/${installationIdOf(userId)}/chat` && installed.has(userId)) {
      return reply(200, { id: chatIdOf(userId), chatType: 'oneOnOne' });
    }
    reply(404, graphError('NotFound'));
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  base = `http://127.0.0.1:${port}/v1.0`;
  return {
    url: base,
    calls,
    installs() {
      const counts = new Map<string, number>();
      for (const call of calls) {
        if (call.method === 'POST' && call.status === 201)
          counts.set(call.userId, (counts.get(call.userId) ?? 0) + 1);
      }
      return counts;
    },
    chatIdOf,
    preinstall: (userId) => installed.add(userId),
    setConsent(granted) {
      consent = granted;
    },
    throttle(count, retryAfterSeconds) {
      throttled = { calls: count, retryAfterSeconds };
    },
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

const graphError = (code: string) => ({ error: { code, message: code } });

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function answer(
  res: ServerResponse,
  status: number,
  body: object | undefined,
  headers: Record<string, string>,
) {
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  if (body === undefined) {
    res.end();
    return;
  }
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
}
