import { readFileSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { zipSync } from 'fflate';
import { projectRoot } from '../paths.js';

const teamsappDir = join(projectRoot, 'teamsapp');

export interface PackageResult {
  zipPath: string;
  manifest: Record<string, unknown>;
}

/** The manifest could not be filled or failed validation; `problems` are the validator's own messages. */
export class ManifestError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`The Teams app manifest is not valid:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

/**
 * Fills `teamsapp/appPackage/manifest.json` from `teamsapp/env/.env.<env>` (the Agents Toolkit's
 * `${{NAME}}` placeholders), validates it offline against the schema bundled in @microsoft/app-manifest,
 * and zips it with the icons into `teamsapp/build/appPackage.<env>.zip`.
 */
export async function packageApp(env: string, outDir = join(teamsappDir, 'build')): Promise<PackageResult> {
  const values = readEnvFile(join(teamsappDir, 'env', `.env.${env}`));
  const manifest = fillManifest(
    readFileSync(join(teamsappDir, 'appPackage', 'manifest.json'), 'utf8'),
    values,
  );
  const problems = await validateManifest(manifest);
  if (problems.length > 0) throw new ManifestError(problems);
  const zipPath = join(outDir, `appPackage.${env}.zip`);
  await mkdir(outDir, { recursive: true });
  writeFileSync(
    zipPath,
    zipSync({
      'manifest.json': Buffer.from(JSON.stringify(manifest, null, 2)),
      'color.png': readFileSync(join(teamsappDir, 'appPackage', 'color.png')),
      'outline.png': readFileSync(join(teamsappDir, 'appPackage', 'outline.png')),
    }),
  );
  return { zipPath, manifest };
}

export function fillManifest(
  template: string,
  values: Readonly<Record<string, string>>,
): Record<string, unknown> {
  const missing = new Set<string>();
  const filled = template.replace(/\$\{\{(\w+)\}\}/g, (_whole, name: string) => {
    const value = values[name];
    if (value === undefined || value === '') missing.add(name);
    return value ?? '';
  });
  if (missing.size > 0) {
    throw new ManifestError([...missing].map((name) => `${name} is not set in the environment file`));
  }
  return JSON.parse(filled) as Record<string, unknown>;
}

/** Validates against the schema version the manifest names, from the package's bundled copy (no network). */
export async function validateManifest(manifest: Record<string, unknown>): Promise<string[]> {
  const version = String(manifest.manifestVersion ?? '');
  const schemaPath = join(
    dirname(createRequire(import.meta.url).resolve('@microsoft/app-manifest')),
    'json-schemas',
    'teams',
    `v${version}`,
    'MicrosoftTeams.schema.json',
  );
  // The published schema has an invalid `\a` escape in one pattern; the package's own fetcher patches it.
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8').replace(/\\a/g, '\\x07'));
  // Imported here, not with the module: every `huddle` command loads this file, and only `package` validates.
  const { ManifestUtil } = await import('@microsoft/app-manifest');
  return ManifestUtil.validateManifestAgainstSchema(manifest as never, schema);
}

function readEnvFile(path: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (match?.[1] !== undefined && !line.trimStart().startsWith('#')) values[match[1]] = match[2] ?? '';
  }
  return values;
}
