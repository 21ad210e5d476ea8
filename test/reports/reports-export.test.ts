import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/index.ts";
import { vi as viText } from "../../src/i18n/vi.ts";
import { loadExportData, type ExportData } from "../../src/reports/export-data.ts";
import { buildExportCsv } from "../../src/reports/export-csv.ts";
import { buildExportDocx } from "../../src/reports/export-docx.ts";
import { buildProgressChart, CHART_HEIGHT, CHART_WIDTH } from "../../src/reports/chart.ts";
import { buildExportXlsx } from "../../src/reports/export-xlsx.ts";
import { getActivePlan } from "../../src/services/plan-service.ts";
import { parseIsoInstant } from "../../src/lib/time.ts";
import { createTestBot, makeAdmin, texts, type TestBot } from "../helpers/bot.ts";
import { decodePng } from "../helpers/png.ts";

/** Commas, quotes, a new line, Vietnamese and a leading "=": everything a naive export gets wrong. */
const TRICKY = '=HYPERLINK("http://x") đã họp, "khẩn"\ndòng hai: Bình Phước';
const DIFFICULTY = '+Thiếu dữ liệu, doanh nghiệp "ma"';

let bot: TestBot;
let dir: string;
const at = (iso: string) => parseIsoInstant(iso)!;

async function dutyId(code: string): Promise<number> {
  return (await bot.db.duty.findFirstOrThrow({ where: { code } })).id;
}
async function agencyId(code: string): Promise<number> {
  return (await bot.db.agency.findFirstOrThrow({ where: { code } })).id;
}

