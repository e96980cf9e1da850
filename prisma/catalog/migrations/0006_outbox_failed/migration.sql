-- AlterTable
ALTER TABLE "outbox_events" ADD COLUMN     "failed_at" TIMESTAMPTZ(3),
ADD COLUMN     "rejections" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "retry_at" TIMESTAMPTZ(3);

-- A third state: the relay gave up on a row Kafka kept rejecting (unknown topic, too large)
ALTER TABLE "outbox_events" DROP CONSTRAINT "outbox_events_status_check";
ALTER TABLE "outbox_events" ADD CONSTRAINT "outbox_events_status_check" CHECK ("status" IN ('pending', 'sent', 'failed'));
