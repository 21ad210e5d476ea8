import type ExcelJS from "exceljs";
import QRCode from "qrcode";
import type { Messages } from "../i18n/index.ts";

export interface InviteRow {
  agency: string | null;
  name: string | null;
  code: string;
  expiresAt: string;
  link: string | null;
}

/** Side of the printed QR code, in pixels (about 3 cm at 96 dpi): big enough for a phone's camera. */
const QR_PIXELS = 120;

/**
 * A sheet the coordinators can mail-merge or print to hand codes out to each commune. With
 * `qrLink` (the Zalo bot's link), each code has the link's QR code beside it: the commune scans it
 * in Zalo, then sends the code.
 */
export async function writeInvitesXlsx(
  t: Messages,
  path: string,
  rows: readonly InviteRow[],
  options: { qrLink?: string | null } = {},
): Promise<void> {
  // Loaded here, not with the module: see export-xlsx.ts.
  const workbook = new (await import("exceljs")).default.Workbook();
  const sheet = workbook.addWorksheet(t.sheet.invites);
  sheet.columns = [
    { header: t.sheet.agency, key: "agency", width: 16 },
    { header: t.sheet.name, key: "name", width: 40 },
    { header: t.sheet.code, key: "code", width: 16 },
    ...(options.qrLink ? [{ header: t.zalo.qrHeader, key: "qr", width: 18 }] : []),
    { header: t.sheet.expiresAt, key: "expiresAt", width: 28 },
    { header: t.sheet.link, key: "link", width: 48 },
  ];
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow({ ...row, link: row.link ?? "" });
  if (options.qrLink) {
    // One image, placed on every row: the bot's link is the same for every commune.
    const png = await QRCode.toBuffer(options.qrLink, { type: "png", width: QR_PIXELS, margin: 1 });
    const image = workbook.addImage({ buffer: png as unknown as ExcelJS.Buffer, extension: "png" });
    const column = sheet.getColumn("qr").number - 1;
    rows.forEach((_, i) => {
      const row = sheet.getRow(i + 2);
      // Points are 3/4 of a pixel; a little room above and below the code.
      row.height = QR_PIXELS * 0.75 + 8;
      row.alignment = { vertical: "middle" };
      sheet.addImage(image, {
        tl: { col: column + 0.05, row: i + 1.05 },
        ext: { width: QR_PIXELS, height: QR_PIXELS },
      });
    });
  }
  await workbook.xlsx.writeFile(path);
}
