// `reminders plan` and `reminders run` in the CLI, against the test bot's database so the CLI sees
// the contacts joined through the bot.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { runCli } from "../src/cli/index.ts";
import { runCliOn } from "./helpers/cli.ts";
import { createTestDb, tableSnapshot } from "./helpers/db.ts";
import { createReminderRig, personId, reminderRow, type ReminderRig } from "./helpers/reminders-harness.ts";

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

  it("reminders run sends console accounts' reminders on stderr and keeps the others for their platform", async () => {
    const r = await cli(["reminders", "run", "--now", "2026-12-01T08:00", "--json"], rig);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { sent: { agency: string; point: string; contact: number; dueAt: string }[] };
    expect(out.sent.map((e) => [e.agency, e.contact, e.point, e.dueAt])).toEqual([
      ["IV.4", ids.bhxh, "T-14", "2026-12-01T08:00:00+07:00"],
    ]);
    expect(r.stderr.match(/\[→ /g)).toHaveLength(1);
    expect(r.stderr).toContain(
      `[→ Võ Thanh #${ids.bhxh} console:bhxh] 🔔 Nhắc việc: kế hoạch yêu cầu Bảo hiểm xã hội tỉnh`,
    );
    // Nobody runs the test platform: the reminder waits for it, neither sent nor failed.
    expect(await reminderRow(rig.bot, "ldld", "T-14")).toMatchObject({
      status: "pending",
      attempts: 0,
      heldReason: "no_platform",
    });

    const t14 = await reminderRow(rig.bot, "bhxh", "T-14");
    expect(t14).toMatchObject({ status: "sent", attempts: 1, platformMessageId: expect.stringMatching(/^console-/) });
    expect(t14!.sentAt).toEqual(t14!.dueAt);
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

    const reset = JSON.parse((await run(["reminders", "policy", "--reset", "--json"])).stdout);
    expect(reset.overrides).toBeNull();
    await t.db.$disconnect();
  });
});
