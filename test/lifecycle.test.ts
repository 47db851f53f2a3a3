import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '@llm-otel/otlp-receiver';
import { realisticChatRoute, startProviderStandIn, type ProviderStandIn } from '@llm-otel/provider-stand-in';
import { setupTelemetry } from '@llm-otel/setup';
import { startNode, type NodeChild } from './support/node-child';
import { isLlmSpan } from './support/telemetry';

// How set-up behaves over a process's life: flush on SIGTERM/SIGINT and at normal exit without
// changing how the process exits. Apps run as plain `node` children importing the built
// @llm-otel/setup (packages/setup/dist, through the test package's workspace dependency).

const appsDir = fileURLToPath(new URL('./apps/lifecycle/', import.meta.url));

let standIn: ProviderStandIn;
let receiver: OtlpReceiver;

beforeAll(async () => {
  standIn = await startProviderStandIn();
  standIn.script(realisticChatRoute());
  receiver = await startOtlpReceiver();
});
afterAll(async () => {
  await standIn.close();
  await receiver.close();
});

let serviceCounter = 0;
const silentLogger = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined, verbose: () => undefined };

function startApp(app: string, env: Record<string, string> = {}, target: OtlpReceiver = receiver): { child: NodeChild; serviceName: string } {
  const serviceName = `lifecycle-${++serviceCounter}`;
  const child = startNode([app], {
    cwd: appsDir,
    env: { STAND_IN_URL: standIn.url, OTEL_EXPORTER_OTLP_ENDPOINT: target.grpcUrl, OTEL_SERVICE_NAME: serviceName, ...env },
  });
  return { child, serviceName };
}

function llmSpansOf(serviceName: string, target: OtlpReceiver = receiver): ReceivedSpan[] {
  return target.spans.filter((span) => isLlmSpan(span) && span.resource['service.name'] === serviceName);
}

describe('a signal to an app with no handler of its own', () => {
  test.each(['SIGTERM', 'SIGINT'] as const)('%s: the spans made before it arrive, then the process dies of the signal', async (signal) => {
    const { child, serviceName } = startApp('chat-then-wait.mjs');
    await child.waitForLine('ready');
    expect(llmSpansOf(serviceName)).toHaveLength(0); // nothing exported before the flush
    child.kill(signal);
    const exit = await child.exited;
    expect(exit, exit.stderr).toMatchObject({ code: null, signal });
    // The child exported before re-raising the signal: the span is already here.
    const [span] = llmSpansOf(serviceName);
    expect(span?.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'llm_otel.provider.compatible': true,
      'gen_ai.request.model': 'gpt-4o-mini',
    });
  });
});

describe('a signal to an app with its own handler', () => {
  test.each(['SIGTERM', 'SIGINT'] as const)('%s: the spans arrive, the app handler runs and decides the exit (code 0)', async (signal) => {
    const { child, serviceName } = startApp('chat-then-wait.mjs', { APP_OWN_HANDLER: '1' });
    await child.waitForLine('ready');
    child.kill(signal);
    const exit = await child.exited;
    expect(exit, exit.stderr).toMatchObject({ code: 0, signal: null });
    expect(exit.stdout).toContain(`app handler: ${signal}`);
    expect(llmSpansOf(serviceName)).toHaveLength(1);
  });
});

describe('normal exit', () => {
  test('the event loop empties: spans arrive through beforeExit, exit code 0, the app sees beforeExit as often as without llm-otel', async () => {
    const baseline = await startApp('chat-then-idle.mjs', { APP_WITHOUT_SETUP: '1' }).child.exited;
    expect(baseline, baseline.stderr).toMatchObject({ code: 0, signal: null });
    expect(baseline.stdout).toContain('beforeExit events: 1');

    const { child, serviceName } = startApp('chat-then-idle.mjs');
    const exit = await child.exited;
    expect(exit, exit.stderr).toMatchObject({ code: 0, signal: null });
    expect(llmSpansOf(serviceName)).toHaveLength(1);
    expect(exit.stdout.trim().split('\n').at(-1)).toBe(baseline.stdout.trim().split('\n').at(-1));
  });
});

describe('handleSignals: false', () => {
  const counts = async (env: Record<string, string>) => {
    const exit = await startApp('listener-count.mjs', env).child.exited;
    expect(exit, exit.stderr).toMatchObject({ code: 0, signal: null });
    return JSON.parse(exit.stdout.trim());
  };

  test('by default set-up listens to SIGTERM, SIGINT and beforeExit', async () => {
    expect(await counts({})).toEqual({ SIGTERM: 1, SIGINT: 1, beforeExit: 1 });
  });
  test('the option adds no listener', async () => {
    expect(await counts({ APP_HANDLE_SIGNALS: 'false' })).toEqual({ SIGTERM: 0, SIGINT: 0, beforeExit: 0 });
  });
  test('LLM_OTEL_HANDLE_SIGNALS=false adds no listener; the option wins over it', async () => {
    expect(await counts({ LLM_OTEL_HANDLE_SIGNALS: 'false' })).toEqual({ SIGTERM: 0, SIGINT: 0, beforeExit: 0 });
    expect(await counts({ LLM_OTEL_HANDLE_SIGNALS: 'false', APP_HANDLE_SIGNALS: 'true' })).toEqual({ SIGTERM: 1, SIGINT: 1, beforeExit: 1 });
  });
});

