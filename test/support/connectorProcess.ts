import type { IncomingMessage } from 'node:http';
import { createServer } from 'node:http';
import { type ConnectorOptions, type RosterEntry, startRecordingConnector } from './recordingConnector.js';

/**
 * The recording connector in a process of its own, as Teams is: its arrival times are then not skewed by
 * pauses in the process under test, and a test can kill that process without losing the record. Options
 * come as JSON in argv[2]; it prints `{"serviceUrl","controlUrl"}` on stdout once listening. The control
 * server answers `GET /calls` (without bodies), `GET /opened` (personal chats opened, per person),
 * `POST /kill` ({pid, accepted}) and `POST /team` ({teamId, members}: who is in a team now).
 */
const options = JSON.parse(process.argv[2] ?? '{}') as ConnectorOptions;
const connector = await startRecordingConnector([], options);
const control = createServer(async (req, res) => {
  res.setHeader('content-type', 'application/json');
  if (req.method === 'GET' && req.url === '/calls') {
    res.end(
      JSON.stringify({
        calls: connector.calls.map(({ body: _, ...call }) => call),
        selfCaused429s: connector.selfCaused429s().length,
        killedDuring: connector.killedDuring(),
      }),
    );
  } else if (req.method === 'GET' && req.url === '/opened') {
    res.end(JSON.stringify(Object.fromEntries(connector.chatsOpened())));
  } else if (req.method === 'POST' && req.url === '/kill') {
    connector.killAt(JSON.parse(await readText(req)));
    res.end('{}');
  } else if (req.method === 'POST' && req.url === '/team') {
    const { teamId, members } = JSON.parse(await readText(req)) as { teamId: string; members: RosterEntry[] };
    connector.setTeam(teamId, members);
    res.end('{}');
  } else {
    res.statusCode = 404;
    res.end('{}');
  }
});
control.listen(0, '127.0.0.1', () => {
  const address = control.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  process.stdout.write(
    `${JSON.stringify({ serviceUrl: connector.serviceUrl, controlUrl: `http://127.0.0.1:${port}` })}\n`,
  );
});
async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

// Stops by itself when the test process that started it goes away.
process.on('disconnect', () => process.exit(0));
