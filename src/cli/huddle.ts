import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { LocalClassifier } from '../analysis/localClassifier.js';
import { type Config, ConfigError, loadConfig } from '../config.js';
import { seedDemo } from '../demo/seed.js';
import { startPlayground } from '../dev/playground.js';
import { ReplyHandles } from '../domain/feedback/replyHandles.js';
import { RespondentKeys } from '../domain/people/respondentKeys.js';
import { SealedBox } from '../domain/shared/sealedBox.js';
import { DEFAULT_LOCALE, Localizer } from '../i18n/strings.js';
import { createLogger } from '../logger.js';
import { openStorage, openTablesOnly } from '../storage/openStorage.js';
import { type AnalyseReport, analyseFile } from './analyse.js';
import { BackupError, backupTables, type RowCounts, restoreTables } from './backup.js';
import { ClassifierPool } from './classifierPool.js';
import { evalCommand, UsageError } from './evalCommand.js';
import { ExportError, exportEvidence, parseExportArgs } from './exportEvidence.js';
import { InputFileError } from './inputRecords.js';
import { ManifestError, packageApp } from './packageApp.js';
import { screened } from './screened.js';

const USAGE = `Usage: huddle <command>

  dev                 run Huddle locally: embedded Azurite, Oak View demo data, Agents Playground
  seed-demo           load (or reset) the Oak View demo organisation; run it while Huddle is stopped
  package [--env E]   build teamsapp/build/appPackage.E.zip (default E=local), validated offline
  analyse --in FILE --out FILE [--text-column NAME]
                      add themes, sentiment, resistance and a safeguarding flag to each comment of a
                      CSV (column "text" unless named) or JSONL file, written as JSONL; runs offline
  eval --in FILE [--classifier local|model] [--screen] [--json] [--errors]
                      score a classifier on a labelled CSV, TSV or JSONL file (text, theme, safeguarding):
                      F1 per theme, macro-F1, safeguarding precision, recall and false alarms. "model" sends
                      each comment to the HUDDLE_MODEL_* service; --screen adds the disclosure screen, so
                      safeguarding is scored as the server flags; only --errors prints comments' words
  backup --out DIR    write every table to DIR (JSONL, one file per table, a manifest with row counts and
                      sha256 checksums); DIR must be new or empty. Outbox queue messages are not included
  restore --in DIR    write a backup back into empty storage; refuses a partial or changed backup, or
                      tables that already hold rows, before writing anything
  export --initiative ID --out DIR [--format docx|md|csv]
                      write one initiative's evidence pack (for an inspector or a Level 5 portfolio)
                      into DIR as evidence-ID.docx (default), .md or .csv: the figures the cards show,
                      nothing about any group below the anonymity threshold
`;

const say = (line: string) => process.stdout.write(`${line}\n`);
// Not console.error: `eval --classifier model` hands the console to its log, as the server does (logger.ts).
const complain = (line: string) => process.stderr.write(`${line}\n`);

async function dev(): Promise<void> {
  // Locally the demo is wanted unless someone says otherwise; in production it is never loaded.
  const config = loadConfig({ HUDDLE_SEED_DEMO: 'true', ...process.env });
  const logger = createLogger(config.logLevel);
  // The server (botbuilder, teams-ai: seconds to import) is loaded only by the command that runs it.
  const { startHuddle } = await import('../index.js');
  const huddle = await startHuddle(config, logger);
  const playground = await startPlayground(
    huddle.url,
    join(config.storage.kind === 'embedded' ? config.storage.dataDir : '.huddle-data', 'playground'),
  );
  say('');
  say(`Huddle is running at ${huddle.url} (storage: ${huddle.storage.description})`);
  say(`Open ${playground.url} to talk to it as Alex Wilber, Oak View's registered manager.`);
  say('Press Ctrl+C to stop.');
  say('');
  const shutdown = async () => {
    await playground.stop();
    await huddle.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

async function seed(config: Config): Promise<void> {
  const logger = createLogger(config.logLevel);
  const box = new SealedBox(config.answerKey);
  const storage = await openStorage(config.storage, config.tablePrefix, logger, box);
  try {
    // Read as the server reads them, so a demo comment the screen would flag goes to the lead as any would.
    const { people } = await seedDemo(storage, {
      clock: { now: () => new Date() },
      words: new Localizer().for(DEFAULT_LOCALE),
      keys: new RespondentKeys(config.answerKey),
      classifier: screened(new LocalClassifier()),
      replyHandles: new ReplyHandles(box, config.followUpWindowMs),
      bootstrap: config.bootstrapRoles,
      reach: config.reach,
      safeguardingResendMs: config.safeguarding.resendMs,
      anonymityThreshold: config.anonymityThreshold,
      commentThreshold: config.commentThreshold,
      quietHours: config.defaultQuietHours,
    });
    say(
      `Loaded Oak View: ${people} people and the digital care planning initiative with six weeks of history (storage: ${storage.description}).`,
    );
  } finally {
    await storage.close();
  }
}

async function packageCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { env: { type: 'string', default: 'local' } } });
  const result = await packageApp(values.env ?? 'local');
  say(`Teams app package written to ${result.zipPath}`);
}

