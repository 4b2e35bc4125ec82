import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readText, type Word } from '../../src/analysis/language.js';
import { type Cue, compileCue, findCue, loadLexicon } from '../../src/analysis/lexicon.js';
import { LocalClassifier } from '../../src/analysis/localClassifier.js';
import { headScore, readScreenHead } from '../../src/analysis/screenHead.js';
import { screenableText, screenWindows, WINDOW } from '../../src/analysis/screenText.js';
import { defaultModelDir, loadEncoder } from '../../src/analysis/sentenceEncoder.js';
import { readLabelledFile } from '../../src/cli/labelledFile.js';
import { screenHeadPath } from '../../src/paths.js';
import { fitLogistic, type Logistic, predictLogistic, stratifiedFolds } from './logistic.js';
import { fitMlp } from './mlp.js';
import { type Example, safeguardingDir, trainingSet } from './screenData.js';
import { EmbeddingCache } from './screenEmbeddings.js';

/**
 * `npm run eval:screen-candidates`: compares other disclosure screens with today's (lexicon OR a logistic
 * head over sentence embeddings), each chosen by cross-validation on the training set and then, once
 * frozen, scored on a development set (by default safeguarding/screen-fresh2-kinds.tsv, whose `kind`
 * column, our own reading and not its writer's, says which non-disclosures are ordinary comments and which
 * are care-note look-alikes: 178 and 62). The dev
 * set only compares candidates: no threshold is chosen on it. Nothing is written.
 *
 * Candidates: gates (the head counts only on a comment naming a person or a harm word, or at a very high
 * score), sentence-level reading, lexicon-derived features beside the embedding, a one-hidden-layer
 * network, and a nearest-neighbour vote. For each: the cross-validated thresholds for the recall target,
 * the figures there, and the figures once the thresholds are lowered, as `train:screen` lowers them, until
 * every training disclosure is flagged in-sample (what a shipped head must do).
 * `--with-fresh1` adds safeguarding/screen-fresh.tsv to the training set; `--only REGEX` picks candidates.
 */
const { values } = parseArgs({
  options: {
    folds: { type: 'string', default: '5' },
    seed: { type: 'string', default: '16' },
    recall: { type: 'string', default: '0.95' },
    dev: { type: 'string', default: join(safeguardingDir, 'screen-fresh2-kinds.tsv') },
    'with-fresh1': { type: 'boolean', default: false },
    only: { type: 'string' },
  },
});
const FOLDS = Number(values.folds);
const SEED = Number(values.seed);
const RECALL = Number(values.recall);
const say = (line = '') => process.stdout.write(`${line}\n`);
const pct = (value: number) => (Number.isNaN(value) ? '-' : `${(100 * value).toFixed(1)}%`);

const examples: Example[] = await trainingSet();
if (values['with-fresh1'])
  for (const comment of (await readLabelledFile(join(safeguardingDir, 'screen-fresh.tsv'))).comments)
    examples.push({
      text: comment.text,
      label: comment.safeguarding ? 1 : 0,
      source: comment.safeguarding ? 'disclosure' : 'hard negative',
      category: 'screen-fresh',
      file: 'safeguarding/screen-fresh.tsv',
    });
const devRows = (await readLabelledFile(values.dev)).comments;
/** The dev set's `kind` column, by text: the labelled-file reader ignores columns it does not know. */
const kindOf = new Map<string, string>();
{
  const [header, ...lines] = readFileSync(values.dev, 'utf8').split('\n');
  const columns = header?.split('\t') ?? [];
  const [kindAt, textAt] = [columns.indexOf('kind'), columns.indexOf('text')];
  if (kindAt >= 0)
    for (const cells of lines.map((line) => line.split('\t')))
      kindOf.set((cells[textAt] ?? '').trim(), cells[kindAt] ?? '');
}

const { model, sha256 } = await loadEncoder(defaultModelDir());
const cache = new EmbeddingCache(model, sha256);
const SENTENCE_END = /(?<=[.!?…])\s+|\s*\n\s*/u;
const LETTER = /\p{L}/u;
const wholeText = (text: string) => screenableText(text).replace(/\n/g, ' ').slice(0, 2_000);
const sentencesOf = (text: string) =>
  screenableText(text)
    .split(SENTENCE_END)
    .filter((sentence) => LETTER.test(sentence))
    .map((sentence) => sentence.slice(0, WINDOW));

