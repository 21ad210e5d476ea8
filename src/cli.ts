import { accessSync, constants, existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Readable } from "node:stream";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { runConsoleChat } from "../adapters/console/console-chat.ts";
import { createConsoleAdapter } from "../adapters/console/console-adapter.ts";
import { createApp, inviteLinkFor, telegramUsername, type App } from "./app.ts";
import { createOffsetClock, systemClock, type Clock } from "./clock.ts";
import { ConfigError, loadConfig, type Config } from "./config.ts";
import type { PlatformIdentity } from "./core/types.ts";
import { databaseFault, databaseFaultText } from "./db-errors.ts";
import { AppError, isAppError } from "./errors.ts";
import { errorText } from "./i18n/error-text.ts";
import { vi } from "./i18n/vi.ts";
import { createLogger, type Logger } from "./logger.ts";
import { importPlan, type ImportSummary } from "./plan/import-plan.ts";
import { addMembers, parseMembersCsv } from "./plan/members.ts";
import { parsePlan, PlanParseError, type ParsedPlan } from "./plan/parse-plan.ts";
import { writeInvitesXlsx } from "./reports/invites-xlsx.ts";
import { loadExportData } from "./reports/export-data.ts";
import { buildExportFile, EXPORT_FORMATS, isExportFormat, parseSince } from "./reports/export-file.ts";
import { deactivateContact, listContacts } from "./services/contact-service.ts";
import { createGroupInvites, createInvite, revokeInvite, type CreatedInvite } from "./services/invite-service.ts";
import { findAgency, getActivePlan } from "./services/plan-service.ts";
import { loadPlanStatus } from "./services/status-service.ts";
import { formatDateTimeVi, parseIsoInstant, toIsoLocal } from "./time.ts";
import { CalendarCsvError, parseCalendarCsv } from "./schedule/calendar.ts";
import { importCalendar } from "./schedule/calendar-store.ts";
import type { ReminderEntry, TickResult } from "./reminders/engine.ts";
import { parseReminderPolicy, policyOf, ReminderPolicyError } from "./schedule/policy.ts";

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdin?: Readable;
}

/** A failure the user caused: one clear line on stderr, exit 1, nothing written. */
class CliError extends Error {}

const m = vi;

interface Context {
  config: Config;
  clock: Clock;
  logger: Logger;
  io: CliIo;
  json: boolean;
  app(): Promise<App>;
}

type Options = Record<string, string | boolean | undefined>;
type Handler = (ctx: Context, args: string[], options: Options) => Promise<void>;

function print(ctx: Context, value: unknown, text: string): void {
  ctx.io.stdout(ctx.json ? `${JSON.stringify(value, null, 2)}\n` : `${text}\n`);
}

/** Checked before anything is written: a file we could not create must not cost 95 orphaned invites. */
function checkOutputPath(path: string): string {
  const target = resolve(path);
  const dir = dirname(target);
  try {
    if (!statSync(dir).isDirectory()) throw new CliError(m.cli.outputUnwritable(path));
    accessSync(dir, constants.W_OK);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(m.cli.outputUnwritable(path));
  }
  if (existsSync(target) && statSync(target).isDirectory()) throw new CliError(m.cli.outputUnwritable(path));
  return target;
}

/** Writes beside the target, then renames: a reader never sees half a file. */
async function writeFileAtomically(target: string, write: (tmp: string) => Promise<void>): Promise<void> {
  const tmp = `${target}.${process.pid}.tmp`;
  try {
    await write(tmp);
    renameSync(tmp, target);
  } finally {
    rmSync(tmp, { force: true });
  }
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
  const text = readInputFile(path, m.cli.planFileArgument);
  try {
    return parsePlan(text);
  } catch (error) {
    if (error instanceof PlanParseError) {
      throw new CliError((m.planErrors[error.code] ?? error.message) + (error.line ? m.atLine(error.line) : ""));
    }
    throw error;
  }
}

