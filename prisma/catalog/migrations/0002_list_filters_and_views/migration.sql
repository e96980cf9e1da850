-- CreateTable
CREATE TABLE "product_views" (
    "id" BIGSERIAL NOT NULL,
    "product_id" UUID NOT NULL,
    "user_id" UUID,
    "viewed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "product_views_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "product_views_product_id_viewed_at_idx" ON "product_views"("product_id", "viewed_at");

-- AddForeignKey
ALTER TABLE "product_views" ADD CONSTRAINT "product_views_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written (Prisma's schema language cannot express these).
-- The products `text` filter matches every word as a case-insensitive substring of
-- name || ' ' || description: a trigram GIN index on that expression keeps it fast at 100k+ rows.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX "products_text_trgm_idx" ON "products" USING gin (("name" || ' ' || "description") gin_trgm_ops);
-- The RATING sort orders by (COALESCE(rating_avg, 0), rating_count, id) descending: unrated last.
CREATE INDEX "products_rating_sort_idx" ON "products" ((COALESCE("rating_avg", 0)), "rating_count", "id");
