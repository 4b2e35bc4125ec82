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
 * Libraries write to the console on their own (botbuilder prints a raw stack, or its key list, for a
 * refused token). In the running service every line must be one JSON record, so their words become a
 * debug record, first line only: Huddle logs its own line for every refusal and failure, so at the usual
 * level a refused request is one line, and a forged-token flood cannot multiply the log.
 */
export function routeConsoleTo(logger: Logger): void {
  const toLog = (...args: unknown[]) => {
    logger.debug({ origin: 'library' }, format(...args).split('\n', 1)[0] ?? '');
  };
  console.error = toLog;
  console.warn = toLog;
  console.log = toLog;
}
