import { pino, type DestinationStream, type Logger } from "pino";

export type { Logger };

/** Levels at which an operator asked for detail: only there do logged errors carry their stack. */
const DETAILED = new Set(["debug", "trace"]);

/**
 * An error as the log shows it: its type, message (with its causes'), code and other fields, but no
 * stack trace. Logs reach a terminal (the console chat, the CLI, a service's journal read by an
 * operator), where a stack trace is noise that reads as a crash; LOG_LEVEL=debug brings it back.
 */
function errorWithoutStack(error: unknown): unknown {
  const serialized = pino.stdSerializers.err(error as Error) as unknown;
  return serialized === error ? error : withoutStacks(serialized, 0);
}

function withoutStacks(value: unknown, depth: number): unknown {
  if (depth > 4 || typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map((v) => withoutStacks(v, depth + 1));
  const { stack: _stack, ...rest } = value as Record<string, unknown>;
  if (!("message" in rest)) return value;
  return Object.fromEntries(Object.entries(rest).map(([key, v]) => [key, withoutStacks(v, depth + 1)]));
}

// Logs always go to stderr: stdout belongs to --json output and to the console chat.
export function createLogger(
  level: string,
  destination: DestinationStream = pino.destination({ fd: 2, sync: true }),
): Logger {
  return pino(
    { level, base: undefined, ...(!DETAILED.has(level) && { serializers: { err: errorWithoutStack } }) },
    destination,
  );
}
