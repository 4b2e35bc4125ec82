import type { IncomingMessage } from 'node:http';
import { EdgeRefusal } from './edgeRefusal.js';

export interface BodyLimits {
  maxBytes: number;
  /** How long the whole body may take to arrive once the headers are in. */
  timeoutMs: number;
}

/**
 * Reads a request body as UTF-8 JSON text, refusing anything Teams would never send. Compressed bodies are
 * refused outright rather than inflated: Teams and the Bot Framework post plain JSON, and inflating is how a
 * 194 KB body became 200 MB in memory. So the bytes counted here are the bytes parsed, and the limit holds
 * while the body streams in, before anything of that size is held.
 *
 * Resolves with the text or rejects with an EdgeRefusal; a stream error (a client that goes away, a broken
 * socket) becomes a refusal too, so nothing raised while reading can reach the process.
 */
export function readJsonBody(req: IncomingMessage, limits: BodyLimits): Promise<string> {
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity') {
    return Promise.reject(
      new EdgeRefusal(415, 'unsupported_encoding', 'send the body uncompressed (no Content-Encoding)'),
    );
  }
  if (!isJson(req.headers['content-type'])) {
    return Promise.reject(
      new EdgeRefusal(415, 'unsupported_media_type', 'send Content-Type: application/json'),
    );
  }
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  if (declared > limits.maxBytes) return Promise.reject(tooLarge(limits.maxBytes));

  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const finish = (outcome: () => void) => {
      clearTimeout(timer);
      req.off('data', onData);
      outcome();
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limits.maxBytes) {
        finish(() => fail(tooLarge(limits.maxBytes)));
        return;
      }
      chunks.push(chunk);
    };
    const timer = setTimeout(
      () => finish(() => fail(new EdgeRefusal(408, 'body_timeout', 'the body did not arrive in time'))),
      limits.timeoutMs,
    );
    req.on('data', onData);
    req.once('end', () => finish(() => done(Buffer.concat(chunks).toString('utf8'))));
    // `on`, not `once`: a client that resets the connection after the answer must not find no listener.
    req.on('error', () =>
      finish(() => fail(new EdgeRefusal(400, 'body_unreadable', 'the body could not be read'))),
    );
  });
}

function isJson(contentType: string | undefined): boolean {
  const [mediaType = '', ...parameters] = (contentType ?? '').toLowerCase().split(';');
  if (mediaType.trim() !== 'application/json') return false;
  // JSON is UTF-8 (RFC 8259); a body declared as anything else would be read wrongly.
  return parameters.every((parameter) => {
    const [name, value] = parameter.split('=').map((part) => part.trim().replaceAll('"', ''));
    return name !== 'charset' || value === 'utf-8' || value === 'utf8';
  });
}

const tooLarge = (maxBytes: number) =>
  new EdgeRefusal(413, 'body_too_large', `the body is larger than ${maxBytes} bytes`);
