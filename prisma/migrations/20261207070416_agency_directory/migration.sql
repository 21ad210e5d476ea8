-- CreateTable
CREATE TABLE "DirectoryAgency" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "AgencyAlias" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "directoryAgencyId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "folded" TEXT NOT NULL,
    CONSTRAINT "AgencyAlias_directoryAgencyId_fkey" FOREIGN KEY ("directoryAgencyId") REFERENCES "DirectoryAgency" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- The directory, made from today's agencies: the bundled plan's agencies get their mnemonics, a
-- member (commune) its official code (what follows its group's section number), any other agency
-- CQ and the id of the first agency of its name. Agencies of the same code become one.
CREATE TABLE "_DirectoryCode" ("name" TEXT NOT NULL PRIMARY KEY, "code" TEXT NOT NULL);
INSERT INTO "_DirectoryCode" ("name", "code") VALUES
    ('Sở Nội vụ', 'SNV'),
    ('Sở Tài chính', 'STC'),
    ('Thanh tra tỉnh', 'TTR'),
    ('Bảo hiểm xã hội tỉnh', 'BHXH'),
    ('Thuế Đồng Nai', 'THUE'),
    ('Ban Quản lý các Khu Công nghiệp, Khu kinh tế Đồng Nai', 'BQLKCN'),
    ('Báo và Phát thanh, Truyền hình Đồng Nai', 'BPTTH'),
    ('Liên đoàn Lao động tỉnh', 'LDLD'),
    ('Ủy ban nhân dân cấp xã', 'UBNDXA');
CREATE TABLE "_AgencyDirectory" ("agencyId" INTEGER NOT NULL PRIMARY KEY, "code" TEXT NOT NULL, "name" TEXT NOT NULL);
INSERT INTO "_AgencyDirectory" ("agencyId", "code", "name")
SELECT a."id",
    CASE
        WHEN a."parentId" IS NOT NULL AND instr(a."code", '-') > 0 THEN substr(a."code", instr(a."code", '-') + 1)
        WHEN a."parentId" IS NOT NULL THEN 'CQ' || a."id"
        WHEN c."code" IS NOT NULL THEN c."code"
        ELSE 'CQ' || (SELECT MIN(b."id") FROM "Agency" b WHERE b."name" = a."name" AND b."parentId" IS NULL)
    END,
    a."name"
FROM "Agency" a LEFT JOIN "_DirectoryCode" c ON c."name" = a."name" AND a."parentId" IS NULL;
INSERT INTO "DirectoryAgency" ("code", "name")
SELECT "code", MIN("name") FROM "_AgencyDirectory" GROUP BY "code" ORDER BY MIN("agencyId");
CREATE TABLE "_DirectoryOf" ("agencyId" INTEGER NOT NULL PRIMARY KEY, "directoryId" INTEGER NOT NULL);
INSERT INTO "_DirectoryOf" ("agencyId", "directoryId")
SELECT m."agencyId", d."id" FROM "_AgencyDirectory" m JOIN "DirectoryAgency" d ON d."code" = m."code";

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Plan" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "code" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "province" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "documentNumber" TEXT,
    "reportDeadline" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "closedAt" DATETIME,
    "figureReporters" TEXT NOT NULL DEFAULT 'IV.4',
    "reminderPolicy" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
-- A plan that a later import had replaced is closed. The code is BHXH and the last two digits of the year
-- for the first social insurance plan of a year, as an import derives it, else KH and the id.
INSERT INTO "new_Plan" ("active", "closedAt", "code", "createdAt", "documentNumber", "figureReporters", "id", "province", "reminderPolicy", "reportDeadline", "title", "updatedAt", "year")
SELECT "active", CASE WHEN "active" THEN NULL ELSE "updatedAt" END,
    CASE
        WHEN "title" LIKE '%bảo hiểm xã hội%' AND "id" = (SELECT MIN(p2."id") FROM "Plan" p2 WHERE p2."title" LIKE '%bảo hiểm xã hội%' AND p2."year" = "Plan"."year")
        THEN 'BHXH' || substr(CAST("year" AS TEXT), 3, 2)
        ELSE 'KH' || "id"
    END,
    "createdAt", "documentNumber", "figureReporters", "id", "province", "reminderPolicy", "reportDeadline", "title", "updatedAt", "year" FROM "Plan";
DROP TABLE "Plan";
ALTER TABLE "new_Plan" RENAME TO "Plan";
CREATE UNIQUE INDEX "Plan_code_key" ON "Plan"("code");
CREATE UNIQUE INDEX "Plan_province_year_title_key" ON "Plan"("province", "year", "title");
CREATE TABLE "new_Agency" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "planId" INTEGER NOT NULL,
    "directoryId" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "requested" BOOLEAN NOT NULL DEFAULT false,
    "parentId" INTEGER,
    "sortOrder" INTEGER NOT NULL DEFAULT 0,
    "withdrawn" BOOLEAN NOT NULL DEFAULT false,
    "pausedUntil" TEXT,
    CONSTRAINT "Agency_planId_fkey" FOREIGN KEY ("planId") REFERENCES "Plan" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Agency_directoryId_fkey" FOREIGN KEY ("directoryId") REFERENCES "DirectoryAgency" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Agency_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Agency" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Agency" ("code", "directoryId", "id", "name", "parentId", "pausedUntil", "planId", "requested", "sortOrder", "withdrawn")
SELECT a."code", m."directoryId", a."id", a."name", a."parentId", a."pausedUntil", a."planId", a."requested", a."sortOrder", a."withdrawn"
FROM "Agency" a JOIN "_DirectoryOf" m ON m."agencyId" = a."id";
DROP TABLE "Agency";
ALTER TABLE "new_Agency" RENAME TO "Agency";
CREATE INDEX "Agency_parentId_idx" ON "Agency"("parentId");
CREATE INDEX "Agency_directoryId_idx" ON "Agency"("directoryId");
CREATE UNIQUE INDEX "Agency_planId_code_key" ON "Agency"("planId", "code");
CREATE UNIQUE INDEX "Agency_planId_directoryId_key" ON "Agency"("planId", "directoryId");
CREATE TABLE "new_Person" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "displayName" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "directoryAgencyId" INTEGER,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "locale" TEXT NOT NULL DEFAULT 'vi',
    "createdAt" DATETIME NOT NULL,
    "deactivatedAt" DATETIME,
    CONSTRAINT "Person_directoryAgencyId_fkey" FOREIGN KEY ("directoryAgencyId") REFERENCES "DirectoryAgency" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Person" ("active", "createdAt", "deactivatedAt", "directoryAgencyId", "displayName", "id", "locale", "role")
SELECT p."active", p."createdAt", p."deactivatedAt", m."directoryId", p."displayName", p."id", p."locale", p."role"
FROM "Person" p LEFT JOIN "_DirectoryOf" m ON m."agencyId" = p."agencyId";
DROP TABLE "Person";
ALTER TABLE "new_Person" RENAME TO "Person";
CREATE INDEX "Person_directoryAgencyId_idx" ON "Person"("directoryAgencyId");
CREATE TABLE "new_Invite" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "codeHash" TEXT NOT NULL,
    "directoryAgencyId" INTEGER,
    "role" TEXT NOT NULL,
    "linkPersonId" INTEGER,
    "createdAt" DATETIME NOT NULL,
    "createdById" INTEGER,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    "usedByPersonId" INTEGER,
    "revokedAt" DATETIME,
    CONSTRAINT "Invite_directoryAgencyId_fkey" FOREIGN KEY ("directoryAgencyId") REFERENCES "DirectoryAgency" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Invite" ("codeHash", "createdAt", "createdById", "directoryAgencyId", "expiresAt", "id", "linkPersonId", "revokedAt", "role", "usedAt", "usedByPersonId")
SELECT i."codeHash", i."createdAt", i."createdById", m."directoryId", i."expiresAt", i."id", i."linkPersonId", i."revokedAt", i."role", i."usedAt", i."usedByPersonId"
FROM "Invite" i LEFT JOIN "_DirectoryOf" m ON m."agencyId" = i."agencyId";
DROP TABLE "Invite";
ALTER TABLE "new_Invite" RENAME TO "Invite";
CREATE UNIQUE INDEX "Invite_codeHash_key" ON "Invite"("codeHash");
CREATE INDEX "Invite_directoryAgencyId_idx" ON "Invite"("directoryAgencyId");
DROP TABLE "_DirectoryOf";
DROP TABLE "_AgencyDirectory";
DROP TABLE "_DirectoryCode";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "DirectoryAgency_code_key" ON "DirectoryAgency"("code");

-- CreateIndex
CREATE UNIQUE INDEX "AgencyAlias_folded_key" ON "AgencyAlias"("folded");

-- CreateIndex
CREATE INDEX "AgencyAlias_directoryAgencyId_idx" ON "AgencyAlias"("directoryAgencyId");

