// `reminders plan` and `reminders run` in the CLI, against the test bot's database so the CLI sees
// the contacts joined through the bot.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { runCli } from "../../src/cli/index.ts";
import { runCliOn } from "../helpers/cli.ts";
import { createTestDb, tableSnapshot } from "../helpers/db.ts";
import { texts } from "../helpers/bot.ts";
import { createReminderRig, instant, personId, reminderRow, type ReminderRig } from "../helpers/reminders-harness.ts";

/** Runs the CLI on the rig's database while the rig's own connection stays open, as beside a running bot. */
const cli = (args: string[], rig: ReminderRig) => runCliOn(rig.bot.url, args);

const IV4_DUTIES = ["IV.4.a", "IV.4.b", "IV.4.c", "IV.4.d", "IV.4.đ", "IV.4.e", "IV.4.g"];
const IV8_DUTIES = ["IV.8.a", "IV.8.b", "IV.8.c"];

describe("reminders in the CLI", () => {
  let rig: ReminderRig;
  let ids: { bhxh: number; ldld: number };
  beforeAll(async () => {
    rig = await createReminderRig("2026-11-30T09:00");
    await rig.bot.join("bhxh", "IV.4", "Võ Thanh");
    await rig.bot.join("ldld", "IV.8", "Trần Công Đoàn");
    ids = { bhxh: await personId(rig.bot, "bhxh"), ldld: await personId(rig.bot, "ldld") };
    // The CLI runs only the console: Võ Thanh is also linked there, Trần Công Đoàn only on the test platform.
    await rig.db.identity.create({
      data: {
        personId: ids.bhxh,
        platform: "console",
        userId: "bhxh",
        chatId: "bhxh",
        displayName: "Võ Thanh",
        createdAt: rig.bot.clock.now(),
      },
    });
  });
  afterAll(async () => rig.close());

  it("reminders plan --json prints one JSON object of what is due and writes nothing", async () => {
    const before = await tableSnapshot(rig.db);
    const r = await cli(["reminders", "plan", "--now", "2026-12-01T08:00", "--json"], rig);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out).not.toBeInstanceOf(Array);
    expect(Object.keys(out).sort()).toEqual(["due", "now", "sent", "skipped"]);
    expect(out.now).toBe("2026-12-01T08:00:00+07:00");
    expect(out.sent).toEqual([]);
    expect(out.due).toEqual([
      expect.objectContaining({
        kind: "reminder",
        agency: "IV.4",
        contact: ids.bhxh,
        contactName: "Võ Thanh",
        point: "T-14",
        dueAt: "2026-12-01T08:00:00+07:00",
        duties: IV4_DUTIES,
      }),
      expect.objectContaining({
        agency: "IV.8",
        contact: ids.ldld,
        point: "T-14",
        dueAt: "2026-12-01T08:00:00+07:00",
        duties: IV8_DUTIES,
      }),
    ]);
    const skipped = out.skipped as { agency: string; contact: number | null; point: string; reason: string }[];
    // T-30 (13/11) is far too old for both contacts; agencies without a contact are named.
    expect(skipped.filter((e) => e.reason === "expired").map((e) => [e.agency, e.contact, e.point])).toEqual([
      ["IV.4", ids.bhxh, "T-30"],
      ["IV.8", ids.ldld, "T-30"],
    ]);
    expect(skipped).toContainEqual(
      expect.objectContaining({ agency: "IV.1", contact: null, point: "T-14", reason: "no_contact" }),
    );
    expect(await tableSnapshot(rig.db)).toEqual(before);
    expect(await rig.db.outboxMessage.count()).toBe(0);
  });

  it("reminders run queues the reminders; each waits for its platform, a console account's for its own chat", async () => {
    const r = await cli(["reminders", "run", "--now", "2026-12-01T08:00", "--json"], rig);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { due: { agency: string; contact: number; point: string }[]; sent: unknown[] };
    expect(out.due.map((e) => [e.agency, e.contact, e.point])).toEqual([
      ["IV.4", ids.bhxh, "T-14"],
      ["IV.8", ids.ldld, "T-14"],
    ]);
    // The CLI runs no platform and prints nobody's pushes.
    expect(out.sent).toEqual([]);
    expect(r.stderr).toBe("");
    // Nobody runs the test platform, nor Võ Thanh's terminal: each reminder waits, neither sent nor failed.
    for (const who of ["ldld", "bhxh"]) {
      expect(await reminderRow(rig.bot, who, "T-14")).toMatchObject({
        status: "pending",
        attempts: 0,
        heldReason: "no_platform",
      });
    }

    // His chat opens at 08:05: the reminder is the first thing it shows, with its choices.
    const chat = await cli(["chat", "--user", "bhxh", "--now", "2026-12-01T08:05"], rig);
    expect(chat.code).toBe(0);
    expect(chat.stdout).toMatch(/^🔔 Nhắc việc: kế hoạch yêu cầu Bảo hiểm xã hội tỉnh/);
    expect(chat.stdout).toMatch(/^ {2}1\) /m);
    const t14 = await reminderRow(rig.bot, "bhxh", "T-14");
    expect(t14).toMatchObject({ status: "sent", attempts: 1, platformMessageId: expect.stringMatching(/^console-/) });
    expect(await reminderRow(rig.bot, "ldld", "T-14")).toMatchObject({ status: "pending", attempts: 0 });
    expect(await reminderRow(rig.bot, "bhxh", "T-30")).toMatchObject({ status: "skipped", skipReason: "expired" });
    expect(await rig.db.outboxMessage.count()).toBe(4);
  });

  it("a second run at the same instant sends nothing", async () => {
    const r = await cli(["reminders", "run", "--now", "2026-12-01T08:00", "--json"], rig);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { due: unknown[]; sent: unknown[]; skipped: { reason: string }[] };
    expect(out.sent).toEqual([]);
    expect(out.due).toEqual([]);
    expect(out.skipped.filter((e) => e.reason === "expired")).toEqual([]);
    expect(r.stderr).toBe("");
    expect(await rig.db.outboxMessage.count()).toBe(4);
  });

  it("without --json prints the counts", async () => {
    const r = await cli(["reminders", "plan", "--now", "2026-12-08T08:00"], rig);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe("Đến hạn: 2, đã gửi: 0, bỏ qua: 101");
  });

  it("a bad --now gives one clear error line, exit code 1, and writes nothing", async () => {
    const before = await tableSnapshot(rig.db);
    for (const now of ["2026-13-01T08:00", "mai", "2026-12-01T25:00", "01/12/2026"]) {
      for (const command of ["plan", "run"]) {
        const r = await cli(["reminders", command, "--now", now, "--json"], rig);
        expect(r.code, `${command} ${now}`).toBe(1);
        expect(r.stdout).toBe("");
        expect(r.stderr.trim().split("\n")).toHaveLength(1);
        expect(r.stderr).toContain("--now phải là thời điểm ISO 8601");
      }
    }
    expect(await tableSnapshot(rig.db)).toEqual(before);
  });
});

