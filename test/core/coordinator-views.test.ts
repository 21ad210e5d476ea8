// /quahan and the 16:30 digest on a phone: totals first, the 95 communes summed on one line, every message within
// 1,500 characters, buttons that list the communes page by page and nudge those with a contact.
// The province's 95 communes, two contacts in each of ten of them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VIEW_MAX_CHARS } from "../../src/domain/pages.ts";
import type { OutgoingMessage } from "../../src/model/messages.ts";
import { createTestBot, makeAdmin, texts, type TestBot } from "../helpers/bot.ts";
import { buildDigest } from "../../src/reminders/digest.ts";
import { vi } from "../../src/i18n/vi.ts";
import { getActivePlan } from "../../src/services/plan-service.ts";
import { loadPlanStatus } from "../../src/services/status-service.ts";

const buttons = (replies: OutgoingMessage[]) => replies.flatMap((r) => r.choices ?? []).flat();
const button = (replies: OutgoingMessage[], label: string) => buttons(replies).find((b) => b.label.startsWith(label));

describe("the overdue view with 95 communes", () => {
  let bot: TestBot;
  let withContacts: string[];
  beforeAll(async () => {
    bot = await createTestBot({ now: "2026-12-10T09:00" });
    await makeAdmin(bot, "coord");
    const communes = await bot.db.agency.findMany({ where: { parent: { code: "IV.9" } }, orderBy: { id: "asc" } });
    withContacts = communes.slice(0, 10).map((c) => c.code);
    for (const code of withContacts) {
      await bot.join(`${code}-a`, code);
      await bot.join(`${code}-b`, code);
    }
  });
  afterAll(() => bot.db.$disconnect());

  it("leads with the totals, sums the communes on one line, and fits one message", async () => {
    const replies = await bot.send("coord", "/quahan");
    expect(replies).toHaveLength(1);
    const [reply] = replies;
    expect(reply!.text.length).toBeLessThanOrEqual(VIEW_MAX_CHARS);
    expect(reply!.text.split("\n")[0]).toBe("9 cơ quan chưa nộp báo cáo (hạn trước ngày 15/12/2026, còn 5 ngày):");
    expect(reply!.text).toContain(
      "• IV.9 Ủy ban nhân dân cấp xã: 95/95 đơn vị chưa nộp báo cáo; 85 đơn vị chưa có đầu mối",
    );
    expect(reply!.text).not.toMatch(/IV\.9-\d/);
    expect(buttons(replies).map((b) => b.label)).toEqual(["Danh sách IV.9 (95)", "Nhắc 10 đơn vị có đầu mối"]);
  });

  it("lists the communes page by page, each once, and pages back", async () => {
    let page = await bot.choose("coord", button(await bot.send("coord", "/quahan"), "Danh sách")!.value);
    const seen: string[] = [];
    const pages: string[] = [];
    for (;;) {
      const text = texts(page);
      expect(page).toHaveLength(1);
      expect(text.length).toBeLessThanOrEqual(VIEW_MAX_CHARS);
      pages.push(text);
      seen.push(...[...text.matchAll(/^– (IV\.9-\d+) /gm)].map((m) => m[1]!));
      const next = button(page, "Trang sau");
      if (!next) break;
      page = await bot.choose("coord", next.value);
    }
    expect(pages.length).toBeGreaterThan(1);
    expect(pages[0]).toContain("IV.9 Ủy ban nhân dân cấp xã: 95 đơn vị chưa nộp báo cáo, 85 đơn vị chưa có đầu mối:");
    expect(pages.at(-1)).toContain(`Trang ${pages.length}/${pages.length}`);
    expect(seen).toHaveLength(95);
    expect(new Set(seen).size).toBe(95);
    // Each commune says whether anyone can be reached there.
    expect(pages.join("\n")).toContain(`– ${withContacts[0]} `);
    expect(pages.join("\n")).toMatch(new RegExp(`– ${withContacts[0]!.replace(".", "\\.")} .*: 2 đầu mối`));
    expect(pages.join("\n")).toMatch(/: chưa có đầu mối$/m);
    const back = await bot.choose("coord", button(page, "‹ Trang trước")!.value);
    expect(texts(back)).toBe(pages.at(-2));
  });

  it("nudges the twenty contacts of the ten communes that have one, and no one else", async () => {
    const before = bot.notifications.length;
    const reply = texts(await bot.choose("coord", button(await bot.send("coord", "/quahan"), "Nhắc")!.value));
    expect(reply).toContain("Đã gửi nhắc tới 20 đầu mối của 10 cơ quan.");
    const sent = bot.notifications.slice(before);
    expect(sent).toHaveLength(20);
    const people = await bot.db.person.findMany({
      where: { id: { in: sent.map((n) => n.personId) } },
      include: { directoryAgency: true },
    });
    expect(new Set(people.map((p) => p.directoryAgency?.code)).size).toBe(10);
  });

  it("/tongquan and /tongquan IV.9 fit one message too, the members behind the same buttons", async () => {
    for (const view of ["/tongquan", "/tongquan IV.9"]) {
      const replies = await bot.send("coord", view);
      expect(replies, view).toHaveLength(1);
      expect(replies[0]!.text.length, view).toBeLessThanOrEqual(VIEW_MAX_CHARS);
    }
    const group = await bot.send("coord", "/tongquan IV.9");
    expect(texts(group)).toContain("95 đơn vị chưa nộp báo cáo; 85 đơn vị chưa có đầu mối.");
    expect(buttons(group).map((b) => b.value)).toEqual(["members:BHXH26:IV.9:1", "nudge:BHXH26:IV.9"]);
  });

  it("the 16:30 digest fits one message, leads with the totals, and its buttons list and nudge", async () => {
    const plan = await getActivePlan(bot.db);
    const status = await loadPlanStatus(bot.db, plan);
    const at = bot.clock.now();
    const digest = await buildDigest(bot.db, vi, plan, status, at, at);
    expect(digest.text.length).toBeLessThanOrEqual(VIEW_MAX_CHARS);
    expect(digest.text.split("\n")[0]).toMatch(/^📊 Tình hình báo cáo ngày 10\/12\/2026/);
    expect(digest.text).toContain(
      "IV.9 Ủy ban nhân dân cấp xã: 95/95 đơn vị chưa nộp báo cáo; 85 đơn vị chưa có đầu mối",
    );
    expect(digest.text).not.toMatch(/IV\.9-\d/);
    expect(buttons([digest]).map((b) => b.label)).toEqual([
      "Danh sách chưa nộp (9)",
      "Danh sách IV.9 (95)",
      "Nhắc 10 đơn vị có đầu mối",
    ]);
    const listed = await bot.choose("coord", button([digest], "Danh sách IV.9")!.value);
    expect(texts(listed)).toContain(`– ${withContacts[0]} `);
    const before = bot.notifications.length;
    const nudged = texts(await bot.choose("coord", button([digest], "Nhắc")!.value));
    expect(nudged).toContain("Đã gửi nhắc tới 20 đầu mối của 10 cơ quan.");
    expect(bot.notifications.slice(before)).toHaveLength(20);
  });

  it("a contact cannot use a coordinator's buttons, and a forged page is refused", async () => {
    const contact = `${withContacts[0]}-a`;
    expect(texts(await bot.choose(contact, "members:BHXH26:IV.9:1"))).not.toContain("đơn vị chưa nộp");
    expect(texts(await bot.choose("coord", "members:KHAC99:IV.9:1"))).toContain("không còn hiệu lực");
  });
});
