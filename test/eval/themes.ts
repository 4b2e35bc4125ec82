import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { evaluate, predict } from '../../src/analysis/evaluation.js';
import { LocalClassifier } from '../../src/analysis/localClassifier.js';
import { THEMES } from '../../src/domain/themes.js';
import { readLabelled } from './themeMetrics.js';

/**
 * `npm run eval:themes`: scores the local classifier on the labelled comments in test/fixtures/themes.
 * `--errors` also lists every comment it got wrong.
 */
const { values } = parseArgs({ options: { errors: { type: 'boolean', default: false } } });
const fixtures = join(import.meta.dirname, '..', 'fixtures', 'themes');
const classifier = new LocalClassifier();
const say = (line = '') => process.stdout.write(`${line}\n`);
const pct = (value: number) => value.toFixed(2);

for (const name of ['eval.tsv', 'holdout.tsv', 'fresh.tsv']) {
  const labelled = readLabelled(join(fixtures, name));
  const predicted = await predict(classifier, labelled);
  const result = evaluate(labelled, predicted);
  say(`${name}: ${labelled.length} comments`);
  say(`${'theme'.padEnd(24)}precision  recall  f1    support`);
  for (const theme of THEMES) {
    const s = result.perTheme[theme];
    say(
      `${theme.padEnd(24)}${pct(s.precision).padEnd(11)}${pct(s.recall).padEnd(8)}${pct(s.f1).padEnd(6)}${s.support}`,
    );
  }
  say(`macro-F1 ${pct(result.macroF1)}   accuracy ${pct(result.accuracy)}`);
  say(
    `safeguarding precision ${pct(result.safeguarding.precision)} recall ${pct(result.safeguarding.recall)} (${result.safeguarding.support} disclosures)`,
  );
  if (values.errors) {
    labelled.forEach((truth, index) => {
      const guess = predicted[index];
      if (guess === undefined || (guess.theme === truth.theme && guess.safeguarding === truth.safeguarding))
        return;
      say(
        `  ${truth.theme}${truth.safeguarding ? '+SG' : ''} -> ${guess.theme}${guess.safeguarding ? '+SG' : ''}: ${truth.text}`,
      );
    });
  }
  say();
}
