import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

// The layers the README describes, checked on the import statements themselves: a violation is a
// new line here, not a review comment.

const root = new URL("..", import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "generated" ? [] : sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** Every module specifier a file imports or re-exports, resolved against the project root when relative. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), "utf8");
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s+"([^"]+)"/g)].map((m) => m[1]!);
  const bare = [...text.matchAll(/(?:^|\n)\s*import\s+"([^"]+)"/g)].map((m) => m[1]!);
  const dynamic = [...text.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g)].map((m) => m[1]!);
  return [...specifiers, ...bare, ...dynamic].map((s) =>
    s.startsWith(".") ? relative(root, join(root, file, "..", s)) : s,
  );
}

const PLATFORM_PACKAGES = /^(grammy|@grammyjs\/|@slack\/|node-cron)/;
// The composition root and the CLI's entry; the CLI's subject modules get the console through it.
const COMPOSITION = /^src\/(main\.ts|cli\/index\.ts)$/;

describe("layers", () => {
  const files = sourceFiles("src");

  it("finds the sources it checks", () => {
    expect(files).toContain("src/core/bot.ts");
    expect(files).toContain("src/delivery/types.ts");
    expect(importsOf("src/core/bot.ts")).toContain("src/core/context.ts");
    expect(files).toContain("src/cli/index.ts");
  });

  it("keeps adapters, grammY, Bolt and node-cron out of src/ except the composition root and the CLI", () => {
    const offending = files
      .filter((f) => !COMPOSITION.test(f))
      .flatMap((f) =>
        importsOf(f)
          .filter((s) => s.startsWith("adapters/") || PLATFORM_PACKAGES.test(s))
          .map((s) => `${f} → ${s}`),
      );
    expect(offending).toEqual([]);
  });

  it("keeps the core off the reminder engine", () => {
    const offending = files
      .filter((f) => f.startsWith("src/core/"))
      .flatMap((f) =>
        importsOf(f)
          .filter((s) => s.startsWith("src/reminders/"))
          .map((s) => `${f} → ${s}`),
      );
    expect(offending).toEqual([]);
  });

  it("keeps the reminder engine and the delivery layer off the core's views and handlers", () => {
    const offending = files
      .filter((f) => f.startsWith("src/reminders/") || f.startsWith("src/delivery/"))
      .flatMap((f) =>
        importsOf(f)
          .filter((s) => s.startsWith("src/core/") && s !== "src/core/types.ts")
          .map((s) => `${f} → ${s}`),
      );
    expect(offending).toEqual([]);
  });

  it("lets the delivery port import nothing from the core", () => {
    expect(importsOf("src/delivery/types.ts").filter((s) => s.startsWith("src/"))).toEqual([]);
  });
});
