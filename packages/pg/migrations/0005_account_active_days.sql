-- The UTC days on which each account had at least one BILLED event, as one datemultirange
-- per account, maintained by anlyt-rollup with each day it rolls. It makes activeAccounts
-- over a long window exact and cheap: one overlap test per account instead of a distinct
-- count over every daily ACCOUNT row of the window (~709k rows for 90 days at 10k accounts).
-- Activity only ever grows (billed_count never decreases), so adding a day is always right.
-- (drizzle-kit does not model multiranges; this table is hand-written and not in schema.ts.)
CREATE TABLE anlyt.account_active_days (
  account_id text PRIMARY KEY,
  days datemultirange NOT NULL
);
