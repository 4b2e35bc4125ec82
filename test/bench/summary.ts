/**
 * How a benchmark hands its headline figures to `run.ts`: one line on stdout, after everything it prints
 * for people, so the runner can build a RESULTS.md row without parsing prose.
 */
export type Figures = Record<string, number | string>;

const MARK = 'bench-summary ';

export function printSummary(figures: Figures): void {
  process.stdout.write(`${MARK}${JSON.stringify(figures)}\n`);
}

/** The figures a benchmark printed, or undefined when it printed none (it failed before the end). */
export function readSummary(output: string): Figures | undefined {
  const line = output
    .split('\n')
    .reverse()
    .find((one) => one.startsWith(MARK));
  return line === undefined ? undefined : (JSON.parse(line.slice(MARK.length)) as Figures);
}
