import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface RecordedCall {
  method: string;
  path: string;
  conversationId: string;
  body: Record<string, unknown>;
  /** When the request arrived (ms since epoch) and the status it got. */
  at: number;
  status: number;
  /** When the answer was written (ms since epoch): `answeredAt - at` is how long Teams took to answer. */
  answeredAt?: number;
}

/** What Teams does to one send when a test asks it to misbehave. */
export type Fault =
  | { status: 429; retryAfterSeconds?: number }
  | { status: 403 | 404 | 500 | 502 | 503 | 504 }
  | { delayMs: number };

/**
 * Injects `fault` into new messages (POST) for conversations whose number (the digits ending the id) is
 * in `ids` or has `remainder` modulo `every`, on attempts from `from` up to `attempts` (all when absent).
 * With `on: 'open'`, into the opening of personal chats instead, by the number ending the person's id.
 * Plain data, so a connector in another process can be given the same rules.
 */
export interface FaultRule {
  on?: 'send' | 'open';
  ids?: number[];
  every?: number;
  remainder?: number;
  from?: number;
  attempts?: number;
  fault: Fault;
}

export interface ConnectorOptions {
  /** Delay before answering roster look-ups and pages: a Teams service that stops answering, or a slow one. */
  rosterDelayMs?: number;
  /**
   * Delay before answering the first page of a roster read (one without a continuation token) instead of
   * `rosterDelayMs`: enough to show that a turn never waits for a roster, without every later page of a
   * large team taking as long.
   */
  firstPageDelayMs?: number;
  /** Teams' per-app-per-tenant limit on sends (POST and PUT of activities); above it, 429. */
  tenantRate?: number;
  /**
   * Every send, and every opening of a personal chat, is answered this long after it arrived, at the
   * earliest: Teams from Azure takes tens of ms.
   */
  answerDelayMs?: number;
  faults?: FaultRule[];
  /**
   * The teams the bot is in, by team id, with their members: `GET .../{teamId}/pagedmembers` pages them,
   * and Teams opens a personal chat (`POST /v3/conversations`) only with someone in one of them.
   */
  teams?: Record<string, RosterEntry[]>;
  /**
   * Kills process `pid` with SIGKILL when the `accepted`-th new message has been accepted, before the
   * answer goes back: the sender dies knowing nothing of a message Teams has.
   */
  kill?: { pid: number; accepted: number };
}

function faultFor(
  rules: readonly FaultRule[],
  on: 'send' | 'open',
  id: string,
  attempt: number,
): Fault | undefined {
  const n = Number(/(\d+)$/.exec(id)?.[1] ?? Number.NaN);
  if (Number.isNaN(n)) return undefined;
  return rules.find(
    (rule) =>
      (rule.on ?? 'send') === on &&
      attempt >= (rule.from ?? 1) &&
      (rule.attempts === undefined || attempt <= rule.attempts) &&
      (rule.ids?.includes(n) || (rule.every !== undefined && n % rule.every === (rule.remainder ?? 0))),
  )?.fault;
}

/** A file the bot put into an upload session (what OneDrive got after a file consent was accepted). */
export interface Upload {
  name: string;
  contentRange: string;
  text: string;
  /** The file as sent: a Word document is not text. */
  bytes: Buffer;
}

export interface RecordingConnector {
  serviceUrl: string;
  calls: RecordedCall[];
  /**
   * Where an upload session for `name` would be, as Teams puts in an accepted file consent. A `full`
   * OneDrive refuses the file with 507 Insufficient Storage, as OneDrive does over quota.
   */
  uploadUrl(name: string, drive?: 'ok' | 'full'): string;
  /** Files uploaded and accepted, in order. */
  uploads: Upload[];
  /** Activities the bot sent (replies and proactive messages) that Teams accepted, in order. */
  sent(): Record<string, unknown>[];
  /** Waits until at least `count` activities have been accepted. */
  waitForSent(count: number, timeoutMs?: number): Promise<Record<string, unknown>[]>;
  /** New messages accepted per conversation (PUT updates not counted). */
  messagesPerConversation(): Map<string, number>;
  /** 429s the connector gave because the bot broke a limit (not injected ones). */
  selfCaused429s(): RecordedCall[];
  /** Personal chats Teams opened, per person's Teams id (a second opening gives the same chat). */
  chatsOpened(): Map<string, number>;
  /** Sets who is in a team (people join and leave; Huddle is told by events, or not at all). */
  setTeam(teamId: string, members: readonly RosterEntry[]): void;
  /** Arms (or re-arms) the kill described in `ConnectorOptions.kill`. */
  killAt(kill: { pid: number; accepted: number }): void;
  /** The conversation whose message was accepted just before the kill. */
  killedDuring(): string | undefined;
  close(): Promise<void>;
}

