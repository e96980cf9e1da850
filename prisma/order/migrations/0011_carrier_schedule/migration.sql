-- CreateTable
CREATE TABLE "carrier_schedule" (
    "order_id" UUID NOT NULL,
    "next_step" VARCHAR(16),
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "outcome" VARCHAR(200),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "carrier_schedule_pkey" PRIMARY KEY ("order_id")
);

-- CreateIndex
CREATE INDEX "carrier_schedule_due_at_idx" ON "carrier_schedule"("due_at");

-- AddForeignKey
ALTER TABLE "carrier_schedule" ADD CONSTRAINT "carrier_schedule_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE CASCADE ON UPDATE CASCADE;
