-- Order management: a seller's orders are those with a line of one of their products, found
-- through this index (the order list's semi-join on order_items by product_id).
-- CreateIndex
CREATE INDEX "order_items_product_id_idx" ON "order_items"("product_id");

-- An admin's list runs newest first over every order, keyset-paged on (created_at, id): this
-- index serves it without sorting the whole table for each page.
-- CreateIndex
CREATE INDEX "orders_created_at_id_idx" ON "orders"("created_at", "id");
