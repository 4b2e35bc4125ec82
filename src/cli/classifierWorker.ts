import { parentPort } from 'node:worker_threads';
import { LocalClassifier } from '../analysis/localClassifier.js';
import { screened } from './screened.js';

/**
 * One thread of `huddle analyse`'s pool: the classifier and the disclosure screen, as the server reads
 * comments, each thread with its own encoder (the encoder's WebAssembly uses one core).
 */
const reader = screened(new LocalClassifier());
parentPort?.on('message', async ({ id, text }: { id: number; text: string }) => {
  try {
    parentPort?.postMessage({ id, analysis: await reader.classify(text) });
  } catch (error) {
    parentPort?.postMessage({ id, error: (error as Error).message });
  }
});
