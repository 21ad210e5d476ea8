// What an operator sees when the CLI meets a fault: one Vietnamese line saying what to do, no
// stack trace, and nothing half-done. Runs the CLI in this process, as `npm run cli` would.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { runCliOn } from "../helpers/cli.ts";
import { createDb } from "../../src/db/db.ts";
import { createManualClock } from "../../src/lib/clock.ts";
import { createLogger } from "../../src/lib/logger.ts";
import { createGroupInvites } from "../../src/services/invite-service.ts";
import { findAgency, getActivePlan } from "../../src/services/plan-service.ts";
import { parseIsoInstant } from "../../src/lib/time.ts";
import { createTestDb, onPostgres, tableSnapshot, type TestDb } from "../helpers/db.ts";
import { PROCESS_TEST_TIMEOUT, root } from "../helpers/processes.ts";
import { holdWriteLock } from "../helpers/sqlite-lock.ts";

const cli = (url: string, args: string[]) => runCliOn(url, args, { LOG_LEVEL: "warn" });

function expectOneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(stderr).not.toMatch(/\bat .*\.ts:\d+|Error:|prisma/i);
}

describe("group invites are all or nothing", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
    expect((await cli(t.url, ["status", "--json"])).code).toBe(0);
  });
  afterAll(async () => t.db.$disconnect());

  it("refuses an --xlsx path in a folder that does not exist before creating any invite", async () => {
    const before = await tableSnapshot(t.db);
    const r = await cli(t.url, ["invite", "create", "--group", "IV.9", "--xlsx", "/nonexistent/dir/x.xlsx", "--json"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expectOneLine(r.stderr, /Không ghi được tệp "\/nonexistent\/dir\/x\.xlsx".*Chưa tạo mã mời nào/);
    expect(await tableSnapshot(t.db)).toEqual(before);
  });

  it("refuses a folder given as the --xlsx file", async () => {
    const dir = join(inject("testTmpDir"), "a-folder");
    mkdirSync(dir, { recursive: true });
    const r = await cli(t.url, ["invite", "create", "--group", "IV.9", "--xlsx", dir]);
    expect(r.code).toBe(1);
    expect(await t.db.invite.count()).toBe(0);
  });

  it("stores none of the invites when handing them over fails half way", async () => {
    const clock = createManualClock(parseIsoInstant("2026-11-30T09:00")!);
    const plan = await getActivePlan(t.db);
    const group = await findAgency(t.db, plan.id, "IV.9");
    const attempt = createGroupInvites({ db: t.db, clock, inviteTtlDays: 14 }, { group }, async (invites) => {
      expect(invites).toHaveLength(95);
      throw new Error("disk full while writing the sheet");
    });
    await expect(attempt).rejects.toThrow("disk full");
    expect(await t.db.invite.count()).toBe(0);
  });

  it("creates every invite and writes the sheet when all goes well", async () => {
    const out = join(inject("testTmpDir"), "moi.xlsx");
    const r = await cli(t.url, ["invite", "create", "--group", "IV.9", "--xlsx", out, "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveLength(95);
    expect(await t.db.invite.count()).toBe(95);
  });
});

describe("a database file the CLI cannot use", () => {
  it("says a damaged file is damaged and what to do", async () => {
    const path = join(inject("testTmpDir"), "hong.db");
    writeFileSync(path, "đây không phải là một tệp SQLite ".repeat(200));
    const r = await cli(`file:${path}`, ["status", "--json"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expectOneLine(r.stderr, /bị hỏng hoặc không phải tệp SQLite.*sao lưu/);
  });

  it("says a path that cannot hold a database cannot be opened", async () => {
    const file = join(inject("testTmpDir"), "la-tep");
    writeFileSync(file, "x");
    const r = await cli(`file:${file}/con/nhacviec.db`, ["status"]);
    expect(r.code).toBe(1);
    expectOneLine(r.stderr, /Không mở được cơ sở dữ liệu.*DATABASE_URL/);
  });

  it("answers a bad option with one Vietnamese line", async () => {
    const r = await cli("file:/tmp/unused.db", ["status", "--khong-co"]);
    expect(r.code).toBe(2);
    expectOneLine(r.stderr, /Tùy chọn không hợp lệ/);
  });
});

// VACUUM INTO is SQLite's; on PostgreSQL the command points to pg_dump instead (below).
describe.skipIf(onPostgres)("a backup while the bot runs", () => {
  it("copies one consistent snapshot that opens with the full plan, and never overwrites", async () => {
    const t = await createTestDb();
    expect((await cli(t.url, ["status", "--json"])).code).toBe(0);
    // The bot's own connection stays open and writes while the backup runs beside it.
    await t.db.calendarDay.create({ data: { date: "2026-12-31", kind: "day_off", name: "thử" } });
    const file = join(inject("testTmpDir"), `sao-luu-${Date.now()}.db`);
    const r = await cli(t.url, ["db", "backup", file, "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ file, bytes: expect.any(Number) });
    const copy = createDb(`file:${file}`);
    expect(await copy.agency.count()).toBe(await t.db.agency.count());
    expect(await copy.calendarDay.findUnique({ where: { date: "2026-12-31" } })).not.toBeNull();
    await copy.$disconnect();
    const again = await cli(t.url, ["db", "backup", file]);
    expect(again.code).toBe(1);
    expectOneLine(again.stderr, /đã có; chọn tên khác/);
    await t.db.$disconnect();
  });
});

describe.runIf(onPostgres)("db backup on PostgreSQL", () => {
  it("points to pg_dump and writes no file", async () => {
    const t = await createTestDb();
    const target = join(mkdtempSync(join(tmpdir(), "nhacviec-backup-")), "sao-luu.db");
    const r = await cli(t.url, ["db", "backup", target]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("pg_dump -Fc");
    expect(existsSync(target)).toBe(false);
    await t.db.$disconnect();
  });
});

describe("a file the command cannot write names the command's own work", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
    expect((await cli(t.url, ["status", "--json"])).code).toBe(0);
  });
  afterAll(async () => t.db.$disconnect());

  const folder = () => {
    const dir = join(inject("testTmpDir"), "mot-thu-muc");
    mkdirSync(dir, { recursive: true });
    return dir;
  };

  it("a backup to a folder: nothing was backed up, and nothing about invites", async () => {
    const r = await cli(t.url, ["db", "backup", folder()]);
    expect(r.code).toBe(1);
    expectOneLine(r.stderr, /là một thư mục; hãy ghi cả tên tệp.*Chưa sao lưu gì/);
    expect(r.stderr).not.toMatch(/mã mời/);
  });

  it("a backup into a folder that does not exist: nothing was backed up", async () => {
    const r = await cli(t.url, ["db", "backup", "/khong-co/thu-muc/sao-luu.db"]);
    expect(r.code).toBe(1);
    expectOneLine(r.stderr, /Không ghi được tệp "\/khong-co\/thu-muc\/sao-luu\.db".*Chưa sao lưu gì/);
  });

  it.each([
    ["a folder", () => folder(), /là một thư mục.*Chưa xuất gì/],
    ["a folder that does not exist", () => "/khong-co/thu-muc/bao-cao.csv", /không tồn tại.*Chưa xuất gì/],
    // Root passes the access check there; creating the file is what fails. Another user fails the check.
    ["a folder where no file can be created", () => "/proc/bao-cao.csv", /Không ghi được tệp.*Chưa xuất gì/],
  ])("an export to %s: nothing was exported, and nothing about invites or the database", async (_what, out, said) => {
    const r = await cli(t.url, ["export", "--format", "csv", "--out", out()]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expectOneLine(r.stderr, said);
    expect(r.stderr).not.toMatch(/mã mời|cơ sở dữ liệu/);
  });

  it("a group's sheet where no file can be created: no invite was created, and none is stored", async () => {
    const before = await t.db.invite.count();
    const r = await cli(t.url, ["invite", "create", "--group", "IV.9", "--xlsx", "/proc/moi.xlsx"]);
    expect(r.code).toBe(1);
    expectOneLine(r.stderr, /Không ghi được tệp.*Chưa tạo mã mời nào/);
    expect(await t.db.invite.count()).toBe(before);
  });
});

describe.skipIf(onPostgres)("a backup where SQLite cannot create the file", () => {
  it("says the backup was not made, not that the database cannot be opened", async () => {
    const t = await createTestDb();
    const r = await cli(t.url, ["db", "backup", "/proc/sao-luu.db"]);
    expect(r.code).toBe(1);
    expectOneLine(r.stderr, /Không ghi được tệp.*sao-luu\.db.*Chưa sao lưu gì/);
    expect(r.stderr).not.toMatch(/cơ sở dữ liệu/);
    await t.db.$disconnect();
  });
});

describe("logged errors", () => {
  function logged(level: string, error: Error): string {
    let out = "";
    const logger = createLogger(level, { write: (line: string) => (out += line) });
    logger.warn({ err: error }, "event refused: database busy");
    return out;
  }
  const error = new Error("outer", { cause: Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" }) });

  it("carry their type and message, but no stack trace, below LOG_LEVEL=debug", () => {
    for (const level of ["info", "warn"]) {
      const line = JSON.parse(logged(level, error)) as { err: Record<string, unknown> };
      expect(line.err).toEqual({ type: "Error", message: "outer: database is locked" });
    }
  });

  it("carry their stack trace with LOG_LEVEL=debug", () => {
    const line = JSON.parse(logged("debug", error)) as { err: Record<string, unknown> };
    expect(line.err.stack).toMatch(/^Error: outer\n\s+at /);
  });
});

// The console chat while another process holds SQLite's write lock: the person reads that the
// message was not recorded, and the terminal shows no stack trace.
describe.skipIf(onPostgres)("the console chat on a busy database", { timeout: PROCESS_TEST_TIMEOUT }, () => {
  it("answers with the busy text and prints no stack trace", async () => {
    const t = await createTestDb();
    const invite = await cli(t.url, ["invite", "create", "--agency", "IV.4", "--json"]);
    const { code } = JSON.parse(invite.stdout) as { code: string };
    await t.db.$disconnect();
    const lock = await holdWriteLock(t.path);
    try {
      const chat = spawnSync(
        process.execPath,
        ["--import", "tsx", "src/cli/index.ts", "chat", "--user", "minh", "--name", "Anh Minh"],
        {
          cwd: root,
          input: `/start ${code}\n`,
          encoding: "utf8",
          env: { ...process.env, DATABASE_URL: t.url, LOG_LEVEL: "" },
        },
      );
      expect(chat.status).toBe(0);
      expect(chat.stdout).toContain("CHƯA được ghi nhận");
      expect(chat.stderr).toContain("database busy"); // the operator is told, in one line
      // Neither a stack trace nor Prisma's frame of our source lines.
      expect(chat.stderr).not.toMatch(/\n\s+at |\\n\s+at |"stack"|\.ts:\d+/);
    } finally {
      await lock.release();
    }
  });
});