const lexicon = loadLexicon();
const classifier = new LocalClassifier(lexicon);
/** Words of a care note that records what was done: what look-alikes say and disclosures mostly do not. */
const HANDLED = [
  'record',
  'report',
  'body map',
  'incident form',
  'incident on',
  'inform',
  'aware',
  'as per',
  'care plan',
  'risk assessment',
  'document',
  'obs',
  'dress',
  'first aid',
  'refer',
  'review',
  'update',
  'no injury',
  'no injuries',
  'settle',
  'chart',
  'MAR',
  'eMAR',
  'assess',
  'agree',
  'best interests',
  'DoLS',
  'sort',
  'note',
  'plan',
  'GP',
  'nurse',
  'apply',
  'check',
  'give',
  'start',
].map(compileCue);
/** Words of someone telling what they saw or fear, or of something that keeps happening. */
const WITNESS = [
  'I saw',
  'I heard',
  'I see',
  'told me',
  'said that',
  'keep',
  'always',
  'every time',
  'nobody',
  'no one',
  'scared',
  'afraid',
  'worry',
  'not sure',
  'not right',
  'should',
].map(compileCue);
const matches = (cues: readonly Cue[], words: readonly Word[]) =>
  cues.reduce((total, cue) => total + findCue(cue, words).length, 0);

/** Counts (log1p) of the lexicon's safeguarding cues and of the lists above, and the length in words. */
function lexiconFeatures(text: string): number[] {
  const { words } = readText(text);
  const { disclosures, harm, people, notHarm } = lexicon.safeguarding;
  const idioms = new Set(notHarm.flatMap((cue) => findCue(cue, words).flat()));
  let harmful = 0;
  let negated = 0;
  for (const cue of harm)
    for (const match of findCue(cue, words)) {
      if (match.some((at) => idioms.has(at))) continue;
      if (!cue.negative && match.some((at) => words[at]?.negated)) negated += 1;
      else harmful += 1;
    }
  return [
    matches(disclosures, words),
    harmful,
    negated,
    matches(people, words),
    idioms.size > 0 ? 1 : 0,
    matches(HANDLED, words),
    matches(WITNESS, words),
    words.length,
  ].map(Math.log1p);
}

interface Item {
  text: string;
  label: 0 | 1;
  source: string;
  file: string;
  kind?: string;
  lexicon: boolean;
  /** The lexicon finds a person or a harm word (`safeguarding.people`, `harm`) anywhere in it. */
  personOrHarm: boolean;
  harmWord: boolean;
  whole: number[];
  windows: number[][];
  windowFeatures: number[][];
  sentences: number[][];
}
async function prepare(
  rows: Omit<
    Item,
    'lexicon' | 'personOrHarm' | 'harmWord' | 'whole' | 'windows' | 'windowFeatures' | 'sentences'
  >[],
) {
  const windows = rows.map(({ text }) => screenWindows(text));
  const wholes = rows.map(({ text }) => wholeText(text));
  const sentences = rows.map(({ text }) => sentencesOf(text));
  await cache.embedAll([...windows.flat(), ...wholes, ...sentences.flat()]);
  const items: Item[] = [];
  for (const [index, row] of rows.entries()) {
    const { words } = readText(row.text);
    const harmWord = matches(lexicon.safeguarding.harm, words) > 0;
    items.push({
      ...row,
      lexicon: (await classifier.classify(row.text)).safeguarding,
      personOrHarm: harmWord || matches(lexicon.safeguarding.people, words) > 0,
      harmWord,
      whole: cache.get(wholes[index] as string),
      windows: (windows[index] ?? []).map((window) => cache.get(window)),
      windowFeatures: (windows[index] ?? []).map(lexiconFeatures),
      sentences: (sentences[index] ?? []).map((sentence) => cache.get(sentence)),
    });
  }
  return items;
}
const items = await prepare(examples);
const dev = await prepare(
  devRows.map((comment) => ({
    text: comment.text,
    label: comment.safeguarding ? 1 : 0,
    source: comment.safeguarding ? 'disclosure' : 'dev negative',
    file: 'dev',
    kind: kindOf.get(comment.text.trim()),
  })),
);

