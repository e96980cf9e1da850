-- CreateTable
CREATE TABLE "inbox" (
    "consumer" VARCHAR(128) NOT NULL,
    "event_id" UUID NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "inbox_pkey" PRIMARY KEY ("consumer","event_id")
);

-- CreateIndex
CREATE INDEX "inbox_processed_at_idx" ON "inbox"("processed_at");
