import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EmbeddingsModel } from '@energetic-ai/embeddings';
import { projectRoot } from '../../src/paths.js';

/**
 * The encoder's vectors for texts, kept between runs in test-output/ (git-ignored) and keyed by the
 * encoder's files, so rerunning `train:screen` or `eval:screen-candidates` takes seconds, not minutes.
 */
export class EmbeddingCache {
  private readonly file: string;
  private readonly vectors: Map<string, number[]>;

  constructor(
    private readonly model: EmbeddingsModel,
    sha256: Record<string, string>,
  ) {
    this.file = join(
      projectRoot,
      'test-output',
      `screen-embeddings-${createHash('sha256').update(JSON.stringify(sha256)).digest('hex').slice(0, 12)}.json`,
    );
    this.vectors = new Map(existsSync(this.file) ? JSON.parse(readFileSync(this.file, 'utf8')) : []);
  }

  get size(): number {
    return this.vectors.size;
  }

  /** Embeds the texts not yet known, eight at a time, and saves them. */
  async embedAll(texts: readonly string[]): Promise<void> {
    const missing = [...new Set(texts)].filter((text) => !this.vectors.has(text));
    for (let start = 0; start < missing.length; start += 8) {
      const batch = missing.slice(start, start + 8);
      const vectors = await this.model.embed(batch);
      for (const [index, vector] of vectors.entries())
        this.vectors.set(
          batch[index] as string,
          vector.map((x) => Math.fround(x)),
        );
    }
    if (missing.length > 0) {
      mkdirSync(join(projectRoot, 'test-output'), { recursive: true });
      writeFileSync(this.file, JSON.stringify([...this.vectors]));
    }
  }

  /** A text's vector; empty when it was never embedded. */
  get(text: string): number[] {
    return this.vectors.get(text) ?? [];
  }
}
