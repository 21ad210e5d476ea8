import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

// The layers the README describes, checked on every import of src/, adapters/ and scripts/ (type
// imports, re-exports and dynamic imports included): a violation is a failing line here, not a
// review comment.
//
// ORDER lists the layers bottom first (layer 1 is the first entry). A file may import files of its
// own folder, as long as no cycle forms, and any folder of a lower layer. Folders side by side in
// one layer know nothing of each other: the catalogues and the services, the exports and the
// delivery, the core and the reminder engine, one platform adapter and another. A folder's
// subfolders belong to it (core/ includes core/features/), unless the order names them (each
// adapter is a place of its own).

const root = join(dirname(new URL(import.meta.url).pathname), "..");

const ORDER: readonly (readonly string[])[] = [
  // Shared types and leaf utilities: they import nothing of the project. The generated Prisma
  // clients are a leaf too (made from prisma/schema.prisma), so every layer may read their types.
  ["src/model", "src/lib", "src/generated"],
  // Rules on plain values: duty references, statuses, report lines, deadlines, text.
  ["src/domain"],
  // Storage: the clients, SQLite's file handling, both databases' migrations, URLs, faults, db copy.
  ["src/db"],
  // The reminder policy, calendar and quiet hours.
  ["src/schedule"],
  // A plan's text, its import and the bundled plan.
  ["src/plan"],
  // The words (catalogues and the views shared by every surface) and the business rules.
  ["src/i18n", "src/services"],
  // Exports of a plan's state, and the outbox with the port every platform implements.
  ["src/reports", "src/delivery"],
  // The bot's core, the reminder engine, the HTTP server.
  ["src/core", "src/reminders", "src/server"],
  // Settings from the environment, typed for the adapters and the app.
  ["src/config.ts"],
  // The adapters' shared plumbing: bodies read with a cap, work in flight, dedup through the store,
  // secrets compared in constant time, reconnect backoff. Below the platforms, so each may use it.
  ["adapters/kit"],
  // The platforms: each translates between its platform and the core, and holds no rule.
  ["adapters/console", "adapters/slack", "adapters/telegram", "adapters/zalo"],
  // The composition root: builds the database, the core, the outbox and the host adapters get.
  ["src/app.ts"],
  // The entry points: the bot's process and the admin CLI.
  ["src/main.ts", "src/cli"],
  // npm scripts: build, start, migrations and schema copies.
  ["scripts"],
];

/**
 * Imports the order alone would allow but the house rules forbid, each with the reason. Adapters
 * get what they need through the host (delivery/adapter-host.ts), the delivery port or the model,
 * never by reading the database or calling a service themselves.
 */
const NEVER: readonly { from: string; to: string; why: string }[] = [
  { from: "adapters", to: "src/app.ts", why: "an adapter gets what it needs from its host or the model" },
  { from: "adapters", to: "src/services", why: "an adapter gets what it needs from its host or the model" },
  { from: "adapters", to: "src/db", why: "an adapter keeps what it must remember in its host's store" },
  { from: "src/services", to: "src/core", why: "the core calls the services; what both need is in the model" },
  { from: "src/i18n", to: "src/core", why: "the catalogues take command names and the core's port from the model" },
  { from: "src/i18n", to: "src/services", why: "the words take roles from the model and declare the shapes they read" },
  { from: "src/delivery", to: "src/core", why: "the delivery port must not depend on the core" },
  { from: "src/db", to: "src/i18n", why: "storage classifies its faults; i18n/error-text.ts words them" },
  { from: "src/core", to: "src/reminders", why: "the core never runs the reminder engine" },
  { from: "src/reminders", to: "src/core", why: "the reminder engine works from services and views, not the core" },
  {
    from: "adapters",
    to: "src/domain/report-line.ts",
    why: "an adapter hands the core typed input (BotCore.run), never a report line for it to parse",
  },
];

/**
 * Core features reach the database only through services. A file of src/core may take types from
 * src/db (a Db or Tx handed to a service) and the fault classifier db-errors.ts (a busy database
 * goes up), nothing else; and it never calls the Prisma client itself, which is what the pattern
 * below finds: a model's query or write (`db.agency.update(`, `within.tx.duty.count(`) or a raw
 * client call (`$transaction`, `$queryRaw`, `$executeRaw`).
 */
