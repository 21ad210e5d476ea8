-- CreateIndex
CREATE INDEX "Identity_personId_idx" ON "Identity"("personId");

