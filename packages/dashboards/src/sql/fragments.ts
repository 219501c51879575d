// SQL pieces every dashboard query shares. Values reach the SQL only through Grafana's
// `singlequote` format (each value quoted, `'` escaped as `\'`), never bare: the plugin's own
// default format leaves a single value unquoted, which breaks `IN (…)` for a repeated row.
// Everything here runs on ClickHouse 18.16: it has no toStartOfInterval, so the plugin's
// `$__timeInterval(col)` cannot be used; buckets are built from `$__interval_s` instead.

/** A dashboard variable as a quoted SQL list: `'a','b'` (or one quoted value). */
export const quoted = (name: string): string => `\${${name}:singlequote}`;

/** The database holding the facts and cubes: a hidden constant variable (`anlyt`). */
export const DB = '${database}';

/**
 * The prefix variable's custom "All" value. Grafana inserts a custom all value as it is,
 * unformatted, so it is itself a SQL literal.
 */
export const ALL_PREFIXES = "'__all'";

/**
 * True when no destination prefix is chosen ("All"). A constant expression: 18.16 folds
 * `has([…], '__all')` and skips every granule of a branch whose guard is false (checked with
 * rows_read), so a query reads either the cube or the facts, never both. (`'__all' IN (…)` is
 * not folded: it would scan the facts for nothing.)
 */
export const NO_PREFIX = `has([${quoted('prefix')}], ${ALL_PREFIXES})`;
export const PREFIX_CHOSEN = `NOT ${NO_PREFIX} AND destinationPrefix IN (${quoted('prefix')})`;
/** For queries that read the facts anyway: every prefix, or the chosen ones. */
export const PREFIX_FILTER = `(${NO_PREFIX} OR destinationPrefix IN (${quoted('prefix')}))`;

export const MNO_FILTER = `mno IN (${quoted('mno')})`;
export const LANE_FILTER = `lane IN (${quoted('lane')})`;

/** Final DLR statuses (contract §3): DELIVERED and the four failed ones; UNKNOWN is neither. */
export const FINAL_STATUSES = "('DELIVERED', 'FAILED', 'EXPIRED', 'REJECTED', 'UNDELIVERABLE')";

/**
 * A DateTime column cut into Grafana's interval (`$__interval_s`, at least the panel's minimum
 * interval), aligned on the epoch, so whole UTC hours stay whole. Typed DateTime('UTC'), so the
 * text form is UTC whatever the server's time zone.
 */
export const bucket = (col: string): string =>
  `toDateTime(intDiv(toUInt32(${col}), $__interval_s) * $__interval_s, 'UTC')`;
