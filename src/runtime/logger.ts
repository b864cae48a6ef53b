import { pino, type Logger } from 'pino';

export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  // Tokens and post bodies never go to logs; redact the usual carriers anyway.
  return pino({ level, redact: ['req.headers.authorization', 'headers.authorization', '*.token'] });
}
