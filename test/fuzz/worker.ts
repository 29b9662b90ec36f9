/**
 * A fuzz shard as a child process (forked by fuzz/run.ts): loads the corpus, runs
 * its share of every selected decoder and sends back the statistics.
 */
import { readFileSync } from 'node:fs';
import { init } from '../../src/index.js';
import type { Corpus } from './corpus.js';
import { decoders } from './decoders.js';
import { runShard } from './shard.js';

interface Job {
  corpusPath: string;
  seed: string;
  inputs: number;
  shard: number;
  shards: number;
  names: string[];
  only?: number;
  deadline?: number;
}

process.once('message', async (job: Job) => {
  await init();
  const corpus = JSON.parse(readFileSync(job.corpusPath, 'utf8')) as Corpus;
  const selected = decoders(corpus).filter((d) => job.names.includes(d.name));
  const result = await runShard(selected, {
    seed: job.seed,
    inputs: job.inputs,
    shard: job.shard,
    shards: job.shards,
    ...(job.only === undefined ? {} : { only: job.only }),
    onProgress: (done) => process.send?.({ progress: done }),
    ...(job.deadline === undefined ? {} : { deadline: job.deadline }),
    onSnapshot: (partial) => process.send?.({ partial }),
  });
  process.send?.({ result }, () => process.disconnect());
});