type Scorer = (item: Item) => number;
interface Candidate {
  name: string;
  fit: (train: Item[]) => Scorer;
  /** Below the very high bar (chosen in cross-validation), the head counts only when this holds. */
  gate?: (item: Item) => boolean;
}
const maxOf = (scores: number[]) => (scores.length === 0 ? 0 : Math.max(...scores));
const bestWindow = (score: (vector: number[]) => number) => (item: Item) => maxOf(item.windows.map(score));
const withFeatures = (item: Item, window: number) => [
  ...(item.windows[window] ?? []),
  ...(item.windowFeatures[window] ?? []),
];
const wholeWithFeatures = (item: Item) => [...item.whole, ...(item.windowFeatures[0] ?? [])];
const labelsOf = (train: Item[]) => train.map((item) => item.label);

/** Fits shared by candidates that read the same head differently (gates, sentences), per training set. */
const fits = new WeakMap<Item[], Map<string, Logistic>>();
function logisticOnce(key: string, train: Item[], rows: (item: Item) => number[], l2: number): Logistic {
  const known = fits.get(train) ?? new Map<string, Logistic>();
  fits.set(train, known);
  const fitted = known.get(key) ?? fitLogistic(train.map(rows), labelsOf(train), { l2 });
  known.set(key, fitted);
  return fitted;
}

/** Nearest neighbours: mean cosine of the k nearest disclosures minus that of the k nearest others. */
function nearestMargin(train: Item[], k: number): (vector: number[]) => number {
  const unit = (vector: number[]) => {
    const norm = Math.sqrt(vector.reduce((sum, x) => sum + x * x, 0)) || 1;
    return vector.map((x) => x / norm);
  };
  const positives = train.filter((item) => item.label === 1).map((item) => unit(item.whole));
  const negatives = train.filter((item) => item.label === 0).map((item) => unit(item.whole));
  const nearest = (group: number[][], query: number[]) =>
    group
      .map((vector) => vector.reduce((sum, x, i) => sum + x * (query[i] as number), 0))
      .sort((a, b) => b - a)
      .slice(0, k)
      .reduce((sum, x) => sum + x / k, 0);
  return (vector) => {
    const query = unit(vector);
    return 0.5 + 0.5 * (nearest(positives, query) - nearest(negatives, query));
  };
}

const candidates: Candidate[] = [];
for (const l2 of [0.003, 0.01]) {
  const head = (train: Item[]) => {
    const fitted = logisticOnce(`whole ${l2}`, train, (item) => item.whole, l2);
    return (vector: number[]) => predictLogistic(fitted, vector);
  };
  const withLexicon = (train: Item[]): Scorer => {
    const fitted = logisticOnce(`features ${l2}`, train, wholeWithFeatures, l2);
    return (item) => maxOf(item.windows.map((_, w) => predictLogistic(fitted, withFeatures(item, w))));
  };
  const today = (train: Item[]) => bestWindow(head(train));
  candidates.push(
    { name: `today: logistic l2=${l2}`, fit: today },
    { name: `gate person|harm l2=${l2}`, fit: today, gate: (item) => item.personOrHarm },
    { name: `gate harm word l2=${l2}`, fit: today, gate: (item) => item.harmWord },
    {
      name: `max(windows, sentences) l2=${l2}`,
      fit: (train) => {
        const score = head(train);
        return (item) => Math.max(maxOf(item.windows.map(score)), maxOf(item.sentences.map(score)));
      },
    },
    { name: `lexicon features l2=${l2}`, fit: withLexicon },
    { name: `lexicon features + gate l2=${l2}`, fit: withLexicon, gate: (item) => item.personOrHarm },
  );
}
for (const [hidden, l2] of [
  [16, 0.001],
  [32, 0.01],
] as const) {
  const options = { hidden, l2, epochs: 40, seed: SEED };
  candidates.push(
    {
      name: `mlp h=${hidden} l2=${l2}`,
      fit: (train) =>
        bestWindow(
          fitMlp(
            train.map((item) => item.whole),
            labelsOf(train),
            options,
          ),
        ),
    },
    {
      name: `mlp + lexicon features h=${hidden} l2=${l2}`,
      fit: (train) => {
        const score = fitMlp(train.map(wholeWithFeatures), labelsOf(train), options);
        return (item) => maxOf(item.windows.map((_, w) => score(withFeatures(item, w))));
      },
    },
  );
}
for (const k of [5, 15])
  candidates.push({ name: `nearest margin k=${k}`, fit: (train) => bestWindow(nearestMargin(train, k)) });

