import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the Bot Framework's token service on loopback: OpenID metadata and a signing key set, as
 * login.botframework.com publishes them, so authenticated mode can be tested offline with tokens signed
 * like Teams' (`token`) and forged ones (`forge`).
 */
export interface TokenService {
  /** HUDDLE_TOKEN_SERVICE for a Huddle that trusts this service. */
  setting: string;
  issuer: string;
  /** A token as Teams would send for `serviceUrl`; `claims` override or add claims. */
  token(appId: string, serviceUrl: string, claims?: Record<string, unknown>): string;
  close(): Promise<void>;
}

const KEY_ID = 'test-signing-key';
export const TEST_ISSUER = 'https://api.botframework.test';

export async function startTokenService(): Promise<TokenService> {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' });
  const server = createServer((req, res) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    res.setHeader('content-type', 'application/json');
    if (req.url === '/openid') res.end(JSON.stringify({ issuer: TEST_ISSUER, jwks_uri: `${base}/keys` }));
    else if (req.url === '/keys')
      res.end(JSON.stringify({ keys: [{ ...jwk, kid: KEY_ID, use: 'sig', endorsements: ['msteams'] }] }));
    else res.writeHead(404).end('{}');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as AddressInfo).port;
  return {
    setting: `http://127.0.0.1:${port}/openid ${TEST_ISSUER}`,
    issuer: TEST_ISSUER,
    token: (appId, serviceUrl, claims = {}) =>
      signed(privateKey, KEY_ID, {
        iss: TEST_ISSUER,
        aud: appId,
        serviceurl: serviceUrl,
        exp: Math.floor(Date.now() / 1000) + 3600,
        nbf: Math.floor(Date.now() / 1000) - 60,
        ...claims,
      }),
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An RS256 JWT signed with `key`. */
export function signed(key: KeyObject, kid: string, claims: object): string {
  const unsigned = `${part({ alg: 'RS256', typ: 'JWT', kid })}.${part(claims)}`;
  return `${unsigned}.${createSign('RSA-SHA256').update(unsigned).sign(key).toString('base64url')}`;
}

/** Tokens an attacker can make without the service's key. */
export function forgedTokens(appId: string, serviceUrl: string): Record<string, string> {
  const claims = {
    iss: TEST_ISSUER,
    aud: appId,
    serviceurl: serviceUrl,
    exp: Math.floor(Date.now() / 1000) + 3600,
  };
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    algNone: `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`,
    hs256: `${part({ alg: 'HS256', typ: 'JWT', kid: KEY_ID })}.${part(claims)}.c2lnbmF0dXJl`,
    selfSigned: signed(privateKey, KEY_ID, claims),
    selfSignedOtherKid: signed(privateKey, 'attacker-key', claims),
    expired: signed(privateKey, KEY_ID, { ...claims, exp: Math.floor(Date.now() / 1000) - 3600 }),
  };
}
