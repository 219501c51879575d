-- Bucket rows are updated in place many times an hour. Leaving 30% of each page free lets
-- those updates be HOT (heap-only: no new index entry, no index bloat), which roughly halves
-- the cost of the conflicting upserts the consumer runs on every batch.
ALTER TABLE anlyt.metrics_hourly SET (fillfactor = 70);
--> statement-breakpoint
ALTER TABLE anlyt.operator_performance SET (fillfactor = 70);
--> statement-breakpoint
ALTER TABLE anlyt.tps_seconds SET (fillfactor = 70);
