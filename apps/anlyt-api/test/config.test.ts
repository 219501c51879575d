import { describe, expect, it } from 'vitest';
import {
  auditSettings,
  cursorKey,
  DEFAULT_PUBLIC_URL,
  labelKey,
  loadConfig,
} from '../src/config.js';

const CURSOR_SECRET = 'a cursor secret of at least 32 characters';

describe('anlyt-api config', () => {
  it('insights: a minimum of 100 final DLRs, and a label key of its own or derived', () => {
    const base = { DATABASE_URL: 'postgres://x/y', ANLYT_AUTH_JWT_SECRET: 'a-secret-of-16-chars+' };
    expect(loadConfig(base).INSIGHTS_MIN_SAMPLE_SIZE).toBe(100);
    expect(loadConfig({ ...base, INSIGHTS_MIN_SAMPLE_SIZE: '25' }).INSIGHTS_MIN_SAMPLE_SIZE).toBe(
      25,
    );
    expect(() => loadConfig({ ...base, INSIGHTS_MIN_SAMPLE_SIZE: '0' })).toThrow();
    const derived = labelKey(loadConfig(base));
    expect(derived).toHaveLength(32);
    // Derived for this use only: not the cursor key derived from the same secret.
    expect(derived).not.toEqual(cursorKey(loadConfig(base)));
    const own = 'a label secret of at least 32 characters';
    expect(labelKey(loadConfig({ ...base, INSIGHTS_LABEL_SECRET: own }))).toEqual(Buffer.from(own));
    expect(() => loadConfig({ ...base, INSIGHTS_LABEL_SECRET: 'short' })).toThrow();
    // JWKS only: derived from the cursor secret every replica already shares.
    const jwks = {
      DATABASE_URL: 'postgres://x/y',
      ANLYT_AUTH_JWKS_URL: 'https://idp/jwks.json',
      ANLYT_QUERY_CURSOR_SECRET: CURSOR_SECRET,
    };
    expect(labelKey(loadConfig(jwks))).toHaveLength(32);
    expect(labelKey(loadConfig(jwks)).toString('utf8')).not.toContain(CURSOR_SECRET);
  });

  it('signs DSL cursors with their own secret, or one derived from the JWT secret', () => {
    const base = { DATABASE_URL: 'postgres://x/y', ANLYT_AUTH_JWT_SECRET: 'a-secret-of-16-chars+' };
    const derived = cursorKey(loadConfig(base));
    expect(derived).toHaveLength(32);
    expect(derived.toString('utf8')).not.toContain(base.ANLYT_AUTH_JWT_SECRET);
    expect(cursorKey(loadConfig({ ...base, ANLYT_QUERY_CURSOR_SECRET: CURSOR_SECRET }))).toEqual(
      Buffer.from(CURSOR_SECRET),
    );
    // JWKS only: no secret to derive from, so every replica must be given the same one.
    expect(() =>
      loadConfig({ DATABASE_URL: 'postgres://x/y', ANLYT_AUTH_JWKS_URL: 'https://idp/jwks.json' }),
    ).toThrow(/ANLYT_QUERY_CURSOR_SECRET is required/);
  });

  it('loads with defaults from a minimal environment', () => {
    const cfg = loadConfig({
      DATABASE_URL: 'postgres://x/y',
      ANLYT_AUTH_JWT_SECRET: 'a-secret-of-16-chars+',
    });
    expect(cfg).toMatchObject({
      HTTP_PORT: 8080,
      ROLLUP_CHANGE_MARGIN_S: 900,
      LOG_LEVEL: 'info',
      ANLYT_API_ANSWER_CACHE_MB: 64,
      PG_POOL_MAX: 20,
    });
  });

  it('accepts a JWKS URL instead of a secret, and refuses neither', () => {
    expect(
      loadConfig({
        DATABASE_URL: 'postgres://x/y',
        ANLYT_AUTH_JWKS_URL: 'https://idp.internal/jwks.json',
        ANLYT_QUERY_CURSOR_SECRET: CURSOR_SECRET,
      }).ANLYT_AUTH_JWKS_URL,
    ).toBe('https://idp.internal/jwks.json');
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x/y' })).toThrow(
      /ANLYT_AUTH_JWT_SECRET or ANLYT_AUTH_JWKS_URL/,
    );
  });

  it('pins JWKS tokens to RS256,ES256 unless ANLYT_AUTH_JWT_ALGORITHMS says otherwise', () => {
    const jwks = {
      DATABASE_URL: 'postgres://x/y',
      ANLYT_AUTH_JWKS_URL: 'https://idp/jwks.json',
      ANLYT_QUERY_CURSOR_SECRET: CURSOR_SECRET,
    };
    expect(loadConfig(jwks).ANLYT_AUTH_JWT_ALGORITHMS).toBe('RS256,ES256');
    expect(
      loadConfig({ ...jwks, ANLYT_AUTH_JWT_ALGORITHMS: 'ES384,PS256,EdDSA' })
        .ANLYT_AUTH_JWT_ALGORITHMS,
    ).toBe('ES384,PS256,EdDSA');
  });

  it.each(['none', 'HS256', 'RS256,HS256', 'RS256,none', 'rs256', 'RS256,', ''])(
    'refuses ANLYT_AUTH_JWT_ALGORITHMS=%j (asymmetric algorithms only)',
    (algorithms) => {
      expect(() =>
        loadConfig({
          DATABASE_URL: 'postgres://x/y',
          ANLYT_AUTH_JWKS_URL: 'https://idp/jwks.json',
          ANLYT_AUTH_JWT_ALGORITHMS: algorithms,
        }),
      ).toThrow(/ANLYT_AUTH_JWT_ALGORITHMS/);
    },
  );

  it('publishes the listener address as the OpenAPI servers URL unless ANLYT_API_PUBLIC_URL is set', () => {
    const env = { DATABASE_URL: 'postgres://x/y', ANLYT_AUTH_JWT_SECRET: 'a-secret-of-16-chars+' };
    expect(loadConfig({ ...env, HTTP_PORT: '8080' }).ANLYT_API_PUBLIC_URL).toBe(
      'http://127.0.0.1:8080',
    );
    expect(DEFAULT_PUBLIC_URL).toBe('http://127.0.0.1:8080');
    expect(
      loadConfig({ ...env, HTTP_HOST: '10.1.2.3', HTTP_PORT: '9000' }).ANLYT_API_PUBLIC_URL,
    ).toBe('http://10.1.2.3:9000');
    expect(
      loadConfig({ ...env, ANLYT_API_PUBLIC_URL: 'https://gw.example.net/anlyt/' })
        .ANLYT_API_PUBLIC_URL,
    ).toBe('https://gw.example.net/anlyt');
    for (const bad of ['gw.example.net', 'ftp://gw', 'https://gw/a b', 'https://gw?x=1'])
      expect(() => loadConfig({ ...env, ANLYT_API_PUBLIC_URL: bad })).toThrow(
        /ANLYT_API_PUBLIC_URL/,
      );
  });

  it('lists every bad variable at once', () => {
    expect(() => loadConfig({ HTTP_PORT: 'eighty', ANLYT_AUTH_JWT_SECRET: 'short' })).toThrow(
      /DATABASE_URL[\s\S]*HTTP_PORT|HTTP_PORT[\s\S]*DATABASE_URL/,
    );
  });

  describe('the audit listener (US-ANLYT-15)', () => {
    const base = { DATABASE_URL: 'postgres://x/y', ANLYT_AUTH_JWT_SECRET: 'a-secret-of-16-chars+' };
    const tls = {
      AUDIT_TLS_CERT_FILE: '/tls/server.crt',
      AUDIT_TLS_KEY_FILE: '/tls/server.key',
      AUDIT_TLS_CA_FILE: '/tls/clients-ca.crt',
    };

    it('is off, with the reason, when its TLS files are not configured', () => {
      const a = auditSettings(loadConfig(base));
      expect(a).toEqual({ on: false, reason: expect.stringMatching(/AUDIT_TLS_CERT_FILE/) });
    });

    it('refuses a half-configured TLS setup or half-given S3 credentials', () => {
      expect(() => loadConfig({ ...base, AUDIT_TLS_CERT_FILE: '/tls/server.crt' })).toThrow(
        /missing AUDIT_TLS_KEY_FILE, AUDIT_TLS_CA_FILE/,
      );
      expect(() => loadConfig({ ...base, ...tls, AUDIT_S3_ACCESS_KEY_ID: 'k' })).toThrow(
        /go together/,
      );
      expect(() => loadConfig({ ...base, AUDIT_MAX_ROWS: '0' })).toThrow();
      expect(() => loadConfig({ ...base, AUDIT_S3_BUCKET: 'Not_A_Bucket' })).toThrow();
    });

    it('defaults: port 8443, subject regulator-portal-service, 1 000 000 rows, no exports', () => {
      const a = auditSettings(loadConfig({ ...base, ...tls }));
      expect(a).toEqual({
        on: true,
        settings: {
          port: 8443,
          tls: {
            certFile: '/tls/server.crt',
            keyFile: '/tls/server.key',
            caFile: '/tls/clients-ca.crt',
          },
          clientSubjects: ['regulator-portal-service'],
          maxRows: 1_000_000,
          s3: null,
        },
      });
    });

    it('reads the subjects list, the row cap and S3 (default credential chain without keys)', () => {
      const s3 = { AUDIT_S3_BUCKET: 'audit-exports', AUDIT_S3_REGION: 'eu-west-1' };
      const a = auditSettings(
        loadConfig({
          ...base,
          ...tls,
          ...s3,
          AUDIT_CLIENT_SUBJECTS: 'regulator-portal-service, backup-auditor',
          AUDIT_MAX_ROWS: '5000',
        }),
      );
      expect(a.on && a.settings).toMatchObject({
        clientSubjects: ['regulator-portal-service', 'backup-auditor'],
        maxRows: 5000,
        s3: { bucket: 'audit-exports', region: 'eu-west-1' },
      });
      expect(a.on && a.settings.s3).not.toHaveProperty('credentials');
      const keyed = auditSettings(
        loadConfig({
          ...base,
          ...tls,
          ...s3,
          AUDIT_S3_ENDPOINT: 'http://127.0.0.1:4568',
          AUDIT_S3_ACCESS_KEY_ID: 'S3RVER',
          AUDIT_S3_SECRET_ACCESS_KEY: 'S3RVER',
        }),
      );
      expect(keyed.on && keyed.settings.s3).toEqual({
        bucket: 'audit-exports',
        region: 'eu-west-1',
        endpoint: 'http://127.0.0.1:4568',
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      });
    });
  });
});
