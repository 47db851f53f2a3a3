/**
 * The header variables the stock OTLP exporters read for themselves when they are constructed, and
 * merge under the headers they are given. Set-up has already read, percent-decoded and checked them
 * (exporter-settings.ts), dropping with a warning a header no transport can carry: without this the
 * stock exporter added it back, so a non-ASCII value in OTEL_EXPORTER_OTLP_HEADERS made gRPC's
 * `Metadata.set` throw out of setupTelemetry() (the app never started, and the message quoted the
 * value), and over http/protobuf every export failed with "Invalid character in header content".
 * Metrics use the span headers, as the README says.
 */
const HEADER_VARIABLES = ['OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_EXPORTER_OTLP_TRACES_HEADERS', 'OTEL_EXPORTER_OTLP_METRICS_HEADERS'];

/**
 * Builds a stock exporter with the header variables hidden, so only set-up's checked headers are
 * sent. The exporters read the environment synchronously in their constructor; the variables are
 * back before this returns. Every other variable (certificates, compression) is still theirs to read.
 */
export function withoutHeaderVariables<T>(build: () => T): T {
  const saved = new Map<string, string>();
  for (const name of HEADER_VARIABLES) {
    const value = process.env[name];
    if (value !== undefined) {
      saved.set(name, value);
      delete process.env[name];
    }
  }
  try {
    return build();
  } finally {
    for (const [name, value] of saved) process.env[name] = value;
  }
}
