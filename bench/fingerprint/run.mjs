// Cost of one request fingerprint (canonical JSON + SHA-256 / HMAC-SHA256) by body size, on the built
// instrumentation: `pnpm run build && node bench/fingerprint/run.mjs`. The work runs one macrotask after
// the span starts (fingerprint/deferred-fingerprint.ts), while the request is on the network.
import { canonicalJson, fingerprintDocument } from '@llm-otel/instrumentation';
import { createHmac, hash } from 'node:crypto';

const KEY = 'bench-fingerprint-key-0123456789abcdef';
function body(bytes) {
  const messages = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const content = `Message ${i}: ` + 'the quick brown fox jumps over the lazy dog '.repeat(20);
    messages.push({ role: i % 2 ? 'assistant' : 'user', content });
    size += content.length + 30;
  }
  return JSON.parse(
    JSON.stringify({
      model: 'gpt-4o-mini',
      temperature: 0.2,
      max_tokens: 512,
      messages,
      tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: { id: { type: 'string' } } } } }],
    }),
  );
}
const nonDetermining = ['stream', 'stream_options', 'user', 'metadata'];
for (const kb of [2, 10, 100, 1000]) {
  const parsed = body(kb * 1024);
  const rounds = kb >= 1000 ? 20 : kb >= 100 ? 200 : 2000;
  for (const keyed of [false, true]) {
    for (let i = 0; i < 10; i++) canonicalJson(fingerprintDocument('openai.chat_completions', 'gpt-4o-mini', parsed, nonDetermining));
    const start = process.hrtime.bigint();
    for (let i = 0; i < rounds; i++) {
      const text = canonicalJson(fingerprintDocument('openai.chat_completions', 'gpt-4o-mini', parsed, nonDetermining));
      if (keyed) createHmac('sha256', KEY).update(text).digest('hex');
      else hash('sha256', text, 'hex');
    }
    const micros = Number(process.hrtime.bigint() - start) / 1000 / rounds;
    console.log(`${String(kb).padStart(5)} KB body, ${keyed ? 'hmac-sha256' : 'sha256     '}: ${micros.toFixed(1)} µs per fingerprint`);
  }
}