/** A person the fake roster knows, answered like Teams' GET /v3/conversations/{id}/members/{userId}. */
export interface RosterEntry {
  id: string;
  name: string;
  aadObjectId: string;
  userPrincipalName: string;
  /** As Teams marks them: `guest` for someone invited into the organisation; absent here for staff. */
  userRole?: 'user' | 'guest';
  /** Their home tenant; another organisation's for someone reached through external access. */
  tenantId?: string;
}

/** Teams' per-bot-per-conversation limits (DESIGN.md). */
const CONVERSATION_LIMITS = [
  { windowMs: 1_000, limit: 7 },
  { windowMs: 2_000, limit: 8 },
  { windowMs: 30_000, limit: 60 },
  { windowMs: 3_600_000, limit: 1_800 },
];

/** The personal chat Teams opens with a person: always the same one for the same person. */
export const openedChatId = (teamsUserId: string) => `a:opened-${teamsUserId}`;

/**
 * A Bot Connector on loopback that records what the bot sends and answers as Teams does: 201 with an id
 * for a new activity, 200 for an update, the roster for member look-ups and paged roster reads (a team's
 * own members when `teams` names it), personal chats opened with members of the bot's teams (403 for
 * anyone else Teams knows, 404 for a stranger), upload sessions for files a person allowed
 * (`uploadUrl`), 404 for anything else. It
 * enforces Teams' rate limits (the tenant's, when given, and the per-conversation ones) with 429 and
 * Retry-After, and injects the faults a test asks for: 429 with or without Retry-After, 5xx, 403/404,
 * slow answers.
 */
