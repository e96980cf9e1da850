-- AlterTable
ALTER TABLE "products" ADD COLUMN     "tax_class" VARCHAR(16) NOT NULL DEFAULT 'STANDARD',
ADD COLUMN     "weight_grams" INTEGER NOT NULL DEFAULT 250;

-- Hand-written (Prisma's schema language cannot express these).
-- Existing rows took the defaults above: 250 g and STANDARD.
-- The tax classes are TAX_CLASSES in @shop/pricing: change both together.
ALTER TABLE "products" ADD CONSTRAINT "products_tax_class_check" CHECK ("tax_class" IN ('STANDARD', 'REDUCED', 'ZERO'));
ALTER TABLE "products" ADD CONSTRAINT "products_weight_grams_range" CHECK ("weight_grams" BETWEEN 1 AND 100000);
