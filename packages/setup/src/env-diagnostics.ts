import { diag } from '@opentelemetry/api';
import { createMasker, type Masker, type PiiMaskingOptions } from '@llm-otel/pii';

/**
 * One place for every set-up diagnostic (a malformed variable, the first failed export), so that all
 * of them are masked and none is silent.
 *
 * The OpenTelemetry specification asks for a malformed environment value to be reported and replaced
 * by its default, never to stop the application. Node has no diag logger unless one is installed,
 * so a message given only to `diag` would vanish: without `OTEL_LOG_LEVEL` (which installs ours,
 * see diag-logger.ts) each distinct message is also raised once as a Node process warning (stderr,
 * silenced by `--no-warnings`, observable with `process.on('warning')`).
 */
const WARNING_CODE = 'LLM_OTEL';

let ourLoggerInstalled = false;
const raised = new Set<string>();
let defaultMasker: Masker | undefined;

/** Set by diag-logger.ts when it installed the OTEL_LOG_LEVEL logger: diag then prints, no process warning needed. */
export function markDiagLoggerInstalled(installed: boolean): void {
  ourLoggerInstalled = installed;
}

/** Masks a diagnostic line with the default detectors (an e-mail in a host name, a token in a URL). */
export function maskDiagnostic(text: string): string {
  defaultMasker ??= createDiagnosticMasker();
  return defaultMasker.maskString(text);
}

/**
 * The masker for diagnostic lines: the span masker's detectors without its cut-value rule. With
 * OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT=30, every warning at least 30 characters long had its trailing
 * number taken for half a card number ("...; using <TRUNCATED_NUMBER>" instead of "using 1"): no SDK
 * limit ever cuts a log line, so nothing at its end is a fragment.
 */
export function createDiagnosticMasker(options: PiiMaskingOptions = {}): Masker {
  return createMasker({ ...options, valueLengthLimits: [] });
}

/** Reports a set-up problem: through `diag.warn`, and once per process as a Node warning when no logger of ours prints it. */
export function warnSetup(message: string): void {
  const masked = maskDiagnostic(message);
  diag.warn(masked);
  if (ourLoggerInstalled || raised.has(masked)) return;
  raised.add(masked);
  process.emitWarning(masked, { code: WARNING_CODE });
}

/** The reporter of environment problems; tests pass their own to collect the messages. */
export type EnvWarn = (message: string) => void;

/** `llm-otel: <variable> <problem>; using the default.` Never pass the value unless it cannot be a secret. */
export function warnEnv(warn: EnvWarn, variable: string, problem: string, fallback = 'using the default'): void {
  warn(`llm-otel: ${variable} ${problem}; ${fallback}`);
}

/** A value that is safe to quote in a message: short, one word, the shape of an enum or a number. */
export function quoteIfHarmless(value: string): string {
  return mayQuote(value) ? ` ('${value}')` : '';
}

/**
 * Short and one word, and no detector sees a secret in it: an AWS access key id
 * (`AKIAIOSFODNN7EXAMPLE`, 20 characters) or a short vendor token has the shape of an enum too, and
 * was quoted as a wrong `protocol` or OTEL_EXPORTER_OTLP_PROTOCOL value.
 */
export function mayQuote(value: string): boolean {
  return /^[A-Za-z0-9_./+-]{1,24}$/.test(value) && maskDiagnostic(value) === value;
}

export function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/**
 * An integer variable within bounds, or undefined (warned) when it is set but malformed. `min` is 1 for
 * sizes and timeouts that must be positive; 0 where the specification allows zero.
 */
export function readEnvInteger(env: NodeJS.ProcessEnv, name: string, warn: EnvWarn, min = 1): number | undefined {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return undefined;
  const parsed = Number(raw);
  if (!Number.isSafeInteger(parsed) || parsed < min) {
    warnEnv(warn, name, `must be an integer of at least ${min}${quoteIfHarmless(raw)}`);
    return undefined;
  }
  return parsed;
}

/**
 * `true`/`false`, any case; anything else is warned and undefined. The specification makes `true` the
 * only true value of an `OTEL_*` boolean (the JS SDK warns on `1` and reads false): before,
 * OTEL_SDK_DISABLED=1 disabled llm-otel while a NodeSDK beside it stayed on, and
 * OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=1 turned content capture on. Our own `LLM_OTEL_*`
 * flags also take `1`/`0`.
 */
export function readEnvFlag(env: NodeJS.ProcessEnv, name: string, warn: EnvWarn): boolean | undefined {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return undefined;
  const normalised = raw.toLowerCase();
  const ours = name.startsWith('LLM_OTEL_');
  if (normalised === 'true' || (ours && normalised === '1')) return true;
  if (normalised === 'false' || (ours && normalised === '0')) return false;
  warnEnv(warn, name, `must be 'true' or 'false'${quoteIfHarmless(raw)}`);
  return undefined;
}

/** One of `choices` (case-insensitive), or undefined (warned) when it is set to anything else. */
export function readEnvChoice<T extends string>(env: NodeJS.ProcessEnv, name: string, choices: readonly T[], warn: EnvWarn, hint = ''): T | undefined {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return undefined;
  const found = choices.find((choice) => choice === raw.toLowerCase());
  if (found === undefined) warnEnv(warn, name, `must be one of ${choices.map((choice) => `'${choice}'`).join(', ')}${quoteIfHarmless(raw)}${hint}`);
  return found;
}
