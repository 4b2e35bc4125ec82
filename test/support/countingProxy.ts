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
 * Counts what a piece of code really asks of storage (each query page is a request), so a test can say
 * "the same number of reads" without timing anything.
 */
export async function startCountingProxy(connectionString: string): Promise<CountingProxy> {
  const endpoint = /TableEndpoint=(http:\/\/[^;]+)/.exec(connectionString)?.[1];
  if (endpoint === undefined) throw new Error('the connection string has no TableEndpoint');
  const target = new URL(endpoint);
  let counts: Record<string, number> = {};
  const server = createServer((incoming, outgoing) => {
    counts[incoming.method ?? ''] = (counts[incoming.method ?? ''] ?? 0) + 1;
    const forwarded = request(
      {
        host: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: { ...incoming.headers, host: target.host },
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on('error', () => outgoing.destroy());
    incoming.pipe(forwarded);
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
