-- Partitioning and retention of the growing tables (US-ANLYT-08, issue 13; docs/retention.md).
-- The bucket tables are range-partitioned by their time key, so that retention is a DROP of a
-- whole partition (no DELETE, no vacuum debt, no index bloat) done by anlyt-rollup
-- (apps/anlyt-rollup/src/use-cases/apply-retention.use-case.ts), and a day's or a month's rows
-- sit together. Every primary key already starts with its scope and holds the time key, so the
-- keys and every read stay as they were (partition pruning keeps a window's read to its own
-- partitions). drizzle-kit does not model partitioning: this migration is hand-written.
--
-- Each existing table becomes the first partition of its new parent ("<name>_legacy", every
-- key before the start of the next day or month): a catalog change plus one scan to check the
-- bound, whatever the table's size; retention drops it like any other partition once that
-- bound is old enough. The processed-events ledger is not partitioned (docs/retention.md "The
-- ledger"): its retention is a chunked DELETE by first_seen_at (migration 0013).

-- Which tables are partitioned, by what, how far ahead partitions are made, and the storage
-- parameter new partitions get (bucket tables are updated in place: fillfactor 70 keeps those
-- updates HOT, migration 0002).
CREATE TABLE "anlyt"."partitioned_tables" (
	"table_name" text PRIMARY KEY NOT NULL,
	"key_column" text NOT NULL,
	"key_is_date" boolean NOT NULL,
	"granularity" text NOT NULL CHECK ("granularity" in ('day', 'month')),
	"ahead" integer NOT NULL CHECK ("ahead" >= 1),
	"fillfactor" integer
);
--> statement-breakpoint
-- Rows older than keep_from are no longer kept in a table (written by the retention job before
-- it drops partitions). The consumer's per-second upsert skips seconds below it, so a late
-- event older than the seconds' retention still counts in its hour (without raising the peak)
-- instead of failing on a partition that is gone.
CREATE TABLE "anlyt"."retention_floors" (
	"table_name" text PRIMARY KEY NOT NULL,
	"keep_from" timestamp with time zone NOT NULL
);
--> statement-breakpoint
INSERT INTO "anlyt"."partitioned_tables" VALUES
	('metrics_hourly', 'hour', false, 'month', 3, 70),
	('operator_performance', 'hour', false, 'month', 3, 70),
	('tps_minutes', 'minute', false, 'month', 3, 70),
	('tps_seconds', 'second', false, 'day', 7, 70),
	('metrics_daily', 'day', true, 'month', 3, NULL),
	('operator_performance_daily', 'day', true, 'month', 3, NULL);
--> statement-breakpoint
-- The first key of the partition holding `at` (UTC), as a date.
CREATE FUNCTION "anlyt"."partition_start"(granularity text, at timestamptz) RETURNS date
LANGUAGE sql IMMUTABLE AS $$ SELECT date_trunc(granularity, at AT TIME ZONE 'UTC')::date $$;
--> statement-breakpoint
CREATE FUNCTION "anlyt"."partition_bound"(key_is_date boolean, d date) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN key_is_date THEN d::text ELSE (d::timestamp AT TIME ZONE 'UTC')::text END
$$;
--> statement-breakpoint
-- Makes the partitions of `tbl` from the one holding `from_at` to `ahead` units after the one
-- holding `to_at` that do not exist yet; returns how many it made. Called by the consumer at
-- start and every hour, and by anlyt-rollup on every run: either alone keeps them ahead.
-- A unit already covered (by the legacy partition) is skipped.
CREATE FUNCTION "anlyt"."ensure_partitions"(tbl text, from_at timestamptz, to_at timestamptz)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
	p anlyt.partitioned_tables;
	step interval;
	d date;
	last date;
	name text;
	made integer := 0;
BEGIN
	SELECT * INTO STRICT p FROM anlyt.partitioned_tables WHERE table_name = tbl;
	step := CASE p.granularity WHEN 'day' THEN interval '1 day' ELSE interval '1 month' END;
	d := anlyt.partition_start(p.granularity, from_at);
	last := (anlyt.partition_start(p.granularity, to_at) + p.ahead * step)::date;
	WHILE d <= last LOOP
		name := tbl || '_' || to_char(d, CASE p.granularity WHEN 'day' THEN 'YYYYMMDD' ELSE 'YYYYMM' END);
		IF to_regclass('anlyt.' || quote_ident(name)) IS NULL THEN
			BEGIN
				EXECUTE format('CREATE TABLE anlyt.%I PARTITION OF anlyt.%I FOR VALUES FROM (%L) TO (%L)%s',
					name, tbl, anlyt.partition_bound(p.key_is_date, d),
					anlyt.partition_bound(p.key_is_date, (d + step)::date),
					CASE WHEN p.fillfactor IS NULL THEN '' ELSE format(' WITH (fillfactor = %s)', p.fillfactor) END);
				made := made + 1;
			EXCEPTION WHEN invalid_object_definition THEN
				NULL; -- overlaps the legacy partition: already covered
			END;
		END IF;
		d := (d + step)::date;
	END LOOP;
	RETURN made;
END
$$;
--> statement-breakpoint
-- Drops every partition of `tbl` whose keys all lie before `cutoff` (the legacy one included);
-- returns their names.
CREATE FUNCTION "anlyt"."drop_partitions_before"(tbl text, cutoff timestamptz)
RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
	p anlyt.partitioned_tables;
	part record;
	upper_text text;
	upper_at timestamptz;
BEGIN
	SELECT * INTO STRICT p FROM anlyt.partitioned_tables WHERE table_name = tbl;
	FOR part IN
		SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) AS bound
		FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
		WHERE i.inhparent = format('anlyt.%I', tbl)::regclass
		ORDER BY c.relname
	LOOP
		upper_text := substring(part.bound FROM 'TO \(''([^'']+)''\)');
		CONTINUE WHEN upper_text IS NULL;
		upper_at := CASE WHEN p.key_is_date THEN upper_text::date::timestamp AT TIME ZONE 'UTC'
		                 ELSE upper_text::timestamptz END;
		IF upper_at <= cutoff THEN
			EXECUTE format('DROP TABLE anlyt.%I', part.relname);
			RETURN NEXT part.relname;
		END IF;
	END LOOP;
