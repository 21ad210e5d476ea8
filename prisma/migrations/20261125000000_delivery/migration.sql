-- CreateTable
CREATE TABLE "ProcessHeartbeat" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "platforms" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "beatAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "PlatformLease" (
    "platform" TEXT NOT NULL PRIMARY KEY,
    "holder" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "StoredFile" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "mimeType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "content" BLOB NOT NULL,
    "personId" INTEGER,
    "platform" TEXT,
    "platformRef" TEXT,
    "createdAt" DATETIME NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Submission" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "agencyId" INTEGER NOT NULL,
    "personId" INTEGER,
    "submittedAt" DATETIME NOT NULL,
    "onTime" BOOLEAN NOT NULL,
    "documentNumber" TEXT,
    "documentDate" TEXT,
    "attachmentName" TEXT,
    "attachmentRef" TEXT,
    "attachmentPlatform" TEXT,
    "attachmentFileId" INTEGER,
    "supersededAt" DATETIME,
    "reopenedAt" DATETIME,
    "reopenedById" INTEGER,
    "reopenComment" TEXT,
    CONSTRAINT "Submission_agencyId_fkey" FOREIGN KEY ("agencyId") REFERENCES "Agency" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Submission_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Submission_attachmentFileId_fkey" FOREIGN KEY ("attachmentFileId") REFERENCES "StoredFile" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Submission" ("agencyId", "attachmentName", "attachmentPlatform", "attachmentRef", "documentDate", "documentNumber", "id", "onTime", "personId", "reopenComment", "reopenedAt", "reopenedById", "submittedAt", "supersededAt") SELECT "agencyId", "attachmentName", "attachmentPlatform", "attachmentRef", "documentDate", "documentNumber", "id", "onTime", "personId", "reopenComment", "reopenedAt", "reopenedById", "submittedAt", "supersededAt" FROM "Submission";
DROP TABLE "Submission";
ALTER TABLE "new_Submission" RENAME TO "Submission";
CREATE INDEX "Submission_agencyId_submittedAt_idx" ON "Submission"("agencyId", "submittedAt");
CREATE TABLE "new_OutboxMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "personId" INTEGER NOT NULL,
    "planId" INTEGER,
    "agencyId" INTEGER,
    "point" TEXT,
    "payload" TEXT NOT NULL,
    "fileName" TEXT,
    "fileMimeType" TEXT,
    "fileContent" BLOB,
    "partsSent" INTEGER NOT NULL DEFAULT 0,
    "duties" TEXT,
    "dueAt" DATETIME NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "skipReason" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL,
    "claimedAt" DATETIME,
    "claimedBy" TEXT,
    "heldReason" TEXT,
    "lastError" TEXT,
    "sentAt" DATETIME,
    "platform" TEXT,
    "platformMessageId" TEXT,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "OutboxMessage_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_OutboxMessage" ("agencyId", "attempts", "claimedAt", "createdAt", "dueAt", "duties", "id", "key", "kind", "lastError", "nextAttemptAt", "payload", "personId", "planId", "platform", "platformMessageId", "point", "sentAt", "skipReason", "status") SELECT "agencyId", "attempts", "claimedAt", "createdAt", "dueAt", "duties", "id", "key", "kind", "lastError", "nextAttemptAt", "payload", "personId", "planId", "platform", "platformMessageId", "point", "sentAt", "skipReason", "status" FROM "OutboxMessage";
DROP TABLE "OutboxMessage";
ALTER TABLE "new_OutboxMessage" RENAME TO "OutboxMessage";
CREATE UNIQUE INDEX "OutboxMessage_key_key" ON "OutboxMessage"("key");
CREATE INDEX "OutboxMessage_status_nextAttemptAt_idx" ON "OutboxMessage"("status", "nextAttemptAt");
CREATE INDEX "OutboxMessage_kind_status_idx" ON "OutboxMessage"("kind", "status");
CREATE INDEX "OutboxMessage_claimedBy_idx" ON "OutboxMessage"("claimedBy");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

