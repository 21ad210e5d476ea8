-- One transaction: the adapter runs the statements of a file one by one, and a failure must leave nothing behind.
BEGIN;

-- CreateIndex
CREATE INDEX "OutboxMessage_planId_kind_dueAt_idx" ON "OutboxMessage"("planId", "kind", "dueAt");

COMMIT;
