-- AlterTable
ALTER TABLE "Plan" ADD COLUMN "reminderPolicy" TEXT;

-- AlterTable
ALTER TABLE "Agency" ADD COLUMN "pausedUntil" TEXT;

-- AlterTable
ALTER TABLE "Identity" ADD COLUMN "lastSeenAt" DATETIME;

-- CreateTable
CREATE TABLE "CalendarDay" (
    "date" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "personId" INTEGER NOT NULL,
    "planId" INTEGER,
    "agencyId" INTEGER,
    "point" TEXT,
    "payload" TEXT NOT NULL,
    "duties" TEXT,
    "dueAt" DATETIME NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "skipReason" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL,
    "claimedAt" DATETIME,
    "claimToken" TEXT,
    "lastError" TEXT,
    "sentAt" DATETIME,
    "platform" TEXT,
    "platformMessageId" TEXT,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "OutboxMessage_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "OutboxMessage_key_key" ON "OutboxMessage"("key");

-- CreateIndex
CREATE INDEX "OutboxMessage_status_nextAttemptAt_idx" ON "OutboxMessage"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "OutboxMessage_kind_status_idx" ON "OutboxMessage"("kind", "status");

