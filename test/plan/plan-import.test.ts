import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { inject } from "vitest";
import { createLogger } from "../../src/lib/logger.ts";
import { ensureBundledPlan } from "../../src/plan/bundle.ts";
import { importPlan } from "../../src/plan/import-plan.ts";
import type { AppError } from "../../src/model/errors.ts";
import { addMembers, parseMembersCsv } from "../../src/plan/members.ts";
import { parsePlan } from "../../src/plan/parse-plan.ts";
import { runCli } from "../../src/cli/index.ts";
import { createTestDb, seedFile, tableSnapshot, type TestDb } from "../helpers/db.ts";
import { root } from "../helpers/processes.ts";

const planText = seedFile("ke-hoach-bhxh-dong-nai-2026.txt");

async function cli(args: string[], url: string) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(
    args,
    { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) },
    {
      DATABASE_URL: url,
      LOG_LEVEL: "silent",
    },
  );
  return { code, stdout, stderr };
}

describe("plan import into the database", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(async () => t.db.$disconnect());

  it("stores the plan as the active one with its agencies, duties and targets", async () => {
    // An empty directory: every agency of the document is new, so only --create-agencies imports it.
    const summary = await importPlan(t.db, parsePlan(planText), { createAgencies: true });
    expect(summary.created).toBe(true);
    expect(summary.agencies.added).toBe(9);
    expect(summary.duties.added).toBe(29);
    const plan = await t.db.plan.findFirstOrThrow({ where: { active: true } });
    expect(plan).toMatchObject({ province: "Đồng Nai", year: 2026, reportDeadline: "2026-12-15" });
    const d = await t.db.duty.findFirstOrThrow({ where: { code: "IV.1.đ" } });
    expect(d.text.startsWith("Hằng năm, tổng hợp, đánh giá")).toBe(true);
    expect(await t.db.duty.count({ where: { code: "IV.1.d" } })).toBe(1);
    const requested = await t.db.agency.findFirstOrThrow({ where: { code: "IV.8" } });
    expect(requested).toMatchObject({ name: "Liên đoàn Lao động tỉnh", requested: true });
    const ind = await t.db.indicator.findFirstOrThrow({ where: { code: "II.2" } });
    expect(ind).toMatchObject({ targetRatePercent: 3.8, targetParticipants: 40100, eligiblePopulation: 1055260 });
  });

  it("changes nothing when the same document is imported again", async () => {
    const before = await t.db.duty.findMany({ orderBy: { id: "asc" } });
    const planBefore = await t.db.plan.findFirstOrThrow();
    const summary = await importPlan(t.db, parsePlan(planText));
    expect(summary.created).toBe(false);
    expect([summary.agencies, summary.duties, summary.indicators]).toEqual([
      { added: 0, updated: 0, withdrawn: 0 },
      { added: 0, updated: 0, withdrawn: 0 },
      { added: 0, updated: 0, withdrawn: 0 },
    ]);
    expect(await t.db.duty.findMany({ orderBy: { id: "asc" } })).toEqual(before);
    expect((await t.db.plan.findFirstOrThrow()).updatedAt).toEqual(planBefore.updatedAt);
  });

  it("updates changed texts by code and withdraws a removed duty without deleting it", async () => {
    const revised = planText
      .replace(
        "c) Tiếp tục hướng dẫn các doanh nghiệp thực hiện khai trình việc sử dụng lao \n",
        "c) Tiếp tục hướng dẫn mọi doanh nghiệp thực hiện khai trình việc sử dụng lao \n",
      )
      .replace(/ c\) Thực hiện đồng bộ các giải pháp[\s\S]*?đầy đủ cho người lao động\. \n/, "");
    const parsed = parsePlan(revised);
    expect(parsed.agencies.find((a) => a.code === "IV.9")!.duties.map((d) => d.code)).toEqual([
      "IV.9.a",
      "IV.9.b",
      "IV.9.d",
    ]);
    const dutyC = await t.db.duty.findFirstOrThrow({ where: { code: "IV.9.c" } });
    const summary = await importPlan(t.db, parsed);
    // IV.1.c's text changed and IV.9.d moved up a place.
    expect(summary.duties).toEqual({ added: 0, updated: 2, withdrawn: 1 });
    // IV.9.d moved up only because IV.9.c left: told as the withdrawal, not as a move.
    expect(summary.changes.duties).toEqual({ added: [], reworded: ["IV.1.c"], withdrawn: ["IV.9.c"], reordered: [] });
    const kept = await t.db.duty.findUniqueOrThrow({ where: { id: dutyC.id } });
    expect(kept.withdrawn).toBe(true);
    expect((await t.db.duty.findFirstOrThrow({ where: { code: "IV.1.c" } })).text).toContain("mọi doanh nghiệp");
    // The original document brings it back.
    const back = await importPlan(t.db, parsePlan(planText));
    expect(back.duties).toEqual({ added: 0, updated: 3, withdrawn: 0 });
    expect(back.changes.duties).toEqual({ added: ["IV.9.c"], reworded: ["IV.1.c"], withdrawn: [], reordered: [] });
    expect((await t.db.duty.findUniqueOrThrow({ where: { id: dutyC.id } })).withdrawn).toBe(false);
  });

  it("names the agencies renamed, withdrawn and brought back, and the indicators changed, by code", async () => {
    const revised = planText
      .replace("7. Báo và Phát thanh, Truyền hình Đồng Nai", "7. Báo Đồng Nai")
      .replace(/8\. Đề nghị Liên đoàn Lao động tỉnh[\s\S]*?(?=9\. Ủy ban nhân dân cấp xã)/, "")
      .replace("3,8% (đối tượng tham gia 40.100", "3,8% (đối tượng tham gia 40.110");
    const summary = await importPlan(t.db, parsePlan(revised));
    expect(summary.changes.agencies).toEqual({
      added: [],
      renamed: [{ code: "IV.7", from: "Báo và Phát thanh, Truyền hình Đồng Nai", to: "Báo Đồng Nai" }],
      requested: [],
      withdrawn: [{ code: "IV.8", name: "Liên đoàn Lao động tỉnh" }],
      reordered: [],
    });
    expect(summary.changes.duties.withdrawn).toEqual(["IV.8.a", "IV.8.b", "IV.8.c"]);
    expect(summary.changes.indicators.changed).toEqual([
      {
        code: "II.2",
        name: "Tỷ lệ tham gia bảo hiểm xã hội tự nguyện",
        fields: { targetParticipants: { from: 40100, to: 40110 } },
      },
    ]);
    const back = await importPlan(t.db, parsePlan(planText));
    expect(back.changes.agencies).toMatchObject({
      added: [{ code: "IV.8", name: "Liên đoàn Lao động tỉnh" }],
      renamed: [{ code: "IV.7", from: "Báo Đồng Nai", to: "Báo và Phát thanh, Truyền hình Đồng Nai" }],
      withdrawn: [],
    });
    expect(back.changes.duties.added).toEqual(["IV.8.a", "IV.8.b", "IV.8.c"]);
  });

  it("adds commune members from CSV once, keeping leading zeros, and re-running changes nothing", async () => {
    const plan = await t.db.plan.findFirstOrThrow({ where: { active: true } });
    const rows = parseMembersCsv(seedFile("dong-nai-cap-xa.csv"));
    expect(rows).toHaveLength(95);
    const first = await addMembers(t.db, plan.id, "IV.9", rows);
    expect(first).toMatchObject({ added: 95, updated: 0 });
    const again = await addMembers(t.db, plan.id, "IV.9", rows);
    expect(again).toMatchObject({ added: 0, updated: 0, unchanged: 95 });
    const member = await t.db.agency.findFirstOrThrow({ where: { code: "IV.9-25195" }, include: { parent: true } });
    expect(member.name).toBe("Phường Bình Phước");
    expect(member.parent?.code).toBe("IV.9");
    const crlf = parseMembersCsv('ma,ten,loai\r\n00123,"Xã Thử, Nghiệm",Xã\r\n');
    expect(crlf).toEqual([{ ma: "00123", ten: "Xã Thử, Nghiệm" }]);
  });

  it("refuses a bad member list with the line at fault, and adds nothing", async () => {
    const lineOf = (text: string) => {
      try {
        parseMembersCsv(text);
        return null;
      } catch (error) {
        return (error as AppError).code === "members.bad_csv"
          ? (error as AppError<"members.bad_csv">).params.line
          : "other";
      }
    };
    expect(lineOf("")).toBe(1);
    expect(lineOf("ma,name\n1,X\n")).toBe(1);
    expect(lineOf("ma,ten\n001,Xã A\n\n001,Xã B\n")).toBe(4);
    expect(lineOf("ma,ten\n12a,Xã A\n")).toBe(2);
    expect(lineOf("ma,ten\n00001,\n")).toBe(2);
    expect(lineOf('ma,ten\n1,"Xã A\n')).toBe(2);
  });
});

