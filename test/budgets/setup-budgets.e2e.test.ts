import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diag, DiagLogLevel, trace, type ProxyTracerProvider } from '@opentelemetry/api';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { startOtlpReceiver, type OtlpReceiver } from '@llm-otel/otlp-receiver';
import { startProviderStandIn, type ProviderStandIn } from '@llm-otel/provider-stand-in';
import { setupTelemetry, type BudgetAlert, type Telemetry } from '@llm-otel/setup';
import { withGenAiContext } from '@llm-otel/instrumentation';
import { createPseudonymiser } from '@llm-otel/pii';
import { loadOpenAI } from '../support/sdk-versions';
import { isLlmSpan } from '../support/telemetry';
import { OPENAI_CALL_MICROS, openaiCompletion } from './support/wire';

// setupTelemetry({ budgets }) end to end: the real openai SDK against the stand-in, the real OTLP
// exporters into the receiver. The alert event is on the exported span of the call that crossed,
// the alert metric reaches the metrics backend, the hard stop refuses before sending.

let standIn: ProviderStandIn;
let receiver: OtlpReceiver;
let telemetry: Telemetry | undefined;
beforeAll(async () => {
  standIn = await startProviderStandIn();
  receiver = await startOtlpReceiver();
  standIn.script({ method: 'POST', path: '/v1/chat/completions', respond: () => openaiCompletion(false) });
});
afterAll(async () => {
  await standIn.close();
  await receiver.close();
});
afterEach(async () => {
  await telemetry?.shutdown();
  telemetry = undefined;
  vi.unstubAllEnvs();
  diag.disable();
});

function setUp(budgets: Parameters<typeof setupTelemetry>[0] extends infer O ? (O extends { budgets?: infer B } ? B : never) : never): Telemetry {
  telemetry = setupTelemetry({
    serviceName: 'budget-e2e',
    endpoint: receiver.grpcUrl,
    handleSignals: false,
    batch: { scheduledDelayMillis: 20 },
    metrics: { exportIntervalMillis: 600_000 },
    providers: [{ baseUrl: `${standIn.url}/v1`, name: 'openai' }],
    budgets,
  });
  return telemetry;
}

async function chat() {
  const { OpenAI } = await loadOpenAI();
  const client = new OpenAI({ apiKey: 'test', baseURL: `${standIn.url}/v1`, maxRetries: 2 });
  return client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
}

