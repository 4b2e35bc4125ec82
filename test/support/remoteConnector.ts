import { spawn } from 'node:child_process';
import {
  type ConnectorOptions,
  messagesPerConversation,
  type RecordedCall,
  type RosterEntry,
} from './recordingConnector.js';

export type RemoteCall = Omit<RecordedCall, 'body'>;

export interface RemoteConnector {
  serviceUrl: string;
  calls(): Promise<{ calls: RemoteCall[]; selfCaused429s: number; killedDuring: string | undefined }>;
  /** New messages accepted per conversation. */
  messagesPerConversation(): Promise<Map<string, number>>;
  /** Personal chats opened, per person's Teams id, as `RecordingConnector.chatsOpened`. */
  chatsOpened(): Promise<Map<string, number>>;
  killAt(pid: number, accepted: number): Promise<void>;
  /** Sets who is in a team, as `RecordingConnector.setTeam`. */
  setTeam(teamId: string, members: readonly RosterEntry[]): Promise<void>;
  close(): Promise<void>;
}

/** Starts `connectorProcess.ts` and talks to it over its control port. */
export async function startRemoteConnector(options: ConnectorOptions = {}): Promise<RemoteConnector> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/support/connectorProcess.ts', JSON.stringify(options)],
    {
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    },
  );
  const exited = new Promise((done) => child.once('exit', done));
  const { serviceUrl, controlUrl } = await new Promise<{ serviceUrl: string; controlUrl: string }>(
    (done, fail) => {
      let text = '';
      child.stdout?.on('data', (chunk) => {
        text += chunk;
        const line = text.split('\n')[0] ?? '';
        if (text.includes('\n')) done(JSON.parse(line));
      });
      child.once('exit', (code) => fail(new Error(`connector process exited with ${code}`)));
    },
  );
  const calls = async () =>
    (await (await fetch(`${controlUrl}/calls`)).json()) as Awaited<ReturnType<RemoteConnector['calls']>>;
  return {
    serviceUrl,
    calls,
    messagesPerConversation: async () => messagesPerConversation((await calls()).calls),
    chatsOpened: async () =>
      new Map(Object.entries((await (await fetch(`${controlUrl}/opened`)).json()) as Record<string, number>)),
    async killAt(pid, accepted) {
      await fetch(`${controlUrl}/kill`, { method: 'POST', body: JSON.stringify({ pid, accepted }) });
    },
    async setTeam(teamId, members) {
      await fetch(`${controlUrl}/team`, { method: 'POST', body: JSON.stringify({ teamId, members }) });
    },
    async close() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
