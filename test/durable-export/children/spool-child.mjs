// A process that uses the spool the way an application does. Configured by the JSON in argv[2]:
//   { bundle, dir, endpoint, protocol, mode, spansPerRound?, rounds?, attributeBytes?, maxBytes?, maxBatchSpans?, ... }
// It prints one JSON line per event on stdout:
//   {"event":"ready","directory":...}
//   {"event":"durable","ids":[...]}   after forceFlush resolved: these spans are on disk (or sent)
//   {"event":"stats",...}            at the end
// Modes: "produce" (rounds of spans, each followed by forceFlush; rounds: 0 means until killed),
//        "drain" (send what the spool holds, then shut down), "hold" (stay up until killed).
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';

const config = JSON.parse(process.argv[2]);
const { createSpoolingSpanProcessor } = await import(config.bundle);
const emit = (event) => process.stdout.write(`${JSON.stringify(event)}\n`);

const processor = createSpoolingSpanProcessor({
  dir: config.dir,
  endpoint: config.endpoint,
  protocol: config.protocol ?? 'grpc',
  maxBytes: config.maxBytes,
  maxBatchSpans: config.maxBatchSpans,
  maxQueueSpans: config.maxQueueSpans,
  retryInitialMillis: config.retryInitialMillis ?? 100,
  retryMaxMillis: config.retryMaxMillis ?? 500,
  adoptIntervalMillis: config.adoptIntervalMillis,
  timeoutMillis: config.timeoutMillis ?? 5000,
});
emit({ event: 'ready', directory: processor.directory, pid: process.pid });

const tracer = new BasicTracerProvider({ spanProcessors: [processor] }).getTracer('spool-child');
const filler = 'x'.repeat(config.attributeBytes ?? 0);

async function produce() {
  const rounds = config.rounds ?? 0;
  for (let round = 0; rounds === 0 || round < rounds; round++) {
    const ids = [];
    for (let i = 0; i < (config.spansPerRound ?? 100); i++) {
      const span = tracer.startSpan(`round ${round} span ${i}`, { attributes: { round, i, filler } });
      ids.push(span.spanContext().spanId);
      span.end();
    }
    await processor.forceFlush();
    emit({ event: 'durable', ids, stats: processor.stats() });
  }
}

async function drain() {
  const deadline = Date.now() + (config.drainMillis ?? 20_000);
  while (processor.stats().spoolFiles > 0 && Date.now() < deadline) {
    await processor.forceFlush();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

if (config.mode === 'produce') await produce();
else if (config.mode === 'drain') await drain();
else if (config.mode === 'hold') await new Promise(() => setInterval(() => undefined, 1 << 30));
emit({ event: 'stats', ...processor.stats(), directory: processor.directory });
await processor.shutdown();
