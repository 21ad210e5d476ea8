// Plans come and go; agencies and people stay. With contacts joined and reports in, a second plan
// of the province and then next year's version of the first are imported: after each, every
// contact keeps working, the list of people is unchanged, and the earlier reports stay where they were.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messagesFor } from "../../src/i18n/index.ts";
import { importPlan } from "../../src/plan/import-plan.ts";
import { parsePlan } from "../../src/plan/parse-plan.ts";
import { listContacts } from "../../src/services/contact-service.ts";
import { activePlans } from "../../src/services/directory-service.ts";
import { findAgency, resolveDirectory } from "../../src/services/plan-service.ts";
import { isAppError } from "../../src/model/errors.ts";
import { seedFile, tableCounts } from "../helpers/db.ts";
import { createTestBot, makeAdmin, texts, type TestBot } from "../helpers/bot.ts";
import { secondPlanText } from "../helpers/second-plan.ts";

const bundled = seedFile("ke-hoach-bhxh-dong-nai-2026.txt");
const secondPlan = secondPlanText();
/** Next year's version of the bundled plan: the same title but for its year, a deadline a year on. */
const nextYear = bundled.replaceAll("năm 2026", "năm 2027").replaceAll("NĂM 2026", "NĂM 2027");
const internalError = messagesFor("vi").bot.internalError;

const CONTACTS = [
  { user: "lan", agency: "IV.4", line: "4a 60% đang rà soát" },
  { user: "tai-chinh", agency: "IV.2", line: "2b xong" },
  { user: "xa-binh-phuoc", agency: "IV.9-25195", line: "9a 30%" },
];