interface Scored {
  item: Item;
  score: number;
}
/** `threshold` for every comment; a gated candidate's ungated comments need `high` instead. */
interface Bars {
  threshold: number;
  high: number;
}
const flagged = (candidate: Candidate, bars: Bars, { item, score }: Scored) =>
  item.lexicon ||
  score >= (candidate.gate === undefined || candidate.gate(item) ? bars.threshold : bars.high);
const HIGHS = [0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999];

/** The bars with the fewest false alarms at which lexicon OR head finds at least RECALL of the disclosures. */
function barsFor(candidate: Candidate, scored: Scored[]): Bars {
  const positives = scored.filter(({ item }) => item.label === 1);
  const negatives = scored.filter(({ item }) => item.label === 0);
  const needed = Math.ceil(RECALL * positives.length);
  const thresholds = [...new Set(positives.map(({ score }) => score))].sort((a, b) => b - a);
  let best: { bars: Bars; cost: number } | undefined;
  for (const high of candidate.gate ? HIGHS : [1]) {
    // The very high bar is never below the ordinary one.
    const barsAt = (threshold: number) => ({ threshold, high: Math.max(high, threshold) });
    const threshold = thresholds.find(
      (at) => positives.filter((one) => flagged(candidate, barsAt(at), one)).length >= needed,
    );
    if (threshold === undefined) continue;
    const bars = barsAt(threshold);
    const cost = negatives.filter((one) => flagged(candidate, bars, one)).length;
    if (best === undefined || cost < best.cost) best = { bars, cost };
  }
  if (best === undefined) throw new Error(`${candidate.name}: no bars reach recall ${RECALL}`);
  return best.bars;
}

const share = (scored: Scored[], flag: (one: Scored) => boolean) =>
  scored.length === 0 ? Number.NaN : scored.filter(flag).length / scored.length;
/** One row of figures: cross-validated recall and false alarms, then the frozen head's on the dev set. */
function row(cv: Scored[], devScored: Scored[], flag: (one: Scored) => boolean): string {
  const where = (list: Scored[], which: (item: Item) => boolean) => list.filter(({ item }) => which(item));
  const devNegatives = where(devScored, (item) => item.label === 0);
  return [
    `CV recall ${pct(
      share(
        where(cv, (item) => item.label === 1),
        flag,
      ),
    )}`,
    `hard ${pct(
      share(
        where(cv, (item) => item.file === 'safeguarding/negatives.tsv'),
        flag,
      ),
    )}`,
    `ordinary ${pct(
      share(
        where(cv, (item) => item.source === 'ordinary'),
        flag,
      ),
    )}`,
    ...(values['with-fresh1']
      ? [
          `screen-fresh others ${pct(
            share(
              where(cv, (item) => item.file === 'safeguarding/screen-fresh.tsv' && item.label === 0),
              flag,
            ),
          )}`,
        ]
      : []),
    `| dev recall ${pct(
      share(
        where(devScored, (item) => item.label === 1),
        flag,
      ),
    )}`,
    `flagged ${devNegatives.filter(flag).length}/${devNegatives.length}`,
    `ordinary ${pct(
      share(
        where(devNegatives, (item) => item.kind === 'ordinary'),
        flag,
      ),
    )}`,
    `look-alike ${pct(
      share(
        where(devNegatives, (item) => item.kind === 'look-alike'),
        flag,
      ),
    )}`,
  ].join(' ');
}
const showBars = (candidate: Candidate, bars: Bars) =>
  `t=${bars.threshold.toFixed(3)}${candidate.gate ? ` high=${bars.high.toFixed(3)}` : ''}`;

