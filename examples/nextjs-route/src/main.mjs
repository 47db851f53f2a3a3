// Drives the route handler the way `next start` does, without Next.js installed (see README): register()
// from instrumentation.mjs first, then POST(request) with a Web Request, reading the streamed Response.
// Runs against a local provider stand-in; with OPENAI_API_KEY set, against the real API.
// Run: pnpm --filter @llm-otel/example-nextjs-route start
import { startExample } from '@llm-otel/examples-support';

const example = await startExample({ service: 'nextjs-example', provider: 'openai', llmCalls: 1 });
process.env.NEXT_RUNTIME = 'nodejs';
if (example.baseUrl) process.env.OPENAI_BASE_URL = example.baseUrl;
const { register } = await import('../instrumentation.mjs');
const telemetry = await register(example.telemetry);

const { POST } = await import('../app/api/chat/route.mjs');
const response = await POST(
  new Request('http://localhost:3000/api/chat', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ question: 'Say hello to OpenTelemetry in five words.' }),
  }),
);
console.log(`POST /api/chat ${response.status}: ${await response.text()}`);

await telemetry.shutdown();
await example.finish();