beforeAll(async () => {
  bot = await createTestBot({ now: "2026-12-02T09:00" });
  dir = mkdtempSync(join(tmpdir(), "nv-export-"));
  await makeAdmin(bot, "admin");
  await bot.join("lan", "IV.4", "Nguyễn Thị Lan");
  await bot.join("xa", "IV.9-25195", "Trần Văn Xã");
  expect(texts(await bot.send("lan", "/chitieu II.1 1.120.000"))).toMatch(/1\.120\.000/);
  const lan = await bot.db.person.findFirstOrThrow({ where: { displayName: "Nguyễn Thị Lan" } });
  const xa = await bot.db.person.findFirstOrThrow({ where: { displayName: "Trần Văn Xã" } });
  const iv4 = await agencyId("IV.4");
  const commune = await agencyId("IV.9-25195");
  // An old report (before --since) and newer ones; the latest per duty is what the tables show.
  await bot.db.dutyReport.createMany({
    data: [
      {
        agencyId: iv4,
        dutyId: await dutyId("IV.4.a"),
        status: "in_progress",
        percent: 20,
        note: "cũ",
        personId: lan.id,
        createdAt: at("2026-11-20T10:00"),
      },
      {
        agencyId: iv4,
        dutyId: await dutyId("IV.4.a"),
        status: "done",
        percent: 100,
        note: TRICKY,
        personId: lan.id,
        createdAt: at("2026-12-01T15:30"),
      },
      {
        agencyId: commune,
        dutyId: await dutyId("IV.9.a"),
        status: "blocked",
        percent: 40,
        note: "-âm tính",
        personId: xa.id,
        createdAt: at("2026-12-01T16:00"),
      },
    ],
  });
  await bot.db.difficulty.createMany({
    data: [
      {
        agencyId: iv4,
        dutyId: await dutyId("IV.4.a"),
        text: DIFFICULTY,
        personId: lan.id,
        createdAt: at("2026-12-01T16:10"),
      },
      { agencyId: iv4, text: "cũ", personId: lan.id, createdAt: at("2026-11-20T10:00") },
    ],
  });
  await bot.db.submission.create({
    data: {
      agencyId: iv4,
      personId: lan.id,
      submittedAt: at("2026-12-01T17:00"),
      onTime: true,
      documentNumber: "123/SYT",
      documentDate: "2026-12-01",
    },
  });
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function data(filters = {}): Promise<ExportData> {
  return loadExportData(bot.db, await getActivePlan(bot.db), filters, bot.clock.now());
}

function rowsOf(sheet: ExcelJS.Worksheet): ExcelJS.Row[] {
  const rows: ExcelJS.Row[] = [];
  sheet.eachRow((row) => rows.push(row));
  return rows;
}

describe("export data", () => {
  it("holds every agency's duties, members included, with the latest state and its reporter", async () => {
    const d = await data();
    const iv4a = d.duties.find((x) => x.agencyCode === "IV.4" && x.dutyCode === "IV.4.a")!;
    expect(iv4a).toMatchObject({ status: "done", percent: 100, note: TRICKY, reporter: "Nguyễn Thị Lan" });
    expect(
      d.duties.some((x) => x.agencyCode === "IV.9-25195" && x.dutyCode === "IV.9.a" && x.status === "blocked"),
    ).toBe(true);
    expect(d.duties.filter((x) => x.agencyCode.startsWith("IV.9-")).length).toBeGreaterThan(95);
    expect(d.history.map((h) => h.note)).toEqual(["cũ", TRICKY, "-âm tính"]);
    expect(d.indicators.find((i) => i.code === "II.1")).toMatchObject({
      latestParticipants: 1_120_000,
      reportedBy: "Nguyễn Thị Lan",
    });
  });

  it("--since filters history and difficulties only; --agency on a group keeps its members", async () => {
    const d = await data({ agency: "IV.9", since: "2026-12-01" });
    expect(new Set(d.duties.map((x) => x.agencyCode.slice(0, 5)))).toEqual(new Set(["IV.9-"]));
    expect(d.history.map((h) => h.agencyCode)).toEqual(["IV.9-25195"]);
    const all = await data({ since: "2026-12-01" });
    expect(all.history.map((h) => h.note)).toEqual([TRICKY, "-âm tính"]);
    expect(all.difficulties.map((x) => x.text)).toEqual([DIFFICULTY]);
    expect(all.duties.find((x) => x.dutyCode === "IV.4.a" && x.agencyCode === "IV.4")!.status).toBe("done");
  });

  it("a contact gets only their own agency, and asking for another is refused", async () => {
    const plan = await getActivePlan(bot.db);
    const iv4 = await agencyId("IV.4");
    const own = await loadExportData(bot.db, plan, {}, bot.clock.now(), { role: "contact", agencyId: iv4 });
    expect(new Set(own.duties.map((x) => x.agencyCode))).toEqual(new Set(["IV.4"]));
    await expect(
      loadExportData(bot.db, plan, { agency: "IV.1" }, bot.clock.now(), { role: "contact", agencyId: iv4 }),
    ).rejects.toMatchObject({ code: "export.not_allowed" });
  });
});

describe("xlsx", () => {
  it("has the five sheets, frozen headers, real dates in Vietnam time, % numbers and formula-proof text", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await buildExportXlsx(viText, await data())) as unknown as ExcelJS.Buffer);
    expect(wb.worksheets.map((s) => s.name)).toEqual(["Tổng hợp", "Nhiệm vụ", "Nộp báo cáo", "Vướng mắc", "Lịch sử"]);
    const duties = wb.getWorksheet("Nhiệm vụ")!;
    expect(duties.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(rowsOf(duties)[0]!.getCell(5).value).toBe("Nhiệm vụ");
    const row = rowsOf(duties).find((r) => r.getCell(2).value === "IV.4" && r.getCell(4).value === "IV.4.a")!;
    const note = row.getCell(8);
    expect(note.type).toBe(ExcelJS.ValueType.String);
    expect(note.value).toBe(TRICKY);
    expect(row.getCell(6).value).toBe("Hoàn thành");
    expect(row.getCell(7).value).toBe(1);
    expect(row.getCell(7).numFmt).toContain("%");
    // 15:30 in Vietnam is shown as 15:30, whatever the computer's zone.
    const updated = row.getCell(9).value as Date;
    expect(updated).toBeInstanceOf(Date);
    expect(updated.toISOString()).toBe("2026-12-01T15:30:00.000Z");
    expect(duties.getColumn(8).width).toBeGreaterThan(20);

    const summary = wb.getWorksheet("Tổng hợp")!;
    const ind = rowsOf(summary).find((r) => r.getCell(1).value === "II.1")!;
    expect(ind.getCell(3).value).toBeCloseTo(0.95, 5);
    expect(ind.getCell(3).numFmt).toContain("%");
    expect(ind.getCell(6).value).toBe(1_120_000);
    const count = (label: string) =>
      rowsOf(summary)
        .find((r) => r.getCell(1).value === label)!
        .getCell(2).value;
    expect(count("Số cơ quan đã nộp")).toBe(1);
    expect(count("Số cơ quan chưa nộp")).toBe(8);
    expect(count("Hoàn thành")).toBe(1);
    expect(count("Vướng mắc")).toBe(1);

    const submissions = rowsOf(wb.getWorksheet("Nộp báo cáo")!);
    const iv4 = submissions.find((r) => r.getCell(2).value === "IV.4")!;
    expect([iv4.getCell(4).value, iv4.getCell(5).value, iv4.getCell(8).value, iv4.getCell(9).value]).toEqual([
      "Có",
      "123/SYT",
      "Đúng hạn",
      "Nguyễn Thị Lan",
    ]);
    expect(submissions.find((r) => r.getCell(2).value === "IV.9")!.getCell(4).value).toBe(
      "0/95 đơn vị thành viên đã nộp",
    );

    const difficulty = rowsOf(wb.getWorksheet("Vướng mắc")!).find((r) => r.getCell(5).value === DIFFICULTY)!;
    expect(difficulty.getCell(5).type).toBe(ExcelJS.ValueType.String);
    const history = rowsOf(wb.getWorksheet("Lịch sử")!).slice(1);
    expect(history.map((r) => r.getCell(8).value)).toEqual(["cũ", TRICKY, "-âm tính"]);
    expect(history[2]!.getCell(8).type).toBe(ExcelJS.ValueType.String);
  });
});