say(
  `training set: ${items.length} comments (${items.filter((item) => item.label === 1).length} disclosures); dev set ${values.dev}: ${dev.length}`,
);
say(`recall target ${RECALL}, ${FOLDS} folds, seed ${SEED}; the lexicon's flag always counts`);
const only = values.only === undefined ? undefined : new RegExp(values.only);
const fold = stratifiedFolds(labelsOf(items), FOLDS, SEED);
const trainOf = Array.from({ length: FOLDS }, (_, f) => items.filter((_, index) => fold[index] !== f));
for (const candidate of candidates.filter(({ name }) => only?.test(name) ?? true)) {
  const started = performance.now();
  const cv: Scored[] = [];
  for (let f = 0; f < FOLDS; f += 1) {
    const score = candidate.fit(trainOf[f] as Item[]);
    items.forEach((item, index) => {
      if (fold[index] === f) cv[index] = { item, score: score(item) };
    });
  }
  const bars = barsFor(candidate, cv);
  const final = candidate.fit(items);
  const devScored = dev.map((item) => ({ item, score: final(item) }));
  // As train:screen does: each bar lowered to the lowest in-sample score of a training disclosure it misses.
  const missed = items
    .map((item) => ({ item, score: final(item) }))
    .filter((one) => one.item.label === 1 && !flagged(candidate, bars, one));
  const lowest = (gated: boolean) =>
    Math.min(
      ...missed.filter(({ item }) => (candidate.gate?.(item) ?? true) === gated).map(({ score }) => score),
    );
  const shipped = {
    threshold: Math.min(bars.threshold, lowest(true)),
    high: Math.min(bars.high, lowest(false)),
  };
  say(`\n${candidate.name} (${Math.round((performance.now() - started) / 1000)} s)`);
  say(
    `  at CV bars ${showBars(candidate, bars)}: ${row(cv, devScored, (one) => flagged(candidate, bars, one))}`,
  );
  say(
    `  shipped ${showBars(candidate, shipped)} (${missed.length} training disclosures missed in-sample at CV bars): ${row(cv, devScored, (one) => flagged(candidate, shipped, one))}`,
  );
}

const devNegatives = dev.filter((item) => item.label === 0);
const devFigures = (flag: (item: Item) => boolean) => {
  const of = (kind: string) => devNegatives.filter((item) => item.kind === kind);
  const count = (list: Item[]) => `${list.filter(flag).length}/${list.length}`;
  return `recall ${count(dev.filter((item) => item.label === 1))}, flagged ${count(devNegatives)} (ordinary ${count(of('ordinary'))}, look-alike ${count(of('look-alike'))})`;
};
const committed = readScreenHead(screenHeadPath);
say(`\non dev, the lexicon alone: ${devFigures((item) => item.lexicon)}`);
say(
  `on dev, the committed head with its own thresholds: ${devFigures(
    (item) =>
      item.lexicon ||
      maxOf(item.windows.map((vector) => headScore(committed, vector))) >=
        (item.windows.length > 1 ? committed.longThreshold : committed.threshold),
  )}`,
);

// Encoder and feature time per comment, uncached, on the first 100 dev comments.
const sample = devRows.slice(0, 100).map(({ text }) => text);
const millisecondsPer = async (work: () => Promise<unknown> | unknown) => {
  const started = performance.now();
  await work();
  return ((performance.now() - started) / sample.length).toFixed(1);
};
const embed = async (texts: string[]) => {
  for (let start = 0; start < texts.length; start += 8) await model.embed(texts.slice(start, start + 8));
};
say(
  `ms per comment: encoder on windows ${await millisecondsPer(() => embed(sample.flatMap(screenWindows)))}, on sentences as well ${await millisecondsPer(() => embed(sample.flatMap((text) => (sentencesOf(text).length > 1 ? sentencesOf(text) : []))))} more, lexicon features ${await millisecondsPer(() => sample.map(lexiconFeatures))}`,
);
