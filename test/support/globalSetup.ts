import { mkdirSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { startAzurite } from '../../src/storage/azurite.js';

declare module 'vitest' {
  export interface ProvidedContext {
    storageConnectionString: string;
  }
}

/** One real Azurite (in memory) for the whole run, stopped at the end whatever happens. */
export default async function setup(project: TestProject) {
  mkdirSync('test-output', { recursive: true });
  const azurite = await startAzurite({ dataDir: undefined, logFile: 'test-output/azurite.log' });
  project.provide('storageConnectionString', azurite.connectionString);
  return () => azurite.stop();
}
