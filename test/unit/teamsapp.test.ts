import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { fillManifest, ManifestError, packageApp, validateManifest } from '../../src/cli/packageApp.js';
import { projectRoot } from '../../src/paths.js';

const pngSize = (png: Uint8Array) => {
  const view = Buffer.from(png);
  return { width: view.readUInt32BE(16), height: view.readUInt32BE(20), colourType: view[25] };
};

describe('Teams app package', () => {
  it('builds a zip whose manifest passes offline schema validation, with icons Teams accepts', async () => {
    const { zipPath, manifest } = await packageApp('local', mkdtempSync(join(tmpdir(), 'pkg-')));
    const files = unzipSync(readFileSync(zipPath));
    expect(Object.keys(files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    expect(await validateManifest(manifest)).toEqual([]);
    expect(JSON.stringify(manifest)).not.toContain('${{');
    const bot = (manifest.bots as { scopes: string[] }[])[0];
    expect(bot?.scopes.sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(pngSize(files['color.png'] ?? new Uint8Array())).toMatchObject({ width: 192, height: 192 });
    // The outline icon must be 32x32 with transparency (RGBA).
    expect(pngSize(files['outline.png'] ?? new Uint8Array())).toEqual({
      width: 32,
      height: 32,
      colourType: 6,
    });
  });

  it("reports the validator's own messages for a bad manifest", async () => {
    const template = readFileSync(join(projectRoot, 'teamsapp', 'appPackage', 'manifest.json'), 'utf8');
    const manifest = fillManifest(template, new Proxy({}, { get: () => 'not-a-guid' }));
    const problems = await validateManifest(manifest);
    expect(problems.some((problem) => problem.includes('/id') || problem.includes('botId'))).toBe(true);
  });

  it('names every placeholder an environment file leaves empty', async () => {
    await expect(packageApp('dev', mkdtempSync(join(tmpdir(), 'pkg-')))).rejects.toThrow(ManifestError);
    await expect(packageApp('dev', mkdtempSync(join(tmpdir(), 'pkg-')))).rejects.toThrow(/BOT_ID is not set/);
  });
});
