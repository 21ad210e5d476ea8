import type { Clock } from "../lib/clock.ts";
import { inTransaction, type Db, type Tx } from "../db/db.ts";
import { isOnTime } from "../domain/deadline.ts";
import { AppError, errorAgency } from "../model/errors.ts";
import type { Agency, Person, Plan, Submission, SubmissionItem } from "../generated/prisma/client.ts";
import { loadPlanStatus, type DutyState } from "./status-service.ts";

export interface SubmissionDeps {
  db: Db | Tx;
  clock: Clock;
}

export interface SubmissionInput {
  plan: Plan;
  person: Person;
  agency: Agency;
  documentNumber: string | null;
  documentDate: string | null;
  attachment: { name: string; ref: string; platform: string; fileId?: number } | null;
}

export async function currentDuties(db: Db | Tx, plan: Plan, agency: Agency): Promise<DutyState[]> {
  const status = await loadPlanStatus(db, plan, agency);
  return status.agencies.find((a) => a.agency.id === agency.id)?.duties ?? [];
}

export async function currentSubmission(db: Db | Tx, agencyId: number): Promise<Submission | null> {
  return db.submission.findFirst({
    where: { agencyId, supersededAt: null, reopenedAt: null },
    orderBy: { submittedAt: "desc" },
  });
}

/** Records the formal report with a snapshot of every duty, superseding any earlier one. */
export async function submitReport(
  deps: SubmissionDeps,
  input: SubmissionInput,
): Promise<Submission & { items: SubmissionItem[] }> {
  const now = deps.clock.now();
  const duties = await currentDuties(deps.db, input.plan, input.agency);
  return inTransaction(deps.db, async (tx) => {
    await tx.submission.updateMany({
      where: { agencyId: input.agency.id, supersededAt: null, reopenedAt: null },
      data: { supersededAt: now },
    });
    return tx.submission.create({
      data: {
        agencyId: input.agency.id,
        personId: input.person.id,
        submittedAt: now,
        onTime: isOnTime(input.plan.reportDeadline, now),
        documentNumber: input.documentNumber,
        documentDate: input.documentDate,
        attachmentName: input.attachment?.name ?? null,
        attachmentRef: input.attachment?.ref ?? null,
        attachmentPlatform: input.attachment?.platform ?? null,
        attachmentFileId: input.attachment?.fileId ?? null,
        items: {
          create: duties.map((d) => ({
            dutyId: d.dutyId,
            status: d.status,
            percent: d.percent,
            note: d.note,
            reportedAt: d.updatedAt,
          })),
        },
      },
      include: { items: true },
    });
  });
}

export async function reopenSubmission(
  deps: SubmissionDeps,
  input: { agency: Agency; by: Person; comment: string },
): Promise<Submission> {
  const current = await currentSubmission(deps.db, input.agency.id);
  if (!current) {
    // A second reopening finds the report already reopened: that is not "never submitted".
    const latest = await deps.db.submission.findFirst({
      where: { agencyId: input.agency.id },
      orderBy: { submittedAt: "desc" },
    });
    const agency = errorAgency(input.agency);
    if (latest?.reopenedAt) throw new AppError("submission.reopened", { agency, at: latest.reopenedAt });
    throw new AppError("submission.none", { agency });
  }
  return deps.db.submission.update({
    where: { id: current.id },
    data: { reopenedAt: deps.clock.now(), reopenedById: input.by.id, reopenComment: input.comment },
  });
}

/** The agency's current submission that carries a stored file, or null. */
export async function currentSubmissionWithFile(db: Db, agencyId: number): Promise<Submission | null> {
  return db.submission.findFirst({
    where: { agencyId, supersededAt: null, reopenedAt: null, attachmentFileId: { not: null } },
    orderBy: { submittedAt: "desc" },
  });
}
