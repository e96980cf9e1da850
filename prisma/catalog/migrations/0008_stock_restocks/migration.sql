-- CreateTable
CREATE TABLE "stock_restocks" (
    "return_id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "items" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stock_restocks_pkey" PRIMARY KEY ("return_id")
);
