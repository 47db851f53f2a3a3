import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startOtlpReceiver, type OtlpReceiver } from '@llm-otel/otlp-receiver';
import { realisticChatRoute, startProviderStandIn, type ProviderStandIn } from '@llm-otel/provider-stand-in';
import { runNode } from '../support/node-child';

// OTEL_SDK_DISABLED=true through the preload, as the specification means it: nothing is exported and
// nothing touches the app's requests (no trace context sent), with `--import` and `--require`, for an
// ES module and a CommonJS app. The same apps without the variable export and send a traceparent, so
// the check can fail. Real processes on the built package.

const appsDir = fileURLToPath(new URL('../apps/setup-config/', import.meta.url));

let receiver: OtlpReceiver;
let standIn: ProviderStandIn;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
  standIn = await startProviderStandIn();
  standIn.script(realisticChatRoute());
});
afterAll(async () => {
  await receiver.close();
  await standIn.close();
});

const cases = [
  ['--import', 'chat-once.mjs'],
  ['--import', 'chat-once.cjs'],
  ['--require', 'chat-once.cjs'],
] as const;

test.each(cases)('node %s @llm-otel/setup/register %s', async (flag, app) => {
  const run = async (serviceName: string, extra: Record<string, string>) => {
    const before = standIn.requests.length;
    const exit = await runNode([flag, '@llm-otel/setup/register', app], {
      cwd: appsDir,
      env: { STAND_IN_URL: standIn.url, OTEL_SERVICE_NAME: serviceName, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.grpcUrl, ...extra },
    });
    expect(exit, exit.stderr).toMatchObject({ code: 0, signal: null });
    expect(exit.stdout).toContain('app ran');
    return standIn.requests.slice(before).find((request) => request.path.includes('/chat/completions'));
  };
  const enabled = `enabled-${flag}-${app}`;
  expect((await run(enabled, {}))?.headers.traceparent).toMatch(/^00-/);
  await receiver.waitFor((spans) => spans.some((span) => span.resource['service.name'] === enabled), 10_000);

  const disabled = `disabled-${flag}-${app}`;
  const request = await run(disabled, { OTEL_SDK_DISABLED: 'true' });
  expect(request).toBeDefined();
  expect(request?.headers.traceparent).toBeUndefined();
  expect(receiver.spans.filter((span) => span.resource['service.name'] === disabled)).toHaveLength(0);
  expect(receiver.requests.length).toBeGreaterThan(0);
});
