import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../logger';

export interface CapturedLogger {
  logger: Logger;
  /** Everything the logger wrote, one JSON line per entry. */
  logs: string[];
}

/** A service logger (level `debug` unless told otherwise) that writes into `logs` instead of stdout. */
export function createCaptureLogger(name: string, level = 'debug'): CapturedLogger {
  const logs: string[] = [];
  const logger = createLogger({
    name,
    level,
    destination: new Writable({
      write(chunk, _encoding, done) {
        logs.push(String(chunk));
        done();
      },
    }),
  });
  return { logger, logs };
}
