-- CreateTable
CREATE TABLE "Person" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "displayName" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "agencyId" INTEGER,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "locale" TEXT NOT NULL DEFAULT 'vi',
    "createdAt" DATETIME NOT NULL,
    "deactivatedAt" DATETIME,
    CONSTRAINT "Person_agencyId_fkey" FOREIGN KEY ("agencyId") REFERENCES "Agency" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Identity" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "personId" INTEGER NOT NULL,
    "platform" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "unreachableAt" DATETIME,
    "unreachableReason" TEXT,
    CONSTRAINT "Identity_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Invite" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "codeHash" TEXT NOT NULL,
    "planId" INTEGER NOT NULL,
    "agencyId" INTEGER,
    "role" TEXT NOT NULL,
    "linkPersonId" INTEGER,
    "createdAt" DATETIME NOT NULL,
    "createdById" INTEGER,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    "usedByPersonId" INTEGER,
    "revokedAt" DATETIME,
    CONSTRAINT "Invite_agencyId_fkey" FOREIGN KEY ("agencyId") REFERENCES "Agency" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "JoinAttempt" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "platform" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "DutyReport" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "agencyId" INTEGER NOT NULL,
    "dutyId" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "percent" INTEGER NOT NULL,
    "note" TEXT,
    "personId" INTEGER,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "DutyReport_agencyId_fkey" FOREIGN KEY ("agencyId") REFERENCES "Agency" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "DutyReport_dutyId_fkey" FOREIGN KEY ("dutyId") REFERENCES "Duty" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "DutyReport_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "IndicatorFigure" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "indicatorId" INTEGER NOT NULL,
    "participants" INTEGER NOT NULL,
    "agencyId" INTEGER,
    "personId" INTEGER,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "IndicatorFigure_indicatorId_fkey" FOREIGN KEY ("indicatorId") REFERENCES "Indicator" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "IndicatorFigure_agencyId_fkey" FOREIGN KEY ("agencyId") REFERENCES "Agency" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "IndicatorFigure_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Submission" (
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
    "supersededAt" DATETIME,
    "reopenedAt" DATETIME,
    "reopenedById" INTEGER,
    "reopenComment" TEXT,
    CONSTRAINT "Submission_agencyId_fkey" FOREIGN KEY ("agencyId") REFERENCES "Agency" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Submission_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SubmissionItem" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "submissionId" INTEGER NOT NULL,
    "dutyId" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "percent" INTEGER NOT NULL,
    "note" TEXT,
    "reportedAt" DATETIME,
    CONSTRAINT "SubmissionItem_submissionId_fkey" FOREIGN KEY ("submissionId") REFERENCES "Submission" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "SubmissionItem_dutyId_fkey" FOREIGN KEY ("dutyId") REFERENCES "Duty" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Difficulty" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "agencyId" INTEGER NOT NULL,
    "dutyId" INTEGER,
    "text" TEXT NOT NULL,
    "personId" INTEGER,
    "reportId" INTEGER,
    "createdAt" DATETIME NOT NULL,
    "resolvedAt" DATETIME,
    "resolvedById" INTEGER,
    "resolution" TEXT,
    CONSTRAINT "Difficulty_agencyId_fkey" FOREIGN KEY ("agencyId") REFERENCES "Agency" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Difficulty_dutyId_fkey" FOREIGN KEY ("dutyId") REFERENCES "Duty" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Difficulty_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Conversation" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "identityId" INTEGER NOT NULL,
    "flow" TEXT NOT NULL,
    "step" TEXT NOT NULL,
    "data" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Conversation_identityId_fkey" FOREIGN KEY ("identityId") REFERENCES "Identity" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Plan" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "title" TEXT NOT NULL,
    "province" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "documentNumber" TEXT,
    "reportDeadline" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT false,
    "figureReporters" TEXT NOT NULL DEFAULT 'IV.4',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Plan" ("active", "createdAt", "documentNumber", "id", "province", "reportDeadline", "title", "updatedAt", "year") SELECT "active", "createdAt", "documentNumber", "id", "province", "reportDeadline", "title", "updatedAt", "year" FROM "Plan";
DROP TABLE "Plan";
ALTER TABLE "new_Plan" RENAME TO "Plan";
CREATE UNIQUE INDEX "Plan_province_year_title_key" ON "Plan"("province", "year", "title");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Person_agencyId_idx" ON "Person"("agencyId");

-- CreateIndex
CREATE UNIQUE INDEX "Identity_platform_userId_key" ON "Identity"("platform", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "Invite_codeHash_key" ON "Invite"("codeHash");

-- CreateIndex
CREATE INDEX "Invite_agencyId_idx" ON "Invite"("agencyId");

-- CreateIndex
CREATE INDEX "JoinAttempt_platform_userId_at_idx" ON "JoinAttempt"("platform", "userId", "at");

-- CreateIndex
CREATE INDEX "DutyReport_agencyId_dutyId_createdAt_idx" ON "DutyReport"("agencyId", "dutyId", "createdAt");

-- CreateIndex
CREATE INDEX "DutyReport_createdAt_idx" ON "DutyReport"("createdAt");

-- CreateIndex
CREATE INDEX "IndicatorFigure_indicatorId_createdAt_idx" ON "IndicatorFigure"("indicatorId", "createdAt");

-- CreateIndex
CREATE INDEX "Submission_agencyId_submittedAt_idx" ON "Submission"("agencyId", "submittedAt");

-- CreateIndex
CREATE INDEX "Difficulty_resolvedAt_idx" ON "Difficulty"("resolvedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Conversation_identityId_key" ON "Conversation"("identityId");

