-- The carrier looks for the next step due among schedules that still have one. Finished
-- schedules (one per order ever delivered) keep their rows, so a partial index keeps the claim
-- and the "when is the next one due" question a short index scan however many orders were
-- delivered. Written by hand: Prisma's schema language has no partial indexes.
CREATE INDEX "carrier_schedule_pending_due_at_idx" ON "carrier_schedule" ("due_at") WHERE "next_step" IS NOT NULL;
