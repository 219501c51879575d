export {
  createLogger,
  scrubMsisdn,
  REDACT_PATHS,
  type Logger,
  type LoggerConfig,
} from './logger.js';
export { createRegistry, type Registry } from './metrics.js';
