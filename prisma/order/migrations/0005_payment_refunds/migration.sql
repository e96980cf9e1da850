-- A payment taken for an order that ended cancelled is refunded (refunded_at), and a payment
-- asked for after the order was cancelled is voided: nothing is charged.
ALTER TABLE "payments" ADD COLUMN "refunded_at" TIMESTAMPTZ(3);
ALTER TABLE "payments" DROP CONSTRAINT "payments_status_check";
ALTER TABLE "payments" ADD CONSTRAINT "payments_status_check" CHECK ("status" IN ('authorized', 'declined', 'voided', 'refunded'));
