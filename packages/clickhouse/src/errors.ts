import { ClickHouseError } from '@clickhouse/client';

// What a failed ClickHouse request means for the caller: worth the same request again later
// (the server is down, overloaded, read-only while it lost ZooKeeper, a table is not created
// yet), or the data itself is refused (worth finding the culprit, never worth retrying).

/** Server error codes that mean "this data is refused", from ClickHouse's ErrorCodes.cpp. */
const DATA_ERRORS = new Set([
  6, // CANNOT_PARSE_TEXT
  26, // CANNOT_PARSE_QUOTED_STRING
  27, // CANNOT_PARSE_INPUT_ASSERTION_FAILED
  38, // CANNOT_PARSE_DATE
  41, // CANNOT_PARSE_DATETIME
  53, // TYPE_MISMATCH
  69, // ARGUMENT_OUT_OF_BOUND
  70, // CANNOT_CONVERT_TYPE
  72, // CANNOT_PARSE_NUMBER
  117, // INCORRECT_DATA
  131, // TOO_LARGE_STRING_SIZE
]);

/** data: the server refused the rows; bug: our code threw; transient: anything else. */
export type ClickHouseFailure = 'data' | 'bug' | 'transient';

/**
 * The client's own failures (timeouts, aborted or reset sockets) are plain Errors, so a
 * plain Error is NOT taken for a bug here: only a server error with a data code, or one of
 * the errors JavaScript throws for programming mistakes, stops a batch from being retried.
 */
export function classifyClickHouseError(err: unknown): ClickHouseFailure {
  if (err instanceof ClickHouseError)
    return DATA_ERRORS.has(Number(err.code)) ? 'data' : 'transient';
  if (err instanceof TypeError || err instanceof RangeError || err instanceof SyntaxError)
    return 'bug';
  return 'transient';
}