const CORE_DB_VALUES_ALLOWED = ["src/db/db-errors.ts"];
const PRISMA_CALL =
  /\$(transaction|queryRaw|executeRaw)\w*\(|\b(db|tx)\.[a-z]\w*\.(find\w*|create\w*|update\w*|upsert|delete\w*|count|aggregate|groupBy)\(/;

const PLATFORM_PACKAGES = /^(grammy|@grammyjs\/|@slack\/|node-cron)/;
// The composition root and the CLI's entry; the CLI's subject modules get the console through it.
const COMPOSITION = /^src\/(main\.ts|cli\/index\.ts)$/;

const CHECKED = ["src", "adapters", "scripts"];
const SOURCE = /\.(ts|mts|mjs|js)$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return entry.name === "generated" ? [] : sourceFiles(path);
    return SOURCE.test(entry.name) && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

/**
 * Every module a file imports or re-exports, `import type` and `import("…")` included, read by
 * TypeScript's own scanner (so comments and strings never count). Relative specifiers are resolved
 * to a path from the project root; packages stay as written.
 */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), "utf8");
  const { importedFiles } = ts.preProcessFile(text, true, true);
  return [...new Set(importedFiles.map((i) => i.fileName))].map((s) =>
    s.startsWith(".") ? relative(root, join(root, dirname(file), s)) : s,
  );
}

/** The most specific entry of ORDER a path belongs to, and its layer; null when none names it. */
function placeOf(path: string): { place: string; layer: number } | null {
  let found: { place: string; layer: number } | null = null;
  ORDER.forEach((places, layer) => {
    for (const place of places) {
      const inside = path === place || path.startsWith(`${place}/`);
      if (inside && (!found || place.length > found.place.length)) found = { place, layer };
    }
  });
  return found;
}

const under = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);

const files = CHECKED.flatMap(sourceFiles).sort();
const graph = new Map(files.map((f) => [f, importsOf(f).filter((s) => files.includes(s))]));
/** Imports of the project's own files (relative specifiers), resolved; packages left out. */
const projectImports = files.flatMap((from) =>
  importsOf(from)
    .filter((to) => /^(src|adapters|scripts|bench|test|prisma)\//.test(to))
    .map((to) => ({ from, to })),
);

/** The import cycles between files: one path for each group of files that reach one another. */
function cycles(): string[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const group: string[] = [];
    for (let member = stack.pop()!; ; member = stack.pop()!) {
      onStack.delete(member);
      group.push(member);
      if (member === node) break;
    }
    if (group.length > 1 || graph.get(node)?.includes(node)) groups.push(group);
  };
  for (const file of files) if (!index.has(file)) visit(file);
  return groups.map((group) => {
    const path = cyclePath(group.sort());
    const others = group.filter((f) => !path.includes(f));
    return path.join(" → ") + (others.length ? ` (in a cycle of ${group.length} with ${others.join(", ")})` : "");
  });
}

/** The shortest way from a group's first file back to itself, through the group. */
function cyclePath(group: readonly string[]): string[] {
  const start = group[0]!;
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const node = queue.shift()!;
    for (const next of graph.get(node) ?? []) {
      if (!group.includes(next) || cameFrom.has(next)) continue;
      cameFrom.set(next, node);
      if (next === start) queue.length = 0;
      else queue.push(next);
    }
  }
  const between: string[] = [];
  for (let node = cameFrom.get(start)!; node !== start; node = cameFrom.get(node)!) between.unshift(node);
  return [start, ...between, start];
}

/** The modules a file imports for their values: `import type` and type-only names left out. */
function valueImportsOf(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(join(root, file), "utf8"), ts.ScriptTarget.Latest);
  return source.statements.flatMap((statement) => {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) return [];
    const clause = statement.importClause;
    const named = clause?.namedBindings;
    const typeOnly =
      clause?.isTypeOnly ||
      (clause && !clause.name && named && ts.isNamedImports(named) && named.elements.every((e) => e.isTypeOnly));
    const spec = statement.moduleSpecifier.text;
    return typeOnly ? [] : [spec.startsWith(".") ? relative(root, join(root, dirname(file), spec)) : spec];
  });
}

/**
 * What an adapter builds for the core to parse: an event whose text, choice value or command
 * arguments are written in the adapter (a literal or a template) rather than passed on from the
 * person, and a choice value it encodes itself. Forms and buttons go through BotCore.run.
 */
