import { columnStats, seeded } from './logistic.js';

/**
 * A one-hidden-layer network (tanh, then a logistic output) trained by Adam on class-weighted log loss,
 * for comparing with the screen's logistic head (`npm run eval:screen-candidates`). Like fitLogistic it
 * standardises the features and gives both classes equal weight; its start and batch order come from the
 * seed, so a run repeats.
 */
export interface MlpOptions {
  hidden: number;
  /** L2 penalty on the weights (not the biases). */
  l2: number;
  epochs: number;
  seed: number;
}

const BATCH = 32;
const RATE = 1e-3;
const [BETA1, BETA2, EPSILON] = [0.9, 0.999, 1e-8];

/** Fits the network and returns its probability for a row of raw features. */
export function fitMlp(
  rows: readonly ArrayLike<number>[],
  labels: readonly number[],
  options: MlpOptions,
): (row: ArrayLike<number>) => number {
  const { hidden, l2, epochs } = options;
  const n = rows.length;
  const d = rows[0]?.length ?? 0;
  const { mean, scale } = columnStats(rows);
  const standardised = (row: ArrayLike<number>) =>
    Float64Array.from(
      { length: d },
      (_, j) => ((row[j] as number) - (mean[j] as number)) / (scale[j] as number),
    );
  const z = rows.map(standardised);

  const random = seeded(options.seed);
  const gauss = () => Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
  // Parameters in one array: input weights (hidden x d), hidden biases, output weights, output bias.
  const [inputAt, biasAt, outputAt, outputBiasAt] = [
    0,
    hidden * d,
    hidden * d + hidden,
    hidden * d + 2 * hidden,
  ];
  const size = outputBiasAt + 1;
  const theta = new Float64Array(size);
  for (let k = 0; k < hidden * d; k += 1) theta[inputAt + k] = gauss() / Math.sqrt(d);
  for (let k = 0; k < hidden; k += 1) theta[outputAt + k] = gauss() / Math.sqrt(hidden);
  const penalised = (at: number) => at < biasAt || (at >= outputAt && at < outputBiasAt);

  const activations = new Float64Array(hidden);
  const forward = (x: Float64Array) => {
    let out = theta[outputBiasAt] as number;
    for (let k = 0; k < hidden; k += 1) {
      let sum = theta[biasAt + k] as number;
      const at = inputAt + k * d;
      for (let j = 0; j < d; j += 1) sum += (theta[at + j] as number) * (x[j] as number);
      activations[k] = Math.tanh(sum);
      out += (theta[outputAt + k] as number) * (activations[k] as number);
    }
    return 1 / (1 + Math.exp(-out));
  };

  const positives = labels.filter((label) => label === 1).length;
  const classWeight = labels.map((label) => (label === 1 ? n / (2 * positives) : n / (2 * (n - positives))));
  const first = new Float64Array(size);
  const second = new Float64Array(size);
  const gradient = new Float64Array(size);
  const order = rows.map((_, index) => index);
  let step = 0;
  for (let epoch = 0; epoch < epochs; epoch += 1) {
    for (let i = order.length - 1; i > 0; i -= 1) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    for (let start = 0; start < n; start += BATCH) {
      const batch = order.slice(start, start + BATCH);
      gradient.fill(0);
      for (const index of batch) {
        const x = z[index] as Float64Array;
        const error =
          ((classWeight[index] as number) * (forward(x) - (labels[index] as number))) / batch.length;
        gradient[outputBiasAt] = (gradient[outputBiasAt] as number) + error;
        for (let k = 0; k < hidden; k += 1) {
          const activation = activations[k] as number;
          gradient[outputAt + k] = (gradient[outputAt + k] as number) + error * activation;
          const back = error * (theta[outputAt + k] as number) * (1 - activation * activation);
          gradient[biasAt + k] = (gradient[biasAt + k] as number) + back;
          const at = inputAt + k * d;
          for (let j = 0; j < d; j += 1)
            gradient[at + j] = (gradient[at + j] as number) + back * (x[j] as number);
        }
      }
      step += 1;
      const [fix1, fix2] = [1 - BETA1 ** step, 1 - BETA2 ** step];
      for (let at = 0; at < size; at += 1) {
        const g = (gradient[at] as number) + (penalised(at) ? l2 * (theta[at] as number) : 0);
        first[at] = BETA1 * (first[at] as number) + (1 - BETA1) * g;
        second[at] = BETA2 * (second[at] as number) + (1 - BETA2) * g * g;
        theta[at] =
          (theta[at] as number) -
          (RATE * ((first[at] as number) / fix1)) / (Math.sqrt((second[at] as number) / fix2) + EPSILON);
      }
    }
  }
  return (row) => forward(standardised(row));
}