async function analyseCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      in: { type: 'string' },
      out: { type: 'string' },
      'text-column': { type: 'string', default: 'text' },
    },
  });
  if (values.in === undefined || values.out === undefined) {
    process.stdout.write(USAGE);
    process.exitCode = 2;
    return;
  }
  // The same screen as the server, so the disclosures listed are those Huddle would put to a person; in a
  // thread per core (at most four), since the screen's encoder keeps one core busy.
  const threads = Math.min(4, availableParallelism());
  const pool = new ClassifierPool(threads);
  let report: AnalyseReport;
  try {
    report = await analyseFile(
      { input: values.in, output: values.out, textColumn: values['text-column'] ?? 'text' },
      pool,
      { inFlight: threads * 4 },
    );
  } finally {
    await pool.close();
  }
  for (const { line, reason } of report.skipped) say(`line ${line} skipped: ${reason}`);
  say(`${report.written} comments analysed into ${values.out}; ${report.skipped.length} lines skipped.`);
  if (report.safeguarding.length > 0) {
    say(
      `${report.safeguarding.length} may be safeguarding disclosures (lines ${report.safeguarding.join(', ')}): pass them to your safeguarding lead today.`,
    );
  }
}

/** `backup --out DIR` and `restore --in DIR`, on the tables the configuration names (prefix included). */
async function copyCommand(command: 'backup' | 'restore', args: string[]): Promise<void> {
  const option = command === 'backup' ? 'out' : 'in';
  let folder: string | undefined;
  try {
    folder = parseArgs({ args, options: { [option]: { type: 'string' } } }).values[option] as
      | string
      | undefined;
  } catch (error) {
    throw new UsageError(`huddle ${command}: ${(error as Error).message}`);
  }
  if (folder === undefined) throw new UsageError(`huddle ${command} needs --${option} DIR`);
  const config = loadConfig(process.env);
  const { tables, description, close } = await openTablesOnly(
    config.storage,
    config.tablePrefix,
    createLogger(config.logLevel),
  );
  try {
    if (command === 'backup') {
      const counts = await backupTables(tables, folder, new Date());
      say(`Backed up ${total(counts)} rows from ${description} into ${folder}.`);
    } else {
      const counts = await restoreTables(tables, folder);
      say(`Restored ${total(counts)} rows from ${folder} into ${description}.`);
    }
  } finally {
    await close();
  }
}

/** `export`: one initiative's evidence pack, read as the server reads it. */
async function exportCommand(args: string[]): Promise<void> {
  const options = parseExportArgs(args);
  const config = loadConfig(process.env);
  const storage = await openStorage(
    config.storage,
    config.tablePrefix,
    createLogger(config.logLevel),
    new SealedBox(config.answerKey),
  );
  try {
    const { path, pack } = await exportEvidence(storage, options, {
      t: new Localizer().for(DEFAULT_LOCALE),
      timeZone: config.defaultTimeZone,
      now: new Date(),
      anonymityThreshold: config.anonymityThreshold,
      safeguardingResendMs: config.safeguarding.resendMs,
    });
    say(
      pack.empty
        ? `Wrote ${path}. Nothing has happened in "${pack.initiative.title}" yet, and the pack says so.`
        : `Wrote the evidence pack of "${pack.initiative.title}" to ${path}.`,
    );
  } finally {
    await storage.close();
  }
}

const total = (counts: RowCounts) => Object.values(counts).reduce((sum, rows) => sum + rows, 0);

async function run(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'dev':
      return dev();
    case 'seed-demo':
      return seed(loadConfig(process.env));
    case 'package':
      return packageCommand(rest);
    case 'analyse':
      return analyseCommand(rest);
    case 'eval':
      return evalCommand(rest, say);
    case 'backup':
    case 'restore':
      return copyCommand(command, rest);
    case 'export':
      return exportCommand(rest);
    default:
      process.stdout.write(USAGE);
      if (command !== undefined && command !== 'help' && command !== '--help') process.exitCode = 2;
  }
}

run(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    complain(`${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (
    error instanceof ConfigError ||
    error instanceof ManifestError ||
    error instanceof InputFileError ||
    error instanceof BackupError ||
    error instanceof ExportError
  ) {
    complain(error.message);
    process.exit(2);
  }
  complain(`huddle: ${(error as Error).message}`);
  process.exit(1);
});
