import { readFileSync, statSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { loadConfig, ConfigError, type Config } from "./config.ts";
import { createDb, migrateDatabase, type Db } from "./db.ts";
import { isAppError } from "./errors.ts";
import { vi } from "./i18n/vi.ts";
import { createLogger, type Logger } from "./logger.ts";
import { ensureBundledPlan } from "./plan/bundle.ts";
import { importPlan, type ImportSummary } from "./plan/import-plan.ts";
import { addMembers, parseMembersCsv } from "./plan/members.ts";
import { parsePlan, PlanParseError, type ParsedPlan } from "./plan/parse-plan.ts";
import { getActivePlan } from "./services/plan-service.ts";

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdin?: NodeJS.ReadableStream;
}

/** A failure the user caused: one clear line on stderr, exit 1, nothing written. */
class CliError extends Error {}

const m = vi;

interface Context {
  config: Config;
  logger: Logger;
  io: CliIo;
  json: boolean;
  db(): Promise<Db>;
}

function print(ctx: Context, value: unknown, text: string): void {
  ctx.io.stdout(ctx.json ? `${JSON.stringify(value, null, 2)}\n` : `${text}\n`);
}

function readInputFile(path: string | undefined, what: string): string {
  if (!path) throw new CliError(m.cli.missingArgument(what));
  try {
    if (!statSync(path).isFile()) throw new CliError(m.cli.fileUnreadable(path));
    return readFileSync(path, "utf8");
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(
      (error as NodeJS.ErrnoException).code === "ENOENT" ? m.cli.fileMissing(path) : m.cli.fileUnreadable(path),
    );
  }
}

function parsePlanFile(path: string | undefined): ParsedPlan {
  const text = readInputFile(path, "đường dẫn tệp kế hoạch");
  try {
    return parsePlan(text);
  } catch (error) {
    if (error instanceof PlanParseError) {
      throw new CliError((m.planErrors[error.code] ?? error.message) + (error.line ? m.atLine(error.line) : ""));
    }
    throw error;
  }
}

function planJson(plan: ParsedPlan) {
  return {
    title: plan.title,
    province: plan.province,
    year: plan.year,
    documentNumber: plan.documentNumber,
    reportDeadline: plan.reportDeadline,
    indicators: plan.indicators,
    agencies: plan.agencies,
    warnings: plan.warnings,
  };
}

function warningLines(plan: ParsedPlan): string {
  if (plan.warnings.length === 0) return "";
  return `\n${m.cli.warnings(plan.warnings.length)}\n${plan.warnings.map((w) => `  ${w.line}: ${w.text} (${w.reason})`).join("\n")}`;
}

function countChanges(s: ImportSummary): number {
  return (
    [s.indicators, s.agencies, s.duties].reduce((n, c) => n + c.added + c.updated + c.withdrawn, 0) +
    (s.activated ? 1 : 0)
  );
}

type Handler = (ctx: Context, args: string[], options: Record<string, string | boolean | undefined>) => Promise<void>;

const commands: Record<string, Handler> = {
  "plan parse": async (ctx, [file]) => {
    const plan = parsePlanFile(file);
    for (const w of plan.warnings) ctx.logger.warn(w, "plan line not understood");
    const duties = plan.agencies.reduce((n, a) => n + a.duties.length, 0);
    print(
      ctx,
      planJson(plan),
      m.cli.planParsed(plan.title, plan.agencies.length, duties, plan.indicators.length, plan.reportDeadline) +
        warningLines(plan),
    );
  },
  "plan import": async (ctx, [file]) => {
    const plan = parsePlanFile(file);
    const db = await ctx.db();
    const summary = await importPlan(db, plan);
    print(
      ctx,
      { ...summary, warnings: plan.warnings },
      m.cli.planImported(summary.created, countChanges(summary)) + warningLines(plan),
    );
  },
  "agencies add-members": async (ctx, [file], options) => {
    const group = options.group;
    if (typeof group !== "string" || !group) throw new CliError(m.cli.missingArgument("--group CODE"));
    const rows = parseMembersCsv(readInputFile(file, "đường dẫn tệp CSV"));
    const db = await ctx.db();
    const plan = await getActivePlan(db);
    const summary = await addMembers(db, plan.id, group.trim(), rows);
    print(ctx, summary, m.cli.membersAdded(summary.group, summary.added, summary.updated, summary.unchanged));
  },
};

const OPTIONS = {
  json: { type: "boolean" },
  group: { type: "string" },
  agency: { type: "string" },
  role: { type: "string" },
  xlsx: { type: "string" },
  user: { type: "string" },
  name: { type: "string" },
  now: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

export async function runCli(argv: string[], io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr(`${m.cli.configInvalid(error.message)}\n`);
      return 1;
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    io.stderr(`${m.cli.badOption((error as Error).message)}\n`);
    return 2;
  }
  const { positionals, values } = parsed;
  if (values.help || positionals.length === 0 || positionals[0] === "help") {
    io.stdout(`${m.cli.usage}\n`);
    return 0;
  }
  const key = positionals.slice(0, 2).join(" ");
  const handler = commands[key];
  if (!handler) {
    io.stderr(`${m.cli.unknownCommand(key)}\n`);
    return 2;
  }
  let db: Db | undefined;
  const ctx: Context = {
    config,
    logger,
    io,
    json: values.json === true,
    db: async () => {
      if (!db) {
        await migrateDatabase(config.databaseUrl);
        db = createDb(config.databaseUrl);
        await ensureBundledPlan(db, logger);
      }
      return db;
    },
  };
  try {
    await handler(ctx, positionals.slice(2), values);
    return 0;
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr(`${error.message}\n`);
      return 1;
    }
    if (isAppError(error)) {
      io.stderr(`${describeAppError(error.code, error.params)}\n`);
      return 1;
    }
    logger.error({ err: error }, "command failed");
    io.stderr(`${m.cli.failed((error as Error).message)}\n`);
    return 1;
  } finally {
    await db?.$disconnect();
  }
}

function describeAppError(code: string, params: Record<string, string | number>): string {
  if (code === "members.bad_csv") return m.cli.membersBadCsv(Number(params.line ?? 1));
  return m.cli.failed(code);
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  const code = await runCli(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    stdin: process.stdin,
  });
  process.exitCode = code;
}