describe('setupTelemetry({ budgets })', () => {
  test('alert on the exported span of the crossing call, alert metric exported, then a hard stop the stand-in never sees', async () => {
    receiver.clear();
    const alerts: BudgetAlert[] = [];
    const t = setUp({
      budgets: [{ name: 'team-daily', limitUsd: (2 * OPENAI_CALL_MICROS) / 1e6, period: 'day', warnAt: 0.5, hardStop: true, scope: { service: 'budget-e2e' } }],
      store: 'memory',
      onAlert: (alert) => alerts.push(alert),
    });
    const before = standIn.requests.length;
    await chat();
    await chat();
    // A call is accounted once its span completes, just after the caller has the body.
    await t.instrumentation.flush();
    await expect(chat()).rejects.toMatchObject({ status: 402 });
    expect(standIn.requests.length).toBe(before + 2);
    expect(alerts.map((alert) => [alert.level, alert.scope])).toEqual([
      ['warning', { service: 'budget-e2e' }],
      ['critical', { service: 'budget-e2e' }],
    ]);
    await t.forceFlush();
    const spans = (await receiver.waitFor((all) => all.filter(isLlmSpan).length >= 3, 10_000)).filter(isLlmSpan);
    const events = spans.map((span) => span.events.map((event) => event.attributes['llm_otel.budget.alert.level']));
    expect(events).toEqual([['warning'], ['critical'], []]);
    expect(spans[2].attributes['http.response.status_code']).toBe(402);
    const metrics = await receiver.waitForMetrics((all) => all.some((metric) => metric.name === 'llm_otel.budget.alerts'), 10_000);
    const alertMetric = metrics.filter((metric) => metric.name === 'llm_otel.budget.alerts').at(-1)!;
    expect(alertMetric.scope.name).toBe('@llm-otel/instrumentation');
    expect(alertMetric.dataPoints.map((point) => point.attributes['llm_otel.budget.alert.level']).sort()).toEqual(['critical', 'warning']);
    expect(metrics.some((metric) => metric.name === 'llm_otel.budget.refusals')).toBe(true);
  });

  test('a per-user budget keys spend by the pseudonym of the set-up pseudonym key: alerts and the store never hold the raw id', async () => {
    const alerts: BudgetAlert[] = [];
    telemetry = setupTelemetry({
      serviceName: 'budget-e2e',
      endpoint: receiver.grpcUrl,
      handleSignals: false,
      providers: [{ baseUrl: `${standIn.url}/v1`, name: 'openai' }],
      pseudonyms: { key: 'k'.repeat(40), keyId: 'k1' },
      budgets: {
        budgets: [{ name: 'per-user', limitUsd: OPENAI_CALL_MICROS / 1e6, period: 'day', scope: { user: '*' } }],
        store: 'memory',
        onAlert: (alert) => alerts.push(alert),
      },
    });
    await withGenAiContext({ userId: 'alice@example.com' }, () => chat());
    await telemetry.instrumentation.flush();
    const pseudonym = createPseudonymiser('k'.repeat(40), { keyId: 'k1' })('alice@example.com');
    // The call spends the whole limit: the warning and the critical alert, both for the pseudonym.
    expect(alerts.map((alert) => [alert.level, alert.scope])).toEqual([
      ['warning', { user: pseudonym }],
      ['critical', { user: pseudonym }],
    ]);
    const keys: string[] = [];
    for await (const [key] of telemetry.budgets!.store.entries()) keys.push(key);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.join('\n')).not.toContain('alice');
    expect(JSON.stringify(alerts)).not.toContain('alice');
  });

  test('an invalid budget in options throws at set-up, naming it, before anything is registered', () => {
    const before = (trace.getTracerProvider() as ProxyTracerProvider).getDelegate();
    expect(() => setUp([{ name: 'oops', limitUsd: -3, period: 'day' }])).toThrow('budget "oops": limitUsd must be a positive number');
    expect((trace.getTracerProvider() as ProxyTracerProvider).getDelegate()).toBe(before);
  });

  test('LLM_OTEL_BUDGETS with one bad budget: the app starts, a diagnostic error names it, the good one applies (file store by default)', async () => {
    const errors: string[] = [];
    diag.setLogger({ error: (message) => errors.push(message), warn() {}, info() {}, debug() {}, verbose() {} }, DiagLogLevel.ERROR);
    const file = join(mkdtempSync(join(tmpdir(), 'budget-setup-')), 'spend.json');
    vi.stubEnv('LLM_OTEL_BUDGET_FILE', file);
    vi.stubEnv(
      'LLM_OTEL_BUDGETS',
      JSON.stringify([
        { name: 'broken', limitUsd: 1, period: 'fortnight' },
        { name: 'works', limitUsd: 0.0001, period: 'month', hardStop: true },
      ]),
    );
    const t = setUp(undefined);
    expect(errors.some((message) => message.includes('budget "broken": period must be'))).toBe(true);
    expect(t.budgets?.budgets.map((budget) => budget.name)).toEqual(['works']);
    expect(t.budgets?.store.kind).toBe('file');
    await chat();
    await t.instrumentation.flush();
    await expect(chat()).rejects.toThrow(/llm-otel budget 'works' is spent for month:/);
  });

  test('OTEL_SDK_DISABLED=true: budgets are off too, and a warning says so; calls go through', async () => {
    const warnings: string[] = [];
    diag.setLogger({ error() {}, warn: (message) => warnings.push(message), info() {}, debug() {}, verbose() {} }, DiagLogLevel.WARN);
    vi.stubEnv('OTEL_SDK_DISABLED', 'true');
    const t = setUp([{ name: 'tiny', limitUsd: 0.000001, period: 'day', hardStop: true }]);
    expect(t.budgets).toBeUndefined();
    expect(warnings).toContain('llm-otel: OTEL_SDK_DISABLED=true: budgets are off too (no accounting, alerts or hard stops)');
    await chat();
    await chat();
  });
});