describe("xlsx of one member", () => {
  it("counts the member itself as the one agency not submitted", async () => {
    const wb = new ExcelJS.Workbook();
    const bytes = await buildExportXlsx(viText, await data({ agency: "IV.9-25195" }));
    await wb.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
    const summary = rowsOf(wb.getWorksheet("Tổng hợp")!);
    const count = (label: string) => summary.find((r) => r.getCell(1).value === label)!.getCell(2).value;
    expect([count("Số cơ quan đã nộp"), count("Số cơ quan chưa nộp")]).toEqual([0, 1]);
  });
});

describe("same data, same file", () => {
  it("gives byte-identical xlsx and docx, stamped with the export's time rather than the wall clock", async () => {
    const d = await data();
    expect(await buildExportXlsx(viText, d)).toEqual(await buildExportXlsx(viText, d));
    const docx = await buildExportDocx(viText, d);
    expect(await buildExportDocx(viText, d)).toEqual(docx);
    const core = await (await JSZip.loadAsync(docx)).file("docProps/core.xml")!.async("string");
    expect(core).toContain(">2026-12-02T02:00:00Z</dcterms:created>");
  });
});

describe("csv", () => {
  it("is the duties table, UTF-8 with a BOM, quoted per RFC 4180, with a quote before a leading =, +, - or @", async () => {
    const bytes = buildExportCsv(viText, await data());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    const rows = parse(text, { bom: true });
    expect(rows[0]).toEqual(viText.reports.dutyCols);
    const iv4 = rows.find((r) => r[1] === "IV.4" && r[3] === "IV.4.a")!;
    expect(iv4[7]).toBe(`'${TRICKY}`);
    expect(iv4[5]).toBe("Hoàn thành");
    expect(iv4[6]).toBe("100");
    expect(iv4[8]).toBe("2026-12-01T15:30:00+07:00");
    expect(rows.find((r) => r[1] === "IV.9-25195" && r[3] === "IV.9.a")![7]).toBe("'-âm tính");
    // A duty nobody reported on says so, unlike one reported as not started.
    const unreported = rows.find((r) => r[1] === "IV.1" && r[3] === "IV.1.a")!;
    expect([unreported[5], unreported[8]]).toEqual(["Chưa báo cáo", ""]);
    expect(text).toContain(
      '"\'=HYPERLINK(""http://x"") đã họp, ""khẩn""\r\ndòng hai: Bình Phước"'.replace("\r\n", "\n"),
    );
  });
});

