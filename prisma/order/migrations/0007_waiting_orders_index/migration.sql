-- The step-timeout sweeper looks for orders still waiting on the saga, oldest change first.
-- Those are a handful next to all orders ever placed, so a partial index keeps the sweep a
-- short index scan however many orders completed. Written by hand: Prisma's schema language
-- has no partial indexes (see the note on model Order).
CREATE INDEX "orders_waiting_updated_at_idx" ON "orders" ("updated_at") WHERE "status" IN ('PENDING', 'STOCK_RESERVED');
