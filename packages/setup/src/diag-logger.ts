import { formatWithOptions } from 'node:util';
import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import type { Masker } from '@llm-otel/pii';
import { markDiagLoggerInstalled, nonEmpty, quoteIfHarmless, warnEnv, type EnvWarn } from './env-diagnostics';

const LEVELS: Record<string, DiagLogLevel> = {
  none: DiagLogLevel.NONE,
  error: DiagLogLevel.ERROR,
  warn: DiagLogLevel.WARN,
  info: DiagLogLevel.INFO,
  debug: DiagLogLevel.DEBUG,
  verbose: DiagLogLevel.VERBOSE,
  all: DiagLogLevel.ALL,
};

/**
 * OTEL_LOG_LEVEL installs a diag logger on stderr, as the OpenTelemetry SDKs do. Every line passes
 * through the PII masker first: diag lines carry export errors, URLs and (at debug) the exporters'
 * view of spans, and they leave the process like any other signal. An unknown level is warned about
 * and `info` (the specification's default) is used. Unset: nothing is installed.
 */
export function installDiagLoggerFromEnv(env: NodeJS.ProcessEnv, masker: Masker, warn: EnvWarn): boolean {
  const raw = nonEmpty(env.OTEL_LOG_LEVEL);
  if (raw === undefined) return false;
  let level = LEVELS[raw.toLowerCase()];
  if (level === undefined) {
    warnEnv(warn, 'OTEL_LOG_LEVEL', `must be one of ${Object.keys(LEVELS).join(', ')}${quoteIfHarmless(raw)}`, "using 'info'");
    level = DiagLogLevel.INFO;
  }
  diag.setLogger(maskingStderrLogger(masker), { logLevel: level, suppressOverrideMessage: true });
  markDiagLoggerInstalled(true);
  return true;
}

function maskingStderrLogger(masker: Masker): DiagLogger {
  const line = (message: string, args: unknown[]) => masker.maskString(formatWithOptions({ depth: 6, breakLength: Infinity }, message, ...args));
  return {
    error: (message, ...args) => console.error(line(message, args)),
    warn: (message, ...args) => console.warn(line(message, args)),
    info: (message, ...args) => console.info(line(message, args)),
    debug: (message, ...args) => console.debug(line(message, args)),
    verbose: (message, ...args) => console.debug(line(message, args)),
  };
}
