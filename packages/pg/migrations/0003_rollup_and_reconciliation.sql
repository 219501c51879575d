CREATE TABLE "anlyt"."metrics_daily" (
	"scope" text NOT NULL,
	"scope_id" text NOT NULL,
	"day" date NOT NULL,
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
	"rolled_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "metrics_daily_scope_scope_id_day_pk" PRIMARY KEY("scope","scope_id","day"),
	CONSTRAINT "metrics_daily_scope" CHECK ("anlyt"."metrics_daily"."scope" in ('PLATFORM', 'OPERATOR', 'ACCOUNT'))
);
--> statement-breakpoint
CREATE TABLE "anlyt"."operator_performance_daily" (
	"operator_id" text NOT NULL,
	"day" date NOT NULL,
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
	"rolled_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "operator_performance_daily_operator_id_day_pk" PRIMARY KEY("operator_id","day")
);
--> statement-breakpoint
CREATE TABLE "anlyt"."reconciliation_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"run_id" uuid NOT NULL,
	"day" date NOT NULL,
	"analytics_total_cost" numeric(38, 6),
	"billing_total_cost" numeric(38, 6),
	"analytics_messages" bigint,
	"billing_messages" bigint,
	"cost_divergence" numeric,
	"message_divergence" numeric,
	"threshold" numeric NOT NULL,
	"status" text NOT NULL,
	"checked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reconciliation_log_status" CHECK ("anlyt"."reconciliation_log"."status" in ('OK', 'DIVERGED', 'MISSING_BILLING', 'MISSING_ANALYTICS'))
);
--> statement-breakpoint
CREATE TABLE "anlyt"."rollup_days" (
	"day" date PRIMARY KEY NOT NULL,
	"rolled_at" timestamp with time zone NOT NULL,
	"run_id" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "anlyt"."rollup_runs" (
	"run_id" uuid PRIMARY KEY NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"outcome" text NOT NULL,
	"dry_run" boolean DEFAULT false NOT NULL,
	"days_rolled" date[] DEFAULT '{}' NOT NULL,
	"error" text,
	CONSTRAINT "rollup_runs_outcome" CHECK ("anlyt"."rollup_runs"."outcome" in ('RUNNING', 'SUCCEEDED', 'FAILED', 'ABANDONED'))
);
--> statement-breakpoint
CREATE INDEX "reconciliation_log_day" ON "anlyt"."reconciliation_log" USING btree ("day","checked_at");--> statement-breakpoint
CREATE INDEX "rollup_runs_started_at" ON "anlyt"."rollup_runs" USING btree ("started_at");