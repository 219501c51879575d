import { pino, type Logger, type LoggerOptions } from 'pino';
import { redactDeep } from './redact.js';

export type { Logger };

// A phone number in free text: "+" then 6–15 digits, or a bare 10–15 digit run. Scrubbed from
// messages as a second line of defence; the first is that code never logs payloads.
const MSISDN_IN_TEXT = /\+\d{6,15}\b|\b\d{10,15}\b/g;

export function scrubMsisdn(text: string): string {
  return text.replace(MSISDN_IN_TEXT, '[redacted]');
}

export interface LoggerConfig {
  service: string;
  level: string;
  /** Where to write; defaults to stdout. Tests pass a stream to read what was logged. */
  destination?: pino.DestinationStream;
}

/**
 * JSON logger with MSISDN redaction by key (REDACTED_KEYS, at any depth: redact.ts) in logged
 * objects and child bindings, and in message text.
 */
export function createLogger(cfg: LoggerConfig): Logger {
  const opts: LoggerOptions = {
    level: cfg.level,
    base: { service: cfg.service },
    // The object of each call, before pino's serialisers (err) see it.
    formatters: { log: redactDeep },
    timestamp: pino.stdTimeFunctions.isoTime,
    hooks: {
      logMethod(args, method) {
        const scrubbed = args.map((a) => (typeof a === 'string' ? scrubMsisdn(a) : a));
        method.apply(this, scrubbed as Parameters<typeof method>);
      },
    },
  };
  const logger = cfg.destination ? pino(opts, cfg.destination) : pino(opts);
  // pino formats a child's bindings once, at child(), and resets `formatters.bindings` for
  // children, so the bindings are redacted here. Children are Object.create(parent): they
  // and theirs inherit this child() (fastify's per-request loggers included).
  const child = logger.child;
  logger.child = function (this: Logger, bindings, options) {
    return child.call(this, redactDeep(bindings), options);
  } as typeof child;
  return logger;
}
