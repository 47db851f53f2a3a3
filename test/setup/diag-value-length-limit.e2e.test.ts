import { afterEach, expect, test, vi } from 'vitest';
import { diag } from '@opentelemetry/api';
import { setupTelemetry } from '@llm-otel/setup';

// With a span attribute length limit set, the masker treats the end of any value that long as a
// possible cut secret. Diagnostic lines are never cut by that limit: their trailing numbers (the
// default a warning says it uses, a port) must stay readable, while secrets in them are still masked.

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  diag.disable();
});

const environment = {
  OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '30',
  OTEL_TRACES_SAMPLER: 'traceidratio',
  OTEL_TRACES_SAMPLER_ARG: '7',
  OTEL_TRACES_EXPORTER: 'none',
};

test('a process warning keeps its trailing default with OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT set', async () => {
  for (const [name, value] of Object.entries(environment)) vi.stubEnv(name, value);
  const warnings: string[] = [];
  vi.spyOn(process, 'emitWarning').mockImplementation(((message: string | Error) => void warnings.push(String(message))) as typeof process.emitWarning);
  const telemetry = setupTelemetry({ handleSignals: false });
  await telemetry.shutdown();
  expect(warnings.join('\n')).toContain("OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1 ('7'); using 1");
});

test('the OTEL_LOG_LEVEL logger keeps it too, and still masks a secret in a line', async () => {
  for (const [name, value] of Object.entries({ ...environment, OTEL_LOG_LEVEL: 'info' })) vi.stubEnv(name, value);
  const lines: string[] = [];
  vi.spyOn(console, 'warn').mockImplementation((line: string) => void lines.push(line));
  vi.spyOn(console, 'info').mockImplementation((line: string) => void lines.push(line));
  const telemetry = setupTelemetry({ handleSignals: false });
  diag.info('exporter said: unknown key for ops@example.com on port 4317');
  await telemetry.shutdown();
  const output = lines.join('\n');
  expect(output).toContain("('7'); using 1");
  expect(output).toContain('for <EMAIL> on port 4317');
});
