/**
 * JWKS mode (contract §4, production): tokens are verified against a real JWKS served over
 * HTTP by this test, and only the pinned algorithms pass (ANLYT_AUTH_JWT_ALGORITHMS, default
 * RS256,ES256). The set also holds keys for algorithms that are NOT pinned — an ES384 key, an
 * RSA key without `alg` (so PS256 could use it) and a symmetric key an identity service
 * should never publish — and a token signed with any of them is a 401 all the same.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import {
  exportJWK,
  generateKeyPair,
  generateSecret,
  importJWK,
  SignJWT,
  UnsecuredJWT,
  type CryptoKey,
  type JWK,
} from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry } from '@anlyt/observability';
import { createTestDatabase, type TestDatabase } from '@anlyt/testing';
import { API_PREFIX, buildApp } from '../src/app.js';
import { tokenVerifier } from '../src/plugins/auth.js';

interface Signer {
  alg: string;
  kid: string;
  key: CryptoKey | Uint8Array;
}

let db: TestDatabase;
let jwks: Server;
let jwksUrl: string;
const signers: Record<string, Signer> = {};

beforeAll(async () => {
  db = await createTestDatabase();
  const rsa = await generateKeyPair('RS256', { extractable: true });
  const p256 = await generateKeyPair('ES256');
  const p384 = await generateKeyPair('ES384');
  const hmac = (await generateSecret('HS256', { extractable: true })) as CryptoKey;
  const keys: JWK[] = [
    { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', use: 'sig' }, // no alg: RS* and PS*
    { ...(await exportJWK(p256.publicKey)), kid: 'p256-1', alg: 'ES256', use: 'sig' },
    { ...(await exportJWK(p384.publicKey)), kid: 'p384-1', alg: 'ES384', use: 'sig' },
    { ...(await exportJWK(hmac)), kid: 'oct-1', alg: 'HS256', use: 'sig' },
  ];
  signers['RS256'] = { alg: 'RS256', kid: 'rsa-1', key: rsa.privateKey };
  // The same RSA private key, imported for RSA-PSS (WebCrypto binds a key to one algorithm).
  const rsaForPss = await importJWK(await exportJWK(rsa.privateKey), 'PS256');
  signers['PS256'] = { alg: 'PS256', kid: 'rsa-1', key: rsaForPss as CryptoKey };
  signers['ES256'] = { alg: 'ES256', kid: 'p256-1', key: p256.privateKey };
  signers['ES384'] = { alg: 'ES384', kid: 'p384-1', key: p384.privateKey };
  signers['HS256'] = { alg: 'HS256', kid: 'oct-1', key: hmac };

  jwks = createServer((req, res) => {
    if (req.url !== '/.well-known/jwks.json') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;
});
afterAll(async () => {
  await new Promise((resolve) => jwks?.close(resolve));
  await db?.drop();
});

function sign(alg: string): Promise<string> {
  const s = signers[alg]!;
  return new SignJWT({ role: 'admin' })
    .setProtectedHeader({ alg: s.alg, kid: s.kid })
    .setSubject('admin-dashboard')
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(s.key);
}

async function apiWith(jwksAlgorithms?: string[]): Promise<FastifyInstance> {
  return buildApp({
    sql: db.sql,
    verify: tokenVerifier({ jwksUrl, ...(jwksAlgorithms ? { jwksAlgorithms } : {}) }),
    registry: createRegistry('anlyt-api', { defaultMetrics: false }),
    marginSeconds: 0,
    answerCacheBytes: 0,
  });
}

const summary = (app: FastifyInstance, bearer: string) =>
  app.inject({
    method: 'GET',
    url: `${API_PREFIX}/summary`,
    headers: { authorization: `Bearer ${bearer}` },
  });

describe('JWKS mode, default algorithms (RS256, ES256)', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await apiWith();
  });
  afterAll(() => app.close());

  it.each(['RS256', 'ES256'])('a token signed with %s passes', async (alg) => {
    const res = await summary(app, await sign(alg));
    expect(res.statusCode, res.body).toBe(200);
  });

  it.each([
    ['ES384', 'its key is in the JWKS, its algorithm is not pinned'],
    ['PS256', 'signed with the RSA key of the JWKS, under another algorithm'],
    ['HS256', "signed with the JWKS's symmetric key"],
  ])('a token signed with %s is a 401 (%s)', async (alg) => {
    const res = await summary(app, await sign(alg));
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('an unsecured token (alg none) is a 401', async () => {
    const unsecured = new UnsecuredJWT({ role: 'admin' })
      .setSubject('admin-dashboard')
      .setExpirationTime('5m')
      .encode();
    expect((await summary(app, unsecured)).statusCode).toBe(401);
  });
});

describe('JWKS mode, algorithms from ANLYT_AUTH_JWT_ALGORITHMS', () => {
  it('pins exactly the configured list', async () => {
    const app = await apiWith(['ES384']);
    try {
      expect((await summary(app, await sign('ES384'))).statusCode).toBe(200);
      expect((await summary(app, await sign('RS256'))).statusCode).toBe(401);
      expect((await summary(app, await sign('ES256'))).statusCode).toBe(401);
    } finally {
      await app.close();
    }
  });

  it.each([[['HS256']], [['RS256', 'none']], [['RS256', 'HS512']], [[]]])(
    'refuses to start with %j',
    (jwksAlgorithms) => {
      expect(() => tokenVerifier({ jwksUrl, jwksAlgorithms })).toThrow(/JWKS algorithms/);
    },
  );
});
