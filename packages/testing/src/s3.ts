/**
 * An S3-compatible server for tests: s3rver in this process, on a free port of 127.0.0.1, its
 * objects in a temp directory removed on close. Buckets are created up front; a test that
 * wants a failing upload names a bucket that was not.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

export interface TestS3 {
  /** http://127.0.0.1:<port> — for a client with forcePathStyle. */
  endpoint: string;
  region: string;
  /** s3rver's fixed credentials (it checks signatures against them). */
  credentials: { accessKeyId: string; secretAccessKey: string };
  buckets: readonly string[];
  close(): Promise<void>;
}

export async function startTestS3(buckets: readonly string[] = ['anlyt-audit']): Promise<TestS3> {
  const directory = mkdtempSync(join(tmpdir(), 'anlyt-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name, configs: [] })),
  });
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    buckets,
    async close() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
