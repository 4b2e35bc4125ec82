import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createConnection, createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';

/** Azurite's published development account; it is public and only ever valid against the emulator. */
const DEV_ACCOUNT = 'devstoreaccount1';
const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface EmbeddedStorage {
  connectionString: string;
  tableEndpoint: string;
  /** Where it listens, to start it again on the same ports (the clients keep their endpoints). */
  ports: AzuritePorts;
  stop(): Promise<void>;
}

export interface AzuritePorts {
  blob: number;
  queue: number;
  table: number;
}

export interface AzuriteOptions {
  /** Folder for Azurite's files; `undefined` keeps everything in memory (tests). */
  dataDir: string | undefined;
  /** File that receives Azurite's own output (never a pipe: Azurite died of EPIPE when one closed). */
  logFile: string;
  /** Ports to listen on; free ones are chosen when absent. */
  ports?: AzuritePorts;
}

/**
 * Starts Azurite (the official Azure Storage emulator) on free loopback ports. Telemetry is off because
 * it otherwise keeps calling out from this offline machine and doubles its CPU per write; the API version
 * check is skipped because @azure/storage-queue sends a newer version than Azurite 3.35 knows.
 */
export async function startAzurite(options: AzuriteOptions): Promise<EmbeddedStorage> {
  const [blobPort, queuePort, tablePort] = options.ports
    ? [options.ports.blob, options.ports.queue, options.ports.table]
    : ((await freePorts(3)) as [number, number, number]);
  const args = [
    azuriteEntryPoint(),
    '--silent',
    '--disableTelemetry',
    '--skipApiVersionCheck',
    '--blobHost=127.0.0.1',
    '--queueHost=127.0.0.1',
    '--tableHost=127.0.0.1',
    `--blobPort=${blobPort}`,
    `--queuePort=${queuePort}`,
    `--tablePort=${tablePort}`,
  ];
  if (options.dataDir === undefined) {
    args.push('--inMemoryPersistence');
  } else {
    mkdirSync(options.dataDir, { recursive: true });
    args.push(`--location=${resolve(options.dataDir)}`);
  }
  mkdirSync(dirname(options.logFile), { recursive: true });
  const out = openSync(options.logFile, 'a');
  const child = spawn(process.execPath, args, { stdio: ['ignore', out, out] });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  await Promise.race([
    waitForPort(tablePort, 15_000),
    exited.then((code) => {
      throw new Error(`Azurite exited with code ${code} while starting; see ${options.logFile}`);
    }),
  ]);
  await waitForPort(queuePort, 5_000);
  await waitForPort(blobPort, 5_000);
  const host = 'http://127.0.0.1';
  const tableEndpoint = `${host}:${tablePort}/${DEV_ACCOUNT}`;
  return {
    tableEndpoint,
    ports: { blob: blobPort, queue: queuePort, table: tablePort },
    connectionString: [
      'DefaultEndpointsProtocol=http',
      `AccountName=${DEV_ACCOUNT}`,
      `AccountKey=${DEV_KEY}`,
      `BlobEndpoint=${host}:${blobPort}/${DEV_ACCOUNT}`,
      `QueueEndpoint=${host}:${queuePort}/${DEV_ACCOUNT}`,
      `TableEndpoint=${tableEndpoint}`,
    ].join(';'),
    stop: () => stopChild(child, exited),
  };
}

function azuriteEntryPoint(): string {
  const require = createRequire(import.meta.url);
  try {
    return join(dirname(require.resolve('azurite/package.json')), 'dist', 'src', 'azurite.js');
  } catch {
    throw new Error(
      'Azurite is not installed. Run `npm ci` (it is a development dependency), or set AZURE_STORAGE_CONNECTION_STRING to use real storage.',
    );
  }
}

/** SIGTERM, not SIGKILL: Azurite saves to disk every few seconds and a kill loses the last writes. */
async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port as number;
}

/**
 * `count` different free loopback ports. All are held open until every one is known: asking one at a
 * time lets the system hand the same port out twice (it did, and Azurite's table service then failed to
 * start on the queue service's port).
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer());
  try {
    return await Promise.all(
      servers.map(
        (server) =>
          new Promise<number>((done, fail) => {
            server.once('error', fail);
            server.listen(0, '127.0.0.1', () => {
              const address = server.address();
              done(typeof address === 'object' && address !== null ? address.port : 0);
            });
          }),
      ),
    );
  } finally {
    await Promise.all(
      servers.map(
        (server) => new Promise((done) => (server.listening ? server.close(done) : done(undefined))),
      ),
    );
  }
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await canConnect(port)) return;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`Azurite did not open port ${port} within ${timeoutMs} ms`);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.end();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}
