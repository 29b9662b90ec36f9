/**
 * A real S3-compatible server for tests: s3rver 3.7.1 in-process on 127.0.0.1 (a free
 * port), storing in a fresh temporary directory, removed by `stop()`. s3rver ignores
 * `If-None-Match`, so stores pointed at it use `conditionalWrites: false`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';

export const BUCKET = 'bpds-test';

export interface S3TestServer {
  readonly endpoint: string;
  readonly port: number;
  /** s3rver's storage directory. */
  readonly directory: string;
  /** The file holding the bytes of object `key` in the test bucket. */
  objectPath(key: string): string;
  /** A client; s3rver checks the access key id (not SigV4 signatures), so a wrong id is refused. */
  client(opts?: { accessKeyId?: string }): S3Client;
  /** Stop listening (the data stays), e.g. to simulate an outage. */
  pause(): Promise<void>;
  /** Listen again on the same port and directory. */
  resume(): Promise<void>;
  /** Stop and delete the data. */
  stop(): Promise<void>;
}

function server(directory: string, port: number): S3rver {
  return new S3rver({
    address: '127.0.0.1',
    port,
    silent: true,
    directory,
    configureBuckets: [{ name: BUCKET, configs: [] }],
  });
}

/** Start s3rver on a free 127.0.0.1 port in a temporary directory. */
export async function startS3(): Promise<S3TestServer> {
  const directory = await mkdtemp(join(tmpdir(), 'bpds-s3rver-'));
  let s = server(directory, 0);
  const { port } = (await s.run()) as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const clients: S3Client[] = [];
  let running = true;
  const close = async () => {
    if (running) {
      running = false;
      const closing = s.close();
      // drop in-flight and keep-alive connections too: an outage, not a graceful drain
      (s as unknown as { httpServer?: { closeAllConnections?: () => void } }).httpServer?.closeAllConnections?.();
      await closing;
    }
  };
  return {
    endpoint,
    port,
    directory,
    objectPath: (key) => join(directory, BUCKET, `${key}._S3rver_object`),
    client(opts = {}) {
      const c = new S3Client({
        endpoint,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: { accessKeyId: opts.accessKeyId ?? 'S3RVER', secretAccessKey: 'S3RVER' },
        maxAttempts: 1, // the store's own retry policy is what the tests exercise
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      });
      clients.push(c);
      return c;
    },
    pause: close,
    async resume() {
      s = server(directory, port);
      await s.run();
      running = true;
    },
    async stop() {
      for (const c of clients) c.destroy();
      await close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