describe("the last week: a progress report does not replace the formal submission", () => {
  let rig: ReminderRig;
  beforeAll(async () => {
    rig = await createReminderRig("2026-11-25T09:00");
    await rig.bot.join("bhxh", "IV.4", "Võ Thanh");
    await rig.bot.join("thue", "IV.5", "Lê Thuế");
  });
  afterAll(async () => rig.close());

  type Entry = { agency: string; contactName: string | null; point: string; reason?: string };
  const planAt = async (now: string) => {
    const r = await cli(["reminders", "plan", "--now", now, "--json"], rig);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { due: Entry[]; skipped: Entry[] };
    const ours = (entries: Entry[]) =>
      entries
        .filter((e) => e.agency === "IV.4" || e.agency === "IV.5")
        .map((e) => [e.agency, e.point, e.reason ?? null]);
    return { due: ours(out.due), skipped: ours(out.skipped).filter(([, , reason]) => reason !== "expired") };
  };

  it("still skips T-14 after a report the day before", async () => {
    rig.at("2026-11-30T09:00");
    expect(texts(await rig.bot.send("bhxh", "4a 20%"))).toContain("IV.4.a");
    expect(await planAt("2026-12-01T08:00+07:00")).toEqual({
      due: [["IV.5", "T-14", null]],
      skipped: [["IV.4", "T-14", "recent_report"]],
    });
  });

  it("plans T-3 for an agency that reported one duty the day before but has not submitted", async () => {
    rig.at("2026-12-10T09:00");
    expect(texts(await rig.bot.send("bhxh", "4b 30%"))).toContain("IV.4.b");
    expect(await planAt("2026-12-11T08:00+07:00")).toEqual({
      due: [
        ["IV.4", "T-3", null],
        ["IV.5", "T-3", null],
      ],
      skipped: [],
    });
  });

  it("sends it, thanking the contact for the progress; an agency with no recent report reads no thanks", async () => {
    await rig.tick("2026-12-11T08:00");
    const [toBhxh] = rig.deliverer.to("bhxh").filter((a) => a.at.getTime() === instant("2026-12-11T08:00").getTime());
    expect(toBhxh?.message.text).toMatch(
      /^🔔 Nhắc việc: .*Cơ quan chưa nộp báo cáo\.\nCảm ơn Anh\/Chị đã cập nhật tiến độ/,
    );
    expect(toBhxh?.message.text).toContain("vẫn cần nộp báo cáo chính thức");
    const [toThue] = rig.deliverer.to("thue").filter((a) => a.at.getTime() === instant("2026-12-11T08:00").getTime());
    expect(toThue?.message.text).toMatch(/^🔔 Nhắc việc/);
    expect(toThue?.message.text).not.toContain("Cảm ơn");
  });

  it("never skips an overdue point for a recent report", async () => {
    rig.at("2026-12-14T10:00");
    expect(texts(await rig.bot.send("bhxh", "4c 50%"))).toContain("IV.4.c");
    expect(await planAt("2026-12-15T08:00+07:00")).toEqual({
      due: [
        ["IV.4", "overdue-1", null],
        ["IV.5", "overdue-1", null],
      ],
      skipped: [],
    });
  });

  it("keeps the skip for as many days before the deadline as the policy says", async () => {
    const file = join(inject("testTmpDir"), "policy-skip-until.json");
    writeFileSync(file, JSON.stringify({ recentReportSkipUntilDays: 3 }));
    const set = await cli(["reminders", "policy", "--set", file, "--json"], rig);
    expect(JSON.parse(set.stdout).effective).toMatchObject({ recentReportDays: 3, recentReportSkipUntilDays: 3 });
    expect(await planAt("2026-12-11T08:00+07:00")).toMatchObject({ skipped: [["IV.4", "T-3", "recent_report"]] });
    await cli(["reminders", "policy", "--reset"], rig);
  });
});

