-- DropIndex
DROP INDEX "workflow_events_order_id_at_idx";

-- AlterTable
ALTER TABLE "workflow_events" ADD COLUMN     "seq" BIGSERIAL NOT NULL;

-- CreateIndex
CREATE INDEX "workflow_events_order_id_seq_idx" ON "workflow_events"("order_id", "seq");