function madeUpInput(file: string, text = readFileSync(join(root, file), "utf8")): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const written = (node: ts.Node) =>
    ts.isTemplateExpression(node) ||
    ts.isNoSubstitutionTemplateLiteral(node) ||
    (ts.isStringLiteral(node) && node.text !== "") ||
    // A function of the adapter's own making the text: `reportLine(values)`.
    ts.isCallExpression(node) ||
    (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken);
  const visit = (node: ts.Node) => {
    if (ts.isObjectLiteralExpression(node)) {
      const props = new Map(
        node.properties.flatMap((p) =>
          ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) ? [[p.name.text, p.initializer] as const] : [],
        ),
      );
      const kind = props.get("kind");
      const field =
        kind && ts.isStringLiteral(kind) ? { text: "text", choice: "value", command: "args" }[kind.text] : null;
      const value = field ? props.get(field) : undefined;
      if (value && written(value)) {
        const { line } = source.getLineAndCharacterOfPosition(node.getStart());
        found.push(`${file}:${line + 1}: ${node.getText().replace(/\s+/g, " ").slice(0, 80)}`);
      }
    }
    if (ts.isImportSpecifier(node) && (node.propertyName ?? node.name).text === "encodeChoice") {
      found.push(`${file}: imports encodeChoice (an adapter hands back the values it was given)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe("layers", () => {
  it("finds the sources it checks", () => {
    expect(files).toContain("src/core/bot.ts");
    expect(files).toContain("src/delivery/types.ts");
    expect(importsOf("src/core/bot.ts")).toContain("src/core/context.ts");
    expect(files).toContain("src/cli/index.ts");
    expect(files).toContain("adapters/telegram/telegram-adapter.ts");
    expect(files).toContain("scripts/start.mjs");
    expect(projectImports.length).toBeGreaterThan(300);
  });

  it("names only folders and files that exist", () => {
    expect(ORDER.flat().filter((place) => !existsSync(join(root, place)))).toEqual([]);
  });

  it("places every file in one layer, and leaves only the composition files at the root of src/", () => {
    expect(files.filter((f) => !placeOf(f))).toEqual([]);
    expect(files.filter((f) => /^src\/[^/]+$/.test(f))).toEqual(["src/app.ts", "src/config.ts", "src/main.ts"]);
  });

  it("imports nothing from a higher layer or from a folder beside it", () => {
    const offending = projectImports.flatMap(({ from, to }) => {
      const a = placeOf(from);
      const b = placeOf(to);
      // A checked file outside every layer is reported above; anything else (test/, bench/) is out of bounds.
      if (!a || (!b && files.includes(to))) return [];
      if (!b) return [`${from} → ${to} (outside the layers)`];
      if (a.place === b.place || b.layer < a.layer) return [];
      const why =
        b.layer === a.layer
          ? `${b.place} is beside ${a.place} in layer ${a.layer + 1}`
          : `${b.place} (layer ${b.layer + 1}) is above ${a.place} (layer ${a.layer + 1})`;
      return [`${from} → ${to}: ${why}`];
    });
    expect(offending).toEqual([]);
  });

  it("never imports what the house rules forbid", () => {
    const offending = projectImports.flatMap(({ from, to }) =>
      NEVER.filter((rule) => under(from, rule.from) && under(to, rule.to)).map(
        (rule) => `${from} → ${to}: ${rule.why}`,
      ),
    );
    expect(offending).toEqual([]);
  });

  it("has no import cycle between files", () => {
    expect(cycles()).toEqual([]);
  });

  it("keeps adapters, grammY, Bolt and node-cron out of src/ except the composition root and the CLI", () => {
    const offending = files
      .filter((f) => f.startsWith("src/") && !COMPOSITION.test(f))
      .flatMap((f) =>
        importsOf(f)
          .filter((s) => s.startsWith("adapters/") || PLATFORM_PACKAGES.test(s))
          .map((s) => `${f} → ${s}`),
      );
    expect(offending).toEqual([]);
  });

  it("lets the core reach the database only through services: types from src/db, no Prisma call", () => {
    const core = files.filter((f) => f.startsWith("src/core/"));
    const imports = core.flatMap((f) =>
      valueImportsOf(f)
        .filter((s) => s.startsWith("src/db/") && !CORE_DB_VALUES_ALLOWED.includes(s))
        .map((s) => `${f} → ${s}`),
    );
    const calls = core.flatMap((f) =>
      readFileSync(join(root, f), "utf8")
        .split("\n")
        .flatMap((line, i) => (PRISMA_CALL.test(line) ? [`${f}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect([...imports, ...calls]).toEqual([]);
    // The pattern finds what it is for.
    expect(PRISMA_CALL.test("await ctx.deps.db.agency.update({")).toBe(true);
    expect(PRISMA_CALL.test("const r = await this.deps.db.$transaction((tx) =>")).toBe(true);
    expect(PRISMA_CALL.test("await setPausedUntil(ctx.deps.db, agency.id, null);")).toBe(false);
  });

  it("builds no string in adapters/ for the core to parse", () => {
    expect(files.filter((f) => f.startsWith("adapters/")).flatMap((f) => madeUpInput(f))).toEqual([]);
    // What the Slack forms once did is found.
    const before = [
      'core.handle({ kind: "command", from, command: "chitieu", args: `${figure.code} ${figure.value}` });',
      'core.handle({ kind: "text", from, text: reportLine(values) });',
      'core.handle({ kind: "choice", from, value: "submit:confirm" });',
      'import { encodeChoice } from "../../src/model/choices.ts";',
    ];
    expect(before.map((line) => madeUpInput("adapters/x.ts", line).length)).toEqual([1, 1, 1, 1]);
  });

  it("lets the delivery port import nothing of the project but the model", () => {
    const port = importsOf("src/delivery/types.ts").filter((s) => s.startsWith("src/"));
    expect(port.filter((s) => !s.startsWith("src/model/"))).toEqual([]);
  });
});
