import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface RecordedCall {
  method: string;
  path: string;
  conversationId: string;
  body: Record<string, unknown>;
}

export interface RecordingConnector {
  serviceUrl: string;
  calls: RecordedCall[];
  /** Activities the bot sent (replies and proactive messages), in order. */
  sent(): Record<string, unknown>[];
  /** Waits until at least `count` activities have been sent. */
  waitForSent(count: number, timeoutMs?: number): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/** A person the fake roster knows, answered like Teams' GET /v3/conversations/{id}/members/{userId}. */
export interface RosterEntry {
  id: string;
  name: string;
  aadObjectId: string;
  userPrincipalName: string;
}

/**
 * A Bot Connector on loopback that records what the bot sends and answers as Teams does: 201 with an id
 * for a new activity, 200 for an update, the roster for member look-ups, 404 for anything else. A slow
 * roster (`rosterDelayMs`) stands in for a Teams service that stops answering.
 */
export async function startRecordingConnector(
  roster: readonly RosterEntry[] = [],
  options: { rosterDelayMs?: number } = {},
): Promise<RecordingConnector> {
  const calls: RecordedCall[] = [];
  let nextId = 1;
  const server: Server = createServer(async (req, res) => {
    const body = await readJson(req);
    const path = decodeURIComponent(req.url ?? '');
    const match = /^\/v3\/conversations\/([^/]+)(\/.*)?$/.exec(path);
    const conversationId = match?.[1] ?? '';
    const rest = match?.[2] ?? '';
    calls.push({ method: req.method ?? '', path, conversationId, body });
    if (req.method === 'POST' && rest.startsWith('/activities')) {
      answer(res, 201, JSON.stringify({ id: `activity-${nextId++}` }));
    } else if (req.method === 'PUT' && rest.startsWith('/activities/')) {
      answer(res, 200, JSON.stringify({ id: rest.split('/')[2] }));
    } else if (req.method === 'GET' && rest.startsWith('/members/')) {
      await new Promise((done) => setTimeout(done, options.rosterDelayMs ?? 0));
      const who = rest.slice('/members/'.length);
      const entry = roster.find((person) => person.id === who || person.aadObjectId === who);
      if (entry === undefined)
        answer(res, 404, JSON.stringify({ error: { code: 'MemberNotFoundInConversation' } }));
      else answer(res, 200, JSON.stringify(entry));
    } else {
      answer(res, 404, JSON.stringify({ error: { code: 'NotFound' } }));
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const sent = () => calls.filter((call) => call.path.includes('/activities')).map((call) => call.body);
  return {
    serviceUrl: `http://127.0.0.1:${port}/`,
    calls,
    sent,
    async waitForSent(count, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (sent().length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} sent activities, saw ${sent().length}`);
        await new Promise((done) => setTimeout(done, 20));
      }
      return sent();
    },
    close: () => new Promise((done) => server.close(() => done())),
  };
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
}

function answer(res: ServerResponse, status: number, body: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(body);
}
