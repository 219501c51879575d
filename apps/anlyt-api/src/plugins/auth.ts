/**
 * Bearer-token auth (contract §4): HS256 with ANLYT_AUTH_JWT_SECRET, or a JWKS in production,
 * with the algorithms pinned either way. `exp` is required. No token, a bad signature, an
 * algorithm not pinned or an expired token → 401; a valid token whose role may not call the
 * route → 403. Portal callers must name their account in X-Account-Id.
 */
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import { ApiProblem } from '../problem.js';

export type Role = 'admin' | 'portal' | 'regulator';
const ROLES: readonly string[] = ['admin', 'portal', 'regulator'];

export interface Caller {
  sub: string;
  role: Role;
}

declare module 'fastify' {
  interface FastifyRequest {
    caller?: Caller;
  }
}

export type TokenVerifier = (token: string) => Promise<Caller>;

/**
 * What a JWKS may verify: asymmetric signatures only. Never `none`, never HS*: a JWKS is
 * public, and a symmetric key anyone can read verifies nothing. The algorithm is the token's
 * own claim; unpinned, any key of the set verified under any algorithm that fits it (an ES384
 * key, the RSA key under PS256), so the pinned list is what the identity service actually uses.
 */
export const JWKS_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const;
export const DEFAULT_JWKS_ALGORITHMS: readonly string[] = ['RS256', 'ES256'];

/** The algorithms to pin in JWKS mode; throws unless non-empty and all in JWKS_ALGORITHMS. */
function pinnedJwksAlgorithms(list: readonly string[]): string[] {
  const refused = list.filter((a) => !(JWKS_ALGORITHMS as readonly string[]).includes(a));
  if (list.length === 0 || refused.length > 0) {
    throw new Error(
      `JWKS algorithms must be some of ${JWKS_ALGORITHMS.join(', ')}; got ${list.join(',') || 'none'}`,
    );
  }
  return [...list];
}

/**
 * Verified tokens are remembered (by their exact text) until their own `exp`, and at most
 * `rememberMs`: dashboards send the same token with every request, and verifying it again
 * (WebCrypto HMAC) was ~7 % of the API's CPU under load. `rememberMs` bounds how long a
 * token stays accepted after its signing key left the JWKS.
 */
export function tokenVerifier(opts: {
  secret?: string;
  jwksUrl?: string;
  /** JWKS mode only (default DEFAULT_JWKS_ALGORITHMS); the secret mode pins HS256 alone. */
  jwksAlgorithms?: readonly string[];
  rememberMs?: number;
}): TokenVerifier {
  const key: Uint8Array | JWTVerifyGetKey = opts.jwksUrl
    ? createRemoteJWKSet(new URL(opts.jwksUrl))
    : new TextEncoder().encode(opts.secret);
  const algorithms = opts.jwksUrl
    ? pinnedJwksAlgorithms(opts.jwksAlgorithms ?? DEFAULT_JWKS_ALGORITHMS)
    : ['HS256'];
  const verified = new LRUCache<string, { caller: Caller; expMs: number }>({
    max: 10_000,
    ttl: opts.rememberMs ?? 60_000,
  });
  return async (token) => {
    const known = verified.get(token);
    // jose's rule: valid while now (whole seconds) < exp, i.e. while Date.now() < exp · 1000.
    if (known && Date.now() < known.expMs) return known.caller;
    const { payload } = await jwtVerify(token, key as Uint8Array, {
      algorithms,
      requiredClaims: ['exp', 'sub'],
    });
    if (typeof payload['role'] !== 'string' || !ROLES.includes(payload['role'])) {
      throw new Error('token has no known role');
    }
    const caller = { sub: String(payload.sub), role: payload['role'] as Role };
    verified.set(token, { caller, expMs: payload.exp! * 1000 });
    return caller;
  };
}

/** The protection space named in every challenge (RFC 9110 §11.5). */
export const BEARER_REALM = 'anlyt-api';

/**
 * The WWW-Authenticate challenge a 401 must carry (RFC 9110 §15.5.2), in RFC 6750's Bearer
 * scheme: without an error code when no token was sent (§3.1: the caller may not know it needs
 * one), `invalid_token` when the token sent is bad or expired.
 */
export function bearerChallenge(tokenSent: boolean): string {
  const realm = `Bearer realm="${BEARER_REALM}"`;
  return tokenSent ? `${realm}, error="invalid_token"` : realm;
}

const unauthorized = (tokenSent: boolean, detail: string) =>
  new ApiProblem(401, 'UNAUTHORIZED', detail, {
    'www-authenticate': bearerChallenge(tokenSent),
  });

/** onRequest hook: authenticates, then lets only `roles` through — before any validation, so an
 * unauthenticated caller learns nothing about the request it sent. */
export function requireRole(verify: TokenVerifier, roles: readonly Role[]) {
  return async (req: FastifyRequest, _reply: FastifyReply) => {
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : '';
    if (!token) throw unauthorized(false, 'a bearer token is required');
    try {
      req.caller = await verify(token);
    } catch {
      // Never say why (expired, signature, claims): it helps nobody but an attacker.
      throw unauthorized(true, 'the bearer token is not valid');
    }
    if (!roles.includes(req.caller.role)) {
      throw new ApiProblem(403, 'FORBIDDEN', `role ${req.caller.role} may not call this endpoint`);
    }
  };
}

/**
 * Account scoping for `/accounts/:id/...`: a portal caller must send X-Account-Id and may only
 * ask for that account; admins may ask for any.
 */
export function assertAccountAccess(req: FastifyRequest, accountId: string): void {
  if (req.caller?.role !== 'portal') return;
  const header = req.headers['x-account-id'];
  if (typeof header !== 'string' || header === '') {
    throw new ApiProblem(403, 'FORBIDDEN', 'portal callers must send X-Account-Id');
  }
  if (header !== accountId)
    throw new ApiProblem(403, 'FORBIDDEN', 'X-Account-Id does not match the account');
}