describe("plan commands in the CLI", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(async () => t.db.$disconnect());

  const planPath = join(root, "prisma/seed/ke-hoach-bhxh-dong-nai-2026.txt");

  it("plan parse --json prints exactly one JSON object with the plan", async () => {
    const r = await cli(["plan", "parse", planPath, "--json"], t.url);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.reportDeadline).toBe("2026-12-15");
    expect(out.agencies).toHaveLength(9);
    expect(out.indicators[0]).toEqual({
      code: "II.1",
      name: "Tỷ lệ tham gia bảo hiểm xã hội bắt buộc",
      targetRatePercent: 95,
      targetParticipants: 1115590,
      eligiblePopulation: 1174298,
    });
  });

  it("refuses a missing, empty or non-plan file with one clear line and writes nothing", async () => {
    const before = await tableSnapshot(t.db);
    const dir = inject("testTmpDir");
    const empty = join(dir, "empty.txt");
    writeFileSync(empty, "   \n\n");
    const noSectionIv = join(dir, "no-iv.txt");
    writeFileSync(
      noSectionIv,
      planText.slice(0, planText.indexOf("IV. TỔ CHỨC")) + "\nTrên đây là kế hoạch; báo cáo trước ngày 15/12.\n",
    );
    const cases: [string, RegExp][] = [
      [join(dir, "missing.txt"), /không tồn tại/],
      [empty, /trống/],
      [noSectionIv, /mục "IV\."/],
    ];
    for (const [file, message] of cases) {
      const r = await cli(["plan", "import", file, "--json"], t.url);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
    expect(await tableSnapshot(t.db)).toEqual(before);
  });

  it("plan import seeds an empty database with the bundled plan and its 95 communes", async () => {
    const r = await cli(["plan", "import", planPath, "--json"], t.url);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ created: false, warnings: [] });
    expect(await t.db.agency.count({ where: { parent: { code: "IV.9" } } })).toBe(95);
    expect(await t.db.plan.count()).toBe(1);
  });
});

