import { context, propagation, trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startOtlpReceiver, type OtlpReceiver } from '@llm-otel/otlp-receiver';
import { startProviderStandIn, type ProviderStandIn } from '@llm-otel/provider-stand-in';
import { setupTelemetry, type OtlpProtocol, type Telemetry } from '@llm-otel/setup';
import { loadOpenAI } from '../support/sdk-versions';
import { closedPort } from './support/closed-port';
import { watchProcessFailures, type ProcessFailures } from './support/process-failures';

// The whole run with the OTLP backend down (nothing listening) or hanging (accepts, never answers):
// 1,000 real LLM calls through the openai SDK all return what they return without telemetry, nothing
// is thrown or left unhandled, and shutdown() comes back on time instead of waiting out exporter
// timeouts and retries.

type OpenAIClient = InstanceType<Awaited<ReturnType<typeof loadOpenAI>>['OpenAI']>;

const CALLS = 1000;
const CONCURRENCY = 50;
const SHUTDOWN_TIMEOUT_MILLIS = 2000;
// What shutdown() may take beyond its deadline on a loaded machine. The defect this guards against
// waits out the exporter's own timeout (10 s by default) or its retries, well above deadline + slack.
const SHUTDOWN_SLACK_MILLIS = 4000;
// The default batch timer (5 s) fires within this even on a loaded machine.
const EXPORT_ATTEMPT_DEADLINE_MILLIS = 30_000;
const QUESTIONS = Array.from({ length: 10 }, (_, index) => `Where is my order ${1000 + index}?`);

let standIn: ProviderStandIn;
let OpenAI: Awaited<ReturnType<typeof loadOpenAI>>['OpenAI'];
/** What each question gets without any telemetry: the completion, and the text of the stream. */
const expected = new Map<string, { completion: unknown; streamText: string }>();

function client(): OpenAIClient {
  return new OpenAI({ apiKey: 'test', baseURL: `${standIn.url}/v1`, maxRetries: 0 });
}

async function ask(openai: OpenAIClient, question: string, stream: boolean): Promise<unknown> {
  const messages = [{ role: 'user' as const, content: question }];
  if (!stream) return openai.chat.completions.create({ model: 'gpt-4o-mini', messages });
  const chunks = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });
  let text = '';
  for await (const chunk of chunks) text += chunk.choices[0]?.delta?.content ?? '';
  return text;
}

beforeAll(async () => {
  standIn = await startProviderStandIn({ scenario: 'realistic-chat', recordRequests: false });
  ({ OpenAI } = await loadOpenAI());
  const openai = client();
  for (const question of QUESTIONS) {
    expected.set(question, { completion: await ask(openai, question, false), streamText: (await ask(openai, question, true)) as string });
  }
});
afterAll(async () => {
  await standIn.close();
});

