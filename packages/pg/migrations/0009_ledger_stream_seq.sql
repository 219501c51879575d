-- The stream sequence of the payload each ledger row holds; conflicts go to the lower
-- sequence (docs/decisions.md "Conflicts: the lower stream sequence wins"). Nullable and
-- without a default, so adding it is a catalog change only, whatever the ledger's size.
ALTER TABLE "anlyt"."processed_events" ADD COLUMN "stream_seq" bigint;