describe("CLI export", () => {
  const env = () => ({ DATABASE_URL: bot.url, LOG_LEVEL: "silent" });
  const run = async (args: string[]) => {
    let stdout = "";
    let stderr = "";
    const code = await runCli(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) }, env());
    return { code, stdout, stderr };
  };

  it("writes the workbook and the CSV with filters", async () => {
    const xlsx = join(dir, "tong-hop.xlsx");
    const result = await run([
      "export",
      "--format",
      "xlsx",
      "--out",
      xlsx,
      "--agency",
      "IV.4",
      "--since",
      "01/12/2026",
    ]);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsx);
    const history = rowsOf(wb.getWorksheet("Lịch sử")!).slice(1);
    expect(history.map((r) => r.getCell(8).value)).toEqual([TRICKY]);
    const csv = join(dir, "nhiem-vu.csv");
    expect((await run(["export", "--format", "csv", "--out", csv, "--agency", "IV.4"])).code).toBe(0);
    const rows = parse(readFileSync(csv), { bom: true });
    expect(new Set(rows.slice(1).map((r) => r[1]))).toEqual(new Set(["IV.4"]));
  });

  it("refuses a bad format, a bad date and an unwritable path before writing anything", async () => {
    expect(await run(["export", "--format", "pdf", "--out", join(dir, "x.pdf")])).toMatchObject({ code: 1 });
    expect(
      (await run(["export", "--format", "csv", "--out", join(dir, "x.csv"), "--since", "31/02/2026"])).stderr,
    ).toMatch(/không hợp lệ/);
    const missing = await run(["export", "--format", "xlsx", "--out", join(dir, "no-such-dir", "x.xlsx")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/Chưa xuất gì/);
    expect(readdirSync(dir).filter((f) => f.startsWith("x."))).toEqual([]);
  });
});

describe("/xuat in chat", () => {
  it("sends a coordinator the whole workbook and a contact only their agency's CSV", async () => {
    const [reply] = await bot.send("admin", "/xuat");
    expect(reply!.file?.name).toMatch(/\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(reply!.file!.content) as unknown as ExcelJS.Buffer);
    const codes = new Set(
      rowsOf(wb.getWorksheet("Nhiệm vụ")!)
        .slice(1)
        .map((r) => r.getCell(2).value),
    );
    expect(codes.has("IV.1")).toBe(true);
    expect(codes.has("IV.9-25195")).toBe(true);

    const [csv] = await bot.send("lan", "/export csv");
    const rows = parse(Buffer.from(csv!.file!.content), { bom: true });
    expect(new Set(rows.slice(1).map((r) => r[1]))).toEqual(new Set(["IV.4"]));
    const refused = await bot.send("lan", "/xuat IV.1");
    expect(refused[0]!.file).toBeUndefined();
    expect(texts(refused)).toMatch(/chỉ xuất được số liệu của cơ quan mình/);
  });
});

/** The text of a docx's body, one string per paragraph (table cells included), read from word/document.xml. */
async function docxParagraphs(bytes: Uint8Array): Promise<string[]> {
  const zip = await JSZip.loadAsync(bytes);
  const xml = await zip.file("word/document.xml")!.async("string");
  return [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((p) =>
    [...p[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>|<w:br\/>/g)]
      .map((m) => (m[0] === "<w:br/>" ? "\n" : m[1]!))
      .join("")
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, "&")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&apos;/g, "'"),
  );
}

