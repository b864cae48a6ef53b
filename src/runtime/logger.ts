// The process's pino logger. Its level comes from the config module
// (LOG_LEVEL, already checked), so a bad level stops the start with a clear
// message instead of a throw from inside pino.
import { pino, type LevelWithSilent, type Logger } from 'pino';

export function createLogger(level: LevelWithSilent): Logger {
  // Tokens and post bodies never go to logs; redact the usual carriers anyway.
  return pino({ level, redact: ['req.headers.authorization', 'headers.authorization', '*.token'] });
}
