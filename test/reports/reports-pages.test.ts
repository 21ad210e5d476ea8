import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { vi as viText } from "../../src/i18n/vi.ts";
import { loadExportData } from "../../src/reports/export-data.ts";
import { buildExportDocx } from "../../src/reports/export-docx.ts";
import { getActivePlan } from "../../src/services/plan-service.ts";
import { createTestBot } from "../helpers/bot.ts";
import { seedEveryoneReporting } from "../helpers/report-seed.ts";

// The draft printed: LibreOffice turns it into a PDF and poppler reads the pages back. Times New
// Roman cannot be installed here; the draft names it and LibreOffice prints it in Liberation Serif
// (fonts-liberation2), whose metrics are the same, so the page count is Word's. Without these tools
// the test is skipped, except under CI (.ci/run installs them), where their absence fails the run.

const TOOLS = ["soffice", "pdfinfo", "pdftotext", "pdffonts"];
const missing = TOOLS.filter((tool) => spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0);
const underCi = ![undefined, "", "0", "false"].includes(process.env.CI);
const dir = mkdtempSync(join(tmpdir(), "nv-pages-"));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The PDF's pages as text, in order. */
function pdfPages(pdf: string): string[] {
  const text = execFileSync("pdftotext", ["-layout", "-enc", "UTF-8", pdf, "-"], { encoding: "utf8" });
  const pages = text.split("\f");
  if (pages.at(-1)?.trim() === "") pages.pop();
  return pages;
}

describe("the Word draft on paper", () => {
  it.skipIf(missing.length > 0 && !underCi)(
    "fits the bundled plan with every commune reporting in at most 8 pages, the commune appendix apart",
    async () => {
      expect(missing, `LibreOffice and poppler-utils are required under CI (missing: ${missing.join(", ")})`).toEqual(
        [],
      );
      const bot = await createTestBot({ now: "2026-12-02T09:00" });
      await seedEveryoneReporting(bot.db);
      const data = await loadExportData(bot.db, await getActivePlan(bot.db), {}, bot.clock.now());
      expect(data.duties.filter((d) => d.agencyCode.startsWith("IV.9-") && d.updatedAt === null)).toEqual([]);
      const docx = join(dir, "bao-cao-tong-hop.docx");
      writeFileSync(docx, await buildExportDocx(viText, data));
      // A profile of its own, so a LibreOffice already running for someone else does not take the job.
      const profile = pathToFileURL(join(dir, "lo-profile")).href;
      execFileSync(
        "soffice",
        [`-env:UserInstallation=${profile}`, "--headless", "--convert-to", "pdf", "--outdir", dir, docx],
        { stdio: "pipe", timeout: 180_000, env: { ...process.env, HOME: dir } },
      );
      const pdf = join(dir, "bao-cao-tong-hop.pdf");

      const fonts = execFileSync("pdffonts", [pdf], { encoding: "utf8" });
      expect(fonts).toContain("LiberationSerif");
      expect(fonts).not.toMatch(/DejaVu|FreeSerif/);

      const pages = pdfPages(pdf);
      const pageCount = Number(/Pages:\s+(\d+)/.exec(execFileSync("pdfinfo", [pdf], { encoding: "utf8" }))![1]);
      expect(pages).toHaveLength(pageCount);
      const appendix = pages.findIndex((p) => p.trimStart().startsWith("Phụ lục"));
      expect(appendix).toBeGreaterThan(0);
      expect(appendix, `the body takes ${appendix} pages`).toBeLessThanOrEqual(8);
      // Page 1 carries the header and no number; the pages after it are numbered at the top.
      expect(pages[0]!.trimStart()).toMatch(/^UBND TỈNH ĐỒNG NAI\s+CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM/);
      expect(pages[1]!.trim().split("\n")[0]!.trim()).toBe("2");
      const body = pages.slice(0, appendix).join("\n");
      expect(body).toContain("Nơi nhận:");
      expect(body).toMatch(/95\s+xã,\s+phường:/);
      // Every commune is listed in the appendix, which numbers its pages from 1 again.
      const appendixText = pages.slice(appendix).join("\n");
      for (const name of ["Phường Bình Phước", "Xã Phước An"]) expect(appendixText).toContain(name);
      if (pages.length > appendix + 1) expect(pages[appendix + 1]!.trim().split("\n")[0]!.trim()).toBe("2");
    },
    240_000,
  );
});
