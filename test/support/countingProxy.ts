import { createServer, request } from 'node:http';

/** A loopback HTTP proxy in front of a storage endpoint that counts the requests passing through. */
export interface CountingProxy {
  /** The connection string with its table endpoint pointed at the proxy. */
  connectionString: string;
  /** Requests seen since the last reset, by method. */
  counts(): Record<string, number>;
  reset(): void;
  close(): Promise<void>;
}

/**
 * Requests storage carries out but whose answers never arrive: the proxy forwards them, then drops the
 * connection instead of passing the answer on, as a network cut at the wrong moment does.
 */
export interface LostAnswers {
  match: (method: string, path: string, body: string) => boolean;
  /** How many matching requests lose their answer; the rest pass. */
  times: number;
}

/**
 * Counts what a piece of code really asks of storage (each query page is a request), so a test can say
 * "the same number of reads" without timing anything; optionally loses the answers of some requests.
 */
export async function startCountingProxy(
  connectionString: string,
  lost?: LostAnswers,
): Promise<CountingProxy & { answersLost(): number }> {
  const endpoint = /TableEndpoint=(http:\/\/[^;]+)/.exec(connectionString)?.[1];
  if (endpoint === undefined) throw new Error('the connection string has no TableEndpoint');
  const target = new URL(endpoint);
  let counts: Record<string, number> = {};
  let answersLost = 0;
  const server = createServer(async (incoming, outgoing) => {
    const method = incoming.method ?? '';
    counts[method] = (counts[method] ?? 0) + 1;
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const lose =
      lost !== undefined &&
      answersLost < lost.times &&
      lost.match(method, incoming.url ?? '', body.toString());
    if (lose) answersLost++;
    const forwarded = request(
      {
        host: target.hostname,
        port: target.port,
        method,
        path: incoming.url,
        headers: { ...incoming.headers, host: target.host },
      },
      (answer) => {
        if (lose) {
          answer.resume();
          answer.on('end', () => outgoing.socket?.destroy());
          return;
        }
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on('error', () => outgoing.destroy());
    forwarded.end(body);
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    connectionString: connectionString.replace(
      `TableEndpoint=${endpoint}`,
      `TableEndpoint=http://127.0.0.1:${port}${target.pathname.replace(/\/$/, '')}`,
    ),
    counts: () => ({ ...counts }),
    answersLost: () => answersLost,
    reset: () => {
      counts = {};
    },
    close: () =>
      new Promise((closed) => {
        server.closeAllConnections();
        server.close(() => closed());
      }),
  };
}
