/**
 * Certificates made at test time with the machine's openssl (node:crypto cannot sign X.509):
 * a CA, a server certificate for 127.0.0.1, and client certificates to knock on an mTLS
 * listener with — a good one, one from another CA, one of the right CA with another subject,
 * and an expired one (signed with `openssl ca` and explicit 2020 start/end dates). EC P-256
 * keys: fast to make. Everything lives in a temp directory that cleanup() removes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KeyPair {
  /** PEM texts, and the files they were written to (for curl-like clients). */
  cert: string;
  key: string;
  certFile: string;
  keyFile: string;
}

export interface TestCerts {
  dir: string;
  ca: string;
  caFile: string;
  /** CN=127.0.0.1, SAN IP:127.0.0.1 and DNS:localhost, serverAuth. */
  server: KeyPair;
  clients: {
    /** CN = the subject asked for, signed by the CA. */
    good: KeyPair;
    /** Same CN, signed by a CA the listener does not trust. */
    otherCa: KeyPair;
    /** Signed by the CA, CN = `someone-else`. */
    otherSubject: KeyPair;
    /** Same CN and CA, valid from 2020-01-01 to 2020-02-01 only. */
    expired: KeyPair;
  };
  cleanup(): void;
}

const KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function selfSignedCa(dir: string, name: string): void {
  openssl(
    dir,
    ['req', '-x509', ...KEY, '-keyout', `${name}.key`, '-out', `${name}.crt`].concat([
      '-days',
      '2',
      '-subj',
      `/CN=anlyt test ${name}`,
    ]),
  );
}

function pair(dir: string, name: string): KeyPair {
  const certFile = join(dir, `${name}.crt`);
  const keyFile = join(dir, `${name}.key`);
  return {
    cert: readFileSync(certFile, 'utf8'),
    key: readFileSync(keyFile, 'utf8'),
    certFile,
    keyFile,
  };
}

/** A new key and a certificate signing request for `cn`: <name>.key, <name>.csr. */
function request(dir: string, name: string, cn: string): void {
  openssl(dir, [
    'req',
    ...KEY,
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.csr`,
    '-subj',
    `/CN=${cn}`,
  ]);
}

/** A key and CSR for `cn`, signed by `ca` (x509 -req) with the extensions given. */
function issue(dir: string, name: string, cn: string, ca: string, ext: string): KeyPair {
  writeFileSync(join(dir, `${name}.ext`), ext);
  request(dir, name, cn);
  openssl(
    dir,
    ['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`].concat([
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}.crt`,
    ]),
  );
  return pair(dir, name);
}

/** An expired certificate: `openssl ca` takes explicit start and end dates. */
function issueExpired(dir: string, name: string, cn: string, ca: string, ext: string): KeyPair {
  writeFileSync(join(dir, `${name}.ext`), ext);
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '1000\n');
  writeFileSync(
    join(dir, 'ca.cnf'),
    '[ca]\ndefault_ca=test\n[test]\ndatabase=index.txt\nnew_certs_dir=.\nserial=serial\n' +
      'default_md=sha256\npolicy=any\n[any]\ncommonName=supplied\n',
  );
  request(dir, name, cn);
  openssl(
    dir,
    ['ca', '-batch', '-config', 'ca.cnf', '-cert', `${ca}.crt`, '-keyfile', `${ca}.key`]
      .concat(['-in', `${name}.csr`, '-out', `${name}.crt`, '-notext', '-extfile', `${name}.ext`])
      .concat(['-startdate', '20200101000000Z', '-enddate', '20200201000000Z']),
  );
  return pair(dir, name);
}

/** A fresh CA, server and client certificates for `clientSubject`. */
export function createTestCerts(clientSubject = 'regulator-portal-service'): TestCerts {
  const dir = mkdtempSync(join(tmpdir(), 'anlyt-certs-'));
  selfSignedCa(dir, 'ca');
  selfSignedCa(dir, 'other-ca');
  const client = 'extendedKeyUsage=clientAuth\n';
  const server = issue(
    dir,
    'server',
    '127.0.0.1',
    'ca',
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n',
  );
  return {
    dir,
    ca: readFileSync(join(dir, 'ca.crt'), 'utf8'),
    caFile: join(dir, 'ca.crt'),
    server,
    clients: {
      good: issue(dir, 'client-good', clientSubject, 'ca', client),
      otherCa: issue(dir, 'client-other-ca', clientSubject, 'other-ca', client),
      otherSubject: issue(dir, 'client-other-subject', 'someone-else', 'ca', client),
      expired: issueExpired(dir, 'client-expired', clientSubject, 'ca', client),
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
