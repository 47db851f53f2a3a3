// An application with the spool on (the built @llm-otel/setup, as users run it). Configured by the JSON in
// argv[2]: { dir, endpoint, providerUrl, crash }.
//   crash "exit" | "uncaught" | "rejection": makes LLM calls, ends a few spans of its own, prints
//     {"event":"ended","ids":[...]} and dies at once by process.exit(1), an uncaught exception or an
//     unhandled rejection (Node's default handling of each: the error printed, exit code 1).
//   crash "exit-3-throwing-logger": process.exit(3) with a diag logger that throws on every message.
//   crash "restart": the same application started again; it replays the spool and shuts down cleanly.
import { writeSync } from 'node:fs';
import { DiagLogLevel, diag, trace } from '@opentelemetry/api';
import { setupTelemetry } from '@llm-otel/setup';

const { dir, endpoint, providerUrl, crash } = JSON.parse(process.argv[2]);
const emit = (event) => writeSync(1, `${JSON.stringify(event)}\n`);
const telemetry = setupTelemetry({
  serviceName: 'crash-app',
  endpoint,
  providers: [{ baseUrl: providerUrl, name: 'openai' }],
  captureContent: true,
  spool: { dir },
  shutdownTimeoutMillis: 10_000,
});

if (crash === 'restart') {
  await telemetry.shutdown();
  emit({ event: 'replayed' });
} else {
  for (let i = 0; i < 3; i++) {
    const response = await fetch(`${providerUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `Refund order ${i} for jane.doe${i}@example.com` }] }),
    });
    await response.json();
  }
  // Every LLM call's span has ended (end-of-call parsing is asynchronous); see the README on what the
  // spool cannot save: a span still completing when the process dies.
  await telemetry.instrumentation.flush(5000);
  const tracer = trace.getTracer('crash-app');
  const ids = [];
  for (let i = 0; i < 20; i++) {
    const span = tracer.startSpan(`work ${i}`, { attributes: { note: `customer jane.roe${i}@example.com` } });
    ids.push(span.spanContext().spanId);
    span.end();
  }
  // The resource detectors have answered (host.id comes from reading /etc/machine-id asynchronously). Their
  // promises are awaited, not the resource: settling the resource is the spool's business, and a resource
  // nobody settles stays without host.id however long ago the detector answered.
  const probe = tracer.startSpan('probe');
  await Promise.all(probe.resource.getRawAttributes().map(([, value]) => value));
  emit({ event: 'ended', ids });
  if (crash === 'exit') process.exit(1);
  if (crash === 'exit-3-throwing-logger') {
    let armed = false;
    const thrower = () => {
      if (armed) throw new Error('the application logger fails');
    };
    diag.setLogger({ error: thrower, warn: thrower, info: thrower, debug: thrower, verbose: thrower }, DiagLogLevel.ALL);
    armed = true;
    process.exit(3);
  }
  if (crash === 'uncaught')
    setImmediate(() => {
      throw new Error('boom: uncaught');
    });
  if (crash === 'rejection') void Promise.reject(new Error('boom: unhandled rejection'));
}
