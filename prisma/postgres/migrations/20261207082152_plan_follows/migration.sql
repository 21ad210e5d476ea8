-- One transaction: the adapter runs the statements of a file one by one, and a failure must leave nothing behind.
BEGIN;

-- AlterTable
ALTER TABLE "Person" ADD COLUMN     "follows" TEXT;

COMMIT;
