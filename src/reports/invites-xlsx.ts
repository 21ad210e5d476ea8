import ExcelJS from "exceljs";
import type { Messages } from "../i18n/index.ts";

export interface InviteRow {
  agency: string | null;
  name: string | null;
  code: string;
  expiresAt: string;
  link: string | null;
}

/** A sheet the coordinators can mail-merge or print to hand codes out to each commune. */
export async function writeInvitesXlsx(t: Messages, path: string, rows: readonly InviteRow[]): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(t.sheet.invites);
  sheet.columns = [
    { header: t.sheet.agency, key: "agency", width: 16 },
    { header: t.sheet.name, key: "name", width: 40 },
    { header: t.sheet.code, key: "code", width: 16 },
    { header: t.sheet.expiresAt, key: "expiresAt", width: 28 },
    { header: t.sheet.link, key: "link", width: 48 },
  ];
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow({ ...row, link: row.link ?? "" });
  await workbook.xlsx.writeFile(path);
}
