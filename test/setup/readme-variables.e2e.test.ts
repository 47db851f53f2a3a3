import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, expect, test, vi } from 'vitest';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { startOtlpReceiver, type OtlpReceiver } from '@llm-otel/otlp-receiver';
import { realisticChatRoute, startProviderStandIn, type ProviderStandIn } from '@llm-otel/provider-stand-in';
import { createPseudonymiser, readSpoolEnv, setupTelemetry, withGenAiContext, type SetupOptions, type Telemetry } from '@llm-otel/setup';
import { chatOnce } from '../support/chat-call';
import { isLlmSpan } from '../support/telemetry';

// Issue 9 item 6: "Test every variable in the README's table end to end." This walks the
// configuration table of the root README: every OTEL_* / LLM_OTEL_* variable it lists must have a
// check below that sets it (and nothing in code) and observes what it changes at the receiver, on
// the process or on the handle. A variable added to the table without a check, or a check for a
// variable the table no longer lists, fails the first test.

const README = fileURLToPath(new URL('../../README.md', import.meta.url));

function variablesInReadmeTable(): string[] {
  const text = readFileSync(README, 'utf8');
  const section = text.slice(text.indexOf('## Configuration'), text.indexOf('\n## ', text.indexOf('## Configuration') + 1));
  const rows = section.split('\n').filter((line) => line.startsWith('|') && !line.startsWith('|---'));
  const variables = new Set<string>();
  for (const row of rows) {
    const variableCell = row.split('|')[2] ?? '';
    for (const match of variableCell.matchAll(/`((?:OTEL|LLM_OTEL)_[A-Z_]+)`/g)) variables.add(match[1]!);
  }
  return [...variables].sort();
}

let receiver: OtlpReceiver;
let standIn: ProviderStandIn;
let scratch: string;
let counter = 0;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  standIn = await startProviderStandIn();
  standIn.script(realisticChatRoute());
  scratch = mkdtempSync(join(tmpdir(), 'llm-otel-readme-'));
});
afterAll(async () => {
  await receiver.close();
  await standIn.close();
  rmSync(scratch, { recursive: true, force: true });
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  diag.disable();
});

/** The receiver over gRPC, through the environment only; nothing else set. */
function baseEnv(): Record<string, string> {
  return { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.grpcUrl, OTEL_BSP_SCHEDULE_DELAY: '20' };
}

async function withSetup(
  env: Record<string, string>,
  run: (telemetry: Telemetry, service: string) => Promise<void>,
  options: SetupOptions = {},
): Promise<void> {
  const service = `readme-${++counter}`;
  for (const [name, value] of Object.entries({ OTEL_SERVICE_NAME: service, ...env })) vi.stubEnv(name, value);
  const telemetry = setupTelemetry({ handleSignals: false, ...options });
  try {
    await run(telemetry, service);
  } finally {
    await telemetry.shutdown();
    vi.unstubAllEnvs();
  }
}

function endSpan(telemetry: Telemetry, name: string): boolean {
  const span = telemetry.tracerProvider.getTracer('readme').startSpan(name);
  const recording = span.isRecording();
  span.end();
  return recording;
}

const chat = () => chatOnce(standIn.url);
const AUDIT_KEY = 'an audit key for the README variable checks, >= 32 bytes';

const PSEUDONYM_KEY = 'a pseudonym key for the README variable checks, >= 32 bytes';
const FINGERPRINT_KEY = 'a fingerprint key for the README variable checks, >= 32 bytes';

function keyFile(name: string, key: string): string {
  const file = join(scratch, name);
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return file;
}

/** A call made as user `u-1182`: its span at the receiver names the pseudonym under the key. */
function pseudonymCheck(env: Record<string, string>, keyId: string): Promise<void> {
  return withSetup({ ...baseEnv(), ...env }, async (telemetry, service) => {
    await withGenAiContext({ userId: 'u-1182' }, chat);
    await telemetry.forceFlush();
    await receiver.waitFor(() => spansOf(service).some(isLlmSpan), 10_000);
    expect(spansOf(service).find(isLlmSpan)?.attributes['user.id']).toBe(createPseudonymiser(PSEUDONYM_KEY, { keyId })('u-1182'));
  });
}

