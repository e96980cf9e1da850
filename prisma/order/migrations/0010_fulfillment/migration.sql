-- CreateEnum
CREATE TYPE "FulfillmentStatus" AS ENUM ('UNFULFILLED', 'PACKED', 'SHIPPED', 'DELIVERED', 'RETURN_REQUESTED', 'RETURNED');

-- AlterTable
ALTER TABLE "orders" ADD COLUMN     "carrier" VARCHAR(100),
ADD COLUMN     "estimated_delivery" DATE,
ADD COLUMN     "fulfillment_status" "FulfillmentStatus" NOT NULL DEFAULT 'UNFULFILLED',
ADD COLUMN     "shipped_at" TIMESTAMPTZ(3),
ADD COLUMN     "tracking_number" VARCHAR(64);

-- CreateTable
CREATE TABLE "fulfillment_events" (
    "id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "status" "FulfillmentStatus" NOT NULL,
    "actor" VARCHAR(16) NOT NULL,
    "actor_user_id" UUID,
    "detail" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "fulfillment_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "fulfillment_events_order_id_seq_idx" ON "fulfillment_events"("order_id", "seq");

-- AddForeignKey
ALTER TABLE "fulfillment_events" ADD CONSTRAINT "fulfillment_events_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE CASCADE ON UPDATE CASCADE;