async function errorOf(work: () => Promise<unknown>) {
  const error = await work().then(
    () => null,
    (e: unknown) => e,
  );
  if (!isAppError(error)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe("importing more plans beside one in use", () => {
  let bot: TestBot;
  let people: unknown;
  let reports: unknown;

  const contactsList = async () =>
    (await listContacts(bot.db, null)).map((p) => [p.id, p.displayName, p.role, p.directoryAgency?.code ?? null]);
  const reportRows = () =>
    bot.db.dutyReport.findMany({
      orderBy: { id: "asc" },
      select: { id: true, agencyId: true, dutyId: true, status: true, percent: true },
    });

  /** Every contact and the coordinator get real answers, never the internal-error apology. */
  async function everyoneKeepsWorking(): Promise<void> {
    for (const c of CONTACTS) {
      for (const line of ["/nhiemvu", "/trogiup", "/tiendo"]) {
        const reply = texts(await bot.send(c.user, line));
        expect(reply, `${c.user} ${line}`).not.toContain(internalError);
        expect(reply.length).toBeGreaterThan(0);
      }
    }
    for (const line of ["/tongquan", "/quahan", "/daumoi IV.4"]) {
      expect(texts(await bot.send("coord", line)), line).not.toContain(internalError);
    }
  }

  beforeAll(async () => {
    bot = await createTestBot({ now: "2026-12-07T09:00" });
    await makeAdmin(bot, "coord");
    await bot.join("coord2", null, "Điều phối 2");
    for (const c of CONTACTS) {
      await bot.join(c.user, c.agency);
      expect(texts(await bot.send(c.user, c.line))).toContain("Đã ghi nhận");
    }
    people = await contactsList();
    reports = await reportRows();
  });
  afterAll(async () => bot.db.$disconnect());

  it("refuses a plan naming an agency the directory lacks, listing it, and stores nothing", async () => {
    const before = await tableCounts(bot.db);
    const error = await errorOf(() => importPlan(bot.db, parsePlan(secondPlan)));
    expect(error.code).toBe("plan.new_agencies");
    expect(JSON.stringify(error.params)).toContain("IV.1 Sở Y tế (SYT)");
    expect(await tableCounts(bot.db)).toEqual(before);
  });

  it("imports a second plan of the province with --create-agencies: the same agencies under other numbers", async () => {
    const summary = await importPlan(bot.db, parsePlan(secondPlan), { createAgencies: true });
    expect([summary.created, summary.code]).toEqual([true, "BHYT26"]);
    expect(summary.directory.map((d) => [d.section, d.directoryCode, d.matched])).toEqual([
      ["IV.1", "SYT", false],
      ["IV.2", "BHXH", true],
      ["IV.3", "STC", true],
      ["IV.4", "UBNDXA", true], // "UBND cấp xã": a known other name of Ủy ban nhân dân cấp xã
    ]);
    expect((await activePlans(bot.db)).map((p) => [p.code, p.reportDeadline])).toEqual([
      ["BHXH26", "2026-12-15"],
      ["BHYT26", "2026-12-20"],
    ]);
    // Re-importing the same document changes nothing.
    const again = await importPlan(bot.db, parsePlan(secondPlan));
    expect([again.created, again.agencies, again.duties]).toEqual([
      false,
      { added: 0, updated: 0, withdrawn: 0 },
      { added: 0, updated: 0, withdrawn: 0 },
    ]);
  });

  it("after the second plan, every contact keeps working, the people and the reports unchanged", async () => {
    await everyoneKeepsWorking();
    expect(await contactsList()).toEqual(people);
    expect((await reportRows()).slice(0, CONTACTS.length)).toEqual(reports);
  });

  it("/kehoach lists the active plans for a coordinator, and /kehoach CODE shows one", async () => {
    const list = texts(await bot.send("coord", "/kehoach"));
    expect(list).toContain("Đang áp dụng 2 kế hoạch");
    expect(list.indexOf("• BHYT26")).toBeGreaterThan(list.indexOf("• BHXH26"));
    expect(list).toContain("trước ngày 20/12/2026");
    const one = texts(await bot.send("coord", "/kehoach bhyt26"));
    expect(one).toContain("Mã kế hoạch: BHYT26");
    expect(one).toContain("Tỷ lệ dân số tham gia bảo hiểm y tế");
    expect(texts(await bot.send("coord", "/kehoach XX99"))).toContain("BHXH26, BHYT26");
  });

  it("/kehoach dong CODE: only an administrator closes a plan, after confirming", async () => {
    expect(texts(await bot.send("coord2", "/kehoach dong BHYT26"))).toContain("Chỉ quản trị viên");
    const asked = await bot.send("coord", "/kehoach đóng bhyt26");
    const values = asked
      .flatMap((r) => r.choices ?? [])
      .flat()
      .map((b) => b.value);
    expect(values).toEqual(["close_plan:confirm", "close_plan:cancel"]);
    expect(texts(await bot.choose("coord", "close_plan:cancel"))).not.toContain("Đã đóng");
    expect((await bot.db.plan.findUniqueOrThrow({ where: { code: "BHYT26" } })).active).toBe(true);
    // Confirmed on a real closing, a plan leaves the views; here it is reopened for the steps that follow.
    await bot.send("coord", "/kehoach dong BHYT26");
    expect(texts(await bot.choose("coord", "close_plan:confirm"))).toContain("Đã đóng kế hoạch BHYT26");
    expect((await activePlans(bot.db)).map((p) => p.code)).toEqual(["BHXH26"]);
    await bot.db.plan.update({ where: { code: "BHYT26" }, data: { active: true, closedAt: null } });
  });

  it("a coordinator's view with a plan code first is about that plan", async () => {
    const overview = texts(await bot.send("coord", "/tongquan BHYT26"));
    expect(overview).toContain("Sở Y tế");
    expect(texts(await bot.send("coord", "/tongquan"))).not.toContain("Sở Y tế");
    const overdue = texts(await bot.send("coord", "/quahan bhyt26"));
    expect(overdue).toContain("Sở Y tế");
    expect(overdue).not.toContain("Thanh tra tỉnh");
    expect(texts(await bot.send("coord", "/tongquan BHYT26 IV.2"))).toContain("Bảo hiểm xã hội tỉnh");
  });

  it("without a plan code, /tongquan and /quahan give one short line per followed plan, nearest deadline first", async () => {
    const overview = texts(await bot.send("coord", "/tongquan"));
    expect(overview).toContain("Tình hình 2 kế hoạch Anh/Chị theo dõi");
    expect(overview.indexOf("• BHXH26: ")).toBeGreaterThan(0);
    expect(overview.indexOf("• BHYT26: ")).toBeGreaterThan(overview.indexOf("• BHXH26: "));
    expect(overview).toMatch(/trước ngày 15\/12\/2026 \(còn 8 ngày\); đã nộp báo cáo \d+\/9 cơ quan/);
    expect(overview).toContain("/tongquan MÃ_KẾ_HOẠCH");
    const behind = texts(await bot.send("coord", "/quahan"));
    expect(behind).toMatch(/• BHYT26: .*\n.*trước ngày 20\/12\/2026 .*; chưa nộp báo cáo \d+\/\d+ cơ quan/);
    // An agency named, or one plan followed, gives the full view of one plan.
    expect(texts(await bot.send("coord", "/tongquan IV.4"))).not.toContain("Tình hình 2 kế hoạch");
    await bot.send("coord", "/theodoi BHYT26");
    const one = texts(await bot.send("coord", "/tongquan"));
    expect(one).not.toContain("Tình hình 2 kế hoạch");
    expect(one).toContain("Sở Y tế");
    await bot.send("coord", "/theodoi tatca");
  });

  it("/nhiemvu groups an agency's duties by plan, the nearest deadline first", async () => {
    const duties = texts(await bot.send("lan", "/nhiemvu"));
    const first = duties.indexOf("📋 Kế hoạch BHXH26");
    const second = duties.indexOf("📋 Kế hoạch BHYT26");
    expect(first).toBeGreaterThanOrEqual(0);
    expect(second).toBeGreaterThan(first);
    expect(duties.slice(first, second)).toContain("IV.4.a");
    expect(duties.slice(second)).toContain("IV.2.a");
    expect(duties.slice(second)).toContain("20/12/2026");
    // An agency in one plan sees its duties as before.
    expect(texts(await bot.send("xa-binh-phuoc", "/nhiemvu"))).not.toContain("📋");
  });

  it("a plan code first decides which plan a report line is about", async () => {
    const before = await bot.db.dutyReport.count();
    expect(texts(await bot.send("lan", "BHYT26 2a xong"))).toContain("Đã ghi nhận");
    const stored = await bot.db.dutyReport.findFirstOrThrow({
      orderBy: { id: "desc" },
      include: { duty: true, agency: { include: { plan: true } } },
    });
    expect([stored.agency.plan.code, stored.agency.code, stored.duty.code, stored.status]).toEqual([
      "BHYT26",
      "IV.2",
      "IV.2.a",
      "done",
    ]);
    // Without the code, a duty only one of the agency's plans has goes to that plan.
    expect(texts(await bot.send("lan", "2b 50%"))).toContain("Đã ghi nhận");
    const plain = await bot.db.dutyReport.findFirstOrThrow({
      orderBy: { id: "desc" },
      include: { duty: true, agency: { include: { plan: true } } },
    });
    expect([plain.agency.plan.code, plain.duty.code]).toEqual(["BHYT26", "IV.2.b"]);
    // A duty of another agency in every plan is refused, and nothing is stored.
    expect(texts(await bot.send("lan", "3 xong"))).not.toContain("Đã ghi nhận");
    expect(await bot.db.dutyReport.count()).toBe(before + 2);
  });

  it("/nopbaocao asks which plan; each plan has its own submission, and its steps stay in that plan", async () => {
    const asked = await bot.send("lan", "/nopbaocao");
    expect(texts(asked)).toContain("nhiều kế hoạch");
    const buttons = asked.flatMap((r) => r.choices ?? []).flat();
    expect(buttons.map((b) => b.label.split(":")[0])).toEqual(["BHXH26", "BHYT26"]);
    const preview = await bot.choose("lan", buttons[1]!.value);
    const confirm = preview
      .flatMap((r) => r.choices ?? [])
      .flat()
      .find((b) => b.value === "submit:confirm");
    expect(confirm, texts(preview)).toBeDefined();
    expect(texts(preview)).toContain("IV.2.a");
    // The confirmation arrives where chat is about the plan due first, and is kept in the plan it began in.
    expect(texts(await bot.choose("lan", "submit:confirm"))).toContain("Đã nộp báo cáo");
    const submissions = await bot.db.submission.findMany({ include: { agency: { include: { plan: true } } } });
    expect(submissions.map((x) => [x.agency.plan.code, x.agency.code])).toEqual([["BHYT26", "IV.2"]]);
    // A plan code after the command decides at once.
    const direct = await bot.send("lan", "/nopbaocao BHXH26");
    expect(texts(direct)).toContain("IV.4.a");
    expect(
      direct
        .flatMap((r) => r.choices ?? [])
        .flat()
        .map((b) => b.value),
    ).toContain("submit:confirm");
    await bot.send("lan", "/huy");
    // The guided report's steps too: a duty only the second plan has is taken at the next step.
    const duties = await bot.send("lan", "/baocao BHYT26");
    expect(
      duties
        .flatMap((r) => r.choices ?? [])
        .flat()
        .map((b) => b.value),
    ).toContain("report:duty:IV.2.b");
    const status = await bot.choose("lan", "report:duty:IV.2.b");
    expect(
      status
        .flatMap((r) => r.choices ?? [])
        .flat()
        .map((b) => b.value),
    ).toContain("report:status:done");
    await bot.send("lan", "/huy");
    // An agency in one plan is not asked.
    expect(texts(await bot.send("xa-binh-phuoc", "/nopbaocao"))).not.toContain("nhiều kế hoạch");
    await bot.send("xa-binh-phuoc", "/huy");
  });

  it("a coordinator's one-plan command without a code asks which plan, and runs in the one picked", async () => {
    const asked = await bot.send("coord", "/xuat csv");
    expect(texts(asked)).toContain("Đang có nhiều kế hoạch áp dụng. /xuat cho kế hoạch nào?");
    expect(asked.some((r) => r.file)).toBe(false);
    const buttons = asked.flatMap((r) => r.choices ?? []).flat();
    expect(buttons.map((b) => b.label.split(":")[0])).toEqual(["BHXH26", "BHYT26"]);
    const [sent] = (await bot.choose("coord", buttons[1]!.value)).filter((r) => r.file);
    // What was typed after the command holds in the plan picked: a CSV of BHYT26, with its Sở Y tế.
    const csv = (reply: { file?: { content: Uint8Array } } | undefined) =>
      Buffer.from(reply?.file?.content ?? []).toString("utf8");
    expect(sent?.file?.name).toMatch(/\.csv$/);
    expect(csv(sent)).toContain("Sở Y tế");
    // The question is answered once.
    const again = await bot.choose("coord", buttons[0]!.value);
    expect(texts(again)).toContain("không còn hiệu lực");
    expect(again.some((r) => r.file)).toBe(false);
    // A code decides at once; a bare command that needs an agency says how to use it first.
    expect(csv((await bot.send("coord", "/xuat BHXH26 csv")).find((r) => r.file))).not.toContain("Sở Y tế");
    expect(texts(await bot.send("coord", "/nhac"))).toContain("Cách dùng: /nhac CƠ_QUAN");
    const nudge = texts(await bot.send("coord", "/nhac IV.4"));
    expect(nudge).toContain("/nhac cho kế hoạch nào?");
    await bot.send("coord", "/huy");
    // One plan followed: no question, that plan.
    await bot.send("coord", "/theodoi BHYT26");
    expect(csv((await bot.send("coord", "/xuat csv")).find((r) => r.file))).toContain("Sở Y tế");
    await bot.send("coord", "/theodoi tatca");
  });

  it("imports next year's plan as a new plan and keeps this year's in the register", async () => {
    const summary = await importPlan(bot.db, parsePlan(nextYear));
    expect([summary.created, summary.code]).toEqual([true, "BHXH27"]);
    expect(summary.directory.every((d) => d.matched)).toBe(true);
    const plans = await bot.db.plan.findMany({ orderBy: { id: "asc" } });
    expect(plans.map((p) => [p.code, p.year, p.active])).toEqual([
      ["BHXH26", 2026, true],
      ["BHYT26", 2026, true],
      ["BHXH27", 2027, true],
    ]);
    await everyoneKeepsWorking();
    expect(await contactsList()).toEqual(people);
    expect((await reportRows()).slice(0, CONTACTS.length)).toEqual(reports);
    expect(texts(await bot.send("lan", "bhxh27 4a 10%"))).toContain("Đã ghi nhận");
    // 4b is a duty of this agency in this year's plan and next year's: the bot asks, storing nothing yet.
    const count = await bot.db.dutyReport.count();
    const asked = await bot.send("lan", "4b 20%");
    expect(texts(asked)).toContain("nhiều kế hoạch");
    const options = asked.flatMap((r) => r.choices ?? []).flat();
    expect(options.map((o) => o.label.split(":")[0])).toEqual(["BHXH26", "BHXH27"]);
    expect(await bot.db.dutyReport.count()).toBe(count);
    expect(texts(await bot.choose("lan", options[0]!.value))).toContain("Đã ghi nhận");
    const latest = await bot.db.dutyReport.findFirstOrThrow({ orderBy: { id: "desc" }, include: { agency: true } });
    expect([latest.agency.planId, latest.percent]).toEqual([plans[0]!.id, 20]);
    // The same answer twice stores nothing more.
    expect(texts(await bot.choose("lan", options[0]!.value))).not.toContain("Đã ghi nhận");
    expect(await bot.db.dutyReport.count()).toBe(count + 1);
  });

  describe("how --agency resolves", () => {
    let planIds: Record<string, number>;
    beforeAll(async () => {
      planIds = Object.fromEntries((await bot.db.plan.findMany()).map((p) => [p.code, p.id]));
    });

    it("1. a directory code, in any case, to the agency's place in the plan", async () => {
      expect((await findAgency(bot.db, planIds.BHYT26!, "bhxh")).code).toBe("IV.2");
      expect((await findAgency(bot.db, planIds.BHXH26!, "BHXH")).code).toBe("IV.4");
      expect((await resolveDirectory(bot.db, "stc")).code).toBe("STC");
    });

    it("2. a section number of the plan given, or of the only active plan", async () => {
      expect((await findAgency(bot.db, planIds.BHYT26!, "IV.3")).code).toBe("IV.3");
      expect((await resolveDirectory(bot.db, "IV.3", "BHYT26")).code).toBe("STC");
      expect((await resolveDirectory(bot.db, "IV.3", "BHXH26")).code).toBe("TTR");
      expect((await resolveDirectory(bot.db, "IV.9-25195", "BHXH26")).code).toBe("25195");
      // A commune's old code is its alias whatever the plans.
      expect((await resolveDirectory(bot.db, "IV.9-25195")).code).toBe("25195");
    });

    it("3. a unique name, with or without diacritics", async () => {
      expect((await resolveDirectory(bot.db, "so y te")).code).toBe("SYT");
      expect((await findAgency(bot.db, planIds.BHYT26!, "Sở Tài chính")).code).toBe("IV.3");
    });

    it("4. otherwise it refuses and lists the candidates", async () => {
      const ambiguous = await errorOf(() => resolveDirectory(bot.db, "sở"));
      expect(ambiguous.code).toBe("agency.ambiguous");
      expect(JSON.stringify(ambiguous.params)).toContain("SNV");
      // With several plans active, a section number alone names no plan.
      expect((await errorOf(() => resolveDirectory(bot.db, "IV.3"))).code).toBe("agency.unknown");
      expect((await errorOf(() => resolveDirectory(bot.db, "không có"))).code).toBe("agency.unknown");
    });
  });
});