function fingerprintCheck(env: Record<string, string>, keyId: string): Promise<void> {
  return withSetup({ ...baseEnv(), ...env }, async (telemetry, service) => {
    await chat();
    await telemetry.forceFlush();
    await receiver.waitFor(() => spansOf(service).some(isLlmSpan), 10_000);
    expect(spansOf(service).find(isLlmSpan)?.attributes).toMatchObject({
      'llm_otel.request.fingerprint_algorithm': 'hmac-sha256',
      'llm_otel.request.fingerprint_key_id': keyId,
    });
  });
}

const spansOf = (service: string) => receiver.spans.filter((span) => span.resource['service.name'] === service);
const arrived = (service: string, count = 1) => receiver.waitFor(() => spansOf(service).length >= count, 10_000);

/** Captures diag lines of every level (set-up's warnings, export failures) for one check. */
function captureDiag(): string[] {
  const lines: string[] = [];
  const push = (message: string, ...args: unknown[]) => lines.push([message, ...args.map(String)].join(' '));
  diag.setLogger(
    { error: push, warn: push, info: push, debug: () => undefined, verbose: () => undefined },
    { logLevel: DiagLogLevel.ALL, suppressOverrideMessage: true },
  );
  return lines;
}

async function eventually(condition: () => boolean, what: string, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A TCP server that accepts connections and never answers: exports to it hang until their timeout. */
async function blackHole(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

const checks: Record<string, () => Promise<void>> = {
  OTEL_SERVICE_NAME: () =>
    withSetup(baseEnv(), async (telemetry, service) => {
      endSpan(telemetry, 'service-name');
      await telemetry.forceFlush();
      expect((await arrived(service)) && spansOf(service)[0]?.resource['service.name']).toBe(service);
    }),

  OTEL_RESOURCE_ATTRIBUTES: () =>
    withSetup({ ...baseEnv(), OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=staging,team=refunds' }, async (telemetry, service) => {
      endSpan(telemetry, 'resource');
      await telemetry.forceFlush();
      await arrived(service);
      expect(spansOf(service)[0]?.resource).toMatchObject({ 'deployment.environment.name': 'staging', team: 'refunds' });
    }),

  OTEL_EXPORTER_OTLP_ENDPOINT: () =>
    withSetup(baseEnv(), async (telemetry, service) => {
      expect(telemetry.exporter.url).toBe(receiver.grpcUrl);
      endSpan(telemetry, 'endpoint');
      await telemetry.forceFlush();
      await arrived(service);
    }),

  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: () =>
    // Used as is for http/protobuf (no path appended), and it wins over the general one.
    withSetup(
      {
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.httpUrl,
        OTEL_BSP_SCHEDULE_DELAY: '20',
      },
      async (telemetry, service) => {
        endSpan(telemetry, 'traces-endpoint');
        await telemetry.forceFlush();
        await arrived(service);
        expect(spansOf(service)[0]?.transport).toBe('http/protobuf');
      },
    ),

  OTEL_EXPORTER_OTLP_PROTOCOL: () =>
    withSetup(
      { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf', OTEL_EXPORTER_OTLP_ENDPOINT: new URL(receiver.httpUrl).origin, OTEL_BSP_SCHEDULE_DELAY: '20' },
      async (telemetry, service) => {
        endSpan(telemetry, 'protocol');
        await telemetry.forceFlush();
        await arrived(service);
        expect(spansOf(service)[0]?.transport).toBe('http/protobuf');
      },
    ),

  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: () =>
    withSetup(
      {
        OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.httpUrl,
        OTEL_BSP_SCHEDULE_DELAY: '20',
      },
      async (telemetry, service) => {
        endSpan(telemetry, 'traces-protocol');
        await telemetry.forceFlush();
        await arrived(service);
        expect(spansOf(service)[0]?.transport).toBe('http/protobuf');
      },
    ),

  OTEL_EXPORTER_OTLP_HEADERS: () =>
    withSetup({ ...baseEnv(), OTEL_EXPORTER_OTLP_HEADERS: 'x-tenant=acme%20corp' }, async (telemetry, service) => {
      receiver.clear();
      endSpan(telemetry, 'headers');
      await telemetry.forceFlush();
      await arrived(service);
      expect(receiver.requests.at(-1)?.headers['x-tenant']).toBe('acme corp');
    }),

  OTEL_EXPORTER_OTLP_TRACES_HEADERS: () =>
    // Merged with the general ones, the traces variable winning per name (as the JS exporters do).
    withSetup(
      { ...baseEnv(), OTEL_EXPORTER_OTLP_HEADERS: 'x-tenant=general,x-team-key=k1', OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-tenant=traces' },
      async (telemetry, service) => {
        receiver.clear();
        endSpan(telemetry, 'traces-headers');
        await telemetry.forceFlush();
        await arrived(service);
        expect(receiver.requests.at(-1)?.headers['x-team-key']).toBe('k1');
        expect(receiver.requests.at(-1)?.headers['x-tenant']).toBe('traces');
      },
    ),

  // A black hole never answers: with a short export timeout the first failure is reported quickly
  // (the default, 5 s, is beyond the deadline of `eventually`).
  OTEL_EXPORTER_OTLP_TIMEOUT: () => exportTimesOut('OTEL_EXPORTER_OTLP_TIMEOUT'),
  OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: () => exportTimesOut('OTEL_EXPORTER_OTLP_TRACES_TIMEOUT'),

  OTEL_TRACES_SAMPLER: () =>
    withSetup({ ...baseEnv(), OTEL_TRACES_SAMPLER: 'always_off' }, async (telemetry) => {
      expect(endSpan(telemetry, 'sampled-out')).toBe(false);
    }),

  OTEL_TRACES_SAMPLER_ARG: async () => {
    await withSetup({ ...baseEnv(), OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' }, async (telemetry) => {
      expect(endSpan(telemetry, 'ratio-0')).toBe(false);
    });
    await withSetup({ ...baseEnv(), OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '1' }, async (telemetry) => {
      expect(endSpan(telemetry, 'ratio-1')).toBe(true);
    });
  },

  OTEL_BSP_MAX_QUEUE_SIZE: () =>
    // 50 spans ended in one synchronous loop: a queue of 2 must drop most of them (the default, 2,048, none).
    withSetup({ ...baseEnv(), OTEL_BSP_SCHEDULE_DELAY: '600000', OTEL_BSP_MAX_QUEUE_SIZE: '2' }, async (telemetry, service) => {
      for (let i = 0; i < 50; i++) endSpan(telemetry, `queued-${i}`);
      await telemetry.forceFlush();
      await arrived(service, 1);
      expect(spansOf(service).length).toBeLessThan(50);
    }),

  OTEL_BSP_MAX_EXPORT_BATCH_SIZE: () =>
    withSetup({ ...baseEnv(), OTEL_BSP_SCHEDULE_DELAY: '600000', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '2' }, async (telemetry, service) => {
      receiver.clear();
      for (let i = 0; i < 6; i++) endSpan(telemetry, `batched-${i}`);
      await telemetry.forceFlush();
      await arrived(service, 6);
      expect(receiver.requests.filter((request) => request.signal === 'traces').length).toBeGreaterThanOrEqual(3);
    }),

  OTEL_BSP_SCHEDULE_DELAY: () =>
    // No flush: the span arrives on the schedule (the default, 5 s, would miss the deadline).
    withSetup({ ...baseEnv(), OTEL_BSP_SCHEDULE_DELAY: '10' }, async (telemetry, service) => {
      endSpan(telemetry, 'scheduled');
      await eventually(() => spansOf(service).length > 0, 'the scheduled export', 4000);
    }),

  OTEL_BSP_EXPORT_TIMEOUT: async () => {
    const hole = await blackHole();
    const lines = captureDiag();
    try {
      await withSetup(
        {
          OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
          OTEL_EXPORTER_OTLP_ENDPOINT: hole.url,
          OTEL_EXPORTER_OTLP_TIMEOUT: '60000',
          OTEL_BSP_SCHEDULE_DELAY: '600000',
          OTEL_BSP_EXPORT_TIMEOUT: '100',
        },
        async (telemetry) => {
          endSpan(telemetry, 'bsp-timeout');
          await telemetry.forceFlush();
          expect(lines.join('\n')).toMatch(/could not be exported.*Timeout/);
        },
        { shutdownTimeoutMillis: 200 },
      );
    } finally {
      await hole.close();
    }
  },

  OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: () =>
    withSetup({ ...baseEnv(), OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true' }, async (telemetry, service) => {
      await chat();
      await telemetry.forceFlush();
      await receiver.waitFor(() => spansOf(service).some(isLlmSpan), 10_000);
      expect(String(spansOf(service).find(isLlmSpan)?.attributes['gen_ai.input.messages'])).toContain('hello there');
    }),

  LLM_OTEL_MCP_PROPAGATE_TRACE_CONTEXT: async () => {
    // An MCP tools/call POST: by default its body gains params._meta.traceparent; with the variable false it arrives as sent.
    const bodies: string[] = [];
    const mcp = createHttpServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        bodies.push(body);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"jsonrpc":"2.0","id":1,"result":{"content":[]}}');
      });
    });
    await new Promise<void>((resolve) => mcp.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(mcp.address() as { port: number }).port}/mcp`;
    const sent = '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"lookup_order"}}';
    const call = () =>
      fetch(url, { method: 'POST', headers: { accept: 'application/json, text/event-stream', 'content-type': 'application/json' }, body: sent }).then((r) =>
        r.text(),
      );
    try {
      for (const value of [undefined, 'false']) {
        await withSetup({ ...baseEnv(), ...(value ? { LLM_OTEL_MCP_PROPAGATE_TRACE_CONTEXT: value } : {}) }, async (telemetry, service) => {
          await call();
          await telemetry.forceFlush();
          await receiver.waitFor(() => spansOf(service).some((span) => span.name === 'tools/call lookup_order'), 10_000);
        });
      }
      expect(bodies[0]).toContain('"_meta":{"traceparent":"00-');
      expect(bodies[1]).toBe(sent);
    } finally {
      await new Promise((resolve) => mcp.close(resolve));
    }
  },

  LLM_OTEL_SPOOL_DIR: () => {
    const dir = join(scratch, 'spool-dir');
    return withSetup({ ...baseEnv(), LLM_OTEL_SPOOL_DIR: dir }, async (telemetry, service) => {
      endSpan(telemetry, 'spooled');
      await telemetry.forceFlush();
      await arrived(service);
      expect(existsSync(dir) && readdirSync(dir).length).toBeGreaterThan(0); // its lock, at least
    });
  },

  // The spool's bounds are the spool's (semantics tested in test/durable-export/); here: set-up
  // hands them from the environment to it.
  LLM_OTEL_SPOOL_MAX_BYTES: async () => {
    expect(readSpoolEnv({ LLM_OTEL_SPOOL_MAX_BYTES: '2MiB' })?.maxBytes).toBe(2 * 1024 * 1024);
  },
  LLM_OTEL_SPOOL_MAX_AGE_MS: async () => {
    expect(readSpoolEnv({ LLM_OTEL_SPOOL_MAX_AGE_MS: '60000' })?.maxAgeMillis).toBe(60_000);
  },

  // The chain's own semantics are tested in packages/audit and packages/setup/test/audit-*.test.ts;
  // here: each variable, set alone, turns it on (or names the key) at the receiver.
  LLM_OTEL_AUDIT_KEY: async () => {
    await withSetup({ ...baseEnv(), LLM_OTEL_AUDIT_KEY: AUDIT_KEY }, async (telemetry, service) => {
      endSpan(telemetry, 'chained');
      await telemetry.forceFlush();
      await arrived(service);
      expect(spansOf(service)[0]?.attributes).toMatchObject({ 'llm_otel.chain.seq': 1, 'llm_otel.chain.key_id': 'default' });
    });
    // Too short: the app starts, the chain is off, and the resource says why, never echoing the key.
    const lines = captureDiag();
    await withSetup({ ...baseEnv(), LLM_OTEL_AUDIT_KEY: 'short-secret-key' }, async (telemetry, service) => {
      endSpan(telemetry, 'unchained');
      await telemetry.forceFlush();
      await arrived(service);
      const [span] = spansOf(service);
      expect(span?.resource['llm_otel.chain.off_reason']).toBe('LLM_OTEL_AUDIT_KEY: the key is 16 bytes; at least 32 are needed');
      expect(span?.attributes['llm_otel.chain.seq']).toBeUndefined();
      expect(lines.some((line) => line.includes('the integrity chain is OFF'))).toBe(true);
      expect(JSON.stringify([lines, span?.attributes, span?.resource])).not.toContain('short-secret-key');
    });
  },
  LLM_OTEL_AUDIT_KEY_FILE: async () => {
    const file = join(scratch, 'audit.key');
    writeFileSync(file, `${AUDIT_KEY}\n`, { mode: 0o600 });
    await withSetup({ ...baseEnv(), LLM_OTEL_AUDIT_KEY_FILE: file }, async (telemetry, service) => {
      endSpan(telemetry, 'chained by file');
      await telemetry.forceFlush();
      await arrived(service);
      expect(typeof spansOf(service)[0]?.attributes['llm_otel.chain.mac']).toBe('string');
    });
  },
  LLM_OTEL_AUDIT_KEY_ID: () =>
    withSetup({ ...baseEnv(), LLM_OTEL_AUDIT_KEY: AUDIT_KEY, LLM_OTEL_AUDIT_KEY_ID: '2026-12' }, async (telemetry, service) => {
      endSpan(telemetry, 'key id');
      await telemetry.forceFlush();
      await arrived(service);
      expect(spansOf(service)[0]?.attributes['llm_otel.chain.key_id']).toBe('2026-12');
    }),

  // Own keys of issue 12 (packages/setup/test/own-keys.test.ts has their rules): each variable, set
  // alone, keys the pseudonyms or the fingerprints of the LLM span at the receiver.
  LLM_OTEL_PSEUDONYM_KEY: () => pseudonymCheck({ LLM_OTEL_PSEUDONYM_KEY: PSEUDONYM_KEY }, 'default'),
  LLM_OTEL_PSEUDONYM_KEY_FILE: () => pseudonymCheck({ LLM_OTEL_PSEUDONYM_KEY_FILE: keyFile('pseudonym.key', PSEUDONYM_KEY) }, 'default'),
  LLM_OTEL_PSEUDONYM_KEY_ID: () => pseudonymCheck({ LLM_OTEL_PSEUDONYM_KEY: PSEUDONYM_KEY, LLM_OTEL_PSEUDONYM_KEY_ID: '2026-q4' }, '2026-q4'),
  LLM_OTEL_FINGERPRINT_KEY: () => fingerprintCheck({ LLM_OTEL_FINGERPRINT_KEY: FINGERPRINT_KEY }, 'default'),
  LLM_OTEL_FINGERPRINT_KEY_FILE: () => fingerprintCheck({ LLM_OTEL_FINGERPRINT_KEY_FILE: keyFile('fingerprint.key', FINGERPRINT_KEY) }, 'default'),
  LLM_OTEL_FINGERPRINT_KEY_ID: () => fingerprintCheck({ LLM_OTEL_FINGERPRINT_KEY: FINGERPRINT_KEY, LLM_OTEL_FINGERPRINT_KEY_ID: 'fp-1' }, 'fp-1'),

  LLM_OTEL_METRICS: () =>
    withSetup({ ...baseEnv(), LLM_OTEL_METRICS: 'true' }, async (telemetry, service) => {
      await chat();
      await telemetry.forceFlush();
      await receiver.waitForMetrics((metrics) => metrics.some((metric) => metric.resource['service.name'] === service));
    }),

  OTEL_METRIC_EXPORT_INTERVAL: () =>
    // No flush: metrics arrive on the interval (the default, 60 s, would miss the deadline).
    withSetup({ ...baseEnv(), LLM_OTEL_METRICS: 'true', OTEL_METRIC_EXPORT_INTERVAL: '100' }, async (_telemetry, service) => {
      await chat();
      await receiver.waitForMetrics((metrics) => metrics.some((metric) => metric.resource['service.name'] === service), 8000);
    }),

  OTEL_METRIC_EXPORT_TIMEOUT: async () => {
    // The reader gives up on the export after 100 ms and says so; the exporter's own timeout is 3 s.
    const hole = await blackHole();
    const lines = captureDiag();
    try {
      await withSetup(
        {
          OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
          OTEL_EXPORTER_OTLP_ENDPOINT: hole.url,
          OTEL_EXPORTER_OTLP_TIMEOUT: '3000',
          OTEL_TRACES_EXPORTER: 'none',
          LLM_OTEL_METRICS: 'true',
          OTEL_METRIC_EXPORT_TIMEOUT: '100',
        },
        async (telemetry) => {
          await chat();
          void telemetry.forceFlush();
          await eventually(() => lines.some((line) => /metrics export timed out after 100ms/.test(line)), 'the metric export timeout', 2500);
        },
        { shutdownTimeoutMillis: 200 },
      );
    } finally {
      await hole.close();
    }
  },

  OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: async () => {
    // Spans to this receiver, metrics to another one named by the metrics variable alone.
    const metricsReceiver = await startOtlpReceiver();
    try {
      await withSetup(
        {
          OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
          OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.httpUrl,
          OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: metricsReceiver.httpMetricsUrl,
          LLM_OTEL_METRICS: 'true',
          OTEL_BSP_SCHEDULE_DELAY: '20',
        },
        async (telemetry, service) => {
          await chat();
          await telemetry.forceFlush();
          await arrived(service);
          await metricsReceiver.waitForMetrics((metrics) => metrics.some((metric) => metric.resource['service.name'] === service));
          expect(receiver.metrics.some((metric) => metric.resource['service.name'] === service)).toBe(false);
        },
      );
    } finally {
      await metricsReceiver.close();
    }
  },

  OTEL_METRICS_EXPORTER: async () => {
    const printed = vi.spyOn(console, 'dir').mockImplementation(() => undefined);
    await withSetup({ ...baseEnv(), LLM_OTEL_METRICS: 'true', OTEL_METRICS_EXPORTER: 'console' }, async (telemetry, service) => {
      await chat();
      await telemetry.forceFlush();
      await arrived(service); // spans still go over OTLP
      expect(JSON.stringify(printed.mock.calls)).toContain('gen_ai.client.operation.duration');
      expect(receiver.metrics.some((metric) => metric.resource['service.name'] === service)).toBe(false);
    });
  },

  OTEL_TRACES_EXPORTER: async () => {
    const printed = vi.spyOn(console, 'dir').mockImplementation(() => undefined);
    await withSetup({ ...baseEnv(), OTEL_TRACES_EXPORTER: 'console' }, async (telemetry) => {
      endSpan(telemetry, 'to the console for ops@example.com');
      await telemetry.forceFlush();
      const output = JSON.stringify(printed.mock.calls);
      expect(output).toContain('to the console for');
      expect(output).not.toContain('ops@example.com'); // masked: stdout leaves the process too
    });
    // none: nothing exported, while the same set-up with otlp would.
    await withSetup({ ...baseEnv(), OTEL_TRACES_EXPORTER: 'none', OTEL_TRACES_SAMPLER: 'always_on' }, async (telemetry, service) => {
      endSpan(telemetry, 'nowhere');
      await telemetry.forceFlush();
      expect(spansOf(service)).toHaveLength(0);
    });
  },

  LLM_OTEL_HANDLE_SIGNALS: async () => {
    const before = process.listenerCount('SIGTERM');
    await withSetup(
      { ...baseEnv(), LLM_OTEL_HANDLE_SIGNALS: 'false' },
      async () => {
        expect(process.listenerCount('SIGTERM')).toBe(before);
      },
      { handleSignals: undefined },
    );
    await withSetup(
      baseEnv(),
      async () => {
        expect(process.listenerCount('SIGTERM')).toBe(before + 1);
      },
      { handleSignals: undefined },
    );
  },

  OTEL_LOG_LEVEL: async () => {
    const printed = vi.spyOn(console, 'info').mockImplementation(() => undefined);
    await withSetup({ ...baseEnv(), OTEL_LOG_LEVEL: 'info' }, async () => {
      diag.info('exporter said: bad key sk-proj-Q3vXm9TzL2pR8sWk4NbY7cHd1FgJ6aE0uVo5 for ops@example.com');
    });
    const output = JSON.stringify(printed.mock.calls);
    expect(output).toContain('exporter said: bad key');
    expect(output).not.toMatch(/Q3vXm9TzL2pR8sWk4NbY7cHd1FgJ6aE0uVo5|ops@example\.com/);
  },

  OTEL_PROPAGATORS: async () => {
    // The hooks send trace context to the LLM endpoint through the registered propagator: with
    // `none` (or only baggage) no traceparent may reach the provider; by default one does.
    const traceparentSent = async (env: Record<string, string>) => {
      let sent: string | undefined;
      await withSetup(env, async () => {
        const before = standIn.requests.length;
        await chat();
        sent = standIn.requests.slice(before).find((request) => request.path.includes('/chat/completions'))?.headers.traceparent;
      });
      return sent;
    };
    expect(await traceparentSent(baseEnv())).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
    expect(await traceparentSent({ ...baseEnv(), OTEL_PROPAGATORS: 'none' })).toBeUndefined();
    expect(await traceparentSent({ ...baseEnv(), OTEL_PROPAGATORS: 'baggage' })).toBeUndefined();
    expect(await traceparentSent({ ...baseEnv(), OTEL_PROPAGATORS: 'b3, tracecontext' })).toMatch(/^00-/);
  },

  OTEL_SEMCONV_STABILITY_OPT_IN: async () => {
    // An Anthropic call that wrote 40 tokens to the cache: v1.41 names it cache_creation; the opt-in
    // (set alone, read when set-up constructs the instrumentation) names it cache_write instead.
    const cacheWrite = (request: { body: string }) => ({
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        id: 'msg_cache_write',
        type: 'message',
        role: 'assistant',
        model: JSON.parse(request.body).model,
        content: [{ type: 'text', text: 'cached' }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: 12, cache_creation_input_tokens: 40, cache_read_input_tokens: 0, output_tokens: 3 },
      }),
    });
    standIn.script({ path: '/v1/messages', respond: cacheWrite });
    const anthropicCall = async () => {
      const response = await fetch(`${standIn.url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
        body: JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] }),
      });
      await response.json();
    };
    const usageOf = async (env: Record<string, string>) => {
      let attributes: Record<string, unknown> = {};
      await withSetup(env, async (telemetry, service) => {
        await anthropicCall();
        await telemetry.forceFlush();
        await receiver.waitFor(() => spansOf(service).some(isLlmSpan), 10_000);
        attributes = spansOf(service).find(isLlmSpan)!.attributes;
      });
      return attributes;
    };
    const latest = await usageOf({ ...baseEnv(), OTEL_SEMCONV_STABILITY_OPT_IN: 'gen_ai_latest_experimental' });
    expect(latest['gen_ai.usage.cache_write.input_tokens']).toBe(40);
    expect(latest['gen_ai.usage.cache_creation.input_tokens']).toBeUndefined();
    const stable = await usageOf(baseEnv());
    expect(stable['gen_ai.usage.cache_creation.input_tokens']).toBe(40);
    expect(stable['gen_ai.usage.cache_write.input_tokens']).toBeUndefined();
  },

  // Issue 14's variables (semantics in packages/budgets/test and test/budgets/): each, set alone, does what the row says.
  LLM_OTEL_BUDGETS: async () => {
    const lines = captureDiag();
    const budgets = [
      { name: 'readme-bad', limitUsd: -1, period: 'day' },
      { name: 'readme-daily', limitUsd: 0.000001, period: 'day', hardStop: true },
    ];
    await withSetup({ ...baseEnv(), LLM_OTEL_BUDGETS: JSON.stringify(budgets), LLM_OTEL_BUDGET_FILE: join(scratch, 'budgets-env.json') }, async (telemetry) => {
      expect(lines.some((line) => line.includes('budget "readme-bad": limitUsd must be a positive number') && line.includes('this budget is off'))).toBe(true);
      await chat();
      await telemetry.instrumentation.flush();
      const before = standIn.requests.length;
      const refused = await fetch(`${standIn.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect([refused.status, refused.headers.get('x-should-retry'), standIn.requests.length]).toEqual([402, 'false', before]);
      expect(telemetry.budgets?.budgets.map((budget) => budget.name)).toEqual(['readme-daily']);
    });
  },
  LLM_OTEL_BUDGET_FILE: async () => {
    const file = join(scratch, 'budget-file', 'spend.json');
    await withSetup({ ...baseEnv(), LLM_OTEL_BUDGETS: '[{"name":"readme-file","limitUsd":10,"period":"month"}]', LLM_OTEL_BUDGET_FILE: file }, async () => {
      await chat();
    });
    expect(readFileSync(file, 'utf8')).toContain('readme-file');
  },
  LLM_OTEL_BUDGET_TIME_ZONE: async () => {
    const budgets = '[{"name":"readme-zone","limitUsd":10,"period":"day"}]';
    await withSetup(
      { ...baseEnv(), LLM_OTEL_BUDGETS: budgets, LLM_OTEL_BUDGET_FILE: join(scratch, 'budgets-zone.json'), LLM_OTEL_BUDGET_TIME_ZONE: 'Pacific/Kiritimati' },
      async (telemetry) => {
        expect(telemetry.budgets?.budgets[0]?.timeZone).toBe('Pacific/Kiritimati');
      },
    );
    const lines = captureDiag();
    await withSetup(
      { ...baseEnv(), LLM_OTEL_BUDGETS: budgets, LLM_OTEL_BUDGET_FILE: join(scratch, 'budgets-zone.json'), LLM_OTEL_BUDGET_TIME_ZONE: 'Mars/Olympus' },
      async (telemetry) => {
        expect(telemetry.budgets?.budgets[0]?.timeZone).toBe('UTC');
        expect(lines.some((line) => line.includes('LLM_OTEL_BUDGET_TIME_ZONE'))).toBe(true);
      },
    );
  },
  LLM_OTEL_BUDGET_WEBHOOK_URL: async () => {
    const body = await budgetWebhookBody({});
    expect(JSON.parse(body).text).toMatch(/^llm-otel budget "readme-hook" warning: /);
  },
  LLM_OTEL_BUDGET_WEBHOOK_FORMAT: async () => {
    const body = await budgetWebhookBody({ LLM_OTEL_BUDGET_WEBHOOK_FORMAT: 'json' });
    expect(JSON.parse(body)).toMatchObject({ type: 'llm-otel.budget.alert', budget: 'readme-hook', level: 'warning' });
  },

  OTEL_SDK_DISABLED: async () => {
    const fetchBefore = globalThis.fetch;
    await withSetup({ ...baseEnv(), OTEL_SDK_DISABLED: 'true' }, async (telemetry, service) => {
      expect(globalThis.fetch).toBe(fetchBefore); // no hooks
      await chat();
      endSpan(telemetry, 'disabled');
      await telemetry.forceFlush();
      expect(spansOf(service)).toHaveLength(0);
    });
  },
};

/** A budget crossed by one call, its webhook a local HTTP server: the first body POSTed to it. */
async function budgetWebhookBody(env: Record<string, string>): Promise<string> {
  const bodies: string[] = [];
  const server = createHttpServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (text: string) => (body += text));
    req.on('end', () => {
      bodies.push(body);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;
  try {
    const budgets = '[{"name":"readme-hook","limitUsd":1,"period":"day","warnAt":0.000001}]';
    await withSetup(
      {
        ...baseEnv(),
        LLM_OTEL_BUDGETS: budgets,
        LLM_OTEL_BUDGET_FILE: join(scratch, `budgets-hook-${counter}.json`),
        LLM_OTEL_BUDGET_WEBHOOK_URL: url,
        ...env,
      },
      async () => {
        await chat();
        await eventually(() => bodies.length > 0, 'the webhook POST');
      },
    );
    return bodies[0]!;
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

async function exportTimesOut(variable: string): Promise<void> {
  const hole = await blackHole();
  const lines = captureDiag();
  try {
    await withSetup(
      { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf', OTEL_EXPORTER_OTLP_ENDPOINT: hole.url, OTEL_BSP_SCHEDULE_DELAY: '600000', [variable]: '100' },
      async (telemetry) => {
        expect(telemetry.exporter.timeoutMillis).toBe(100);
        endSpan(telemetry, 'times-out');
        void telemetry.forceFlush();
        await eventually(() => lines.some((line) => /exporting spans to .* failed/.test(line)), 'the export failure report', 4000);
      },
      { shutdownTimeoutMillis: 200 },
    );
  } finally {
    await hole.close();
  }
}

test('every variable in the README configuration table has a check here, and every check a row', () => {
  expect(Object.keys(checks).sort()).toEqual(variablesInReadmeTable());
});

for (const variable of variablesInReadmeTable()) {
  test(`${variable} has the effect the README says`, async () => {
    const check = checks[variable];
    if (!check) throw new Error(`no check for ${variable}`);
    await check();
  });
}
