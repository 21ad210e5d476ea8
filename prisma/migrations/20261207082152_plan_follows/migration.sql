-- AlterTable
ALTER TABLE "Person" ADD COLUMN "follows" TEXT;

