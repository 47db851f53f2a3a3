import { formatWithOptions } from 'node:util';
import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { everythingReceived, maskingPipeline } from './support/masking-pipeline';

/**
 * With a DEBUG diag logger the OTLP exporter logs "items to be sent" with the span views it was handed.
 * Those lines must carry only masked content (issue 8, item 3: they printed each unmasked original,
 * an enumerable property of the view). The logger formats its arguments as console.log does
 * (util.formatWithOptions), once at console.log's depth and once without a depth limit.
 */
const EMAIL = 'jane.doe@example.com';
const CARD = '4111 1111 1111 1111';

function recordingLogger(lines: string[]): DiagLogger {
  const record = (message: string, ...args: unknown[]) => {
    lines.push(formatWithOptions({ depth: 2 }, message, ...args));
    lines.push(formatWithOptions({ depth: Infinity }, message, ...args));
  };
  return { error: record, warn: record, info: record, debug: record, verbose: record };
}

afterEach(() => diag.disable());

describe('diagnostic log lines', () => {
  for (const protocol of ['http/protobuf', 'grpc'] as const) {
    it(`a DEBUG diag logger sees only masked spans (${protocol} exporter)`, async () => {
      const lines: string[] = [];
      diag.setLogger(recordingLogger(lines), { logLevel: DiagLogLevel.ALL, suppressOverrideMessage: true });
      const pipeline = await maskingPipeline({ protocol, resource: { 'deployment.owner': EMAIL } });
      try {
        const span = pipeline.provider.getTracer('app').startSpan(`refund for ${EMAIL}`);
        span.setAttribute('payment.note', `card ${CARD}`);
        span.addEvent(`mail ${EMAIL}`, { 'event.card': CARD });
        span.end();
        await pipeline.provider.forceFlush();
        await pipeline.receiver.waitForSpans(1, 20_000);
      } finally {
        await pipeline.close();
      }
      const logged = lines.join('\n');
      expect(logged).toContain('items to be sent');
      expect(logged).toContain('refund for <EMAIL>');
      expect(logged).not.toContain(EMAIL);
      expect(logged).not.toContain(CARD);
      expect(everythingReceived(pipeline.receiver)).not.toContain(EMAIL);
    });
  }
});