describe("docx draft summary report", () => {
  it("has the title and the four parts, in order, built from the data", async () => {
    const paragraphs = await docxParagraphs(await buildExportDocx(viText, await data()));
    const index = (text: string) => paragraphs.findIndex((p) => p.startsWith(text));
    expect(paragraphs[index("BÁO CÁO") + 1]).toMatch(/^Kết quả thực hiện chỉ tiêu phát triển/);
    const parts = ["I. KẾT QUẢ", "II. KẾT QUẢ THỰC HIỆN NHIỆM VỤ", "III. KHÓ KHĂN", "IV. ĐỀ XUẤT"].map(index);
    expect(parts.every((i) => i > 0)).toBe(true);
    expect([...parts].sort((a, b) => a - b)).toEqual(parts);
    // I: the table row of II.1 with its figure; II: the note as reported, the communes counted and
    // who has not submitted, by name; III: the difficulty.
    expect(paragraphs.slice(parts[0], parts[1]).join("\n")).toContain("1.120.000 người");
    expect(paragraphs.slice(parts[1], parts[2])).toContain(TRICKY);
    expect(paragraphs.slice(parts[1], parts[2])).toContain(
      "i) Ủy ban nhân dân cấp xã (95 xã, phường: 0 đã nộp, 95 chưa nộp; danh sách tại Phụ lục)",
    );
    const missing = paragraphs.slice(parts[1], parts[2]).find((p) => p.startsWith("Các cơ quan, đơn vị chưa gửi"))!;
    expect(missing).toContain("Sở Nội vụ; ");
    expect(missing).not.toContain("Bảo hiểm xã hội tỉnh");
    expect(missing).toContain("95 xã, phường (danh sách tại Phụ lục)");
    expect(paragraphs.slice(parts[2], parts[3]).join("\n")).toContain(DIFFICULTY);
  });
});

describe("progress chart", () => {
  it("is a PNG of the chart's size, not blank, with the indicator bars and the duty statuses in their colours", async () => {
    const png = decodePng(await buildProgressChart(viText, await data()));
    expect([png.width, png.height]).toEqual([CHART_WIDTH, CHART_HEIGHT]);
    const colours = new Map<string, number>();
    for (let y = 0; y < png.height; y += 2)
      for (let x = 0; x < png.width; x += 2) colours.set(png.pixel(x, y), (colours.get(png.pixel(x, y)) ?? 0) + 1);
    expect(colours.size).toBeGreaterThan(20);
    // Latest (blue) and target (red) bars, and the stacked "done" (green) and "blocked" (amber) segments.
    for (const c of ["2563eb", "dc2626", "16a34a", "f59e0b"]) expect(colours.get(c) ?? 0).toBeGreaterThan(50);
  });
});

describe("/baocaotonghop, /bieudo and /tailieu in chat", () => {
  it("sends the docx and the chart as files", async () => {
    const [doc] = await bot.send("admin", "/baocaotonghop");
    expect(doc!.file?.mimeType).toContain("wordprocessingml");
    expect((await docxParagraphs(doc!.file!.content)).some((p) => p.includes("III. KHÓ KHĂN"))).toBe(true);
    const [chart] = await bot.send("admin", "/chart");
    expect(chart!.file?.mimeType).toBe("image/png");
    expect(decodePng(chart!.file!.content).width).toBe(CHART_WIDTH);
  });

  it("sends a coordinator the file attached to an agency's current submission, and says when there is none", async () => {
    const content = new TextEncoder().encode("%PDF-1.4 báo cáo");
    const file = await bot.db.storedFile.create({
      data: {
        name: "bao-cao-IV.4.pdf",
        mimeType: "application/pdf",
        size: content.length,
        content,
        createdAt: bot.clock.now(),
      },
    });
    await bot.db.submission.updateMany({
      where: { agencyId: await agencyId("IV.4") },
      data: { attachmentFileId: file.id },
    });
    const [reply] = await bot.send("admin", "/tailieu IV.4");
    expect(reply!.file?.name).toBe("bao-cao-IV.4.pdf");
    expect(new TextDecoder().decode(reply!.file!.content)).toBe("%PDF-1.4 báo cáo");
    const none = await bot.send("admin", "/document IV.1");
    expect(none[0]!.file).toBeUndefined();
    expect(texts(none)).toContain("IV.1 chưa có báo cáo đã nộp kèm tệp.");
    expect(texts(await bot.send("lan", "/tailieu IV.4"))).not.toContain("%PDF");
  });
});
