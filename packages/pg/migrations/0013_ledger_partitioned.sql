-- The ledger at national scale (US-ANLYT-08; docs/decisions.md "The ledger, partitioned by the
-- day it was written"): partitioned by `seen_day`, the UTC day the row was written, one
-- partition per day. Inserts go to today's partition only (a small, hot index instead of one
-- uuid B-tree of ~150M ids), and retention is DROP TABLE of a day (no DELETE, no vacuum debt).
-- Uniqueness of event_id is per partition; across partitions the ledger code looks an id up in
-- every partition before inserting (packages/pg/src/ledger.ts), and batches around a UTC
-- midnight serialise on an advisory lock so that two copies of one event cannot land in two
-- days' partitions unseen by each other.
--
-- The existing table becomes the first partition, holding every day before this migration
-- (its rows get seen_day 1970-01-01: a catalog-only change, whatever its size); retention drops
-- it like any other day once the migration day is old enough.
ALTER TABLE "anlyt"."processed_events" RENAME TO "processed_events_legacy";
--> statement-breakpoint
ALTER TABLE "anlyt"."processed_events_legacy" ADD COLUMN "seen_day" date NOT NULL DEFAULT '1970-01-01';
--> statement-breakpoint
ALTER TABLE "anlyt"."processed_events_legacy" ALTER COLUMN "seen_day" DROP DEFAULT;
--> statement-breakpoint
-- A partition's primary key must be the parent's: (event_id, seen_day). With seen_day the same
-- on every legacy row it is as unique as event_id was (one index build over the old table).
CREATE UNIQUE INDEX "processed_events_legacy_pkey_new"
	ON "anlyt"."processed_events_legacy" ("event_id", "seen_day");
--> statement-breakpoint
ALTER TABLE "anlyt"."processed_events_legacy" DROP CONSTRAINT "processed_events_pkey";
--> statement-breakpoint
ALTER TABLE "anlyt"."processed_events_legacy"
	ADD CONSTRAINT "processed_events_legacy_pkey" PRIMARY KEY USING INDEX "processed_events_legacy_pkey_new";
--> statement-breakpoint
CREATE TABLE "anlyt"."processed_events" (
	"event_id" uuid NOT NULL,
	"seen_day" date NOT NULL DEFAULT ((now() AT TIME ZONE 'UTC')::date),
	"payload_hash" bytea NOT NULL,
	"source" text NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"stream_seq" bigint,
	CONSTRAINT "processed_events_pkey" PRIMARY KEY ("event_id", "seen_day")
) PARTITION BY RANGE ("seen_day");
--> statement-breakpoint
-- Whether `at` lies within `seconds` of a UTC midnight (either side): the ledger writers'
-- midnight guard (packages/pg/src/ledger.ts).
CREATE FUNCTION "anlyt"."near_utc_midnight"(at timestamptz, seconds integer) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
  SELECT abs(extract(epoch FROM (at AT TIME ZONE 'UTC')
    - date_trunc('day', (at AT TIME ZONE 'UTC') + interval '12 hours'))) < seconds
$$;
--> statement-breakpoint
-- Creates the daily partitions of [from_day, to_day] that do not exist yet. Called by the
-- consumer at start and every hour, and by the rollup CronJob.
CREATE FUNCTION "anlyt"."ensure_ledger_partitions"(from_day date, to_day date) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  d date := from_day;
  made integer := 0;
  name text;
BEGIN
  WHILE d <= to_day LOOP
    name := 'processed_events_' || to_char(d, 'YYYYMMDD');
    IF to_regclass('anlyt.' || name) IS NULL THEN
      BEGIN
        EXECUTE format(
          'CREATE TABLE anlyt.%I PARTITION OF anlyt.processed_events FOR VALUES FROM (%L) TO (%L)',
          name, d, d + 1);
        made := made + 1;
      EXCEPTION WHEN invalid_object_definition THEN
        -- The day lies in the legacy partition (every day before migration 0013): nothing to make.
        NULL;
      END;
    END IF;
    d := d + 1;
  END LOOP;
  RETURN made;
END
$$;
--> statement-breakpoint
-- Drops every partition whose days all lie before `cutoff` (the legacy one included); returns
-- their names. Called by the rollup CronJob with cutoff = today − LEDGER_RETENTION_DAYS.
CREATE FUNCTION "anlyt"."drop_ledger_partitions_before"(cutoff date) RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
  p record;
  upper_bound date;
BEGIN
  FOR p IN
    SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) AS bound
    FROM pg_inherits i
    JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'anlyt.processed_events'::regclass
  LOOP
    upper_bound := substring(p.bound FROM 'TO \(''([0-9-]+)''\)')::date;
    IF upper_bound IS NOT NULL AND upper_bound <= cutoff THEN
      EXECUTE format('DROP TABLE anlyt.%I', p.relname);
      RETURN NEXT p.relname;
    END IF;
  END LOOP;
END
$$;
--> statement-breakpoint
-- The legacy table as the partition of every day before today, then today and the next days.
DO $$
DECLARE today date := (now() AT TIME ZONE 'UTC')::date;
BEGIN
  EXECUTE format(
    'ALTER TABLE anlyt.processed_events ATTACH PARTITION anlyt.processed_events_legacy FOR VALUES FROM (MINVALUE) TO (%L)',
    today);
  PERFORM anlyt.ensure_ledger_partitions(today, today + 2);
END
$$;
