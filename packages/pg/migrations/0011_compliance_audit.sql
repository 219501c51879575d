-- US-ANLYT-15 (contract §6.3): the compliance audit's log and its exports' state.
--
-- audit_log is append-only: rows are inserted and never changed. The triggers refuse UPDATE,
-- DELETE and TRUNCATE for every role the triggers bind (the API's included); only a table owner
-- who disables them first could, which production prevents by not running the API as owner.
CREATE TABLE "anlyt"."audit_log" (
	"id" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"caller_sub" text,
	"cert_subject" text NOT NULL,
	"method" text NOT NULL,
	"route" text NOT NULL,
	"body" jsonb,
	"status" integer NOT NULL,
	"outcome" text NOT NULL,
	"rows" bigint,
	"export_id" uuid
);
--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "anlyt"."audit_log" ("at");
--> statement-breakpoint
CREATE FUNCTION "anlyt"."audit_log_refuse_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'anlyt.audit_log is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;
--> statement-breakpoint
CREATE TRIGGER "audit_log_no_update_delete" BEFORE UPDATE OR DELETE ON "anlyt"."audit_log"
	FOR EACH ROW EXECUTE FUNCTION "anlyt"."audit_log_refuse_change"();
--> statement-breakpoint
CREATE TRIGGER "audit_log_no_truncate" BEFORE TRUNCATE ON "anlyt"."audit_log"
	FOR EACH STATEMENT EXECUTE FUNCTION "anlyt"."audit_log_refuse_change"();
--> statement-breakpoint
-- One row per export; any replica answers its status. A RUNNING export whose heartbeat is
-- older than the abandon limit belonged to a process that stopped: it is marked FAILED.
CREATE TABLE "anlyt"."audit_exports" (
	"id" uuid PRIMARY KEY,
	"tenant_id" text NOT NULL,
	"dataset" text NOT NULL,
	"from_at" timestamp with time zone NOT NULL,
	"to_at" timestamp with time zone NOT NULL,
	"caller_sub" text NOT NULL,
	"cert_subject" text NOT NULL,
	"status" text DEFAULT 'RUNNING' NOT NULL,
	"rows" bigint DEFAULT 0 NOT NULL,
	"object_uri" text NOT NULL,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"heartbeat_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "audit_exports_status_check" CHECK ("status" IN ('RUNNING', 'DONE', 'FAILED')),
	CONSTRAINT "audit_exports_dataset_check" CHECK ("dataset" IN ('cdr', 'compliance'))
);
--> statement-breakpoint
CREATE INDEX "audit_exports_running_idx" ON "anlyt"."audit_exports" ("heartbeat_at")
	WHERE "status" = 'RUNNING';
