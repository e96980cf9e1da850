-- The W3C trace context an event was written in (writeOutboxEvent): the relay publishes the
-- row in a span of that trace and sends it as Kafka headers. Nullable: rows written before,
-- or with tracing off, have none. Plain text, since a longer future traceparent version must
-- never fail the write of the change it describes.
-- AlterTable
ALTER TABLE "outbox_events" ADD COLUMN     "traceparent" TEXT,
ADD COLUMN     "tracestate" TEXT;
