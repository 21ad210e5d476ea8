-- One transaction: the adapter runs the statements of a file one by one, and a failure must leave nothing behind.
BEGIN;

-- CreateTable
CREATE TABLE "DirectoryAgency" (
    "id" SERIAL NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DirectoryAgency_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AgencyAlias" (
    "id" SERIAL NOT NULL,
    "directoryAgencyId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "folded" TEXT NOT NULL,

    CONSTRAINT "AgencyAlias_pkey" PRIMARY KEY ("id")
);

-- The directory, made from today's agencies: the bundled plan's agencies get their mnemonics, a
-- member (commune) its official code (what follows its group's section number), any other agency
-- CQ and the id of the first agency of its name. Agencies of the same code become one.
CREATE TEMPORARY TABLE "_DirectoryCode" ("name" TEXT NOT NULL PRIMARY KEY, "code" TEXT NOT NULL) ON COMMIT DROP;
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
CREATE TEMPORARY TABLE "_AgencyDirectory" ("agencyId" INTEGER NOT NULL PRIMARY KEY, "code" TEXT NOT NULL, "name" TEXT NOT NULL) ON COMMIT DROP;
INSERT INTO "_AgencyDirectory" ("agencyId", "code", "name")
SELECT a."id",
    CASE
        WHEN a."parentId" IS NOT NULL AND strpos(a."code", '-') > 0 THEN substr(a."code", strpos(a."code", '-') + 1)
        WHEN a."parentId" IS NOT NULL THEN 'CQ' || a."id"
        WHEN c."code" IS NOT NULL THEN c."code"
        ELSE 'CQ' || (SELECT MIN(b."id") FROM "Agency" b WHERE b."name" = a."name" AND b."parentId" IS NULL)
    END,
    a."name"
FROM "Agency" a LEFT JOIN "_DirectoryCode" c ON c."name" = a."name" AND a."parentId" IS NULL;
INSERT INTO "DirectoryAgency" ("code", "name")
SELECT "code", MIN("name") FROM "_AgencyDirectory" GROUP BY "code" ORDER BY MIN("agencyId");
CREATE TEMPORARY TABLE "_DirectoryOf" ("agencyId" INTEGER NOT NULL PRIMARY KEY, "directoryId" INTEGER NOT NULL) ON COMMIT DROP;
INSERT INTO "_DirectoryOf" ("agencyId", "directoryId")
SELECT m."agencyId", d."id" FROM "_AgencyDirectory" m JOIN "DirectoryAgency" d ON d."code" = m."code";

-- A plan that a later import had replaced is closed. The code is BHXH and the last two digits of the year
-- for the first social insurance plan of a year, as an import derives it, else KH and the id.
ALTER TABLE "Plan" ADD COLUMN "closedAt" TIMESTAMP(3),
ADD COLUMN "code" TEXT,
ALTER COLUMN "active" SET DEFAULT true;
UPDATE "Plan" SET "closedAt" = CASE WHEN "active" THEN NULL ELSE "updatedAt" END,
    "code" = CASE
        WHEN "title" LIKE '%bảo hiểm xã hội%' AND "id" = (SELECT MIN(p2."id") FROM "Plan" p2 WHERE p2."title" LIKE '%bảo hiểm xã hội%' AND p2."year" = "Plan"."year")
        THEN 'BHXH' || substr(CAST("year" AS TEXT), 3, 2)
        ELSE 'KH' || "id"
    END;
ALTER TABLE "Plan" ALTER COLUMN "code" SET NOT NULL;

ALTER TABLE "Agency" ADD COLUMN "directoryId" INTEGER;
UPDATE "Agency" a SET "directoryId" = m."directoryId" FROM "_DirectoryOf" m WHERE m."agencyId" = a."id";
ALTER TABLE "Agency" ALTER COLUMN "directoryId" SET NOT NULL;

ALTER TABLE "Person" ADD COLUMN "directoryAgencyId" INTEGER;
UPDATE "Person" p SET "directoryAgencyId" = m."directoryId" FROM "_DirectoryOf" m WHERE m."agencyId" = p."agencyId";
ALTER TABLE "Person" DROP CONSTRAINT "Person_agencyId_fkey";
DROP INDEX "Person_agencyId_idx";
ALTER TABLE "Person" DROP COLUMN "agencyId";

ALTER TABLE "Invite" ADD COLUMN "directoryAgencyId" INTEGER;
UPDATE "Invite" i SET "directoryAgencyId" = m."directoryId" FROM "_DirectoryOf" m WHERE m."agencyId" = i."agencyId";
ALTER TABLE "Invite" DROP CONSTRAINT "Invite_agencyId_fkey";
DROP INDEX "Invite_agencyId_idx";
ALTER TABLE "Invite" DROP COLUMN "agencyId",
DROP COLUMN "planId";

-- CreateIndex
CREATE UNIQUE INDEX "DirectoryAgency_code_key" ON "DirectoryAgency"("code");

-- CreateIndex
CREATE UNIQUE INDEX "AgencyAlias_folded_key" ON "AgencyAlias"("folded");

-- CreateIndex
CREATE INDEX "AgencyAlias_directoryAgencyId_idx" ON "AgencyAlias"("directoryAgencyId");

-- CreateIndex
CREATE UNIQUE INDEX "Plan_code_key" ON "Plan"("code");

-- CreateIndex
CREATE INDEX "Agency_directoryId_idx" ON "Agency"("directoryId");

-- CreateIndex
CREATE UNIQUE INDEX "Agency_planId_directoryId_key" ON "Agency"("planId", "directoryId");

-- CreateIndex
CREATE INDEX "Person_directoryAgencyId_idx" ON "Person"("directoryAgencyId");

-- CreateIndex
CREATE INDEX "Invite_directoryAgencyId_idx" ON "Invite"("directoryAgencyId");

-- AddForeignKey
ALTER TABLE "AgencyAlias" ADD CONSTRAINT "AgencyAlias_directoryAgencyId_fkey" FOREIGN KEY ("directoryAgencyId") REFERENCES "DirectoryAgency"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Agency" ADD CONSTRAINT "Agency_directoryId_fkey" FOREIGN KEY ("directoryId") REFERENCES "DirectoryAgency"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Person" ADD CONSTRAINT "Person_directoryAgencyId_fkey" FOREIGN KEY ("directoryAgencyId") REFERENCES "DirectoryAgency"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Invite" ADD CONSTRAINT "Invite_directoryAgencyId_fkey" FOREIGN KEY ("directoryAgencyId") REFERENCES "DirectoryAgency"("id") ON DELETE SET NULL ON UPDATE CASCADE;

COMMIT;
