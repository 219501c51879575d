import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/** Keys that may hold personal data anywhere in a log object. */
export const REDACT_PATHS = [
  'msisdn',
  '*.msisdn',
  '*.*.msisdn',
  'payload',
  '*.payload',
  'data',
  '*.data',
];

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

/** JSON logger with MSISDN redaction by key and in message text. */
export function createLogger(cfg: LoggerConfig): Logger {
  const opts: LoggerOptions = {
    level: cfg.level,
    base: { service: cfg.service },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    hooks: {
      logMethod(args, method) {
        const scrubbed = args.map((a) => (typeof a === 'string' ? scrubMsisdn(a) : a));
        method.apply(this, scrubbed as Parameters<typeof method>);
      },
    },
  };
  return cfg.destination ? pino(opts, cfg.destination) : pino(opts);
}
