import { loadExportData } from "../../reports/export-data.ts";
import { buildExportFile, type ExportFormat } from "../../reports/export-file.ts";
import { readStoredFile } from "../../services/file-service.ts";
import { findAgency } from "../../services/plan-service.ts";
import { currentSubmissionWithFile } from "../../services/submission-service.ts";
import { memberOf, planOf, type Ctx } from "../context.ts";

/** Sends an export as a file reply; the permission rule (a contact: own agency only) is in loadExportData. */
async function sendExport(ctx: Ctx, format: ExportFormat, agency?: string): Promise<void> {
  const { person, agency: own } = memberOf(ctx);
  const data = await loadExportData(ctx.deps.db, planOf(ctx), agency ? { agency } : {}, ctx.now, {
    role: person.role,
    agencyId: own?.id ?? null,
  });
  const file = await buildExportFile(ctx.t, format, data, ctx.deps.report);
  ctx.replies.push({ text: ctx.t.reports.fileSent(file.name), file });
}

/** /xuat [xlsx|csv] [CƠ_QUAN], in either order. */
export async function exportTables(ctx: Ctx, args: string): Promise<void> {
  const words = args.split(/\s+/).filter(Boolean);
  const format = words.find((w) => /^(xlsx|csv)$/i.test(w))?.toLowerCase() as ExportFormat | undefined;
  const rest = words.filter((w) => !/^(xlsx|csv)$/i.test(w));
  if (rest.length > 1) {
    ctx.reply(ctx.t.reports.exportUsage);
    return;
  }
  await sendExport(ctx, format ?? "xlsx", rest[0]);
}

export async function summaryReport(ctx: Ctx, args: string): Promise<void> {
  await sendExport(ctx, "docx", args.trim() || undefined);
}

export async function chart(ctx: Ctx, args: string): Promise<void> {
  await sendExport(ctx, "png", args.trim() || undefined);
}

/** /tailieu CƠ_QUAN: the file attached to that agency's current submission, on the coordinator's platform. */
export async function document(ctx: Ctx, args: string): Promise<void> {
  if (!args.trim()) {
    ctx.reply(ctx.t.reports.documentUsage);
    return;
  }
  const agency = await findAgency(ctx.deps.db, planOf(ctx).id, args);
  const submission = await currentSubmissionWithFile(ctx.deps.db, agency.id);
  const file = submission?.attachmentFileId ? await readStoredFile(ctx.deps.db, submission.attachmentFileId) : null;
  if (!file) {
    ctx.reply(ctx.t.reports.noDocument(agency.code));
    return;
  }
  ctx.replies.push({
    text: ctx.t.reports.documentLink(agency.code),
    file: { name: file.name, mimeType: file.mimeType, content: new Uint8Array(file.content) },
  });
}
