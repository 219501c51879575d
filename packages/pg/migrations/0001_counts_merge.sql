-- counts_merge: merge two {"key": count} jsonb maps by summing counts key by key.
-- Used for latency sketches (DDSketch bins) and error-code counts. Exact (bigint sums of
-- integers), associative and commutative, so merging per-batch deltas into hourly rows and
-- hourly rows into days gives the same bins whatever the order. An empty side returns the
-- other unchanged: most upserts merge into or from an empty map.
CREATE FUNCTION anlyt.counts_merge(a jsonb, b jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN b IS NULL OR b = '{}'::jsonb THEN coalesce(a, '{}'::jsonb)
    WHEN a IS NULL OR a = '{}'::jsonb THEN b
    ELSE (
      SELECT jsonb_object_agg(k, n)
      FROM (
        SELECT k, sum(v::bigint) AS n
        FROM (
          SELECT key, value FROM jsonb_each_text(a)
          UNION ALL
          SELECT key, value FROM jsonb_each_text(b)
        ) AS t(k, v)
        GROUP BY k
      ) AS s
    )
  END
$$;
--> statement-breakpoint
-- counts_sum: the aggregate form, for reading any window (merge then read, never average).
CREATE AGGREGATE anlyt.counts_sum(jsonb) (
  SFUNC = anlyt.counts_merge,
  STYPE = jsonb,
  INITCOND = '{}'
);
