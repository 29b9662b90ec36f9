/**
 * s3rver 3.7.1 in its own process for the storage bench (so the server's memory is not
 * counted against the client): listens on a free 127.0.0.1 port, bucket `bench`, data in
 * a temporary directory removed on SIGTERM. Prints `{"port":N}` once ready.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

const directory = await mkdtemp(join(tmpdir(), 'bpds-bench-s3rver-'));
const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  silent: true,
  directory,
  configureBuckets: [{ name: 'bench', configs: [] }],
});
const { port } = (await server.run()) as AddressInfo;
process.stdout.write(`${JSON.stringify({ port })}\n`);
const stop = async () => {
  await server.close();
  await rm(directory, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