describe('a hanging backend', () => {
  let hanging: OtlpReceiver;
  beforeAll(async () => {
    hanging = await startOtlpReceiver();
    hanging.setBehaviour({ hang: true });
  });
  afterAll(async () => {
    await hanging.close();
  });

  const SHUTDOWN_TIMEOUT_MS = 1000;
  const SLACK_MS = 2000;

  test('SIGTERM: the process dies of the signal once shutdownTimeoutMillis has passed, not later', async () => {
    const { child } = startApp('chat-then-wait.mjs', { APP_SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS) }, hanging);
    await child.waitForLine('ready');
    const signalledAt = Date.now();
    child.kill('SIGTERM');
    const exit = await child.exited;
    const waited = Date.now() - signalledAt;
    expect(exit, exit.stderr).toMatchObject({ code: null, signal: 'SIGTERM' });
    expect(hanging.rejectedRequests).toBeGreaterThan(0); // the export reached the backend and hung
    expect(waited).toBeGreaterThanOrEqual(SHUTDOWN_TIMEOUT_MS - 50);
    expect(waited).toBeLessThan(SHUTDOWN_TIMEOUT_MS + SLACK_MS);
  });

  test('normal exit: the process exits once shutdownTimeoutMillis has passed, not when the export times out', async () => {
    hanging.clear();
    const { child } = startApp('chat-then-idle.mjs', { APP_SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS) }, hanging);
    await child.waitForLine('idle');
    const idleAt = Date.now();
    const exit = await child.exited;
    const waited = Date.now() - idleAt;
    expect(exit, exit.stderr).toMatchObject({ code: 0, signal: null });
    expect(hanging.rejectedRequests).toBeGreaterThan(0);
    // The exporter's own timeout is 10 s (OTEL_EXPORTER_OTLP_TIMEOUT default); the flush deadline is 1 s.
    expect(waited).toBeLessThan(SHUTDOWN_TIMEOUT_MS + SLACK_MS);
  });
});

// In the test process (sources): what set-up does at the call.
describe('setupTelemetry() itself', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  test.each([
    [{ endpoint: 'not a url' }, /the endpoint option is not a URL/],
    [{ endpoint: 'ftp://collector:4317' }, /the endpoint option must start with http:\/\/ or https:\/\//],
    [{ protocol: 'http/json' as never }, /the protocol option \('http\/json'\) must be 'grpc'.*or 'http\/protobuf'.*http\/json is not supported/],
  ])('wrong option %o: throws at set-up with a clear message, and installs nothing', (options, message) => {
    const fetchBefore = globalThis.fetch;
    const listenersBefore = process.listenerCount('SIGTERM');
    expect(() => setupTelemetry({ ...options })).toThrow(message);
    expect(globalThis.fetch).toBe(fetchBefore);
    expect(process.listenerCount('SIGTERM')).toBe(listenersBefore);
  });

  // The specification: a malformed variable is reported and its default used; the app must start.
  test.each([
    ['OTEL_EXPORTER_OTLP_PROTOCOL', 'udp', /OTEL_EXPORTER_OTLP_PROTOCOL must be one of 'grpc', 'http\/protobuf' \('udp'\); using the default/],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'collector:4317', /OTEL_EXPORTER_OTLP_ENDPOINT must start with http:\/\/ or https:\/\/; using the default/],
    ['OTEL_EXPORTER_OTLP_HEADERS', 'authorization', /OTEL_EXPORTER_OTLP_HEADERS entry #1 has no 'name=value' form/],
  ])('wrong %s=%s: set-up warns naming the variable and sets up with the default', async (name, value, message) => {
    vi.stubEnv(name, value);
    const warnings: string[] = [];
    diag.setLogger({ ...silentLogger, warn: (line: string) => warnings.push(line) }, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
    try {
      const telemetry = setupTelemetry({ handleSignals: false });
      await telemetry.shutdown();
    } finally {
      diag.disable();
    }
    expect(warnings.join('\n')).toMatch(message);
  });

  test('called twice: the same object, and one span per call (not two)', async () => {
    const first = setupTelemetry({ serviceName: 'twice', endpoint: receiver.grpcUrl, handleSignals: false, batch: { scheduledDelayMillis: 20 } });
    const second = setupTelemetry({ serviceName: 'other', endpoint: 'http://127.0.0.1:1', handleSignals: false });
    expect(second).toBe(first);
    try {
      const response = await fetch(`${standIn.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }] }),
      });
      await response.json();
      await receiver.waitFor((spans) => spans.some((span) => isLlmSpan(span) && span.resource['service.name'] === 'twice'));
      await first.forceFlush();
      expect(llmSpansOf('twice')).toHaveLength(1);
    } finally {
      await first.shutdown();
    }
    // Shut down, set-up is possible again.
    const third = setupTelemetry({ endpoint: receiver.grpcUrl, handleSignals: false });
    expect(third).not.toBe(first);
    await third.shutdown();
  });
});
