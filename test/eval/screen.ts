import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DisclosureScreen } from '../../src/analysis/disclosureScreen.js';
import { LocalClassifier } from '../../src/analysis/localClassifier.js';
import { readLabelledFile } from '../../src/cli/labelledFile.js';
import { textKey, trainingSet } from './screenData.js';

/**
 * `npm run eval:screen [-- --set path.tsv]`: scores the frozen screen (the committed head) on a labelled
 * set it was not trained on, by default test/fixtures/themes/fresh.tsv: lexicon alone, head alone, and
 * the screen (lexicon OR head). Never used for training or for choosing thresholds. A set whose comments
 * are in the training set is scored but said to be seen: its figures flatter the head.
 */
const { values } = parseArgs({
  options: {
    set: { type: 'string', default: join(import.meta.dirname, '..', 'fixtures', 'themes', 'fresh.tsv') },
  },
});
const { comments: labelled } = await readLabelledFile(values.set);
const classifier = new LocalClassifier();
const screen = new DisclosureScreen();
const readings = await screen.screen(labelled.map(({ text }) => text));
const lexicon = await Promise.all(
  labelled.map(async ({ text }) => (await classifier.classify(text)).safeguarding),
);
const say = (line = '') => process.stdout.write(`${line}\n`);

const trained = new Set((await trainingSet()).map(({ text }) => textKey(text)));
const seen = labelled.filter(({ text }) => trained.has(textKey(text))).length;
if (seen > 0)
  say(
    `${values.set}: ${seen} of ${labelled.length} comments are in the training set, so these figures are not an unseen measurement\n`,
  );

const disclosures = labelled.filter((row) => row.safeguarding).length;
const ordinary = labelled.length - disclosures;
for (const [name, flagged] of [
  ['lexicon alone', (i: number) => lexicon[i] === true],
  ['head alone', (i: number) => readings[i]?.flagged === true],
  ['screen (lexicon OR head)', (i: number) => lexicon[i] === true || readings[i]?.flagged === true],
] as const) {
  const found = labelled.filter((row, i) => row.safeguarding && flagged(i)).length;
  const falseAlarms = labelled.filter((row, i) => !row.safeguarding && flagged(i)).length;
  say(
    `${name.padEnd(26)} found ${found}/${disclosures} disclosures (recall ${(found / disclosures).toFixed(2)}), flagged ${falseAlarms}/${ordinary} ordinary comments (${((100 * falseAlarms) / ordinary).toFixed(1)}%)`,
  );
}
say(
  `\n${values.set}: head trained ${screen.head.trained.date}, thresholds ${screen.head.threshold} / ${screen.head.longThreshold}`,
);
for (const [i, row] of labelled.entries()) {
  const flagged = lexicon[i] === true || readings[i]?.flagged === true;
  if (flagged !== row.safeguarding)
    say(
      `  ${row.safeguarding ? 'missed' : 'false alarm'} (head ${readings[i]?.score.toFixed(3)}): ${row.text}`,
    );
}
