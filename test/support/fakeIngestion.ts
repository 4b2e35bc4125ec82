import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export interface FakeIngestion {
  /** An Application Insights connection string pointing here. */
  connectionString: string;
  /** The self-signed certificate; give it to the app as NODE_EXTRA_CA_CERTS. */
  caFile: string;
  /** Everything received so far, decompressed, as one string. */
  received(): string;
  /** Huddle's counters (customMetrics) received so far: name -> sum of the values sent. */
  counters(): Map<string, number>;
  close(): Promise<void>;
}

/**
 * An Application Insights ingestion endpoint on loopback. The Azure Monitor exporter only speaks HTTPS, so
 * it serves a throwaway self-signed certificate (made with the openssl CLI) and answers like Breeze: every
 * envelope received and accepted.
 */
export async function startFakeIngestion(): Promise<FakeIngestion> {
  const dir = mkdtempSync(join(tmpdir(), 'ingestion-'));
  const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  const bodies: string[] = [];
  const server = createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const text = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
      bodies.push(text);
      const count = text.trim().startsWith('[') ? (JSON.parse(text) as unknown[]).length : 1;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ itemsReceived: count, itemsAccepted: count, errors: [] }));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    connectionString: `InstrumentationKey=11111111-2222-3333-4444-555555555555;IngestionEndpoint=https://127.0.0.1:${port}/`,
    caFile: cert,
    received: () => bodies.join('\n'),
    counters: () => countersIn(bodies),
    close: () => new Promise((done) => server.close(() => done())),
  };
}

interface Envelope {
  data?: { baseType?: string; baseData?: { metrics?: { name: string; value: number }[] } };
}

/** The exporter sends counters as deltas, so a name's values add up to its total. */
function countersIn(bodies: readonly string[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const body of bodies) {
    const envelopes = (body.trim().startsWith('[') ? JSON.parse(body) : [JSON.parse(body)]) as Envelope[];
    for (const { data } of envelopes) {
      if (data?.baseType !== 'MetricData') continue;
      for (const { name, value } of data.baseData?.metrics ?? [])
        totals.set(name, (totals.get(name) ?? 0) + value);
    }
  }
  return totals;
}
