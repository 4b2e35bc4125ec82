import { EdgeRefusal } from './edgeRefusal.js';

/** The algorithms the Bot Framework signs with (botframework-connector's AllowedSigningAlgorithms). */
const SIGNING_ALGORITHMS = new Set(['RS256', 'RS384', 'RS512']);
/** The clock skew botbuilder tolerates on `exp`, so both checks agree. */
const CLOCK_TOLERANCE_MS = 5 * 60_000;

/**
 * What can be refused about a Bot Framework token before botbuilder fetches signing keys for it: no
 * bearer token, an algorithm Teams never uses (`none`, HS256), an expired token, or a token issued for
 * another `serviceUrl`. botbuilder then checks the signature, issuer and audience of what passes; since
 * it verifies this same token, the claims read here are the claims it verifies.
 *
 * The `serviceurl` claim is required, as Teams requires: a token without it (an emulator or skill
 * token) would let a caller choose where the replies go.
 */
export function checkBearerToken(authorization: string | undefined, serviceUrl: string, now: number): void {
  const match = /^Bearer ([\w-]+)\.([\w-]+)\.([\w-]*)$/.exec(authorization ?? '');
  if (match === null) throw unauthorized('send a Bot Framework bearer token');
  const header = decodePart(match[1] ?? '');
  const claims = decodePart(match[2] ?? '');
  if (header === undefined || claims === undefined) throw unauthorized('the token cannot be read');
  if (!SIGNING_ALGORITHMS.has(String(header.alg)) || typeof header.kid !== 'string') {
    throw unauthorized('the token is not signed the way the Bot Framework signs');
  }
  if (typeof claims.exp !== 'number' || claims.exp * 1000 + CLOCK_TOLERANCE_MS < now) {
    throw unauthorized('the token has expired');
  }
  if (claims.serviceurl !== serviceUrl) {
    throw unauthorized('the token was not issued for this serviceUrl');
  }
}

function decodePart(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const unauthorized = (detail: string) => new EdgeRefusal(401, 'unauthorized', detail);
