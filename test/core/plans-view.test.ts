// A coordinator who follows many plans: /quahan, /tongquan and /kehoach without a code lead with
// the totals, give each plan two lines, fit 1,500 characters a message, and page with buttons; the
// example names one of the plans, not one that may not exist.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VIEW_MAX_CHARS } from "../../src/domain/pages.ts";
import type { OutgoingMessage } from "../../src/model/messages.ts";
import { importPlan } from "../../src/plan/import-plan.ts";
import type { ParsedPlan } from "../../src/plan/parse-plan.ts";
import { createTestBot, makeAdmin, texts, type TestBot } from "../helpers/bot.ts";

const PLANS = 14;
const buttons = (replies: OutgoingMessage[]) => replies.flatMap((r) => r.choices ?? []).flat();
const next = (replies: OutgoingMessage[]) => buttons(replies).find((b) => b.label.startsWith("Trang sau"));

/** A plan of two agencies the directory knows, due `n` days after 10/12. */
function smallPlan(n: number): ParsedPlan {
  const day = String(10 + n).padStart(2, "0");
  return {
    title: `Kế hoạch kiểm tra chuyên đề số ${n} về thực hiện chính sách bảo hiểm năm 2026`,
    province: "Đồng Nai",
    year: 2026,
    documentNumber: null,
    reportDeadline: `2026-12-${day}`,
    indicators: [],
    agencies: [
      { code: "IV.1", name: "Sở Nội vụ", requested: false, duties: [{ code: "IV.1.a", text: "Chủ trì kiểm tra." }] },
      { code: "IV.2", name: "Sở Tài chính", requested: false, duties: [{ code: "IV.2.a", text: "Phối hợp." }] },
    ],
    warnings: [],
  };
}

describe("the views over every plan followed, with 15 plans", () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await createTestBot({ now: "2026-12-10T09:00" });
    await makeAdmin(bot, "coord");
    await bot.join("lan", "IV.1", "Chị Lan");
    for (let n = 1; n <= PLANS; n++)
      await importPlan(bot.db, smallPlan(n), { code: `KT${String(n).padStart(2, "0")}` });
  });
  afterAll(() => bot.db.$disconnect());

  async function allPages(first: OutgoingMessage[]): Promise<string[]> {
    const pages: string[] = [];
    for (let page = first; ;) {
      expect(page).toHaveLength(1);
      pages.push(texts(page));
      const button = next(page);
      if (!button) return pages;
      page = await bot.choose("coord", button.value);
    }
  }

  for (const command of ["/quahan", "/tongquan", "/kehoach"]) {
    it(`${command}: totals first, pages within 1,500 characters, every plan once`, async () => {
      const pages = await allPages(await bot.send("coord", command));
      expect(pages.length).toBeGreaterThan(1);
      for (const page of pages) expect(page.length).toBeLessThanOrEqual(VIEW_MAX_CHARS);
      expect(pages[0]!.split("\n")[1]).toBe(
        command === "/quahan"
          ? "Chưa nộp báo cáo: 37/37 lượt cơ quan; 95/95 lượt đơn vị thành viên"
          : "Đã nộp báo cáo: 0/37 lượt cơ quan; 0/95 lượt đơn vị thành viên",
      );
      const codes = pages.flatMap((p) => [...p.matchAll(/^• ([A-Z0-9]+):/gm)].map((m) => m[1]!));
      expect(codes).toHaveLength(PLANS + 1);
      expect(new Set(codes).size).toBe(PLANS + 1);
      expect(pages.at(-1)).toContain(`Trang ${pages.length}/${pages.length}`);
      // The example is a plan the coordinator has: the nearest deadline's.
      expect(pages[0]).toMatch(/ví dụ \/(quahan|tongquan|kehoach) KT01\./);
    });
  }

  it("the previous-page button goes back to the page before", async () => {
    const first = await bot.send("coord", "/quahan");
    const second = await bot.choose("coord", next(first)!.value);
    const back = buttons(second).find((b) => b.label.startsWith("‹ Trang trước"))!;
    expect(texts(await bot.choose("coord", back.value))).toBe(texts(first));
  });

  it("a contact cannot page a coordinator's view", async () => {
    const reply = texts(await bot.choose("lan", "plans:quahan:2"));
    expect(reply).not.toContain("lượt cơ quan");
  });
});

describe("/tongquan of one plan with 30 agencies", () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await createTestBot({ now: "2026-12-10T09:00" });
    await makeAdmin(bot, "coord");
    const plan = smallPlan(5);
    plan.agencies = Array.from({ length: 30 }, (_, i) => ({
      code: `IV.${i + 1}`,
      name: `Ban chỉ đạo thực hiện chính sách bảo hiểm xã hội khu vực số ${i + 1}`,
      requested: false,
      duties: [{ code: `IV.${i + 1}.a`, text: "Tổ chức thực hiện." }],
    }));
    await importPlan(bot.db, plan, { code: "KT30", createAgencies: true });
  });
  afterAll(() => bot.db.$disconnect());

  it("pages its agencies within 1,500 characters, the totals on every page, each agency once", async () => {
    const pages: string[] = [];
    for (let page = await bot.send("coord", "/tongquan KT30"); ;) {
      expect(page).toHaveLength(1);
      const text = texts(page);
      expect(text.length).toBeLessThanOrEqual(VIEW_MAX_CHARS);
      expect(text).toContain("0/30 cơ quan đã nộp báo cáo");
      pages.push(text);
      const button = next(page);
      if (!button) break;
      expect(button.value).toMatch(/^overview:KT30:\d+$/);
      page = await bot.choose("coord", button.value);
    }
    expect(pages.length).toBeGreaterThan(1);
    const codes = pages.flatMap((p) => [...p.matchAll(/^⏳ (IV\.\d+) /gm)].map((m) => m[1]!));
    expect(codes).toEqual(Array.from({ length: 30 }, (_, i) => `IV.${i + 1}`));
    expect(pages.at(-1)).toContain(`Trang ${pages.length}/${pages.length}`);
    // A plan without indicators shows no empty heading for them.
    expect(pages[0]).not.toContain("Chỉ tiêu:");
  });
});
