import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding package.json. Found by walking up because this module runs both from `src/` (tsx,
 * tests) and from `dist/` (production build), and the card templates live at the top level in both cases.
 */
function findProjectRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`package.json not found above ${start}`);
    dir = parent;
  }
  return dir;
}

export const projectRoot = findProjectRoot(dirname(fileURLToPath(import.meta.url)));
export const cardsDir = join(projectRoot, 'cards');
export const localesDir = join(cardsDir, 'locales');
export const lexiconPath = join(projectRoot, 'src', 'analysis', 'lexicon.json');
/** Prompts for the optional language model, in the folder layout teams-ai's PromptManager reads. */
export const promptsDir = join(projectRoot, 'src', 'analysis', 'prompts');
/** The disclosure screen's trained head: weights, threshold and what it was trained on. */
export const screenHeadPath = join(projectRoot, 'src', 'analysis', 'screenHead.json');
