import pino from 'pino';

/**
 * Structured logs (pino) on stderr, so a command's stdout stays data (URLs, JSON, tables). Secrets
 * never reach a log line: credential fields are redacted, and URLs are logged through `redactUrl`.
 */
export const createLogger = (name: string, level = process.env['SLUICE_LOG_LEVEL'] ?? 'info'): pino.Logger =>
  pino(
    {
      name,
      level,
      redact: {
        paths: ['token', 'password', 'apiKey', 'secret', '*.token', '*.password', '*.apiKey', '*.secret', 'headers.authorization', 'headers.cookie'],
        censor: '[redacted]',
      },
    },
    pino.destination(2),
  );

/** A logger that writes nothing, for tests and library defaults. */
export const silentLogger = (): pino.Logger => pino({ level: 'silent' });