export async function startRecordingConnector(
  roster: readonly RosterEntry[] = [],
  options: ConnectorOptions = {},
): Promise<RecordingConnector> {
  const calls: RecordedCall[] = [];
  const sendTimes: number[] = [];
  const perConversation = new Map<string, number[]>();
  const attempts = new Map<string, number>();
  const limited: RecordedCall[] = [];
  const teams = new Map(Object.entries(options.teams ?? {}));
  let nextId = 1;
  let kill = options.kill;
  let killedDuring: string | undefined;
  let acceptedMessages = 0;

  const overLimit = (conversationId: string, now: number): boolean => {
    if (options.tenantRate !== undefined) {
      // Only the last second matters; dropping older times keeps each request O(rate), not O(history).
      while (sendTimes.length > 0 && (sendTimes[0] ?? 0) <= now - 2_000) sendTimes.shift();
      const lastSecond = sendTimes.filter((time) => time > now - 1_000).length;
      if (lastSecond >= options.tenantRate) return true;
    }
    const times = perConversation.get(conversationId) ?? [];
    return CONVERSATION_LIMITS.some(
      ({ windowMs, limit }) => times.filter((time) => time > now - windowMs).length >= limit,
    );
  };

  const uploads: Upload[] = [];
  const recordedFor = new WeakMap<ServerResponse, RecordedCall>();
  const server: Server = createServer(async (req, res) => {
    const at = Date.now();
    res.once('finish', () => {
      const call = recordedFor.get(res);
      if (call !== undefined) call.answeredAt = Date.now();
    });
    const path = decodeURIComponent(req.url ?? '');
    const upload = /^\/upload\/(ok|full)\/(.+)$/.exec(path);
    if (upload !== null && req.method === 'PUT') {
      const bytes = await readBytes(req);
      const text = bytes.toString('utf8');
      if (upload[1] === 'full') {
        answer(res, 507, JSON.stringify({ error: { code: 'quotaLimitReached' } }));
        return;
      }
      const name = upload[2] ?? '';
      uploads.push({ name, contentRange: req.headers['content-range'] ?? '', text, bytes });
      answer(res, 201, JSON.stringify({ id: `file-${uploads.length}`, name, size: bytes.byteLength }));
      return;
    }
    const text = await readText(req);
    const body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
    if (req.method === 'POST' && path === '/v3/conversations') {
      await new Promise((done) =>
        setTimeout(done, Math.max(0, at + (options.answerDelayMs ?? 0) - Date.now())),
      );
      openChat(res, body, at);
      return;
    }
    const match = /^\/v3\/conversations\/([^/]+)(\/.*)?$/.exec(path);
    const conversationId = match?.[1] ?? '';
    const rest = match?.[2] ?? '';
    const method = req.method ?? '';
    const record = (status: number) => {
      const call: RecordedCall = { method, path, conversationId, body, at, status };
      calls.push(call);
      recordedFor.set(res, call);
      return call;
    };
    const isSend =
      (method === 'POST' && rest.startsWith('/activities')) ||
      (method === 'PUT' && rest.startsWith('/activities/'));
    if (isSend) {
      // Teams counts every request against its limits, accepted or not.
      const over = overLimit(conversationId, at);
      sendTimes.push(at);
      perConversation.set(conversationId, [...(perConversation.get(conversationId) ?? []), at]);
      if (options.answerDelayMs !== undefined)
        await new Promise((done) =>
          setTimeout(done, Math.max(0, at + (options.answerDelayMs ?? 0) - Date.now())),
        );
      if (over) {
        limited.push(record(429));
        answer(res, 429, JSON.stringify({ error: { code: 'TooManyRequests' } }), { 'retry-after': '1' });
        return;
      }
      const attempt = (attempts.get(conversationId) ?? 0) + 1;
      attempts.set(conversationId, attempt);
      const fault =
        method === 'POST' ? faultFor(options.faults ?? [], 'send', conversationId, attempt) : undefined;
      if (fault !== undefined && 'delayMs' in fault)
        await new Promise((done) => setTimeout(done, fault.delayMs));
      else if (fault !== undefined) {
        record(fault.status);
        const headers: Record<string, string> =
          fault.status === 429 && fault.retryAfterSeconds !== undefined
            ? { 'retry-after': String(fault.retryAfterSeconds) }
            : {};
        answer(
          res,
          fault.status,
          JSON.stringify({ error: { code: fault.status === 429 ? 'TooManyRequests' : 'Injected' } }),
          headers,
        );
        return;
      }
    }
    if (method === 'POST' && rest.startsWith('/activities')) {
      record(201);
      acceptedMessages++;
      if (kill !== undefined && acceptedMessages === kill.accepted) {
        killedDuring = conversationId;
        process.kill(kill.pid, 'SIGKILL');
        kill = undefined;
      }
      answer(res, 201, JSON.stringify({ id: `activity-${nextId++}` }));
    } else if (method === 'PUT' && rest.startsWith('/activities/')) {
      record(200);
      answer(res, 200, JSON.stringify({ id: rest.split('/')[2] }));
    } else if (method === 'GET' && rest.startsWith('/pagedmembers')) {
      // Teams pages the roster: a page size under 50 counts as 50, over 500 as 500, and the continuation
      // token is opaque (here, where the next page starts, encoded so that nothing can read it as a number).
      const query = new URLSearchParams(rest.split('?')[1] ?? '');
      const size = Math.min(500, Math.max(50, Number(query.get('pageSize') ?? 50) || 50));
      const token = query.get('continuationToken');
      const delayMs = (token === null ? options.firstPageDelayMs : undefined) ?? options.rosterDelayMs ?? 0;
      await new Promise((done) => setTimeout(done, delayMs));
      const from = token === null ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
      if (!Number.isInteger(from) || from < 0) {
        record(400);
        answer(res, 400, JSON.stringify({ error: { code: 'BadArgument' } }));
        return;
      }
      const members = teams.get(conversationId) ?? roster;
      const next =
        from + size < members.length ? Buffer.from(String(from + size)).toString('base64url') : undefined;
      record(200);
      answer(
        res,
        200,
        JSON.stringify({ members: members.slice(from, from + size), continuationToken: next }),
      );
    } else if (method === 'GET' && rest.startsWith('/members/')) {
      await new Promise((done) => setTimeout(done, options.rosterDelayMs ?? 0));
      const who = rest.slice('/members/'.length);
      const entry = roster.find((person) => person.id === who || person.aadObjectId === who);
      record(entry === undefined ? 404 : 200);
      if (entry === undefined)
        answer(res, 404, JSON.stringify({ error: { code: 'MemberNotFoundInConversation' } }));
      else answer(res, 200, JSON.stringify(entry));
    } else {
      record(404);
      answer(res, 404, JSON.stringify({ error: { code: 'NotFound' } }));
    }
  });
  /**
   * `POST /v3/conversations`, as Teams answers it for a one-to-one chat: it counts against the tenant's
   * limit like a send; 403 when the bot shares no team with the person, 404 when Teams does not know them.
   */
  function openChat(res: ServerResponse, body: Record<string, unknown>, at: number): void {
    const userId = String((body.members as { id?: unknown }[] | undefined)?.[0]?.id ?? '');
    const record = (status: number) => {
      const call: RecordedCall = {
        method: 'POST',
        path: '/v3/conversations',
        conversationId: '',
        body,
        at,
        status,
      };
      calls.push(call);
      recordedFor.set(res, call);
      return call;
    };
    const over = overLimit('', at);
    sendTimes.push(at);
    if (over) {
      limited.push(record(429));
      answer(res, 429, JSON.stringify({ error: { code: 'TooManyRequests' } }), { 'retry-after': '1' });
      return;
    }
    const attempt = (attempts.get(`open:${userId}`) ?? 0) + 1;
    attempts.set(`open:${userId}`, attempt);
    const fault = faultFor(options.faults ?? [], 'open', userId, attempt);
    const inTeam = [...teams.values()].some((members) => members.some((member) => member.id === userId));
    const known = inTeam || roster.some((member) => member.id === userId);
    const status =
      fault !== undefined && 'status' in fault ? fault.status : !known ? 404 : !inTeam ? 403 : 201;
    record(status);
    if (status === 201) {
      answer(res, 201, JSON.stringify({ id: openedChatId(userId) }));
      return;
    }
    const retryAfter: Record<string, string> =
      fault !== undefined &&
      'status' in fault &&
      fault.status === 429 &&
      fault.retryAfterSeconds !== undefined
        ? { 'retry-after': String(fault.retryAfterSeconds) }
        : {};
    const code = { 403: 'BotNotInConversationRoster', 404: 'UserNotFound', 429: 'TooManyRequests' }[
      status as 403 | 404 | 429
    ];
    answer(res, status, JSON.stringify({ error: { code: code ?? 'Injected' } }), retryAfter);
  }

  // Keep-alive sockets would hold `close()` open; Teams' side closes idle ones too.
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const accepted = () => calls.filter((call) => call.path.includes('/activities') && call.status < 300);
  const sent = () => accepted().map((call) => call.body);
  return {
    serviceUrl: `http://127.0.0.1:${port}/`,
    calls,
    uploadUrl: (name, drive = 'ok') => `http://127.0.0.1:${port}/upload/${drive}/${encodeURIComponent(name)}`,
    uploads,
    sent,
    async waitForSent(count, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (sent().length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} sent activities, saw ${sent().length}`);
        await new Promise((done) => setTimeout(done, 20));
      }
      return sent();
    },
    messagesPerConversation() {
      const counts = new Map<string, number>();
      for (const call of accepted()) {
        if (call.method === 'POST')
          counts.set(call.conversationId, (counts.get(call.conversationId) ?? 0) + 1);
      }
      return counts;
    },
    selfCaused429s: () => [...limited],
    chatsOpened() {
      const counts = new Map<string, number>();
      for (const call of calls) {
        if (call.path !== '/v3/conversations' || call.status !== 201) continue;
        const userId = String((call.body.members as { id?: unknown }[] | undefined)?.[0]?.id ?? '');
        counts.set(userId, (counts.get(userId) ?? 0) + 1);
      }
      return counts;
    },
    setTeam(teamId, members) {
      teams.set(teamId, [...members]);
    },
    killAt(next) {
      kill = next;
    },
    killedDuring: () => killedDuring,
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/** New messages Teams accepted, per conversation. */
export function messagesPerConversation(calls: readonly Omit<RecordedCall, 'body'>[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const call of calls) {
    if (call.method === 'POST' && call.status === 201 && call.path.includes('/activities')) {
      counts.set(call.conversationId, (counts.get(call.conversationId) ?? 0) + 1);
    }
  }
  return counts;
}

async function readBytes(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function readText(req: IncomingMessage): Promise<string> {
  return (await readBytes(req)).toString('utf8');
}

function answer(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.end(body);
}
