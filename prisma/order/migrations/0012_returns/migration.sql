-- CreateEnum
CREATE TYPE "ReturnStatus" AS ENUM ('REQUESTED', 'APPROVED', 'REJECTED', 'RECEIVED', 'REFUNDED');

-- AlterTable
ALTER TABLE "orders" ADD COLUMN     "delivered_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "carrier_schedule" ADD COLUMN     "return_id" UUID,
ADD COLUMN     "shipments" INTEGER NOT NULL DEFAULT 1;

-- CreateTable
CREATE TABLE "returns" (
    "id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "status" "ReturnStatus" NOT NULL DEFAULT 'REQUESTED',
    "reason" TEXT NOT NULL,
    "rejection_reason" TEXT,
    "refund_amount" DECIMAL(14,2) NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "whole_order" BOOLEAN NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "received_at" TIMESTAMPTZ(3),
    "refunded_at" TIMESTAMPTZ(3),

    CONSTRAINT "returns_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "return_lines" (
    "return_id" UUID NOT NULL,
    "product_id" UUID NOT NULL,
    "product_name" VARCHAR(200) NOT NULL,
    "quantity" INTEGER NOT NULL,
    "refund_amount" DECIMAL(14,2) NOT NULL,

    CONSTRAINT "return_lines_pkey" PRIMARY KEY ("return_id","product_id")
);

-- CreateTable
CREATE TABLE "payment_refunds" (
    "return_id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "refund_id" VARCHAR(64) NOT NULL,
    "payment_id" VARCHAR(64) NOT NULL,
    "amount" DECIMAL(12,2) NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payment_refunds_pkey" PRIMARY KEY ("return_id")
);

-- CreateIndex
CREATE INDEX "returns_order_id_created_at_idx" ON "returns"("order_id", "created_at");

-- CreateIndex
CREATE INDEX "payment_refunds_order_id_idx" ON "payment_refunds"("order_id");

-- AddForeignKey
ALTER TABLE "returns" ADD CONSTRAINT "returns_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "return_lines" ADD CONSTRAINT "return_lines_return_id_fkey" FOREIGN KEY ("return_id") REFERENCES "returns"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- At most one open return per order: a second request while one is REQUESTED or APPROVED is refused by the database too
CREATE UNIQUE INDEX "returns_one_open_per_order" ON "returns"("order_id") WHERE "status" IN ('REQUESTED', 'APPROVED');

-- Amounts and units are never negative
ALTER TABLE "returns" ADD CONSTRAINT "returns_refund_amount_check" CHECK ("refund_amount" >= 0);
ALTER TABLE "return_lines" ADD CONSTRAINT "return_lines_quantity_check" CHECK ("quantity" > 0);
ALTER TABLE "return_lines" ADD CONSTRAINT "return_lines_refund_amount_check" CHECK ("refund_amount" >= 0);
ALTER TABLE "payment_refunds" ADD CONSTRAINT "payment_refunds_amount_check" CHECK ("amount" > 0);

-- Orders delivered before this migration count their window from the delivery step
UPDATE "orders" o SET "delivered_at" = f."at" FROM (SELECT "order_id", max("at") AS "at" FROM "fulfillment_events" WHERE "status" = 'DELIVERED' GROUP BY "order_id") f WHERE f."order_id" = o."id" AND o."delivered_at" IS NULL;
