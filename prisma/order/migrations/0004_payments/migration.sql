-- CreateTable
CREATE TABLE "payments" (
    "order_id" UUID NOT NULL,
    "payment_id" VARCHAR(64) NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "amount" DECIMAL(12,2) NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payments_pkey" PRIMARY KEY ("order_id")
);

-- One outcome per order: authorized or declined.
ALTER TABLE "payments" ADD CONSTRAINT "payments_status_check" CHECK ("status" IN ('authorized', 'declined'));
