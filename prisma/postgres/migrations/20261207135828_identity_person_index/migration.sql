-- One transaction: the adapter runs the statements of a file one by one, and a failure must leave nothing behind.
BEGIN;

-- CreateIndex
CREATE INDEX "Identity_personId_idx" ON "Identity"("personId");

COMMIT;
