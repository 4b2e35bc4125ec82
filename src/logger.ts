import { format } from 'node:util';
import pino, { type Logger } from 'pino';

/**
 * JSON logs to stdout. Redaction is a safety net only: handlers log ids, counts and outcomes, never what
 * people wrote or typed into a card.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'huddle' },
      redact: {
        paths: ['text', '*.text', 'value', '*.value', 'body', 'connectionString', '*.connectionString'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

/**
 * Libraries write to the console on their own (botbuilder prints a raw stack for a refused token). In the
 * running service every line must be one JSON record, so their words become a warning in the log, first
 * line only: their stacks and dumps carry nothing an operator needs and can be many lines long.
 */
export function routeConsoleTo(logger: Logger): void {
  const toLog = (...args: unknown[]) => {
    logger.warn({ origin: 'library' }, format(...args).split('\n', 1)[0] ?? '');
  };
  console.error = toLog;
  console.warn = toLog;
  console.log = toLog;
}