function warningLines(plan: ParsedPlan): string {
  if (plan.warnings.length === 0) return "";
  return `\n${m.cli.warnings(plan.warnings.length)}\n${plan.warnings
    .map((w) => `  ${w.line}: ${w.text}\n      → ${m.warningReasons[w.reason] ?? w.reason}`)
    .join("\n")}`;
}

function countChanges(s: ImportSummary): number {
  return (
    [s.indicators, s.agencies, s.duties].reduce((n, c) => n + c.added + c.updated + c.withdrawn, 0) +
    (s.activated ? 1 : 0)
  );
}

function inviteJson(invite: CreatedInvite, link: (code: string) => string | null) {
  return {
    code: invite.code,
    agency: invite.agency?.code ?? null,
    name: invite.agency?.name ?? null,
    role: invite.role,
    expiresAt: toIsoLocal(invite.expiresAt),
    link: link(invite.code),
  };
}

async function startChat(ctx: Context, identity: PlatformIdentity): Promise<void> {
  const app = await ctx.app();
  await runConsoleChat({
    core: app.core,
    identity,
    input: ctx.io.stdin ?? process.stdin,
    write: (t) => ctx.io.stdout(t),
  });
}

const commands: Record<string, Handler> = {
  "plan parse": async (ctx, [file]) => {
    const plan = parsePlanFile(file);
    const duties = plan.agencies.reduce((n, a) => n + a.duties.length, 0);
    print(
      ctx,
      {
        title: plan.title,
        province: plan.province,
        year: plan.year,
        documentNumber: plan.documentNumber,
        reportDeadline: plan.reportDeadline,
        indicators: plan.indicators,
        agencies: plan.agencies,
        warnings: plan.warnings,
      },
      m.cli.planParsed(plan.title, plan.agencies.length, duties, plan.indicators.length, plan.reportDeadline) +
        warningLines(plan),
    );
  },

  "plan import": async (ctx, [file]) => {
    const plan = parsePlanFile(file);
    const { db } = await ctx.app();
    const summary = await importPlan(db, plan);
    print(
      ctx,
      { ...summary, warnings: plan.warnings },
      m.cli.planImported(summary.created, countChanges(summary)) + warningLines(plan),
    );
  },

  "agencies add-members": async (ctx, [file], options) => {
    const group = options.group;
    if (typeof group !== "string" || !group.trim()) throw new CliError(m.cli.missingArgument("--group CODE"));
    const rows = parseMembersCsv(readInputFile(file, m.cli.csvFileArgument));
    const { db } = await ctx.app();
    const plan = await getActivePlan(db);
    const summary = await addMembers(db, plan.id, group.trim(), rows);
    print(ctx, summary, m.cli.membersAdded(summary.group, summary.added, summary.updated, summary.unchanged));
  },

  "invite create": async (ctx, _args, options) => {
    const { db } = await ctx.app();
    const plan = await getActivePlan(db);
    const deps = { db, clock: ctx.clock, inviteTtlDays: ctx.config.inviteTtlDays };
    const link = inviteLinkFor(await telegramUsername(ctx.config, db), ctx.config.zalo?.botLink ?? null);
    if (typeof options.group === "string") {
      const xlsx = typeof options.xlsx === "string" ? checkOutputPath(options.xlsx) : null;
      const group = await findAgency(db, plan.id, options.group);
      await createGroupInvites(deps, { planId: plan.id, group }, async (created) => {
        const invites = created.map((i) => inviteJson(i, link));
        if (xlsx)
          await writeFileAtomically(xlsx, (tmp) =>
            writeInvitesXlsx(m, tmp, invites, { qrLink: ctx.config.zalo?.botLink ?? null }),
          );
        print(ctx, invites, invites.map((i) => `${i.agency}\t${i.code}\t${i.name}`).join("\n"));
      });
      return;
    }
    const role = options.role ?? "contact";
    if (role !== "contact" && role !== "coordinator") throw new AppError("invite.bad_role");
    if (role === "coordinator" && options.agency !== undefined) throw new AppError("invite.bad_role");
    if (role === "contact" && typeof options.agency !== "string")
      throw new CliError(m.cli.missingArgument("--agency CODE"));
    const agency = typeof options.agency === "string" ? await findAgency(db, plan.id, options.agency) : null;
    const created = await createInvite(deps, { planId: plan.id, agency, role });
    const invite = inviteJson(created, link);
    print(
      ctx,
      { code: invite.code, agency: invite.agency, role: invite.role, expiresAt: invite.expiresAt, link: invite.link },
      m.cli.inviteCreated(invite.code, invite.agency, formatDateTimeVi(created.expiresAt)) +
        (invite.link ? `\n${invite.link}` : ""),
    );
  },

  "invite revoke": async (ctx, [code]) => {
    if (!code) throw new CliError(m.cli.missingArgument("CODE"));
    const { db } = await ctx.app();
    await revokeInvite({ db, clock: ctx.clock, inviteTtlDays: ctx.config.inviteTtlDays }, code);
    print(ctx, { revoked: true }, m.bot.coord.revoked);
  },

  "contacts list": async (ctx, _args, options) => {
    const { db } = await ctx.app();
    const plan = await getActivePlan(db);
    const agency = typeof options.agency === "string" ? await findAgency(db, plan.id, options.agency) : null;
    const rows = (await listContacts(db, plan.id, agency)).map((p) => ({
      id: p.id,
      name: p.displayName,
      role: p.role,
      agency: p.agency?.code ?? null,
      active: p.active,
      createdAt: toIsoLocal(p.createdAt),
      deactivatedAt: p.deactivatedAt ? toIsoLocal(p.deactivatedAt) : null,
      identities: p.identities.map((i) => ({
        platform: i.platform,
        userId: i.userId,
        unreachable: i.unreachableAt !== null,
      })),
    }));
    print(
      ctx,
      rows,
      rows
        .map((r) => `#${r.id}\t${r.role}\t${r.agency ?? "-"}\t${r.name}${r.active ? "" : ` (${m.cli.inactive})`}`)
        .join("\n") || m.cli.noContacts,
    );
  },

  "contacts deactivate": async (ctx, [id]) => {
    if (!id || !/^\d+$/.test(id)) throw new CliError(m.cli.missingArgument("ID"));
    const { db } = await ctx.app();
    const person = await deactivateContact({ db, clock: ctx.clock }, Number(id));
    print(ctx, { id: person.id, active: person.active }, m.bot.coord.deactivated(person.displayName));
  },

  status: async (ctx) => {
    const { db } = await ctx.app();
    const plan = await getActivePlan(db);
    const status = await loadPlanStatus(db, plan);
    const json = {
      plan: plan.title,
      reportDeadline: plan.reportDeadline,
      agencies: status.agencies.map((a) => ({
        code: a.agency.code,
        name: a.agency.name,
        parent: a.parentCode,
        requested: a.agency.requested,
        contacts: a.contacts,
        submitted: a.submitted,
        submittedAt: a.submission ? toIsoLocal(a.submission.submittedAt) : null,
        onTime: a.submission?.onTime ?? null,
        ...(a.memberCount > 0 && { members: a.memberCount, membersSubmitted: a.membersSubmitted }),
        duties: a.duties.map((d) => ({
          code: d.code,
          status: d.status,
          percent: d.percent,
          note: d.note,
          updatedAt: d.updatedAt ? toIsoLocal(d.updatedAt) : null,
        })),
      })),
      indicators: status.indicators.map((i) => ({
        code: i.indicator.code,
        name: i.indicator.name,
        targetRatePercent: i.indicator.targetRatePercent,
        targetParticipants: i.indicator.targetParticipants,
        eligiblePopulation: i.indicator.eligiblePopulation,
        latestParticipants: i.latest?.participants ?? null,
        latestRatePercent: i.latestRatePercent,
        latestAt: i.latest ? toIsoLocal(i.latest.createdAt) : null,
      })),
    };
    const top = status.agencies.filter((a) => a.agency.parentId === null);
    print(
      ctx,
      json,
      top
        .map(
          (a) =>
            `${a.submitted ? "✅" : "⏳"} ${a.agency.code} ${a.agency.name}${a.memberCount ? ` (${a.membersSubmitted}/${a.memberCount})` : ""}`,
        )
        .join("\n"),
    );
  },

  export: async (ctx, _args, options) => {
    const format = typeof options.format === "string" ? options.format.trim().toLowerCase() : "";
    if (!isExportFormat(format)) throw new CliError(m.reports.cliBadFormat(EXPORT_FORMATS.join("|")));
    if (typeof options.out !== "string") throw new CliError(m.cli.missingArgument("--out FILE"));
    const since = typeof options.since === "string" ? parseSince(options.since) : undefined;
    if (since === null) throw new CliError(m.reports.cliBadSince(String(options.since)));
    // Before reading anything: an unwritable path fails fast and leaves nothing behind.
    let target: string;
    try {
      target = checkOutputPath(options.out);
    } catch (error) {
      // The shared wording speaks of invites; say what was not written here.
      if (error instanceof CliError) throw new CliError(m.reports.cliUnwritable(options.out));
      throw error;
    }
    const { db } = await ctx.app();
    const plan = await getActivePlan(db);
    const data = await loadExportData(
      db,
      plan,
      { ...(typeof options.agency === "string" && { agency: options.agency.trim() }), ...(since && { since }) },
      ctx.clock.now(),
    );
    const file = await buildExportFile(m, format, data);
    await writeFileAtomically(target, async (tmp) => writeFileSync(tmp, file.content));
    print(
      ctx,
      { file: target, format, bytes: file.content.byteLength, rows: data.duties.length, history: data.history.length },
      m.reports.cliDone(target, file.content.byteLength),
    );
  },

  "reminders plan": async (ctx, _args, options) => {
    const now = instantOf(ctx, options.now);
    const { reminders } = await ctx.app();
    const result = await reminders.plan(now, { dryRun: true });
    print(ctx, { now: toIsoLocal(now), ...result, sent: [] }, summarizeTick({ ...result, sent: [] }));
  },

  "reminders run": async (ctx, _args, options) => {
    const now = instantOf(ctx, options.now);
    const { reminders } = await ctx.app();
    const result = await reminders.tick(now);
    print(ctx, { now: toIsoLocal(now), ...result }, summarizeTick(result));
  },

  "reminders policy": async (ctx, _args, options) => {
    const { db } = await ctx.app();
    const plan = await getActivePlan(db);
    let stored = plan.reminderPolicy;
    if (typeof options.set === "string") {
      let overrides: unknown;
      try {
        overrides = JSON.parse(readInputFile(options.set, m.cli.jsonFileArgument));
      } catch (error) {
        if (error instanceof CliError) throw error;
        throw new CliError(m.cli.policyInvalid((error as Error).message));
      }
      try {
        parseReminderPolicy(overrides);
      } catch (error) {
        if (error instanceof ReminderPolicyError) throw new CliError(m.cli.policyInvalid(error.message));
        throw error;
      }
      stored = JSON.stringify(overrides);
    } else if (options.reset === true) {
      stored = null;
    }
    if (stored !== plan.reminderPolicy)
      await db.plan.update({ where: { id: plan.id }, data: { reminderPolicy: stored } });
    const effective = policyOf({ ...plan, reminderPolicy: stored });
    print(
      ctx,
      { plan: plan.title, overrides: stored ? JSON.parse(stored) : null, effective },
      JSON.stringify(effective, null, 2),
    );
  },

  // VACUUM INTO reads one consistent snapshot, so it is safe while the bot runs and writes (WAL):
  // copying the .db file by hand could miss what is still in the -wal file.
  "db backup": async (ctx, [file]) => {
    if (!file) throw new CliError(m.cli.missingArgument(m.cli.backupFileArgument));
    const target = checkOutputPath(file);
    if (existsSync(target)) throw new CliError(m.cli.backupExists(file));
    const { db } = await ctx.app();
    await db.$executeRawUnsafe("VACUUM INTO ?", target);
    const bytes = statSync(target).size;
    print(ctx, { file: target, bytes }, m.cli.backupDone(target, bytes));
  },

  "calendar import": async (ctx, [file]) => {
    const text = readInputFile(file, m.cli.csvFileArgument);
    let entries;
    try {
      entries = parseCalendarCsv(text);
    } catch (error) {
      if (error instanceof CalendarCsvError) throw new CliError(m.cli.calendarBadCsv(error.line));
      throw error;
    }
    const { db } = await ctx.app();
    const summary = await importCalendar(db, entries);
    print(ctx, summary, m.cli.calendarImported(summary.added, summary.updated, summary.unchanged));
  },

  chat: async (ctx, _args, options) => {
    const user = typeof options.user === "string" ? options.user.trim() : "";
    if (!user) throw new CliError(m.cli.missingArgument("--user ID"));
    const name = typeof options.name === "string" && options.name.trim() ? options.name.trim() : user;
    await startChat(ctx, { platform: "console", userId: user, chatId: user, displayName: name });
  },
};

