CREATE TABLE "anlyt"."tps_minutes" (
	"scope" text NOT NULL,
	"scope_id" text NOT NULL,
	"minute" timestamp with time zone NOT NULL,
	"billed_count" bigint NOT NULL,
	"peak_tps" integer NOT NULL,
	CONSTRAINT "tps_minutes_scope_scope_id_minute_pk" PRIMARY KEY("scope","scope_id","minute")
);
--> statement-breakpoint
-- Updated by every billing batch for its minutes: keep those updates HOT (as 0002).
ALTER TABLE "anlyt"."tps_minutes" SET (fillfactor = 70);
--> statement-breakpoint
-- Existing per-second counters, folded per minute (what the consumer now writes as it goes).
INSERT INTO "anlyt"."tps_minutes" ("scope", "scope_id", "minute", "billed_count", "peak_tps")
SELECT "scope", "scope_id", date_trunc('minute', "second", 'UTC'), sum("billed_count"), max("billed_count")
FROM "anlyt"."tps_seconds" GROUP BY 1, 2, 3;
