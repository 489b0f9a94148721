import { type Logger, pino } from 'pino';

export type { Logger };

/** Paths pino blanks out wherever they appear, so tokens and secrets never reach a log line. */
const REDACT = [
  '*.token',
  '*.botToken',
  '*.appToken',
  '*.signingSecret',
  '*.clientSecret',
  '*.stateSecret',
  '*.metricsToken',
  '*.password',
  '*.key',
  'headers.authorization',
  'req.headers.authorization',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    { level, base: { app: 'canevas' }, redact: { paths: REDACT, censor: '[redacted]' } },
    destination,
  );
}
