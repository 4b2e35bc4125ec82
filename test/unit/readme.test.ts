import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configVariables } from '../../src/config.js';
import { projectRoot } from '../../src/paths.js';

const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');

describe('README', () => {
  it('documents every configuration variable the schema reads, and no others', () => {
    const documented = [...readme.matchAll(/^\|\s*`([A-Za-z_]+)`\s*\|/gm)].map((m) => m[1]);
    expect([...documented].sort()).toEqual([...configVariables].sort());
  });

  it('starts with the run command and the test command', () => {
    const top = readme.split('\n').slice(0, 15).join('\n');
    expect(top).toContain('npm ci && npm run dev');
    expect(top).toContain('npm test');
  });
});
