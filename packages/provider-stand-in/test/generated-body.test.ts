import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { startProviderStandIn, type ProviderStandIn } from '@llm-otel/provider-stand-in';

const MB = 1024 * 1024;

/** Heap plus Buffers/ArrayBuffers: where a server that held the body would show it. */
function liveBytes(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

describe('generatedJsonBytes', () => {
  let standIn: ProviderStandIn;
  beforeEach(async () => {
    standIn = await startProviderStandIn();
  });
  afterEach(async () => {
    await standIn.close();
  });

  it('is a valid chat completion of exactly the requested size, usage last; the openai SDK parses it', async () => {
    standIn.script({ path: '/v1/chat/completions', respond: { generatedJsonBytes: 300_000 } });
    const response = await fetch(`${standIn.url}/v1/chat/completions`, { method: 'POST' });
    expect(response.headers.get('content-length')).toBe('300000');
    const text = await response.text();
    expect(Buffer.byteLength(text)).toBe(300_000);
    const completion = JSON.parse(text);
    expect(completion.object).toBe('chat.completion');
    expect(completion.choices[0].message.content.length).toBeGreaterThan(299_000);
    expect(Object.keys(completion).indexOf('usage')).toBeGreaterThan(Object.keys(completion).indexOf('choices'));
    expect(text.lastIndexOf('"usage"')).toBeGreaterThan(299_000);

    const client = new OpenAI({ baseURL: `${standIn.url}/v1`, apiKey: 'test', maxRetries: 0 });
    const viaSdk = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [] });
    expect(viaSdk.usage?.completion_tokens).toBe(completion.usage.completion_tokens);
  });

  it('streams 50 MB with bounded memory, and waits for a slow reader instead of buffering', async () => {
    const size = 50 * MB;
    standIn.script({ path: '/huge', respond: { generatedJsonBytes: size } });
    globalThis.gc?.();
    const baseline = liveBytes();
    let peak = 0;
    const sample = () => {
      peak = Math.max(peak, liveBytes() - baseline);
    };

    const response = await fetch(`${standIn.url}/huge`);
    const reader = response.body!.getReader();
    let received = 0;
    let tail = '';
    let paused = false;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.length;
      tail = (tail + Buffer.from(value).toString('latin1')).slice(-600);
      sample();
      if (!paused && received > 2 * MB) {
        // A stalled client: a server that ignored backpressure would now generate the rest into memory.
        paused = true;
        await new Promise((resolve) => setTimeout(resolve, 300));
        sample();
      }
    }
    expect(received).toBe(size);
    expect(tail).toMatch(/"usage":\{"prompt_tokens":12,"completion_tokens":\d+/);
    expect(tail.endsWith('}')).toBe(true);
    // Client and server share this process; together they stay far below the body size.
    expect(peak).toBeLessThan(24 * MB);
  });
});