/** Runs the calls, `CONCURRENCY` at a time, half of them streamed; returns how many matched the expected result. */
async function runCalls(openai: OpenAIClient): Promise<number> {
  let matched = 0;
  let next = 0;
  const worker = async () => {
    while (next < CALLS) {
      const index = next++;
      const question = QUESTIONS[index % QUESTIONS.length];
      const stream = index % 2 === 1;
      const result = await ask(openai, question, stream);
      const want = expected.get(question)!;
      expect(result).toEqual(stream ? want.streamText : want.completion);
      matched += 1;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return matched;
}

interface Outcome {
  shutdownMillis: number;
  shutdownError?: unknown;
}

async function timedShutdown(telemetry: Telemetry): Promise<Outcome> {
  const started = performance.now();
  try {
    // Bounded here so that a shutdown that never returns fails this test instead of hanging it.
    await Promise.race([telemetry.shutdown(), new Promise((_, reject) => setTimeout(() => reject(new Error('shutdown() still pending after 40 s')), 40_000))]);
    return { shutdownMillis: performance.now() - started };
  } catch (error) {
    return { shutdownMillis: performance.now() - started, shutdownError: error };
  }
}

/**
 * One variant: set-up pointed at an unavailable backend, the calls, then shutdown(), as separate
 * tests so that a slow or failing shutdown is reported apart from the calls.
 */
function describeUnavailableBackend(what: string, protocol: OtlpProtocol, endpoint: () => Promise<string>, after?: () => Promise<void>): void {
  describe(`${what} (${protocol})`, () => {
    let telemetry: Telemetry;
    let failures: ProcessFailures;
    let shutDown = false;

    beforeAll(async () => {
      failures = watchProcessFailures();
      telemetry = setupTelemetry({
        serviceName: 'caller-safety',
        endpoint: await endpoint(),
        protocol,
        handleSignals: false,
        shutdownTimeoutMillis: SHUTDOWN_TIMEOUT_MILLIS,
        // Default batching (5 s delay, 512 per batch): spans of the last calls are still queued at shutdown.
        providers: [{ baseUrl: standIn.url, name: 'openai' }],
      });
    });
    afterAll(async () => {
      failures.stop();
      if (!shutDown) await telemetry.shutdown().catch(() => undefined);
      forgetSetup();
    });

    test(`${CALLS} openai SDK calls (half streamed) all return what they return without telemetry; nothing unhandled`, async () => {
      const started = performance.now();
      expect(await runCalls(client())).toBe(CALLS);
      console.log(`${what} (${protocol}): ${CALLS} calls in ${((performance.now() - started) / 1000).toFixed(1)} s, all correct`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(failures.errors).toEqual([]);
      await after?.();
    }, 90_000);

    test(`shutdown() resolves within shutdownTimeoutMillis (${SHUTDOWN_TIMEOUT_MILLIS} ms) + ${SHUTDOWN_SLACK_MILLIS} ms`, async () => {
      shutDown = true;
      const outcome = await timedShutdown(telemetry);
      console.log(
        `${what} (${protocol}): shutdown() ${outcome.shutdownError ? `rejected (${String((outcome.shutdownError as Error).message).slice(0, 70)})` : 'resolved'} ` +
          `after ${outcome.shutdownMillis.toFixed(0)} ms`,
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(failures.errors).toEqual([]);
      // Shutting down with the backend down is normal at the end of a run: it must neither throw into
      // the application's last line nor outlast its own deadline.
      expect(outcome.shutdownError).toBeUndefined();
      expect(outcome.shutdownMillis).toBeLessThan(SHUTDOWN_TIMEOUT_MILLIS + SHUTDOWN_SLACK_MILLIS);
    }, 60_000);
  });
}

/**
 * A shutdown() that rejected stops before it releases the set-up singleton and the global
 * providers, so every later setupTelemetry() in this process would return the dead set-up. Release
 * them here, so that each case starts clean whatever the previous one did.
 */
function forgetSetup(): void {
  delete (globalThis as Record<symbol, unknown>)[Symbol.for('llm-otel.setup.telemetry')];
  trace.disable();
  context.disable();
  propagation.disable();
}

const nothingListening = async (protocol: OtlpProtocol) => {
  const port = await closedPort();
  return protocol === 'grpc' ? `http://127.0.0.1:${port}` : `http://127.0.0.1:${port}/v1/traces`;
};
describeUnavailableBackend('nothing listening at the OTLP endpoint', 'grpc', () => nothingListening('grpc'));
describeUnavailableBackend('nothing listening at the OTLP endpoint', 'http/protobuf', () => nothingListening('http/protobuf'));

let hangingReceiver: OtlpReceiver | undefined;
async function hanging(protocol: OtlpProtocol): Promise<string> {
  hangingReceiver ??= await startOtlpReceiver();
  hangingReceiver.setBehaviour({ hang: true });
  // Each variant counts its own export attempts, not those of the one before.
  hangingReceiver.clear();
  return protocol === 'grpc' ? hangingReceiver.grpcUrl : hangingReceiver.httpUrl;
}
// Polled, not read once: when the calls return, the first export may not have been sent yet. Half
// the calls stream without usage, so their spans end only after a token estimate in a worker thread;
// on a busy machine fewer than 512 spans (the batch size that triggers an export at once) had ended
// by then and the first export waited for the 5 s batch timer ("expected 0 to be greater than 0").
const exportsWereAttempted = async () => {
  const deadline = Date.now() + EXPORT_ATTEMPT_DEADLINE_MILLIS;
  while ((hangingReceiver?.rejectedRequests ?? 0) === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(hangingReceiver?.rejectedRequests).toBeGreaterThan(0);
};
describeUnavailableBackend('a receiver that accepts every export and never answers', 'grpc', () => hanging('grpc'), exportsWereAttempted);
describeUnavailableBackend('a receiver that accepts every export and never answers', 'http/protobuf', () => hanging('http/protobuf'), exportsWereAttempted);
afterAll(async () => {
  await hangingReceiver?.close();
});
