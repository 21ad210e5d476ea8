// The register of plans and the directory from the command line: plan import/list/close,
// agencies list/alias, contacts move, status and export across plans, and reminders that say
// which plan each push is about.
import { join } from "node:path";
import { mkdtempSync, writeFileSync } from "node:fs";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createTestBot, makeAdmin, texts, type TestBot } from "../helpers/bot.ts";
import { runCliOn } from "../helpers/cli.ts";
import { tableCounts } from "../helpers/db.ts";
import { SECOND_PLAN_PATH } from "../helpers/second-plan.ts";

const secondPlan = SECOND_PLAN_PATH;

describe("plans and the directory on the command line", () => {
  let bot: TestBot;
  let dir: string;
  const cli = (...args: string[]) => runCliOn(bot.url, args);
  const json = async (...args: string[]) => {
    const r = await cli(...args, "--json");
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout);
  };

  beforeAll(async () => {
    bot = await createTestBot({ now: "2026-12-07T09:00" });
    dir = mkdtempSync(join(inject("testTmpDir"), "plans-cli-"));
    await makeAdmin(bot, "coord");
    await bot.join("lan", "IV.4", "Chị Lan");
    await bot.send("lan", "4a 60%");
  });
  afterAll(async () => bot.db.$disconnect());

  it("plan import refuses unknown agencies with one line listing them, and stores nothing", async () => {
    await cli("plan", "list"); // the CLI's first start loads the bundled holiday calendar
    const before = await tableCounts(bot.db);
    const r = await cli("plan", "import", secondPlan);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("IV.1 Sở Y tế (SYT)");
    expect(r.stderr).toContain("--create-agencies");
    expect(await tableCounts(bot.db)).toEqual(before);
  });

  it("plan import --create-agencies --code lists each agency as matched or new", async () => {
    const r = await cli("plan", "import", secondPlan, "--create-agencies", "--code", "yte26");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("Mã kế hoạch: YTE26.");
    expect(r.stdout).toContain("  IV.1\tSYT\tSở Y tế (mới trong danh mục)");
    expect(r.stdout).toContain("  IV.2\tBHXH\tBảo hiểm xã hội tỉnh\n");
    const bad = await cli("plan", "import", secondPlan, "--code", "bảo hiểm");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("không hợp lệ");
  });

  it("plan list shows both plans with their codes, deadlines, sizes and submissions", async () => {
    const plans = await json("plan", "list");
    expect(
      plans.map((p: Record<string, unknown>) => [p.code, p.status, p.reportDeadline, p.agencies, p.duties]),
    ).toEqual([
      ["BHXH26", "active", "2026-12-15", 9, 29],
      ["YTE26", "active", "2026-12-20", 4, 7],
    ]);
    expect((await cli("plan", "list")).stdout).toContain("YTE26\tđang áp dụng\ttrước ngày 20/12/2026");
  });

  it("status always returns {plans: [...]}: every active plan, or the one of --plan", async () => {
    const all = await json("status");
    expect(all.plans.map((p: { code: string }) => p.code)).toEqual(["BHXH26", "YTE26"]);
    const one = await json("status", "--plan", "yte26");
    expect(one.plans).toHaveLength(1);
    expect(
      one.plans[0].agencies.map((a: { code: string; directoryCode: string }) => [a.code, a.directoryCode]),
    ).toEqual([
      ["IV.1", "SYT"],
      ["IV.2", "BHXH"],
      ["IV.3", "STC"],
      ["IV.4", "UBNDXA"],
    ]);
    // The same contact counts in both plans her agency is in.
    expect(one.plans[0].agencies[1].contacts).toBe(1);
    const unknown = await cli("status", "--plan", "XX26");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("BHXH26, YTE26");
  });

  it("agencies list shows each agency's plans with its section numbers, and its contacts", async () => {
    const agencies = await json("agencies", "list");
    const bhxh = agencies.find((a: { code: string }) => a.code === "BHXH");
    expect(bhxh).toMatchObject({
      name: "Bảo hiểm xã hội tỉnh",
      contacts: 1,
      plans: [
        { plan: "BHXH26", section: "IV.4", active: true },
        { plan: "YTE26", section: "IV.2", active: true },
      ],
    });
    expect(agencies.find((a: { code: string }) => a.code === "25195")?.plans).toEqual([
      { plan: "BHXH26", section: "IV.9-25195", active: true },
    ]);
  });

  it("agencies alias keeps another name, and refuses one another agency has", async () => {
    expect((await cli("agencies", "alias", "stc", "Sở TC tỉnh")).stdout).toContain('"Sở TC tỉnh"');
    const agencies = await json("agencies", "list");
    expect(agencies.find((a: { code: string }) => a.code === "STC").aliases).toEqual(["Sở TC tỉnh"]);
    const taken = await cli("agencies", "alias", "SNV", "so tc tinh");
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain("STC");
  });

  it("contacts move moves a person to another agency; her reports stay with the agency they were about", async () => {
    const [lan] = await json("contacts", "list", "--agency", "BHXH");
    const report = await bot.db.dutyReport.findFirstOrThrow({ include: { agency: true } });
    const moved = await json("contacts", "move", String(lan.id), "--agency", "IV.3", "--plan", "YTE26");
    expect(moved).toEqual({ id: lan.id, agency: "STC" });
    expect((await json("contacts", "list", "--agency", "STC")).map((p: { id: number }) => p.id)).toEqual([lan.id]);
    const after = await bot.db.dutyReport.findFirstOrThrow({ include: { agency: true } });
    expect([after.id, after.agency.code]).toEqual([report.id, "IV.4"]);
    expect(texts(await bot.send("lan", "/nhiemvu"))).toContain("Sở Tài chính");
  });

  it("export without --plan writes one workbook: a summary across plans, then each plan's sheets", async () => {
    const out = join(dir, "tong-hop.xlsx");
    const result = await json("export", "--format", "xlsx", "--out", out);
    expect(result.plans).toEqual(["BHXH26", "YTE26"]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const names = wb.worksheets.map((s) => s.name);
    expect(names[0]).toBe("Các kế hoạch");
    expect(names).toContain("BHXH26 Nhiệm vụ");
    expect(names).toContain("YTE26 Nhiệm vụ");
    const summary = wb.getWorksheet("Các kế hoạch")!;
    expect([summary.getRow(2).getCell(1).value, summary.getRow(3).getCell(1).value]).toEqual(["BHXH26", "YTE26"]);
    expect(summary.getRow(3).getCell(7).value).toBe(7);
    // Another format is about one plan, and asks which.
    const csv = await cli("export", "--format", "csv", "--out", join(dir, "x.csv"));
    expect(csv.code).toBe(1);
    expect(csv.stderr).toContain("--plan");
  });

  it("reminders plan names each push's plan", async () => {
    const plan = await json("reminders", "plan", "--now", "2026-12-13T08:00");
    const codes = new Set([...plan.due, ...plan.skipped].map((e: { plan: string }) => e.plan));
    expect(codes).toEqual(new Set(["BHXH26", "YTE26"]));
  });

  it("/tamdung without a plan pauses the agency in every active plan", async () => {
    expect(texts(await bot.send("coord", "/tamdung BHXH 10/12"))).toContain("10/12/2026");
    const paused = await bot.db.agency.findMany({
      where: { directory: { code: "BHXH" } },
      include: { plan: true },
      orderBy: { planId: "asc" },
    });
    expect(paused.map((a) => [a.plan.code, a.pausedUntil])).toEqual([
      ["BHXH26", "2026-12-10"],
      ["YTE26", "2026-12-10"],
    ]);
  });

  it("plan close ends a plan: gone from status and reminders, kept in the register and its exports", async () => {
    expect((await cli("plan", "close", "YTE26")).stdout).toContain("Đã đóng kế hoạch YTE26");
    expect((await json("status")).plans.map((p: { code: string }) => p.code)).toEqual(["BHXH26"]);
    expect((await json("plan", "list")).map((p: { code: string; status: string }) => [p.code, p.status])).toEqual([
      ["BHXH26", "active"],
      ["YTE26", "closed"],
    ]);
    const plan = await json("reminders", "plan", "--now", "2026-12-13T08:00");
    expect([...plan.due, ...plan.skipped].every((e: { plan: string }) => e.plan === "BHXH26")).toBe(true);
    const out = join(dir, "yte.xlsx");
    expect((await json("export", "--format", "xlsx", "--out", out, "--plan", "YTE26")).plans).toEqual(["YTE26"]);
    expect((await cli("plan", "close", "YTE26")).stdout).toContain("đã đóng từ trước");
  });

  it("plan import warns of a year with no holiday calendar", async () => {
    const file = join(dir, "nam-sau.txt");
    const { readFileSync } = await import("node:fs");
    writeFileSync(
      file,
      readFileSync(new URL("../../prisma/seed/ke-hoach-bhxh-dong-nai-2026.txt", import.meta.url), "utf8")
        .replaceAll("năm 2026", "năm 2027")
        .replaceAll("NĂM 2026", "NĂM 2027"),
    );
    const r = await cli("plan", "import", file);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("Mã kế hoạch: BHXH27.");
    expect(r.stdout).toContain("Chưa có lịch nghỉ năm 2027");
  });
});
