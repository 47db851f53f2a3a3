import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { BudgetEngine, WebhookNotifier, type BudgetAlert } from '../src/index';
import { EventRecorder, summary, withUser } from './support/calls';

// The webhook notifier against a real local HTTP server that hangs, redirects, fails, or is not there.

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise((resolve) => {
          server.closeAllConnections();
          server.close(resolve);
        }),
    ),
  );
});

interface Received {
  path: string;
  body: string;
}

async function serve(handler: (req: IncomingMessage, res: ServerResponse, received: Received[]) => void): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (text: string) => (body += text));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body });
      handler(req, res, received);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

async function until(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const alert = (budget = 'b'): BudgetAlert => ({
  budget,
  level: 'critical',
  threshold: 1,
  period: 'day',
  periodId: 'day:2026-12-01',
  scope: { model: 'gpt-4o' },
  limitUsd: 10,
  spentUsd: 10.5,
  spentMicros: 10_500_000,
  estimatedMicros: 0,
  unpricedCalls: 0,
  at: '2026-12-01T10:00:00.000Z',
});

describe('webhook notifier', () => {
  test('a Slack-compatible payload, and a generic JSON one', async () => {
    const hook = await serve((_, res) => res.end('ok'));
    const slack = new WebhookNotifier({ url: hook.url });
    const json = new WebhookNotifier({ url: hook.url, format: 'json' });
    slack.enqueue(alert());
    json.enqueue(alert());
    await Promise.all([slack.flush(), json.flush()]);
    const [a, b] = hook.received.map((r) => JSON.parse(r.body));
    const [slackBody, jsonBody] = a.text ? [a, b] : [b, a];
    expect(slackBody.text).toBe('llm-otel budget "b" critical: $10.50 of $10.00 (105%) for day:2026-12-01 (model=gpt-4o)');
    expect(slackBody.blocks[0].text.type).toBe('mrkdwn');
    expect(jsonBody).toMatchObject({
      type: 'llm-otel.budget.alert',
      version: 1,
      budget: 'b',
      level: 'critical',
      spentMicros: 10_500_000,
      scope: { model: 'gpt-4o' },
    });
  });

  test('500 twice then 200: retried with backoff, delivered once', async () => {
    const hook = await serve((_, res, received) => {
      res.statusCode = received.length <= 2 ? 500 : 200;
      res.end();
    });
    const notifier = new WebhookNotifier({ url: hook.url, initialBackoffMillis: 10 });
    notifier.enqueue(alert());
    await until(() => notifier.stats.sent === 1, 'delivery');
    expect(hook.received).toHaveLength(3);
    expect(notifier.stats).toEqual({ sent: 1, failed: 0, dropped: 0 });
  });

  test('a redirect is not followed (the alert goes nowhere it was not configured to go)', async () => {
    const elsewhere = await serve((_, res) => res.end());
    const hook = await serve((_, res) => {
      res.writeHead(307, { location: elsewhere.url });
      res.end();
    });
    const notifier = new WebhookNotifier({ url: hook.url, initialBackoffMillis: 10 });
    notifier.enqueue(alert());
    await until(() => notifier.stats.failed === 1, 'the failure');
    expect(elsewhere.received).toHaveLength(0);
    expect(hook.received).toHaveLength(1);
  });

  test('unreachable: retried up to maxAttempts, then counted as failed', async () => {
    const gone = await serve(() => {});
    const url = gone.url;
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const notifier = new WebhookNotifier({ url, initialBackoffMillis: 5, maxAttempts: 3 });
    notifier.enqueue(alert());
    await until(() => notifier.stats.failed === 1, 'the failure');
  });

  test('a hanging webhook: the queue stays bounded and drops are counted; each attempt times out', async () => {
    const hook = await serve(() => {}); // never answers
    let dropped = 0;
    const notifier = new WebhookNotifier({ url: hook.url, maxQueue: 5, timeoutMillis: 200, maxAttempts: 1 }, () => dropped++);
    for (let i = 0; i < 50; i++) notifier.enqueue(alert(`b${i}`));
    // One in flight, five queued, the rest dropped.
    expect(notifier.stats.dropped).toBe(44);
    expect(dropped).toBe(44);
    await until(() => notifier.stats.failed >= 1, 'a timed-out attempt');
    await notifier.close(100);
  });
});

describe('through the engine', () => {
  test('a call is never delayed or failed by a hanging webhook; the payload names the user only by pseudonym', async () => {
    const hanging = await serve(() => {});
    const engine = new BudgetEngine({
      budgets: [{ name: 'per-user', limitUsd: 0.001, period: 'day', scope: { user: '*' } }],
      userPseudonym: () => 'u_8f14e45f',
      webhook: { url: hanging.url, format: 'json', timeoutMillis: 60_000 },
    });
    const started = performance.now();
    for (let i = 0; i < 1000; i++) engine.onCallCompleted(summary(0.001, { context: withUser('jane.doe@example.com') }), new EventRecorder());
    // Synchronous and in memory: 1000 calls in far less than one webhook timeout.
    expect(performance.now() - started).toBeLessThan(30_000);
    await until(() => hanging.received.length === 1, 'the webhook request');
    const sent = hanging.received[0].body;
    expect(JSON.parse(sent).scope).toEqual({ user: 'u_8f14e45f' });
    expect(sent).not.toContain('jane');
    // Warning and critical, once each; never once per call.
    expect(engine.webhookStats).toMatchObject({ dropped: 0 });
    await engine.close(50);
  });
});
