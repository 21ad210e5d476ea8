import { pino, type Logger } from "pino";

export type { Logger };

// Logs always go to stderr: stdout belongs to --json output and to the console chat.
export function createLogger(level: string): Logger {
  return pino({ level, base: undefined }, pino.destination({ fd: 2, sync: true }));
}
