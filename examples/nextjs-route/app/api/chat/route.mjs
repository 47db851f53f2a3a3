// A Next.js App Router route handler (app/api/chat/route.mjs): POST /api/chat asks the model and streams
// its answer back to the browser. Nothing in it knows about telemetry: instrumentation.mjs set it up.
import OpenAI from 'openai';

// Node.js runtime: llm-otel hooks Node's fetch and undici (the Edge runtime has neither, see README).
export const runtime = 'nodejs';

const client = new OpenAI({ baseURL: process.env.OPENAI_BASE_URL, apiKey: process.env.OPENAI_API_KEY ?? 'stand-in' });

export async function POST(request) {
  const { question } = await request.json();
  const stream = await client.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: question }],
    stream: true,
    stream_options: { include_usage: true },
  });
  const encoder = new TextEncoder();
  const body = new ReadableStream({
    async start(controller) {
      for await (const chunk of stream) controller.enqueue(encoder.encode(chunk.choices[0]?.delta?.content ?? ''));
      controller.close();
    },
  });
  return new Response(body, { headers: { 'content-type': 'text/plain; charset=utf-8' } });
}