/** The instant a reminders command acts at: exactly --now when given (already validated). */
function instantOf(ctx: Context, value: string | boolean | undefined): Date {
  return typeof value === "string" ? parseIsoInstant(value)! : ctx.clock.now();
}

function summarizeTick(result: TickResult): string {
  const line = (e: ReminderEntry) =>
    `  ${e.point}\t${e.agency ?? "-"}\t${e.contactName ?? "-"}${e.reason ? `\t${e.reason}` : ""}`;
  return [
    m.cli.tickCounts(result.due.length, result.sent.length, result.skipped.length),
    ...result.sent.map(line),
    ...result.skipped.map(line),
  ].join("\n");
}

const OPTIONS = {
  json: { type: "boolean" },
  group: { type: "string" },
  agency: { type: "string" },
  role: { type: "string" },
  xlsx: { type: "string" },
  set: { type: "string" },
  reset: { type: "boolean" },
  user: { type: "string" },
  name: { type: "string" },
  now: { type: "string" },
  format: { type: "string" },
  out: { type: "string" },
  since: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

export async function runCli(
  argv: string[],
  io: CliIo,
  env?: NodeJS.ProcessEnv,
  clock: Clock = systemClock,
): Promise<number> {
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
  const logger = createLogger(config.logLevel ?? "warn");
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
  const two = positionals.slice(0, 2).join(" ");
  const key = commands[two] ? two : (positionals[0] ?? "");
  const handler = commands[key];
  if (!handler) {
    io.stderr(`${m.cli.unknownCommand(two)}\n`);
    return 2;
  }
  // --now on any command runs it as if it were that moment (catching up, rehearsing a day).
  let effectiveClock = clock;
  if (values.now !== undefined) {
    const start = parseIsoInstant(values.now);
    if (!start) {
      io.stderr(`${m.cli.badNow}\n`);
      return 1;
    }
    effectiveClock = createOffsetClock(start, clock);
  }
  let app: App | undefined;
  const ctx: Context = {
    config,
    clock: effectiveClock,
    logger,
    io,
    json: values.json === true,
    app: async () => {
      app ??= await createApp({
        config,
        logger,
        clock: effectiveClock,
        // The CLI runs no platform: it prints pushes for console accounts, and others wait for
        // the bot process that runs their platform.
        channels: [createConsoleAdapter({ write: (t) => io.stderr(t) })],
      });
      return app;
    },
  };
  try {
    await handler(ctx, positionals.slice(key.split(" ").length), values);
    return 0;
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr(`${error.message}\n`);
      return 1;
    }
    if (isAppError(error)) {
      io.stderr(`${errorText(m, error, "cli")}\n`);
      return 1;
    }
    const fault = databaseFault(error);
    if (fault) {
      // The operator gets one line saying what to do; the detail is there with LOG_LEVEL=debug.
      logger.debug({ err: error }, "command failed");
      io.stderr(`${databaseFaultText(m, fault, config.databaseUrl)}\n`);
      return 1;
    }
    logger.error({ err: error }, "command failed");
    io.stderr(`${m.cli.failed((error as Error).message)}\n`);
    return 1;
  } finally {
    await app?.close();
  }
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  // `cli status | head` closes the pipe early: that is the reader's choice, not a crash.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });
  process.exitCode = await runCli(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    stdin: process.stdin,
  });
}
