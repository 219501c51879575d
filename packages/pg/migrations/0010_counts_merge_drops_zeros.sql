-- counts_merge now drops keys whose counts sum to 0. Taking a displaced DLR back out merges
-- negative counts (its latency bin, its error code); without this, an emptied bin or code
-- would stay behind as an explicit 0 in the sketch / error_codes map. An empty result is
-- '{}', never NULL. Still exact, associative and commutative.
CREATE OR REPLACE FUNCTION anlyt.counts_merge(a jsonb, b jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN b IS NULL OR b = '{}'::jsonb THEN coalesce(a, '{}'::jsonb)
    WHEN a IS NULL OR a = '{}'::jsonb THEN b
    ELSE (
      SELECT coalesce(jsonb_object_agg(k, n), '{}'::jsonb)
      FROM (
        SELECT k, sum(v::bigint) AS n
        FROM (
          SELECT key, value FROM jsonb_each_text(a)
          UNION ALL
          SELECT key, value FROM jsonb_each_text(b)
        ) AS t(k, v)
        GROUP BY k
        HAVING sum(v::bigint) <> 0
      ) AS s
    )
  END
$$;
