import { request } from 'node:http';
import { connect } from 'node:net';

export interface RawAnswer {
  status: number;
  body: string;
}

/**
 * POSTs exactly the bytes and headers given, as an attacker's client would: no encoding added, no
 * Content-Length unless given (chunked otherwise). `body` may be a function that writes chunks itself.
 * Resolves with the answer, or with status 0 when the server closed the connection without one.
 */
export function rawPost(
  url: string,
  headers: Record<string, string>,
  body: Buffer | string | ((write: (chunk: Buffer) => boolean) => Promise<void>),
): Promise<RawAnswer> {
  return new Promise((done) => {
    const req = request(`${url}/api/messages`, { method: 'POST', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        text += chunk;
      });
      res.on('end', () => done({ status: res.statusCode ?? 0, body: text }));
      res.on('error', () => done({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', () => done({ status: 0, body: '' }));
    if (typeof body === 'function') {
      void body((chunk) => !req.destroyed && req.write(chunk)).then(() => {
        if (!req.destroyed) req.end();
      });
    } else {
      req.end(body);
    }
  });
}

/**
 * Opens a connection, sends `prefix` (a request cut short) and never finishes it. Resolves with how long
 * the server kept the connection open and the status line it answered with, if any.
 */
export function halfSent(url: string, prefix: string): Promise<{ heldMs: number; statusLine: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((done) => {
    const started = Date.now();
    let statusLine = '';
    const socket = connect(Number(port), hostname, () => socket.write(prefix));
    socket.on('data', (chunk) => {
      statusLine ||= String(chunk).split('\r\n', 1)[0] ?? '';
    });
    socket.on('error', () => undefined);
    socket.on('close', () => done({ heldMs: Date.now() - started, statusLine }));
  });
}
