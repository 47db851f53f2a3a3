import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '@llm-otel/otlp-receiver';
import { fixtureRoutes, realisticChatRoute, startProviderStandIn, type ProviderStandIn } from '@llm-otel/provider-stand-in';
import { runNode } from './support/node-child';

// The README's NodeSDK recipe, exactly as written there, in a real application: the block is copied
// into test/apps/node-sdk-recipe/telemetry.mjs and the app beside it runs with plain node (built
// packages, real @opentelemetry/sdk-node, real OTLP/HTTP export into the receiver). The app ends the
// SDK right after its last stream returns, so whatever is still completing then is what a user's
// `sdk.shutdown()` would lose.

const testDir = path.dirname(fileURLToPath(import.meta.url));
const appDir = path.join(testDir, 'apps', 'node-sdk-recipe');
const recipeFile = path.join(appDir, 'telemetry.mjs');
const CUSTOMER = 'jane.doe@example.com';
const OURS = '@llm-otel/instrumentation';

/** The code block after the `node-sdk-recipe` marker in the README. */
function readmeRecipe(): string {
  const readme = readFileSync(path.join(testDir, '..', 'README.md'), 'utf8');
  const marker = readme.indexOf('<!-- node-sdk-recipe');
  expect(marker, 'README.md has lost its node-sdk-recipe marker').toBeGreaterThanOrEqual(0);
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(marker));
  expect(block, 'no ```ts block after the node-sdk-recipe marker').not.toBeNull();
  return block![1];
}

let standIn: ProviderStandIn;
let receiver: OtlpReceiver;
beforeAll(async () => {
  standIn = await startProviderStandIn({ recordRequests: false });
  for (const route of fixtureRoutes('anthropic-messages-stream.json')) standIn.script(route);
  standIn.script(realisticChatRoute({ answer: { content: `We will write to ${CUSTOMER} when it ships.` } }));
  receiver = await startOtlpReceiver();
  writeFileSync(recipeFile, readmeRecipe());
});
afterAll(async () => {
  rmSync(recipeFile, { force: true });
  await Promise.all([standIn?.close(), receiver?.close()]);
});

const usageOf = (span: ReceivedSpan) => span.attributes['gen_ai.usage.output_tokens'];

describe.each(['shutdown', 'sigterm'] as const)('the README NodeSDK recipe, ended by %s', (ending) => {
  let spans: ReceivedSpan[];
  beforeAll(async () => {
    receiver.clear();
    const exit = await runNode(['app.mjs', standIn.url, ending], {
      cwd: appDir,
      timeoutMs: 60_000,
      env: {
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.httpUrl,
        OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true',
        OTEL_METRICS_EXPORTER: 'none',
        OTEL_LOGS_EXPORTER: 'none',
      },
    });
    expect(exit.stderr).toBe('');
    expect(exit.code).toBe(0);
    expect(exit.stdout).toContain(ending === 'shutdown' ? 'SHUTDOWN_RETURNED' : 'CALLS_RETURNED');
    // The child has exited: whatever its shutdown exported has arrived; nothing more will.
    spans = [...receiver.spans];
  }, 90_000);

  test("no LLM span is lost: both streams, the Anthropic SDK's own span and the app span arrive", () => {
    const names = spans.map((span) => `${span.scope.name}: ${span.name}`).sort();
    expect(names).toEqual(
      [
        `${OURS}: chat claude-3-opus-20240229`,
        `${OURS}: chat gpt-4o-mini`,
        'com.anthropic.sdk.typescript: anthropic.messages.create',
        'support-agent: handle ticket',
      ].sort(),
    );
    const estimated = spans.find((span) => span.name === 'chat gpt-4o-mini')!;
    expect(estimated.attributes['llm_otel.usage.estimated']).toBe(true);
    expect(usageOf(estimated)).toBeGreaterThan(0);
  });

  test("usage is counted once: only llm-otel's attempt spans carry gen_ai.usage.*", () => {
    const counted = spans.filter((span) => Object.keys(span.attributes).some((key) => key.startsWith('gen_ai.usage.')));
    expect(counted.map((span) => span.scope.name)).toEqual([OURS, OURS]);
    const sdkSpan = spans.find((span) => span.scope.name === 'com.anthropic.sdk.typescript')!;
    const attempt = spans.find((span) => span.name === 'chat claude-3-opus-20240229')!;
    expect(attempt.parentSpanId).toBe(sdkSpan.spanId);
    expect(usageOf(attempt)).toBe(158);
    expect(sdkSpan.attributes['llm_otel.superseded.gen_ai.usage.output_tokens']).toBe(158);
  });

  test('PII is masked in every span that left the process', () => {
    expect(JSON.stringify(spans, (_key, value: unknown) => (typeof value === 'bigint' ? String(value) : value))).not.toContain(CUSTOMER);
    const app = spans.find((span) => span.name === 'handle ticket')!;
    expect(app.attributes['customer.email']).toBe('<EMAIL>');
    const openai = spans.find((span) => span.name === 'chat gpt-4o-mini')!;
    expect(String(openai.attributes['gen_ai.input.messages'])).toContain('<EMAIL>');
    expect(String(openai.attributes['gen_ai.output.messages'])).toContain('<EMAIL>');
  });
});
