export { createLogger, scrubMsisdn, type Logger, type LoggerConfig } from './logger.js';
export { REDACTED_KEYS } from './redact.js';
export { createRegistry, type Registry } from './metrics.js';
export { errorSummary, type ErrorSummary } from './error-summary.js';
export { buildOpsHttp, type Probes } from './ops-http.js';
