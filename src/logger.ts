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
