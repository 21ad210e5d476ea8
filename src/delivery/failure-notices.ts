import { asShownAgency } from "../domain/directory-code.ts";
import type { Db } from "../db/db.ts";
import { messagesFor } from "../i18n/index.ts";
import { at } from "../i18n/views.ts";
import { excerpt, failureOutcome, pushDescription, reasonOf, recipientLabel } from "./delivery-views.ts";
import { enqueue, messageOf, type OutboxItem } from "./outbox.ts";

// A push a coordinator's command caused (/nhac, /giaiquyet, /molai) that fails for good is told to
// that coordinator at once, not only in the afternoon's digest. The sender calls this after each
// round of a pass, so the notice is queued moments after the failure was recorded and goes out in
// the same pass; a pass of any process also picks up what a process that died in between left.

/** Rows looked at per call; more wait for the next round or pass. */
const BATCH = 100;

/** The once-only key of the notice about one outbox row. */
export function failureNoticeKey(outboxId: number): string {
  return `failure-notice:${outboxId}`;
}

/**
 * Queues one notice per push that failed for good and whose requester was not told yet, and marks
 * it told in the same transaction. The mark is a guarded update and the notice's key is unique, so
 * two processes never both tell. The notice itself has no requester: if it fails too, nobody is
 * told about that, and it cannot loop.
 */
export async function queueFailureNotices(db: Db, now: Date): Promise<number> {
  const rows = await db.outboxMessage.findMany({
    where: { requestedById: { not: null }, failureNoticeAt: null, status: { in: ["failed", "unreachable"] } },
    include: { person: { include: { directoryAgency: true } } },
    orderBy: { id: "asc" },
    take: BATCH,
  });
  if (rows.length === 0) return 0;
  const requesters = new Map(
    (await db.person.findMany({ where: { id: { in: rows.map((r) => r.requestedById!) } } })).map((p) => [p.id, p]),
  );
  return db.$transaction(async (tx) => {
    const notices: OutboxItem[] = [];
    for (const row of rows) {
      const marked = await tx.outboxMessage.updateMany({
        where: { id: row.id, failureNoticeAt: null },
        data: { failureNoticeAt: now },
      });
      const requester = requesters.get(row.requestedById!);
      // Another process told them first, or whoever asked has left since: nothing to send.
      if (marked.count === 0 || !requester?.active) continue;
      const t = messagesFor(requester.locale);
      notices.push({
        key: failureNoticeKey(row.id),
        kind: "notification",
        personId: requester.id,
        message: {
          text: t.delivery.failureNotice(
            pushDescription(t, row.kind, row.point),
            recipientLabel(t, row.person, row.person.directoryAgency && asShownAgency(row.person.directoryAgency)),
            at(row.createdAt),
            failureOutcome(t, row),
            excerpt(messageOf(row).text),
            t.delivery.advice[reasonOf(row.failureReason)],
          ),
        },
        dueAt: now,
      });
    }
    return (await enqueue(tx, now, notices)).size;
  });
}
