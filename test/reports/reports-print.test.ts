import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/index.ts";
import { loadConfig } from "../../src/config.ts";
import { createBotCore } from "../../src/core/bot.ts";
import { vi as viText } from "../../src/i18n/vi.ts";
import { buildProgressChart, CHART_HEIGHT, CHART_WIDTH, renderChartSvg } from "../../src/reports/chart.ts";
import { loadExportData, type ExportData } from "../../src/reports/export-data.ts";
import { buildExportDocx } from "../../src/reports/export-docx.ts";
import { buildExportXlsx } from "../../src/reports/export-xlsx.ts";
import type { ReportSettings } from "../../src/reports/report-issuer.ts";
import { getActivePlan } from "../../src/services/plan-service.ts";
import { parseIsoInstant } from "../../src/lib/time.ts";
import { createTestBot, lineEvent, makeAdmin, type TestBot } from "../helpers/bot.ts";
import { decodePng } from "../helpers/png.ts";

// The documents a coordinator sends on as they are (issue 25): the Word draft in the form of an
// administrative document (Decree 30/2020/NĐ-CP), the chart and the workbook for print.

let bot: TestBot;
let dir: string;
const at = (iso: string) => parseIsoInstant(iso)!;

beforeAll(async () => {
  bot = await createTestBot({ now: "2026-12-02T09:00" });
  dir = mkdtempSync(join(tmpdir(), "nv-print-"));
  await makeAdmin(bot, "admin");
  const agency = async (code: string) => (await bot.db.agency.findFirstOrThrow({ where: { code } })).id;
  const duty = async (code: string) => (await bot.db.duty.findFirstOrThrow({ where: { code } })).id;
  const [iv4, commune] = [await agency("IV.4"), await agency("IV.9-25195")];
  await bot.db.dutyReport.createMany({
    data: [
      {
        agencyId: iv4,
        dutyId: await duty("IV.4.a"),
        status: "done",
        percent: 100,
        note: "Đã đôn đốc 61 đơn vị.",
        createdAt: at("2026-12-01T15:30"),
      },
      // Reported as not started: that is "Chưa thực hiện", unlike a duty nobody reported on.
      {
        agencyId: iv4,
        dutyId: await duty("IV.4.c"),
        status: "not_started",
        percent: 0,
        createdAt: at("2026-12-01T15:31"),
      },
      {
        agencyId: commune,
        dutyId: await duty("IV.9.a"),
        status: "in_progress",
        percent: 40,
        createdAt: at("2026-12-01T16:00"),
      },
    ],
  });
  const indicator = await bot.db.indicator.findFirstOrThrow({ where: { code: "II.1" } });
  await bot.db.indicatorFigure.create({
    data: { indicatorId: indicator.id, participants: 1_120_000, createdAt: at("2026-12-01T16:00") },
  });
  await bot.db.submission.createMany({
    data: [
      {
        agencyId: iv4,
        submittedAt: at("2026-12-01T17:00"),
        onTime: true,
        documentNumber: "123/BHXH",
        documentDate: "2026-12-01",
      },
      {
        agencyId: commune,
        submittedAt: at("2026-12-01T17:10"),
        onTime: true,
        documentNumber: "45/BC-UBND",
        documentDate: "2026-12-01",
      },
    ],
  });
  await bot.db.difficulty.createMany({
    data: [
      {
        agencyId: iv4,
        dutyId: await duty("IV.4.a"),
        text: "Thiếu dữ liệu hộ kinh doanh.",
        createdAt: at("2026-11-25T10:00"),
        resolvedAt: at("2026-11-28T15:00"),
        resolution: "Thuế Đồng Nai cung cấp theo quý.",
      },
      { agencyId: commune, text: "Người dân thu nhập thấp.", createdAt: at("2026-11-26T09:00") },
    ],
  });
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function data(): Promise<ExportData> {
  return loadExportData(bot.db, await getActivePlan(bot.db), {}, bot.clock.now());
}

const decode = (text: string) =>
  text
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");

/** A paragraph's text, line breaks as "\n". */
function textOf(paragraphXml: string): string {
  return decode(
    [...paragraphXml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>|<w:br\/>/g)]
      .map((m) => (m[0] === "<w:br/>" ? "\n" : m[1]!))
      .join(""),
  );
}

const paragraphsOf = (xml: string) => [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((m) => m[0]);
const TABLE = /<w:tbl>[\s\S]*?<\/w:tbl>/g;

interface Docx {
  files: Record<string, string>;
  body: string;
  /** The body's tables, in order (the draft nests none). */
  tables: string[];
  /** The text of each paragraph outside the tables. */
  prose: string[];
}

async function openDocx(bytes: Uint8Array): Promise<Docx> {
  const zip = await JSZip.loadAsync(bytes);
  const files: Record<string, string> = {};
  for (const name of Object.keys(zip.files).filter((n) => n.endsWith(".xml"))) {
    files[name] = await zip.file(name)!.async("string");
  }
  const body = files["word/document.xml"]!.match(/<w:body>([\s\S]*)<\/w:body>/)![1]!;
  return {
    files,
    body,
    tables: [...body.matchAll(TABLE)].map((m) => m[0]),
    prose: paragraphsOf(body.replace(TABLE, "")).map(textOf),
  };
}

/** The text of each cell of each row. */
function rowsOf(table: string): string[][] {
  return [...table.matchAll(/<w:tr>[\s\S]*?<\/w:tr>/g)].map((row) =>
    [...row[0].matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].map((cell) => paragraphsOf(cell[0]).map(textOf).join("\n")),
  );
}

describe("the Word draft in the Decree 30/2020 form", () => {
  let doc: Docx;
  let d: ExportData;
  beforeAll(async () => {
    d = await data();
    doc = await openDocx(await buildExportDocx(viText, d));
  });

  it("is A4 with the decree's margins, in Times New Roman of 11-14 pt, page numbers from page 2 on", () => {
    const sections = [...doc.body.matchAll(/<w:sectPr>[\s\S]*?<\/w:sectPr>/g)].map((m) => m[0]);
    expect(sections.length).toBeGreaterThan(0);
    for (const s of sections) {
      expect(s).toMatch(/<w:pgSz w:w="11906" w:h="16838" w:orient="portrait"\/>/);
      const margin = (side: string) => Number(new RegExp(`<w:pgMar [^>]*w:${side}="(\\d+)"`).exec(s)![1]);
      // Top and bottom 20-25 mm, left 30-35 mm, right 15-20 mm, in twips.
      for (const side of ["top", "bottom"]) expect(margin(side)).toBeGreaterThanOrEqual(1134);
      for (const side of ["top", "bottom"]) expect(margin(side)).toBeLessThanOrEqual(1417);
      expect(margin("left")).toBeGreaterThanOrEqual(1701);
      expect(margin("left")).toBeLessThanOrEqual(1984);
      expect(margin("right")).toBeGreaterThanOrEqual(850);
      expect(margin("right")).toBeLessThanOrEqual(1134);
      expect(s).toContain("<w:titlePg/>");
    }
    const styles = doc.files["word/styles.xml"]!;
    expect(styles).toMatch(
      /<w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman"[^>]*\/>[\s\S]*?<w:sz w:val="26"\/>/,
    );
    const xml = Object.values(doc.files).join("\n");
    const fonts = new Set(
      [...xml.matchAll(/<w:rFonts ([^>]*)\/>/g)].flatMap((m) => [...m[1]!.matchAll(/="([^"]*)"/g)].map((v) => v[1])),
    );
    expect(fonts).toEqual(new Set(["Times New Roman"]));
    // Every run with text is 11-14 pt (the rules' empty runs are 1 pt).
    const sizes = [...doc.body.matchAll(/<w:r>((?:(?!<\/w:r>)[\s\S])*)<\/w:r>/g)]
      .filter((run) => /<w:t[^>]*>[^<]+<\/w:t>/.test(run[1]!))
      .map((run) => Number(/<w:sz w:val="(\d+)"\/>/.exec(run[1]!)?.[1] ?? 26));
    expect(sizes.length).toBeGreaterThan(100);
    expect(sizes.filter((size) => size < 22 || size > 28)).toEqual([]);
    const pageHeader = Object.entries(doc.files).find(
      ([name, x]) => name.startsWith("word/header") && x.includes("PAGE"),
    );
    expect(pageHeader?.[1]).toMatch(/<w:jc w:val="center"\/>/);
  });

  it("opens with a borderless header: the issuing body and number, the national name, motto, place and date", () => {
    const header = doc.tables[0]!;
    expect(doc.body.indexOf(header)).toBeLessThan(doc.body.indexOf("<w:p>"));
    const tableBorders = [...header.matchAll(/<w:(?:tblBorders|tcBorders)>([\s\S]*?)<\/w:(?:tblBorders|tcBorders)>/g)];
    expect(tableBorders.length).toBeGreaterThan(0);
    for (const borders of tableBorders) expect(borders[1]).not.toMatch(/w:val="(?!none)/);
    const [left, right] = rowsOf(header)[0]!.map((cell) => cell.split("\n").filter(Boolean));
    expect(left![0]).toBe("UBND TỈNH ĐỒNG NAI");
    expect(left![1]).toBe("SỞ NỘI VỤ");
    expect(left![2]).toMatch(/^Số:\s{4,}\/BC-SNV$/);
    expect(right!.slice(0, 2)).toEqual(["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]);
    expect(right![2]).toMatch(/^Đồng Nai, ngày\s+tháng\s+năm 2026$/);
    const runOf = (text: string) => header.match(new RegExp(`<w:r>(?:(?!</w:r>)[\\s\\S])*?${text}`))![0];
    expect(runOf("Đồng Nai, ngày")).toContain("<w:i/>");
    expect(runOf("SỞ NỘI VỤ")).toContain("<w:b/>");
    expect(runOf("CỘNG HÒA")).toContain("<w:b/>");
    expect(runOf("Độc lập")).toContain("<w:b/>");
  });

  it("names the document, its subject and addressee, then closes with Nơi nhận and the signature block", () => {
    const title = doc.prose.indexOf("BÁO CÁO");
    expect(title).toBeGreaterThanOrEqual(0);
    expect(doc.prose[title + 1]).toBe(
      "Kết quả thực hiện chỉ tiêu phát triển đối tượng tham gia bảo hiểm xã hội năm 2026 trên địa bàn tỉnh Đồng Nai",
    );
    expect(doc.prose).toContain("Kính gửi: Ủy ban nhân dân tỉnh Đồng Nai.");
    const headings = [
      "I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU",
      "II. KẾT QUẢ THỰC HIỆN NHIỆM VỤ",
      "III. KHÓ KHĂN, VƯỚNG MẮC",
      "IV. ĐỀ XUẤT, KIẾN NGHỊ",
    ];
    const at = headings.map((h) => doc.prose.indexOf(h));
    expect(at.every((i) => i > title)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(doc.prose.find((p) => p.startsWith("Trên đây là báo cáo"))).toMatch(
      /Sở Nội vụ kính báo cáo Ủy ban nhân dân tỉnh Đồng Nai xem xét, chỉ đạo\.\/\.$/,
    );

    const closing = doc.tables.find((t) => t.includes("Nơi nhận:"))!;
    const [recipients, signature] = rowsOf(closing)[0]!.map((cell) => cell.split("\n").filter(Boolean));
    expect(recipients![0]).toBe("Nơi nhận:");
    expect(recipients![1]).toBe("- Như trên;");
    expect(recipients).toContain("- Sở Tài chính;");
    expect(recipients).not.toContain("- Sở Nội vụ;");
    expect(recipients!.at(-1)).toBe("- Lưu: VT.");
    expect(closing.match(/<w:r>(?:(?!<\/w:r>)[\s\S])*?Nơi nhận:/)![0]).toMatch(/<w:b\/>[\s\S]*<w:i\/>/);
    expect(signature).toEqual(["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]);
  });

  it("uses no colour anywhere: every colour is black or automatic, nothing shaded or highlighted", () => {
    for (const [name, xml] of Object.entries(doc.files)) {
      const colours = [...xml.matchAll(/w:color(?: w:val)?="([^"]*)"/g)].map((m) => m[1]);
      expect(
        colours.filter((c) => c !== "000000" && c !== "auto"),
        name,
      ).toEqual([]);
      expect(xml, name).not.toMatch(/<w:highlight |w:fill="(?!auto|FFFFFF)/);
    }
  });

  it("says 'Chưa báo cáo' for a duty nobody reported on, never 'Chưa thực hiện 0%'", () => {
    const iv4 = doc.tables.find((t) => t.includes("IV.4.a"))!;
    const row = (code: string) => rowsOf(iv4).find((r) => r[0] === code)!;
    expect(row("IV.4.a")[2]).toBe("Hoàn thành\nĐã đôn đốc 61 đơn vị.");
    expect(row("IV.4.b")[2]).toBe("Chưa báo cáo");
    expect(row("IV.4.c")[2]).toBe("Chưa thực hiện");
    const all = doc.tables.map((t) => rowsOf(t).flat().join("\n")).join("\n");
    expect(all).not.toMatch(/Chưa thực hiện,? 0%/);
    // The communes are counted by where they stand, those without a report as such.
    const communes = doc.tables.find((t) => t.includes("IV.9.a") && t.includes("Nhiệm vụ"))!;
    expect(rowsOf(communes).find((r) => r[0] === "IV.9.a")![2]).toBe("Đang thực hiện: 1\nChưa báo cáo: 94");
    expect(doc.prose).toContain(
      "i) Ủy ban nhân dân cấp xã (95 xã, phường: 1 đã nộp, 94 chưa nộp; danh sách tại Phụ lục)",
    );
  });

  it("keeps codes out of the prose: agencies by name, duties by the plan's own reference", () => {
    const codes = [...new Set([...d.agencies.map((a) => a.agency.code), ...d.duties.map((x) => x.dutyCode)])];
    expect(codes).toContain("IV.9-25195");
    const leaks = doc.prose.filter((p) => codes.some((code) => p.includes(code)));
    expect(leaks).toEqual([]);
    expect(doc.prose).toContain("a) Sở Nội vụ (chưa gửi báo cáo)");
    expect(doc.prose).toContain("d) Bảo hiểm xã hội tỉnh (đã gửi Báo cáo số 123/BHXH ngày 01/12/2026)");
    expect(doc.prose).toContain(
      "1. Bảo hiểm xã hội tỉnh (nhiệm vụ tại điểm a khoản 4 Mục IV Kế hoạch), ngày 25/11/2026: Thiếu dữ liệu hộ kinh doanh.\n" +
        "Đã giải quyết ngày 28/11/2026: Thuế Đồng Nai cung cấp theo quý.",
    );
    expect(doc.prose).toContain("2. UBND Phường Bình Phước, ngày 26/11/2026: Người dân thu nhập thấp.");
  });

  it("gives each target its latest figure, a verdict and the gap", () => {
    const results = rowsOf(doc.tables.find((t) => t.includes("Đánh giá"))!);
    expect(results[0]).toEqual([
      "STT",
      "Chỉ tiêu",
      "Mục tiêu",
      "Thực hiện (số liệu mới nhất)",
      "Đánh giá",
      "Còn thiếu (người)",
    ]);
    expect(results[1]).toEqual([
      "1",
      "Tỷ lệ tham gia bảo hiểm xã hội bắt buộc",
      "95%\n1.115.590 người",
      "95,38%\n1.120.000 người\n(ngày 01/12/2026)",
      "Đạt",
      "—",
    ]);
    expect(results[2]!.slice(3)).toEqual(["—", "Chưa có số liệu", "—"]);
  });

  it("lists the communes in an appendix numbered on its own", () => {
    const sections = [...doc.body.matchAll(/<w:sectPr>[\s\S]*?<\/w:sectPr>/g)].map((m) => m[0]);
    expect(sections).toHaveLength(2);
    expect(sections[1]).toContain('<w:pgNumType w:start="1"/>');
    const appendix = doc.body.slice(doc.body.indexOf(sections[0]!));
    expect(paragraphsOf(appendix.replace(TABLE, "")).map(textOf).slice(0, 2)).toEqual([
      "Phụ lục",
      "TÌNH HÌNH BÁO CÁO CỦA CÁC XÃ, PHƯỜNG",
    ]);
    const rows = rowsOf([...appendix.matchAll(TABLE)][0]![0]);
    expect(rows[0]).toEqual(["STT", "Đơn vị", "Gửi báo cáo", "IV.9.a", "IV.9.b", "IV.9.c", "IV.9.d"]);
    expect(rows).toHaveLength(96);
    expect(rows[1]).toEqual([
      "1",
      "Phường Bình Phước",
      "Số 45/BC-UBND\nngày 01/12/2026",
      "Đang thực hiện, 40%",
      "Chưa báo cáo",
      "Chưa báo cáo",
      "Chưa báo cáo",
    ]);
    expect(rows[2]![2]).toBe("Chưa gửi");
  });

  it("takes the issuing body, its symbol, the place and the signer from the settings", async () => {
    const settings: ReportSettings = { issuer: "Sở Tài chính", place: "Biên Hòa", signer: "GIÁM ĐỐC" };
    const other = await openDocx(await buildExportDocx(viText, d, settings));
    const [left, right] = rowsOf(other.tables[0]!)[0]!.map((cell) => cell.split("\n").filter(Boolean));
    expect(left).toEqual(["UBND TỈNH ĐỒNG NAI", "SỞ TÀI CHÍNH", expect.stringMatching(/^Số:\s+\/BC-STC$/)]);
    expect(right![2]).toMatch(/^Biên Hòa, ngày/);
    const [recipients, signature] = rowsOf(other.tables.find((t) => t.includes("Nơi nhận:"))!)[0]!.map((c) =>
      c.split("\n").filter(Boolean),
    );
    expect(recipients).toContain("- Sở Nội vụ;");
    expect(recipients).not.toContain("- Sở Tài chính;");
    expect(signature).toEqual(["GIÁM ĐỐC"]);
  });
});

describe("the issuer's settings reach the draft", () => {
  const run = async (args: string[], env: Record<string, string> = {}) => {
    let stdout = "";
    let stderr = "";
    const code = await runCli(
      args,
      { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) },
      { DATABASE_URL: bot.url, LOG_LEVEL: "silent", ...env },
    );
    return { code, stdout, stderr };
  };
  const headerOf = async (bytes: Uint8Array) => rowsOf((await openDocx(bytes)).tables[0]!)[0]!.join("\n");

  it("from REPORT_* and the export command's options, an option winning over its variable", async () => {
    const out = join(dir, "bao-cao.docx");
    const env = { REPORT_ISSUER: "Thanh tra tỉnh", REPORT_SYMBOL: "TTr", REPORT_PLACE: "Biên Hòa" };
    const result = await run(["export", "--format", "docx", "--out", out, "--symbol", "TT"], env);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    const header = await headerOf(readFileSync(out));
    expect(header).toContain("THANH TRA TỈNH");
    expect(header).toMatch(/Số:\s+\/BC-TT\n/);
    expect(header).toContain("Biên Hòa, ngày");
  });

  it("reads REPORT_* once, in the configuration, and refuses a value that cannot go into the header", () => {
    expect(loadConfig({ REPORT_ISSUER: " Sở Tài chính ", REPORT_PLACE: "" }).report).toEqual({
      issuer: "Sở Tài chính",
    });
    expect(loadConfig({}).report).toEqual({});
    expect(() => loadConfig({ REPORT_SYMBOL: "S NV" })).toThrow(/REPORT_SYMBOL/);
    expect(() => loadConfig({ REPORT_ISSUER: "Sở\nTài chính" })).toThrow(/REPORT_ISSUER: must be one line/);
  });

  it("refuses a bad option before writing anything", async () => {
    const out = join(dir, "khong-ghi.docx");
    const result = await run(["export", "--format", "docx", "--out", out, "--symbol", "S NV"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--symbol "S NV" không hợp lệ');
    expect(existsSync(out)).toBe(false);
  });

  it("from the bot's settings in chat (/baocaotonghop)", async () => {
    const core = createBotCore({ ...bot.deps, report: { issuer: "Sở Tài chính", parent: "UBND tỉnh Đồng Nai" } });
    const [reply] = await core.handle(lineEvent("/baocaotonghop", bot.identity("admin")));
    const header = await headerOf(reply!.file!.content);
    expect(header).toContain("SỞ TÀI CHÍNH");
    expect(header).toMatch(/\/BC-STC/);
  });
});

describe("the chart for print", () => {
  it("writes numbers the Vietnamese way, says which target has no figure, and when its figures stand", async () => {
    const svg = renderChartSvg(viText, await data());
    expect(svg).toContain(">95,38%<");
    expect(svg).not.toContain("95.38");
    expect(svg).toContain("1.120.000 / 1.115.590 người");
    expect(svg).toContain(">chưa có số liệu<");
    // A target without a figure is no 0 bar: the only "0%" are the two axes' origins.
    expect(svg.match(/>0%</g)).toHaveLength(2);
    expect(svg).toContain(">Số liệu đến 09:00 ngày 02/12/2026<");
  });

  it("titles itself with the plan's subject once, and labels agencies by short name with the code in small type", async () => {
    const svg = renderChartSvg(viText, await data());
    expect(svg.match(/chỉ tiêu phát triển đối tượng tham gia bảo hiểm xã hội/g)).toHaveLength(1);
    expect(svg).toContain(">Tiến độ thực hiện chỉ tiêu phát triển đối tượng");
    const textAt = (content: string) =>
      svg.match(new RegExp(`<text[^>]*font-size:(\\d+)px[^>]*>${content}</text>`))?.[1];
    expect(textAt("BHXH tỉnh")).toBe("13");
    expect(textAt("Sở Tài chính")).toBe("13");
    expect(Number(textAt("IV\\.4"))).toBeLessThan(13);
    expect(svg).not.toContain(">Bảo hiểm xã hội tỉnh<");
  });

  it("is a PNG twice the drawing's size, for a sharp A4 print", async () => {
    const png = decodePng(await buildProgressChart(viText, await data()));
    expect([png.width, png.height]).toEqual([CHART_WIDTH, CHART_HEIGHT]);
    expect([CHART_WIDTH, CHART_HEIGHT]).toEqual([2376, 1680]);
    expect(png.pixel(10, 10)).toBe("ffffff");
    // The title's band has ink across the middle of the page.
    let ink = 0;
    for (let y = 20; y < 80; y++)
      for (let x = 400; x < CHART_WIDTH - 400; x += 3) if (png.pixel(x, y) !== "ffffff") ink++;
    expect(ink).toBeGreaterThan(500);
  });
});

describe("the workbook for print", () => {
  it("wraps duty texts and notes, sets print widths, A4 landscape and the header row repeated", async () => {
    const bytes = await buildExportXlsx(viText, await data());
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
    const duties = wb.getWorksheet("Nhiệm vụ")!;
    const row = duties.getRows(2, duties.rowCount - 1)!.find((r) => r.getCell(4).value === "IV.4.a")!;
    for (const c of [3, 5, 8]) expect(row.getCell(c).alignment).toMatchObject({ wrapText: true, vertical: "top" });
    expect(duties.getColumn(5).width).toBe(55);
    expect(duties.getColumn(8).width).toBe(40);
    const total = duties.columns.reduce((sum, c) => sum + (c.width ?? 0), 0);
    expect(total).toBeLessThan(220);

    const zip = await JSZip.loadAsync(bytes);
    const workbookXml = await zip.file("xl/workbook.xml")!.async("string");
    const sheets = Object.keys(zip.files).filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n));
    expect(sheets).toHaveLength(5);
    for (const name of sheets) {
      const xml = await zip.file(name)!.async("string");
      expect(xml, name).toMatch(/<pageSetup [^>]*paperSize="9"[^>]*orientation="landscape"/);
      expect(xml, name).toMatch(/<pageSetup [^>]*fitToWidth="1"[^>]*fitToHeight="0"/);
      expect(xml, name).toMatch(/<sheetPr>[\s\S]*<pageSetUpPr fitToPage="1"\/>/);
    }
    // Every table sheet repeats its header row on each printed page.
    for (const [i, sheet] of ["Nhiệm vụ", "Nộp báo cáo", "Vướng mắc", "Lịch sử"].entries()) {
      expect(workbookXml).toContain(
        `<definedName name="_xlnm.Print_Titles" localSheetId="${i + 1}">&apos;${sheet}&apos;!$1:$1</definedName>`,
      );
    }
  });
});