END
$$;
--> statement-breakpoint
-- Turns an existing table into a partitioned one: the table (renamed "<tbl>_legacy", its
-- indexes and primary key renamed with it) becomes the partition of every key before `bound`;
-- the new parent has the same columns, defaults, generated columns, checks, primary key and
-- indexes under their old names. Used once per table below, then dropped.
CREATE FUNCTION "anlyt"."partition_existing_table"(tbl text, bound date) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	p anlyt.partitioned_tables;
	legacy text := tbl || '_legacy';
	idx record;
	pk record;
	defs text[] := '{}';
	def text;
BEGIN
	SELECT * INTO STRICT p FROM anlyt.partitioned_tables WHERE table_name = tbl;
	SELECT conname, pg_get_constraintdef(oid) AS def INTO STRICT pk
	FROM pg_constraint WHERE conrelid = format('anlyt.%I', tbl)::regclass AND contype = 'p';
	-- Secondary indexes, as they are defined now (on anlyt.<tbl>, under their own names).
	FOR idx IN
		SELECT i.indexrelid::regclass::text AS qualified, c.relname, pg_get_indexdef(i.indexrelid) AS def
		FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
		WHERE i.indrelid = format('anlyt.%I', tbl)::regclass AND NOT i.indisprimary
	LOOP
		defs := defs || idx.def;
		EXECUTE format('ALTER INDEX anlyt.%I RENAME TO %I', idx.relname, left(idx.relname, 56) || '_legacy');
	END LOOP;
	EXECUTE format('ALTER TABLE anlyt.%I RENAME CONSTRAINT %I TO %I', tbl, pk.conname, left(pk.conname, 56) || '_legacy');
	EXECUTE format('ALTER TABLE anlyt.%I RENAME TO %I', tbl, legacy);
	EXECUTE format(
		'CREATE TABLE anlyt.%I (LIKE anlyt.%I INCLUDING DEFAULTS INCLUDING GENERATED INCLUDING CONSTRAINTS) PARTITION BY RANGE (%I)',
		tbl, legacy, p.key_column);
	EXECUTE format('ALTER TABLE anlyt.%I ADD CONSTRAINT %I %s', tbl, pk.conname, pk.def);
	FOREACH def IN ARRAY defs LOOP
		EXECUTE def;
	END LOOP;
	EXECUTE format('ALTER TABLE anlyt.%I ATTACH PARTITION anlyt.%I FOR VALUES FROM (MINVALUE) TO (%L)',
		tbl, legacy, anlyt.partition_bound(p.key_is_date, bound));
END
$$;
--> statement-breakpoint
DO $$
DECLARE
	t record;
	bound date;
BEGIN
	FOR t IN SELECT * FROM anlyt.partitioned_tables LOOP
		bound := (anlyt.partition_start(t.granularity, now()) +
			CASE t.granularity WHEN 'day' THEN interval '1 day' ELSE interval '1 month' END)::date;
		PERFORM anlyt.partition_existing_table(t.table_name, bound);
		PERFORM anlyt.ensure_partitions(t.table_name, now(), now());
	END LOOP;
END
$$;
--> statement-breakpoint
DROP FUNCTION "anlyt"."partition_existing_table"(text, date);
