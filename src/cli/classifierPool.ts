import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CommentAnalysis, CommentClassifier } from '../domain/feedback/themes.js';

type Reply = { id: number; analysis: CommentAnalysis } | { id: number; error: string };

/**
 * The classifier and disclosure screen in `size` worker threads, for reading a whole file: the encoder
 * runs in WebAssembly on one core, so one thread reads about 25 comments a second on this kind of machine
 * and two read nearly twice that. Each thread holds its own encoder (about 110 MB). A comment goes to the
 * thread with the least waiting.
 */
export class ClassifierPool implements CommentClassifier {
  private readonly workers: { worker: Worker; waiting: number }[];
  private readonly pending = new Map<
    number,
    { resolve(analysis: CommentAnalysis): void; reject(error: Error): void }
  >();
  private nextId = 0;

  constructor(size: number) {
    this.workers = Array.from({ length: size }, () => {
      const entry = { worker: startWorker(), waiting: 0 };
      entry.worker.on('message', (reply: Reply) => {
        entry.waiting -= 1;
        const waiter = this.pending.get(reply.id);
        this.pending.delete(reply.id);
        if ('error' in reply) waiter?.reject(new Error(reply.error));
        else waiter?.resolve(reply.analysis);
      });
      entry.worker.on('error', (error) => this.failAll(error));
      return entry;
    });
  }

  classify(text: string): Promise<CommentAnalysis> {
    const entry = this.workers.reduce((least, one) => (one.waiting < least.waiting ? one : least));
    const id = this.nextId++;
    entry.waiting += 1;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      entry.worker.postMessage({ id, text });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map(({ worker }) => worker.terminate()));
  }

  /** A thread that died takes its comments with it: the run stops and says why. */
  private failAll(error: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}

/**
 * The worker file is of the same type as this one: JavaScript once built; TypeScript when run through tsx
 * (`npm run analyse`), whose loader a worker thread does not inherit, so it registers it first.
 */
function startWorker(): Worker {
  const typeScript = extname(fileURLToPath(import.meta.url)) === '.ts';
  const file = new URL(`./classifierWorker${typeScript ? '.ts' : '.js'}`, import.meta.url);
  if (!typeScript) return new Worker(file);
  const tsx = import.meta.resolve('tsx/esm/api');
  return new Worker(
    `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(file.href)}); });`,
    { eval: true },
  );
}