describe("plan import says what changed", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(async () => t.db.$disconnect());

  const revised = planText
    .replace("trước ngày 15/12.", "trước ngày 20/12.")
    .replace(
      "tổ chức tuyên truyền, phổ biến chính sách pháp luật về bảo hiểm xã hội, tập trung",
      "tổ chức tuyên truyền sâu rộng, phổ biến chính sách pháp luật về bảo hiểm xã hội, tập trung",
    )
    .replace(
      "các doanh nghiệp. \n\n7. Báo",
      "các doanh nghiệp. \n\nd) Báo cáo kết quả kiểm tra về Sở Nội vụ trước ngày 30/11. \n\n7. Báo",
    )
    .replace("bắt buộc: 95% (đối tượng tham gia \n\n1.115.590", "bắt buộc: 95,02% (đối tượng tham gia \n\n1.115.818");

  it("prints the deadline, the duties added and reworded and the indicator's figures, old → new", async () => {
    const parsed = parsePlan(revised);
    expect(parsed.reportDeadline).toBe("2026-12-20");
    expect(parsed.warnings).toEqual([]);
    const file = join(inject("testTmpDir"), "ke-hoach-sua-doi.txt");
    writeFileSync(file, revised);
    const r = await cli(["plan", "import", file], t.url);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      [
        "Đã cập nhật kế hoạch (5 thay đổi):",
        "• Hạn báo cáo: trước ngày 15/12/2026 → trước ngày 20/12/2026",
        "• Nhiệm vụ mới: IV.6.d",
        "• Nhiệm vụ sửa nội dung: IV.6.b",
        "• Chỉ tiêu II.1 (Tỷ lệ tham gia bảo hiểm xã hội bắt buộc): tỷ lệ mục tiêu 95% → 95,02%; số người mục tiêu 1.115.590 → 1.115.818",
        "",
      ].join("\n"),
    );
    expect((await t.db.plan.findFirstOrThrow({ where: { active: true } })).reportDeadline).toBe("2026-12-20");
  });

  it("says nothing changed when the same document is imported again, and only then", async () => {
    const file = join(inject("testTmpDir"), "ke-hoach-sua-doi.txt");
    const r = await cli(["plan", "import", file], t.url);
    expect(r.stdout).toBe("Kế hoạch đã có, không có gì thay đổi.\n");
  });

  it("--json gives the same facts structurally", async () => {
    const original = join(root, "prisma/seed/ke-hoach-bhxh-dong-nai-2026.txt");
    const r = await cli(["plan", "import", original, "--json"], t.url);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ created: false, activated: false, duties: { added: 0, updated: 1, withdrawn: 1 } });
    expect(out.changes).toEqual({
      deadline: { from: "2026-12-20", to: "2026-12-15" },
      documentNumber: null,
      indicators: {
        added: [],
        changed: [
          {
            code: "II.1",
            name: "Tỷ lệ tham gia bảo hiểm xã hội bắt buộc",
            fields: {
              targetRatePercent: { from: 95.02, to: 95 },
              targetParticipants: { from: 1115818, to: 1115590 },
            },
          },
        ],
        withdrawn: [],
        reordered: [],
      },
      agencies: { added: [], renamed: [], requested: [], withdrawn: [], reordered: [] },
      duties: { added: [], reworded: ["IV.6.b"], withdrawn: ["IV.6.d"], reordered: [] },
    });
  });
});

describe("seeding the bundled plan", () => {
  it("finishes a seed interrupted after the plan, and does nothing once complete", async () => {
    const t = await createTestDb();
    const logger = createLogger("silent");
    await importPlan(t.db, parsePlan(planText), { createAgencies: true }); // as if the process stopped before the communes
    expect(await ensureBundledPlan(t.db, logger)).toBe(true);
    expect(await t.db.agency.count({ where: { parent: { code: "IV.9" } } })).toBe(95);
    expect(await ensureBundledPlan(t.db, logger)).toBe(false);
    expect(await t.db.agency.count()).toBe(9 + 95);
    await t.db.$disconnect();
  });
});
