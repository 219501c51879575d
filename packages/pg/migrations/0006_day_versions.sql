CREATE TABLE "anlyt"."day_versions" (
	"day" date PRIMARY KEY NOT NULL,
	"folds" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- Updated once per consumer batch per day: keep those updates HOT, like the bucket tables (0002).
ALTER TABLE "anlyt"."day_versions" SET (fillfactor = 70);
--> statement-breakpoint
-- Existing aggregates: what the bucket upserts would have kept (folds per day, and the last
-- write to the day's PLATFORM hours, which is what day_versions.updated_at stands for).
INSERT INTO "anlyt"."day_versions" ("day", "folds", "updated_at")
SELECT ("hour" AT TIME ZONE 'UTC')::date,
       sum("billed_count" + "refunded_count" + "status_delivered" + "status_failed" + "status_expired"
           + "status_rejected" + "status_undeliverable" + "status_unknown"),
       max("updated_at")
FROM "anlyt"."metrics_hourly" WHERE "scope" = 'PLATFORM' GROUP BY 1;
