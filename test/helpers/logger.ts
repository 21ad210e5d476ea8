import { Writable } from "node:stream";
import { pino } from "pino";
import type { Logger } from "../../src/lib/logger.ts";

/** A logger whose JSON lines (with their pino levels) the test can read back. */
export function recordingLogger<Line = Record<string, unknown>>(): { logger: Logger; lines: () => Line[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return {
    logger: pino({ level: "debug" }, stream),
    lines: () =>
      chunks
        .join("")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Line),
  };
}
