-- AlterTable
ALTER TABLE "orders" ADD COLUMN     "discount_amount" DECIMAL(14,2) NOT NULL DEFAULT 0,
ADD COLUMN     "discount_code" VARCHAR(40),
ADD COLUMN     "pricing" JSONB,
ADD COLUMN     "shipping_address" JSONB,
ADD COLUMN     "shipping_amount" DECIMAL(14,2) NOT NULL DEFAULT 0,
ADD COLUMN     "shipping_method" JSONB,
ADD COLUMN     "subtotal_amount" DECIMAL(14,2) NOT NULL DEFAULT 0,
ADD COLUMN     "tax_amount" DECIMAL(14,2) NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "order_items" ADD COLUMN     "discount_amount" DECIMAL(14,2) NOT NULL DEFAULT 0,
ADD COLUMN     "tax_amount" DECIMAL(14,2) NOT NULL DEFAULT 0,
ADD COLUMN     "tax_rate_bp" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "store_settings" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "price_mode" VARCHAR(8) NOT NULL DEFAULT 'GROSS',
    "currency" CHAR(3) NOT NULL DEFAULT 'USD',
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "store_settings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "shipping_zones" (
    "id" UUID NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "countries" CHAR(2)[],

    CONSTRAINT "shipping_zones_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "shipping_methods" (
    "id" UUID NOT NULL,
    "zone_id" UUID NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "carrier" VARCHAR(100) NOT NULL,
    "rate_kind" VARCHAR(16) NOT NULL,
    "flat_amount" INTEGER,
    "weight_tiers" JSONB,
    "free_above" INTEGER,
    "min_days" INTEGER NOT NULL,
    "max_days" INTEGER NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "shipping_methods_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tax_rates" (
    "country" CHAR(2) NOT NULL,
    "tax_class" VARCHAR(16) NOT NULL,
    "rate_bp" INTEGER NOT NULL,

    CONSTRAINT "tax_rates_pkey" PRIMARY KEY ("country","tax_class")
);

-- CreateTable
CREATE TABLE "discount_codes" (
    "id" UUID NOT NULL,
    "code" VARCHAR(40) NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "value" INTEGER NOT NULL DEFAULT 0,
    "min_subtotal" INTEGER NOT NULL DEFAULT 0,
    "starts_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ends_at" TIMESTAMPTZ(3),
    "usage_limit" INTEGER,
    "per_customer_limit" INTEGER,
    "used" INTEGER NOT NULL DEFAULT 0,
    "category_ids" UUID[],
    "product_ids" UUID[],
    "disabled_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "discount_codes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "discount_uses" (
    "order_id" UUID NOT NULL,
    "code_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "released_at" TIMESTAMPTZ(3),

    CONSTRAINT "discount_uses_pkey" PRIMARY KEY ("order_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "shipping_zones_name_key" ON "shipping_zones"("name");

-- CreateIndex
CREATE INDEX "shipping_methods_zone_id_idx" ON "shipping_methods"("zone_id");

-- CreateIndex
CREATE UNIQUE INDEX "discount_codes_code_key" ON "discount_codes"("code");

-- CreateIndex
CREATE INDEX "discount_codes_created_at_id_idx" ON "discount_codes"("created_at", "id");

-- CreateIndex
CREATE INDEX "discount_uses_code_id_user_id_idx" ON "discount_uses"("code_id", "user_id");

-- AddForeignKey
ALTER TABLE "shipping_methods" ADD CONSTRAINT "shipping_methods_zone_id_fkey" FOREIGN KEY ("zone_id") REFERENCES "shipping_zones"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "discount_uses" ADD CONSTRAINT "discount_uses_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "discount_uses" ADD CONSTRAINT "discount_uses_code_id_fkey" FOREIGN KEY ("code_id") REFERENCES "discount_codes"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Written by hand: what the schema language cannot express.
ALTER TABLE "shipping_zones" ALTER COLUMN "countries" SET DEFAULT '{}', ALTER COLUMN "countries" SET NOT NULL;
ALTER TABLE "discount_codes"
  ALTER COLUMN "category_ids" SET DEFAULT '{}', ALTER COLUMN "category_ids" SET NOT NULL,
  ALTER COLUMN "product_ids" SET DEFAULT '{}', ALTER COLUMN "product_ids" SET NOT NULL,
  ADD CONSTRAINT "discount_codes_kind_check" CHECK ("kind" IN ('PERCENTAGE', 'FIXED_AMOUNT', 'FREE_SHIPPING')),
  -- The race for the last use ends here: a placement that would pass the limit fails its UPDATE.
  ADD CONSTRAINT "discount_codes_used_check" CHECK ("used" >= 0 AND ("usage_limit" IS NULL OR "used" <= "usage_limit")),
  ADD CONSTRAINT "discount_codes_code_check" CHECK ("code" = upper("code"));
ALTER TABLE "store_settings"
  ADD CONSTRAINT "store_settings_one_row" CHECK ("id" = 1),
  ADD CONSTRAINT "store_settings_price_mode_check" CHECK ("price_mode" IN ('NET', 'GROSS'));
ALTER TABLE "tax_rates"
  ADD CONSTRAINT "tax_rates_rate_check" CHECK ("rate_bp" BETWEEN 0 AND 10000),
  ADD CONSTRAINT "tax_rates_class_check" CHECK ("tax_class" IN ('STANDARD', 'REDUCED'));
ALTER TABLE "shipping_methods"
  ADD CONSTRAINT "shipping_methods_rate_check" CHECK (
    ("rate_kind" = 'FLAT' AND "flat_amount" IS NOT NULL) OR
    ("rate_kind" = 'BY_WEIGHT' AND "weight_tiers" IS NOT NULL)),
  ADD CONSTRAINT "shipping_methods_days_check" CHECK ("min_days" >= 0 AND "max_days" >= "min_days");
INSERT INTO "store_settings" ("id") VALUES (1) ON CONFLICT DO NOTHING;
