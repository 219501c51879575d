CREATE SCHEMA "anlyt";
--> statement-breakpoint
CREATE TABLE "anlyt"."metrics_hourly" (
	"scope" text NOT NULL,
	"scope_id" text NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"billed_count" bigint DEFAULT 0 NOT NULL,
	"refunded_count" bigint DEFAULT 0 NOT NULL,
	"total_messages" bigint GENERATED ALWAYS AS (billed_count - refunded_count) STORED,
	"total_cost" numeric(38, 6) DEFAULT '0' NOT NULL,
	"segments" bigint DEFAULT 0 NOT NULL,
	"status_delivered" bigint DEFAULT 0 NOT NULL,
	"status_failed" bigint DEFAULT 0 NOT NULL,
	"status_expired" bigint DEFAULT 0 NOT NULL,
	"status_rejected" bigint DEFAULT 0 NOT NULL,
	"status_undeliverable" bigint DEFAULT 0 NOT NULL,
	"status_unknown" bigint DEFAULT 0 NOT NULL,
	"delivered_messages" bigint GENERATED ALWAYS AS (status_delivered) STORED,
	"failed_messages" bigint GENERATED ALWAYS AS (status_failed + status_expired + status_rejected + status_undeliverable) STORED,
	"latency_sum_ms" bigint DEFAULT 0 NOT NULL,
	"latency_count" bigint DEFAULT 0 NOT NULL,
	"latency_sketch" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"peak_tps" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "metrics_hourly_scope_scope_id_hour_pk" PRIMARY KEY("scope","scope_id","hour"),
	CONSTRAINT "metrics_hourly_scope" CHECK ("anlyt"."metrics_hourly"."scope" in ('PLATFORM', 'OPERATOR', 'ACCOUNT'))
);
--> statement-breakpoint
CREATE TABLE "anlyt"."operator_performance" (
	"operator_id" text NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"status_delivered" bigint DEFAULT 0 NOT NULL,
	"status_failed" bigint DEFAULT 0 NOT NULL,
	"status_expired" bigint DEFAULT 0 NOT NULL,
	"status_rejected" bigint DEFAULT 0 NOT NULL,
	"status_undeliverable" bigint DEFAULT 0 NOT NULL,
	"status_unknown" bigint DEFAULT 0 NOT NULL,
	"delivered_messages" bigint GENERATED ALWAYS AS (status_delivered) STORED,
	"failed_messages" bigint GENERATED ALWAYS AS (status_failed + status_expired + status_rejected + status_undeliverable) STORED,
	"latency_sum_ms" bigint DEFAULT 0 NOT NULL,
	"latency_count" bigint DEFAULT 0 NOT NULL,
	"latency_sketch" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"error_codes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "operator_performance_operator_id_hour_pk" PRIMARY KEY("operator_id","hour")
);
--> statement-breakpoint
CREATE TABLE "anlyt"."processed_events" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"payload_hash" "bytea" NOT NULL,
	"source" text NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "anlyt"."tps_seconds" (
	"scope" text NOT NULL,
	"scope_id" text NOT NULL,
	"second" timestamp with time zone NOT NULL,
	"billed_count" integer NOT NULL,
	CONSTRAINT "tps_seconds_scope_scope_id_second_pk" PRIMARY KEY("scope","scope_id","second")
);
--> statement-breakpoint
CREATE TABLE "anlyt"."watermarks" (
	"projection" text PRIMARY KEY NOT NULL,
	"data_as_of" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
