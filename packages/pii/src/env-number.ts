/**
 * A numeric `OTEL_*` variable as the SDK reads it (`getNumberFromEnv` of @opentelemetry/core):
 * trimmed, `undefined` when unset, empty or not a number. Read here so that this package depends on
 * `@opentelemetry/api` alone and sits beside an application's SDK of any line (issue 11).
 */
export function readNumberFromEnv(name: string): number | undefined {
  const raw = process.env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  return Number.isNaN(value) ? undefined : value;
}
