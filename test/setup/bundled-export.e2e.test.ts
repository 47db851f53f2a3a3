import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startOtlpReceiver, type OtlpReceiver } from '@llm-otel/otlp-receiver';
import { bundleApplication } from '../support/bundle-app';
import { runNode } from '../support/node-child';

// What set-up loads at the first export rather than at start-up (issue 11: the gRPC exporter with
// grpc-js, the spool's transports) is loaded by dynamic import(), which bundlers follow. An application
// bundled into one file with no node_modules beside it must still export, ESM and CommonJS alike.

const here = dirname(fileURLToPath(import.meta.url));
const packages = join(here, '../../packages');
const scratch = mkdtempSync(join(tmpdir(), 'llm-otel-bundled-export-'));
let receiver: OtlpReceiver;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(async () => {
  await receiver.close();
  rmSync(scratch, { recursive: true, force: true });
});

async function bundledApp(format: 'esm' | 'cjs'): Promise<string> {
  const dir = join(scratch, format);
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, format === 'esm' ? 'app.mjs' : 'app.cjs');
  return bundleApplication({
    entry: join(here, '../apps/bundled/export-app.mjs'),
    outfile,
    format,
    // The workspace packages from their TypeScript sources, as the other tests take them.
    alias: Object.fromEntries(
      ['setup', 'instrumentation', 'pii', 'processor', 'audit', 'budgets'].map((pkg) => [`@llm-otel/${pkg}`, join(packages, pkg, 'src/index.ts')]),
    ),
  });
}

for (const format of ['esm', 'cjs'] as const) {
  for (const spool of [false, true]) {
    const serviceName = `bundled-${format}${spool ? '-spool' : ''}`;
    test(`(${format}${spool ? ', spool on' : ''}) a bundled app with nothing in node_modules exports its LLM span over gRPC`, async () => {
      const app = await bundledApp(format);
      const env: Record<string, string> = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.grpcUrl, APP_SERVICE_NAME: serviceName };
      if (spool) env.LLM_OTEL_SPOOL_DIR = mkdtempSync(join(scratch, 'spool-'));
      const exit = await runNode([app], { cwd: dirname(app), env, timeoutMs: 60_000 });
      expect(exit, exit.stderr).toMatchObject({ code: 0 });
      expect(exit.stdout).toContain('DONE');
      const spans = await receiver.waitFor((all) => all.some((span) => span.resource['service.name'] === serviceName), 30_000);
      const ours = spans.filter((span) => span.resource['service.name'] === serviceName);
      expect(ours.map((span) => [span.name, span.attributes['gen_ai.usage.output_tokens']])).toEqual([['chat gpt-4o-mini', 5]]);
    });
  }
}
