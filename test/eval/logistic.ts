/**
 * L2-regularised logistic regression by accelerated gradient descent, for the disclosure screen's head.
 * Written out rather than taken from a package: it is some sixty lines, it needs class weights and an L2
 * penalty (ml-logistic-regression 2.0.0 has neither and runs a fixed number of plain gradient steps),
 * and it is deterministic (zero start, no sampling), so `npm run train:screen` writes the same head from
 * the same data.
 */

export interface Logistic {
  /** In the space of the raw features (the standardisation is folded in). */
  weights: Float64Array;
  bias: number;
}

export interface FitOptions {
  /** The L2 penalty on the standardised weights. */
  l2: number;
  /** Upper bound on steps; it stops earlier when the gradient is flat. */
  maxSteps?: number;
}

/** Fits a head on rows of features and 0/1 labels; both classes count equally whatever their numbers. */
export function fitLogistic(
  rows: readonly ArrayLike<number>[],
  labels: readonly number[],
  options: FitOptions,
): Logistic {
  const n = rows.length;
  const d = rows[0]?.length ?? 0;
  const w = d + 1;
  const { mean, scale } = columnStats(rows);
  // Standardised rows, one flat array, each with a trailing 1 for the bias.
  const z = new Float64Array(n * w);
  rows.forEach((row, i) => {
    for (let j = 0; j < d; j += 1)
      z[i * w + j] = ((row[j] as number) - (mean[j] as number)) / (scale[j] as number);
    z[i * w + d] = 1;
  });
  const positives = labels.filter((label) => label === 1).length;
  const classWeight = Float64Array.from(labels, (label) =>
    label === 1 ? n / (2 * positives) : n / (2 * (n - positives)),
  );
  const target = Float64Array.from(labels);
  const step = 1 / lipschitz(z, n, w, Math.max(...classWeight), options.l2);

  let beta = new Float64Array(w);
  let previous = new Float64Array(w);
  const ahead = new Float64Array(w);
  const gradient = new Float64Array(w);
  const maxSteps = options.maxSteps ?? 3_000;
  for (let t = 1; t <= maxSteps; t += 1) {
    // Nesterov: look ahead along the last move.
    const momentum = (t - 1) / (t + 2);
    for (let j = 0; j < w; j += 1)
      ahead[j] = (beta[j] as number) + momentum * ((beta[j] as number) - (previous[j] as number));
    gradient.fill(0);
    for (let i = 0; i < n; i += 1) {
      const at = i * w;
      let sum = 0;
      for (let j = 0; j < w; j += 1) sum += (z[at + j] as number) * (ahead[j] as number);
      const error = ((classWeight[i] as number) * (1 / (1 + Math.exp(-sum)) - (target[i] as number))) / n;
      for (let j = 0; j < w; j += 1) gradient[j] = (gradient[j] as number) + error * (z[at + j] as number);
    }
    let norm = 0;
    for (let j = 0; j < w; j += 1) {
      if (j < d) gradient[j] = (gradient[j] as number) + options.l2 * (ahead[j] as number);
      norm += (gradient[j] as number) ** 2;
    }
    const next = previous;
    for (let j = 0; j < w; j += 1) next[j] = (ahead[j] as number) - step * (gradient[j] as number);
    previous = beta;
    beta = next;
    if (Math.sqrt(norm) < 1e-5) break;
  }

  const weights = new Float64Array(d);
  let bias = beta[d] as number;
  for (let j = 0; j < d; j += 1) {
    weights[j] = (beta[j] as number) / (scale[j] as number);
    bias -= ((beta[j] as number) * (mean[j] as number)) / (scale[j] as number);
  }
  return { weights, bias };
}

/** An upper bound on the gradient's Lipschitz constant, from the largest eigenvalue of Z'Z/n (power iteration). */
function lipschitz(z: Float64Array, n: number, w: number, maxWeight: number, l2: number): number {
  let v = new Float64Array(w).fill(1 / Math.sqrt(w));
  let eigen = 1;
  for (let round = 0; round < 60; round += 1) {
    const next = new Float64Array(w);
    for (let i = 0; i < n; i += 1) {
      let dot = 0;
      for (let j = 0; j < w; j += 1) dot += (z[i * w + j] as number) * (v[j] as number);
      for (let j = 0; j < w; j += 1) next[j] = (next[j] as number) + (dot * (z[i * w + j] as number)) / n;
    }
    eigen = Math.sqrt(next.reduce((sum, value) => sum + value * value, 0));
    v = next.map((value) => value / eigen);
  }
  // 10% margin: power iteration approaches the largest eigenvalue from below.
  return 1.1 * (maxWeight / 4) * eigen + l2;
}

/** The probability the head gives one row. */
export function predictLogistic(model: Logistic, row: ArrayLike<number>): number {
  let sum = model.bias;
  for (let j = 0; j < model.weights.length; j += 1) sum += (model.weights[j] ?? 0) * (row[j] ?? 0);
  return 1 / (1 + Math.exp(-sum));
}

/** A seeded generator (mulberry32), so folds are the same on every run. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Stratified folds: each class shuffled with the seed and dealt round the folds. Returns each row's fold. */
export function stratifiedFolds(labels: readonly number[], folds: number, seed: number): number[] {
  const random = seeded(seed);
  const fold = new Array<number>(labels.length).fill(0);
  for (const label of [0, 1]) {
    const members = labels.flatMap((value, index) => (value === label ? [index] : []));
    for (let i = members.length - 1; i > 0; i -= 1) {
      const j = Math.floor(random() * (i + 1));
      [members[i], members[j]] = [members[j] as number, members[i] as number];
    }
    members.forEach((index, position) => {
      fold[index] = position % folds;
    });
  }
  return fold;
}

/** Each column's mean and standard deviation (1 where a column does not vary), to standardise rows by. */
export function columnStats(rows: readonly ArrayLike<number>[]): { mean: Float64Array; scale: Float64Array } {
  const n = rows.length;
  const d = rows[0]?.length ?? 0;
  const mean = new Float64Array(d);
  const scale = new Float64Array(d);
  for (const row of rows)
    for (let j = 0; j < d; j += 1) mean[j] = (mean[j] as number) + (row[j] as number) / n;
  for (const row of rows)
    for (let j = 0; j < d; j += 1)
      scale[j] = (scale[j] as number) + ((row[j] as number) - (mean[j] as number)) ** 2 / n;
  for (let j = 0; j < d; j += 1) scale[j] = Math.sqrt(scale[j] as number) || 1;
  return { mean, scale };
}
