-- US-ANLYT-19 (contract §6.5): the tenant-facing MNO quality insights.
--
-- insight_mno_labels: the anonymous label (MNO-A, MNO-B, …) each tenant sees for each MNO its
-- traffic used, assigned the first time the MNO appears in an answer for that tenant and never
-- changed, so a label means the same MNO on every day and in every window. `ordinal` is the
-- label's position (0 = MNO-A); both are unique per tenant. Assigners of one tenant are
-- serialised by a transaction-level advisory lock (packages/pg/src/insight-labels.ts); the
-- constraints are the last line if anything else ever writes here.
CREATE TABLE "anlyt"."insight_mno_labels" (
	"tenant_id" text NOT NULL,
	"mno" text NOT NULL,
	"ordinal" integer NOT NULL,
	"label" text NOT NULL,
	"assigned_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "insight_mno_labels_pkey" PRIMARY KEY ("tenant_id", "mno"),
	CONSTRAINT "insight_mno_labels_ordinal_key" UNIQUE ("tenant_id", "ordinal"),
	CONSTRAINT "insight_mno_labels_label_key" UNIQUE ("tenant_id", "label"),
	CONSTRAINT "insight_mno_labels_ordinal_check" CHECK ("ordinal" >= 0)
);
--> statement-breakpoint
-- The data-share addendum a tenant has on record (at most one): with it, the insights show the
-- real MNO ids. Set and revoked by an admin endpoint; every change is also appended to
-- data_share_addendum_history in the same transaction.
CREATE TABLE "anlyt"."data_share_addenda" (
	"tenant_id" text PRIMARY KEY,
	"reference" text NOT NULL,
	"signed_at" timestamp with time zone NOT NULL,
	"recorded_by" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- Who set or revoked which addendum, when. Append-only like audit_log (migration 0011): the
-- triggers refuse UPDATE, DELETE and TRUNCATE.
CREATE TABLE "anlyt"."data_share_addendum_history" (
	"id" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	"tenant_id" text NOT NULL,
	"action" text NOT NULL,
	"reference" text NOT NULL,
	"signed_at" timestamp with time zone NOT NULL,
	"actor" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "data_share_addendum_history_action_check" CHECK ("action" IN ('SET', 'REVOKE'))
);
--> statement-breakpoint
CREATE INDEX "data_share_addendum_history_tenant_idx"
	ON "anlyt"."data_share_addendum_history" ("tenant_id", "id");
--> statement-breakpoint
CREATE FUNCTION "anlyt"."data_share_addendum_history_refuse_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'anlyt.data_share_addendum_history is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;
--> statement-breakpoint
CREATE TRIGGER "data_share_addendum_history_no_update_delete"
	BEFORE UPDATE OR DELETE ON "anlyt"."data_share_addendum_history"
	FOR EACH ROW EXECUTE FUNCTION "anlyt"."data_share_addendum_history_refuse_change"();
--> statement-breakpoint
CREATE TRIGGER "data_share_addendum_history_no_truncate"
	BEFORE TRUNCATE ON "anlyt"."data_share_addendum_history"
	FOR EACH STATEMENT EXECUTE FUNCTION "anlyt"."data_share_addendum_history_refuse_change"();
