import { inspect } from 'node:util';
import { afterEach, expect, test, vi } from 'vitest';
import { setupTelemetry } from '@llm-otel/setup';

// `telemetry.exporter` says where spans go; users log it (or the whole handle) to check. Its headers
// are export credentials: neither logging nor serialising the handle may print them.

afterEach(() => vi.unstubAllEnvs());

const TOKEN = 'hny' + 'Xq9Zr2Lm4Np6Tv8Wb1Yc3Kd5Hf7';

test('console.log(telemetry), util.inspect and JSON.stringify show header names, never their values', async () => {
  vi.stubEnv('OTEL_EXPORTER_OTLP_HEADERS', `x-honeycomb-team=${TOKEN}`);
  const telemetry = setupTelemetry({ endpoint: 'https://ingest:S3cr3tPassw0rd@collector.example:4318', protocol: 'http/protobuf', handleSignals: false });
  try {
    const printed = [
      inspect(telemetry, { depth: 8 }),
      inspect(telemetry.exporter, { showHidden: true, depth: 8 }),
      JSON.stringify(telemetry.exporter),
      JSON.stringify({ where: telemetry.exporter }),
    ];
    for (const text of printed) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(Buffer.from('ingest:S3cr3tPassw0rd').toString('base64'));
      expect(text).toContain('x-honeycomb-team');
    }
    expect(JSON.parse(JSON.stringify(telemetry.exporter))).toMatchObject({
      url: 'https://collector.example:4318/v1/traces',
      headers: { 'x-honeycomb-team': '<REDACTED>', authorization: '<REDACTED>' },
    });
    // Asked for by name, a header is still there for the code that needs it.
    expect(telemetry.exporter.headers['x-honeycomb-team']).toBe(TOKEN);
  } finally {
    await telemetry.shutdown();
  }
});
