import { constants } from 'node:fs';
import { access, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { currentFigures } from '../delivery/progress.js';
import type { EvidencePack } from '../domain/evidence/evidencePack.js';
import { gatherEvidence } from '../domain/evidence/gatherEvidence.js';
import type { InitiativeStore } from '../domain/initiatives/ports.js';
import { EVIDENCE_FORMATS, type EvidenceFormat, evidenceFile } from '../export/evidenceFiles.js';
import type { Translator } from '../i18n/strings.js';
import type { Storage } from '../storage/openStorage.js';
import { UsageError } from './evalCommand.js';

/** An export that cannot be made; the message says why, and no file was written. */
export class ExportError extends Error {
  override name = 'ExportError';
}

const exportArgs = z.object({
  initiative: z.string({ required_error: 'needs --initiative ID' }).trim().min(1, 'needs --initiative ID'),
  out: z.string({ required_error: 'needs --out DIR' }).min(1, 'needs --out DIR'),
  format: z.enum(EVIDENCE_FORMATS, {
    errorMap: () => ({ message: `--format is one of ${EVIDENCE_FORMATS.join(', ')}` }),
  }),
});
export type ExportOptions = z.infer<typeof exportArgs>;

/** `huddle export --initiative ID --out DIR [--format docx|md|csv]`, docx unless said. */
export function parseExportArgs(args: string[]): ExportOptions {
  try {
    const { values } = parseArgs({
      args,
      options: {
        initiative: { type: 'string' },
        out: { type: 'string' },
        format: { type: 'string', default: 'docx' },
      },
    });
    const parsed = exportArgs.safeParse(values);
    if (!parsed.success) throw new UsageError(`huddle export ${parsed.error.issues[0]?.message ?? ''}`);
    return parsed.data;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`huddle export: ${(error as Error).message}`);
  }
}

export interface ExportSetting {
  t: Translator;
  timeZone: string;
  now: Date;
  anonymityThreshold: number;
  safeguardingResendMs: number;
}

/**
 * Writes one initiative's evidence pack into `options.out`. The folder is checked before anything is
 * read, and the file is written under a temporary name and renamed, so a failure leaves no half file.
 * Whoever runs this holds the storage keys, so the safeguarding counts are in it, as a leader's are.
 */
export async function exportEvidence(
  storage: Storage,
  options: ExportOptions,
  setting: ExportSetting,
): Promise<{ path: string; pack: EvidencePack }> {
  await writableFolder(options.out);
  const tenantId = await tenantOf(storage.initiatives, options.initiative);
  const pack = await gatherEvidence(
    {
      ...storage,
      clock: { now: () => setting.now },
      anonymityThreshold: setting.anonymityThreshold,
      safeguardingResendMs: setting.safeguardingResendMs,
      sendFigures: (broadcast) => currentFigures(storage, broadcast, setting.now),
    },
    tenantId,
    options.initiative,
    { showSafeguarding: true },
  );
  const file = await evidenceFile(setting.t, pack, options.format as EvidenceFormat, setting.timeZone);
  const path = join(options.out, file.name);
  const partial = `${path}.partial`;
  try {
    await writeFile(partial, file.content);
    await rename(partial, path);
  } catch (error) {
    await rm(partial, { force: true });
    throw new ExportError(`Could not write ${path}: ${(error as Error).message}`);
  }
  return { path, pack };
}

async function writableFolder(folder: string): Promise<void> {
  try {
    await mkdir(folder, { recursive: true });
    await access(folder, constants.W_OK);
  } catch (error) {
    throw new ExportError(
      `Cannot write into ${folder}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. Choose a folder you may write to.`,
    );
  }
}

/** The tenant holding the initiative; refused with the ids there are when none does. */
async function tenantOf(initiatives: Pick<InitiativeStore, 'get' | 'tenants' | 'list'>, id: string) {
  const tenants = await initiatives.tenants();
  for (const tenantId of tenants) {
    if ((await initiatives.get(tenantId, id)) !== undefined) return tenantId;
  }
  const known = (await Promise.all(tenants.map((tenantId) => initiatives.list(tenantId))))
    .flat()
    .map((initiative) => initiative.id);
  throw new ExportError(
    known.length === 0
      ? `No initiative "${id}": there are no initiatives in this storage.`
      : `No initiative "${id}". The initiatives are: ${known.join(', ')}.`,
  );
}
