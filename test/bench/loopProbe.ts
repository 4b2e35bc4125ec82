/**
 * Preloaded into Huddle by the soak benchmark (`--import`): measures Huddle's event-loop delay from inside
 * its process. SIGUSR2 starts the measurement afresh (so start-up is left out); on exit the figures go, as
 * JSON, to the file named by BENCH_LOOP_FILE.
 */
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
process.on('SIGUSR2', () => delay.reset());
process.on('exit', () => {
  const file = process.env.BENCH_LOOP_FILE;
  if (file === undefined) return;
  const ms = (ns: number) => Number((ns / 1e6).toFixed(1));
  writeFileSync(
    file,
    JSON.stringify({
      p50Ms: ms(delay.percentile(50)),
      p99Ms: ms(delay.percentile(99)),
      maxMs: ms(delay.max),
    }),
  );
});
