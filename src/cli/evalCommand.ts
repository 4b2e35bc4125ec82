import { parseArgs } from 'node:util';
import pino from 'pino';
import { z } from 'zod';
import { type Evaluation, evaluate, misread, predict } from '../analysis/evaluation.js';
import { LocalClassifier } from '../analysis/localClassifier.js';
import { type Config, ConfigError, loadConfig } from '../config.js';
import type { CommentClassifier } from '../domain/feedback/themes.js';
import { createLogger, routeConsoleTo } from '../logger.js';
import { evaluationTable, misreadLines } from './evaluationTable.js';
import type { SkippedLine } from './inputRecords.js';
import { readLabelledFile } from './labelledFile.js';
import { screened } from './screened.js';

/** The command line asks for something the command cannot do; the message says what to write instead. */
export class UsageError extends Error {
  override name = 'UsageError';
}

const evalOptions = z.object({
  in: z.string({ required_error: 'huddle eval needs --in FILE: a labelled CSV, TSV or JSONL file' }),
  classifier: z
    .enum(['local', 'model'], {
      errorMap: (_, context) => ({
        message: `huddle eval: --classifier is local (the default) or model, not ${JSON.stringify(context.data)}`,
      }),
    })
    .default('local'),
  json: z.boolean(),
  errors: z.boolean(),
  screen: z.boolean(),
});

function readOptions(args: string[]): z.infer<typeof evalOptions> {
  let values: unknown;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        in: { type: 'string' },
        classifier: { type: 'string' },
        json: { type: 'boolean', default: false },
        errors: { type: 'boolean', default: false },
        screen: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError(`huddle eval: ${(error as Error).message}`);
  }
  const parsed = evalOptions.safeParse(values);
  if (!parsed.success) throw new UsageError(parsed.error.issues[0]?.message ?? 'huddle eval: bad arguments');
  return parsed.data;
}

interface Reader {
  classifier: CommentClassifier;
  /** What read the comments, and for a model where they were sent. */
  name: string;
}

/**
 * The model exactly as HUDDLE_CLASSIFIER=model runs it in the server: the same settings, checks and
 * messages (loadConfig), the same ModelClassifier with the local reading as its fallback. The bot's
 * modules (botbuilder, teams-ai) are imported only here: they take seconds, which a local run need not wait.
 */
async function modelReader(): Promise<Reader> {
  let config: Config;
  try {
    config = loadConfig({ ...process.env, HUDDLE_CLASSIFIER: 'model' });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ConfigError(
      error.problems,
      'huddle eval --classifier model calls the model the server would, set up by the same environment variables; fix these:',
    );
  }
  const choice = config.classifier;
  // loadConfig refuses HUDDLE_CLASSIFIER=model without an endpoint; this check only tells the type so.
  if (choice.kind !== 'model') throw new ConfigError(['  HUDDLE_MODEL_ENDPOINT: not set']);
  // Why a comment fell back goes to stderr (reasons only, never words), so stdout stays the report. teams-ai
  // prints each failed request's whole error object with console.log; as in the server, that becomes a
  // one-line warning in the log.
  const logger = createLogger(config.logLevel, pino.destination({ dest: 2, sync: true }));
  routeConsoleTo(logger);
  const [{ createAdapter }, { ModelClassifier }] = await Promise.all([
    import('../bot/app.js'),
    import('../bot/modelClassifier.js'),
  ]);
  return {
    classifier: new ModelClassifier({
      choice,
      adapter: createAdapter(config.bot),
      local: new LocalClassifier(),
      logger,
    }),
    name: `model ${choice.model} at ${new URL(choice.endpoint).host}`,
  };
}

/** One scoring run, as the report needs it. */
interface Run {
  file: string;
  classifier: string;
  skipped: SkippedLine[];
  /** Comments a model classifier answered with its local reading: the model failed, was slow or refused. */
  fallbacks: number;
  result: Evaluation;
  /** Only when `--errors` asked for them, since they carry the comments' words. */
  misreadComments: ReturnType<typeof misread> | undefined;
}

function jsonReport({ result, misreadComments, ...run }: Run): string {
  const misreadings = misreadComments?.map(({ truth, guess }) => ({
    line: truth.line,
    label: { theme: truth.theme ?? null, safeguarding: truth.safeguarding },
    reading: { theme: guess.theme, safeguarding: guess.safeguarding },
    text: truth.text,
  }));
  return JSON.stringify({ ...run, ...result, themes: result.themes ?? null, misread: misreadings }, null, 2);
}

function textReport({ file, classifier, skipped, fallbacks, result, misreadComments }: Run): string[] {
  const lines = [`${file}: ${result.comments} comments read by ${classifier}`];
  for (const { line, reason } of skipped) lines.push(`line ${line} skipped: ${reason}`);
  if (skipped.length > 0) lines.push(`${skipped.length} ${skipped.length === 1 ? 'line' : 'lines'} skipped.`);
  if (fallbacks > 0) {
    lines.push(
      `${fallbacks} of ${result.comments} comments fell back to the local reading (the model failed, was too slow or gave an answer Huddle refused; the warnings on stderr say why): these figures are partly the local classifier's.`,
    );
  }
  lines.push(...evaluationTable(result));
  if (misreadComments !== undefined) {
    lines.push(
      misreadComments.length === 0 ? 'No comment misread.' : 'Misread (label -> reading), with their words:',
    );
    lines.push(...misreadLines(misreadComments));
  }
  return lines;
}

/**
 * `huddle eval`: scores a classifier on a labelled file, so an organisation can measure a model it
 * approved on its own comments before turning it on. Comment text is printed only with `--errors`.
 */
export async function evalCommand(args: string[], say: (line: string) => void): Promise<void> {
  const options = readOptions(args);
  const chosen: Reader =
    options.classifier === 'model'
      ? await modelReader()
      : { classifier: new LocalClassifier(), name: 'the local classifier' };
  // With --screen, safeguarding is scored as the server flags: the classifier's flag or the screen's.
  const reader: Reader = options.screen
    ? { classifier: screened(chosen.classifier), name: `${chosen.name} with the disclosure screen` }
    : chosen;
  const { comments, skipped } = await readLabelledFile(options.in);
  const predicted = await predict(reader.classifier, comments);
  const result = evaluate(comments, predicted);
  const run: Run = {
    file: options.in,
    classifier: reader.name,
    skipped,
    fallbacks: options.classifier === 'model' ? result.readBy.local : 0,
    result,
    misreadComments: options.errors ? misread(comments, predicted) : undefined,
  };
  if (options.json) say(jsonReport(run));
  else for (const line of textReport(run)) say(line);
  if (options.classifier === 'model' && result.readBy.model === 0) {
    throw new Error(
      `the model answered none of the ${comments.length} comments, so every figure is the local classifier's; the warnings on stderr say why.`,
    );
  }
}
