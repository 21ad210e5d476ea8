// `db copy --to postgresql://…`: a SQLite database with real activity is copied into PostgreSQL,
// and the CLI's views agree on both. Runs in `npm run test:pg`, where a server is at hand.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCliOn } from "../helpers/cli.ts";
import { createDb, loadDatabaseDriver } from "../../src/db/db.ts";
import { createSqliteTestDb, createTestDb, onPostgres, tableCounts, type TestDb } from "../helpers/db.ts";
import { createEmptyPgDatabase } from "../helpers/postgres.ts";
import { createReminderRig, type ReminderRig } from "../helpers/reminders-harness.ts";
import { inject } from "vitest";

const cli = (url: string, ...args: string[]) => runCliOn(url, args);

describe.runIf(onPostgres)("copying a SQLite database to PostgreSQL", () => {
  let source: TestDb;
  let rig: ReminderRig;
  let target: string;

  beforeAll(async () => {
    source = await createSqliteTestDb();
    rig = await createReminderRig("2026-12-01T09:00", source);
    const { bot } = rig;
    await bot.join("bhxh", "IV.4", "Võ Thanh");
    await bot.join("stc", "IV.2", "Lê Tài Chính");
    await bot.join("dieu-phoi", null, "Điều phối");
    await bot.send("bhxh", "4b 60%: đã kết nối dữ liệu");
    await bot.send("bhxh", "4c xong");
    await bot.send("bhxh", "/nopbaocao 123/BC-BHXH 20/11/2026");
    await bot.choose("bhxh", "submit:confirm");
    await bot.send("stc", "/vuongmac Chưa có kinh phí hỗ trợ");
    await bot.send("dieu-phoi", "/nhacnho IV.2");
    await rig.tick("2026-12-01T08:00");
    await rig.tick("2026-12-08T08:00");
    const counts = await tableCounts(source.db);
    for (const table of ["DutyReport", "Submission", "Difficulty", "OutboxMessage", "CalendarDay", "Identity"]) {
      expect(counts[table], table).toBeGreaterThan(0);
    }
    target = await createEmptyPgDatabase(inject("templateDbUrl"), inject("testRunId"), "copy");
  });
  afterAll(async () => {
    await rig.close();
  });

  it("copies every table, checks the counts, and the CLI then says the same on both", async () => {
    const copied = await cli(source.url, "db", "copy", "--to", target, "--json");
    expect(copied.stderr).toBe("");
    expect(copied.code).toBe(0);
    const result = JSON.parse(copied.stdout) as { tables: Record<string, number> };
    expect(result.tables).toEqual(await tableCounts(source.db));

    for (const args of [
      ["status", "--json"],
      ["contacts", "list", "--json"],
      ["reminders", "plan", "--now", "2026-12-11T08:00", "--json"],
    ]) {
      const before = await cli(source.url, ...args);
      const after = await cli(target, ...args);
      expect(before.code, args.join(" ")).toBe(0);
      expect(after.stdout, args.join(" ")).toBe(before.stdout);
      expect(after.stdout.length).toBeGreaterThan(50);
    }
  });

  it("moves every sequence past the copied ids: the next row gets a new id", async () => {
    await loadDatabaseDriver(target);
    const db = createDb(target);
    try {
      const last = await db.person.findFirstOrThrow({ orderBy: { id: "desc" } });
      const invite = await cli(target, "invite", "create", "--agency", "IV.5", "--json");
      expect(invite.stderr).toBe("");
      const person = await db.person.create({
        data: { displayName: "Người mới", role: "contact", createdAt: new Date() },
      });
      expect(person.id).toBeGreaterThan(last.id);
    } finally {
      await db.$disconnect();
    }
  });

  it("refuses a target that already holds rows, and writes nothing", async () => {
    const other = await createTestDb();
    // Any command seeds the bundled plan, as the first start does.
    expect((await cli(other.url, "status")).code).toBe(0);
    const before = await tableCounts(other.db);
    const refused = await cli(source.url, "db", "copy", "--to", other.url);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^Cơ sở dữ liệu đích đã có dữ liệu \(bảng: .*\)\..*chưa có gì được ghi\.\n$/);
    expect(await tableCounts(other.db)).toEqual(before);
    await other.db.$disconnect();
  });

  it("refuses a target that is not a PostgreSQL URL", async () => {
    const refused = await cli(source.url, "db", "copy", "--to", "file:./khac.db");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("Đích sao chép phải là địa chỉ PostgreSQL");
  });
});
