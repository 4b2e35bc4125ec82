import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { evaluate, misread, predict } from '../../src/analysis/evaluation.js';
import { LocalClassifier } from '../../src/analysis/localClassifier.js';
import { evaluationTable, misreadLines } from '../../src/cli/evaluationTable.js';
import { readLabelledFile } from '../../src/cli/labelledFile.js';

/**
 * `npm run eval:themes`: scores the local classifier on the labelled comments in test/fixtures/themes.
 * `--errors` also lists every comment it got wrong. `huddle eval` does the same for anyone's own file.
 */
const { values } = parseArgs({ options: { errors: { type: 'boolean', default: false } } });
const fixtures = join(import.meta.dirname, '..', 'fixtures', 'themes');
const classifier = new LocalClassifier();
const say = (line = '') => process.stdout.write(`${line}\n`);

for (const name of ['eval.tsv', 'holdout.tsv', 'fresh.tsv']) {
  const { comments, skipped } = await readLabelledFile(join(fixtures, name));
  // The fixtures are ours: a line the reader skips is a mistake in them, not something to score around.
  if (skipped.length > 0) throw new Error(`${name}: ${JSON.stringify(skipped)}`);
  const predicted = await predict(classifier, comments);
  say(`${name}: ${comments.length} comments`);
  for (const line of evaluationTable(evaluate(comments, predicted))) say(line);
  if (values.errors) for (const line of misreadLines(misread(comments, predicted))) say(line);
  say();
}