describe("reminders policy", () => {
  it("shows the defaults, stores valid overrides for the active plan, and refuses invalid ones", async () => {
    const t = await createTestDb();
    const dir = inject("testTmpDir");
    const env = { DATABASE_URL: t.url, LOG_LEVEL: "silent" };
    const run = async (args: string[]) => {
      let stdout = "";
      let stderr = "";
      const code = await runCli(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) }, env);
      return { code, stdout, stderr };
    };
    const shown = JSON.parse((await run(["reminders", "policy", "--json"])).stdout);
    expect(shown.overrides).toBeNull();
    expect(shown.effective).toMatchObject({ beforeDays: [30, 14, 7, 3, 1], sendTime: "08:00", overdueWorkingDays: 10 });
    expect(shown.effective.recentReportSkipUntilDays).toBe(8);

    const good = join(dir, "policy-good.json");
    writeFileSync(good, JSON.stringify({ sendTime: "07:30", beforeDays: [10, 2] }));
    const set = JSON.parse((await run(["reminders", "policy", "--set", good, "--json"])).stdout);
    expect(set.effective).toMatchObject({ sendTime: "07:30", beforeDays: [10, 2], digestTime: "16:30" });

    const bad = join(dir, "policy-bad.json");
    writeFileSync(bad, JSON.stringify({ sendTime: "25:00" }));
    const refused = await run(["reminders", "policy", "--set", bad, "--json"]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe("");
    expect(refused.stderr).toMatch(/Chính sách nhắc việc không hợp lệ, chưa lưu gì: .*sendTime/);
    const plan = await t.db.plan.findFirstOrThrow({ where: { active: true } });
    expect(JSON.parse(plan.reminderPolicy!)).toEqual({ sendTime: "07:30", beforeDays: [10, 2] });

    for (const value of [-1, 2.5, "8", 367]) {
      writeFileSync(bad, JSON.stringify({ recentReportSkipUntilDays: value }));
      const r = await run(["reminders", "policy", "--set", bad, "--json"]);
      expect(r.code, String(value)).toBe(1);
      expect(r.stderr).toMatch(/Chính sách nhắc việc không hợp lệ, chưa lưu gì: .*recentReportSkipUntilDays/);
    }
    expect(JSON.parse((await t.db.plan.findFirstOrThrow({ where: { active: true } })).reminderPolicy!)).toEqual({
      sendTime: "07:30",
      beforeDays: [10, 2],
    });

    const reset = JSON.parse((await run(["reminders", "policy", "--reset", "--json"])).stdout);
    expect(reset.overrides).toBeNull();
    await t.db.$disconnect();
  });
});
