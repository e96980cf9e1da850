-- CreateTable
CREATE TABLE "cart_checkouts" (
    "user_id" UUID NOT NULL,
    "shipping_address" JSONB,
    "shipping_method_id" UUID,
    "discount_code" VARCHAR(40),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "cart_checkouts_pkey" PRIMARY KEY ("user_id")
);
