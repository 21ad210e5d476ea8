import ExcelJS from "exceljs";

export interface InviteRow {
  agency: string | null;
  name: string | null;
  code: string;
  expiresAt: string;
  link: string | null;
}

/** A sheet the coordinators can mail-merge or print to hand codes out to each commune. */
export async function writeInvitesXlsx(path: string, rows: readonly InviteRow[]): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("Mã mời");
  sheet.columns = [
    { header: "Mã cơ quan", key: "agency", width: 16 },
    { header: "Tên đơn vị", key: "name", width: 40 },
    { header: "Mã mời", key: "code", width: 16 },
    { header: "Hết hạn", key: "expiresAt", width: 28 },
    { header: "Liên kết", key: "link", width: 48 },
  ];
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow({ ...row, link: row.link ?? "" });
  await workbook.xlsx.writeFile(path);
}
