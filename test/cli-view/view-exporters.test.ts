import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { OTLPLogExporter as GrpcLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { setupTelemetry, type OtlpProtocol } from '@llm-otel/setup';
import { realisticChatRoute, startProviderStandIn, type ProviderStandIn } from '@llm-otel/provider-stand-in';
import { buildCli } from '../../packages/cli/test/cli-child';
import { loadOpenAI } from '../support/sdk-versions';
import { startView, type ViewChild } from './view-child';

// `llm-otel view` as a user runs it: the built CLI in a child process, fed by the real exporters of
// @llm-otel/setup (gRPC and http/protobuf) with spans of the real openai SDK against the stand-in.

let standIn: ProviderStandIn;
let view: ViewChild;

beforeAll(async () => {
  buildCli();
  standIn = await startProviderStandIn();
  standIn.script(realisticChatRoute());
  view = await startView(['--settle', '200ms']);
}, 60_000);

afterAll(async () => {
  await view?.stop('SIGKILL');
  await standIn?.close();
});

/** An agent run of two chat calls (one streamed) under `invoke_agent support`, a tool call between them. */
async function agentRun(protocol: OtlpProtocol, serviceName: string): Promise<void> {
  const endpoint = protocol === 'grpc' ? view.grpcUrl : `${view.httpBase}/v1/traces`;
  const telemetry = setupTelemetry({
    serviceName,
    endpoint,
    protocol,
    handleSignals: false,
    pii: false,
    metrics: true,
    batch: { scheduledDelayMillis: 20 },
    providers: [{ baseUrl: `${standIn.url}/v1`, name: 'openai' }],
  });
  try {
    const { OpenAI } = await loadOpenAI();
    const client = new OpenAI({ apiKey: 'test', baseURL: `${standIn.url}/v1`, maxRetries: 0 });
    const tracer = telemetry.tracerProvider.getTracer('view-test');
    await tracer.startActiveSpan('invoke_agent support', async (agent) => {
      await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Where is my order?' }] });
      tracer.startActiveSpan('execute_tool lookup_order', (tool) => tool.end());
      const stream = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: 'user', content: 'Thanks' }],
      });
      for await (const _chunk of stream) void _chunk;
      agent.end();
    });
  } finally {
    await telemetry.shutdown();
  }
}

function treeOf(stdout: string, serviceName: string): string[] {
  const start = stdout.lastIndexOf(`(${serviceName})`);
  const lines = stdout.slice(stdout.lastIndexOf('\n', start) + 1).split('\n');
  return lines.slice(0, lines.findIndex((line) => line.startsWith('total:')) + 1);
}

describe('llm-otel view receiving from @llm-otel/setup', () => {
  test.each([['grpc' as const], ['http/protobuf' as const]])(
    'over %s: the agent trace as a tree with headers, the calls counted once, and a running total per model',
    async (protocol) => {
      const serviceName = `view-${protocol.replace('/', '-')}`;
      await agentRun(protocol, serviceName);
      const stdout = await view.waitForStdout(
        (text) => text.includes(`(${serviceName})`) && text.slice(text.indexOf(`(${serviceName})`)).includes('running total'),
        `the tree of ${serviceName}`,
      );
      const tree = treeOf(stdout, serviceName);
      expect(tree, stdout).toHaveLength(7);
      expect(tree[0]).toMatch(new RegExp(`^trace [0-9a-f]{32}  \\(${serviceName}\\)$`));
      expect(tree[1]).toMatch(/^span +model +tokens in→out +time +ttfc +cost/);
      expect(tree[2]).toMatch(/^invoke_agent support +Σ 2 calls +Σ \d+→\d+ +\d+\.\d ms/);
      expect(tree[3]).toMatch(/^├─ chat gpt-4o-mini +gpt-4o-mini(?: → \S+)? +\d+→\d+ +\d+\.\d ms/);
      expect(tree[4]).toMatch(/^├─ execute_tool lookup_order +\d+\.\d ms$/);
      // The streamed call shows its time to first chunk.
      expect(tree[5]).toMatch(/^└─ chat gpt-4o-mini +gpt-4o-mini(?: → \S+)? +\d+→\d+ +\d+\.\d ms +\d+\.\d ms/);
      expect(tree[6]).toMatch(/^total: 1 trace · 4 spans · 2 LLM calls · tokens \d+ in → \d+ out/);
      const after = stdout
        .slice(stdout.indexOf(tree[6]) + tree[6].length)
        .split('\n')
        .filter(Boolean);
      expect(after[0]).toMatch(/^running total +calls +tokens in→out +cost/);
      expect(after.find((line) => line.startsWith('gpt-4o-mini'))).toMatch(/^gpt-4o-mini +\d+ +\d+→\d+ +\$\d+\.\d{6}$/);
    },
  );

  test('--json: one object per trace per line, with its totals and spans; filters leave out what does not match', async () => {
    const json = await startView(['--json', '--settle', '200ms', '--service', 'wanted']);
    try {
      const previous = view;
      view = json;
      await agentRun('grpc', 'unwanted');
      await agentRun('http/protobuf', 'wanted');
      const stdout = await json.waitForStdout((text) => text.includes('"service":"wanted"'), 'a JSON line');
      view = previous;
      const lines = stdout.trim().split('\n');
      expect(lines).toHaveLength(1);
      const trace = JSON.parse(lines[0]);
      expect(trace).toMatchObject({ service: 'wanted', spanCount: 4, llmCalls: 2, errors: 0, models: ['gpt-4o-mini'] });
      expect(trace.inputTokens).toBeGreaterThan(0);
      expect(trace.spans.map((span: { name: string }) => span.name).sort()).toEqual([
        'chat gpt-4o-mini',
        'chat gpt-4o-mini',
        'execute_tool lookup_order',
        'invoke_agent support',
      ]);
    } finally {
      await json.stop();
    }
  });

  test.each([['grpc'], ['http/protobuf']])(
    'over %s: the GenAI metrics of setup and log records of the real OTLP log exporter are shown as lines',
    async (protocol) => {
      const serviceName = `view-signals-${protocol.replace('/', '-')}`;
      await agentRun(protocol as OtlpProtocol, serviceName);
      await view.waitForStdout(
        (text) => new RegExp(`metrics from ${serviceName}: .*gen_ai\\.client\\.token\\.usage \\(\\d+\\)`).test(text),
        `the metrics of ${serviceName}`,
      );
      const exporter = protocol === 'grpc' ? new GrpcLogExporter({ url: view.grpcUrl }) : new ProtoLogExporter({ url: `${view.httpBase}/v1/logs` });
      const provider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter })] });
      provider.getLogger('view-test').emit({ severityNumber: 13, severityText: 'WARN', body: `budget at 80 % (${protocol})` });
      await provider.shutdown();
      // The SDK's default resource names the service unknown_service:<process>.
      await view.waitForStdout(
        (text) => new RegExp(`log  WARN  unknown_service\\S*  budget at 80 % \\(${protocol}\\)`).test(text),
        `the log record over ${protocol}`,
      );
    },
  );
});
