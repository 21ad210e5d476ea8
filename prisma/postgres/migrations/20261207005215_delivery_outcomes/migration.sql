-- One transaction: the adapter runs the statements of a file one by one, and a failure must leave nothing behind.
BEGIN;

-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "failureNoticeAt" TIMESTAMP(3),
ADD COLUMN     "failureReason" TEXT,
ADD COLUMN     "requestedById" INTEGER;

-- CreateIndex
CREATE INDEX "OutboxMessage_requestedById_failureNoticeAt_idx" ON "OutboxMessage"("requestedById", "failureNoticeAt");

-- Data: what the platforms said becomes a stable reason; their words stay in the outbox's lastError.
UPDATE "Identity" SET "unreachableReason" = CASE
    WHEN LOWER("unreachableReason") LIKE '%blocked%' THEN 'blocked'
    WHEN LOWER("unreachableReason") LIKE '%initiate conversation%' OR LOWER("unreachableReason") LIKE '%chat not found%' OR LOWER("unreachableReason") LIKE '%peer_id_invalid%' THEN 'not_started'
    WHEN LOWER("unreachableReason") LIKE '%deactivated%' OR LOWER("unreachableReason") LIKE '%account_inactive%' OR LOWER("unreachableReason") LIKE '%user_not_found%' THEN 'account_gone'
    WHEN LOWER("unreachableReason") LIKE '%kicked%' OR LOWER("unreachableReason") LIKE '%not a member%' OR LOWER("unreachableReason") LIKE '%channel_not_found%' OR LOWER("unreachableReason") LIKE '%is_archived%' OR LOWER("unreachableReason") LIKE '%not_in_channel%' THEN 'chat_gone'
    WHEN LOWER("unreachableReason") LIKE 'zalo %' THEN 'not_allowed'
    ELSE 'unknown'
  END
WHERE "unreachableReason" IS NOT NULL;

UPDATE "OutboxMessage" SET "failureReason" = CASE
    WHEN "lastError" = 'no reachable account' THEN COALESCE((SELECT i."unreachableReason" FROM "Identity" i WHERE i."personId" = "OutboxMessage"."personId" AND i."unreachableReason" IS NOT NULL ORDER BY i."unreachableAt" DESC LIMIT 1), 'unknown')
    WHEN LOWER("lastError") LIKE '%blocked%' THEN 'blocked'
    WHEN LOWER("lastError") LIKE '%initiate conversation%' OR LOWER("lastError") LIKE '%chat not found%' OR LOWER("lastError") LIKE '%peer_id_invalid%' THEN 'not_started'
    WHEN LOWER("lastError") LIKE '%deactivated%' OR LOWER("lastError") LIKE '%account_inactive%' OR LOWER("lastError") LIKE '%user_not_found%' THEN 'account_gone'
    WHEN LOWER("lastError") LIKE '%kicked%' OR LOWER("lastError") LIKE '%not a member%' OR LOWER("lastError") LIKE '%channel_not_found%' OR LOWER("lastError") LIKE '%is_archived%' OR LOWER("lastError") LIKE '%not_in_channel%' THEN 'chat_gone'
    WHEN "status" = 'unreachable' AND LOWER("lastError") LIKE 'zalo %' THEN 'not_allowed'
    WHEN "status" = 'unreachable' THEN 'unknown'
    WHEN LOWER("lastError") LIKE '%ratelimited%' OR LOWER("lastError") LIKE '%too many requests%' THEN 'rate_limited'
    WHEN LOWER("lastError") LIKE '%network%' OR LOWER("lastError") LIKE '%timeout%' OR LOWER("lastError") LIKE '%timed out%' THEN 'network'
    WHEN LOWER("lastError") LIKE 'telegram %' OR LOWER("lastError") LIKE 'slack:%' OR LOWER("lastError") LIKE 'zalo %' THEN 'platform_error'
    ELSE 'unknown'
  END
WHERE "lastError" IS NOT NULL;

COMMIT;
