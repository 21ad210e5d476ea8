-- CreateIndex
CREATE INDEX "OutboxMessage_planId_kind_dueAt_idx" ON "OutboxMessage"("planId", "kind", "dueAt");
