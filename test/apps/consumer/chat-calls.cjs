// One non-streamed and one streamed chat completion through the openai SDK client it is given,
// printed as one JSON line so the test can compare what the SDK returned with what the stand-in sent.
// Knows nothing of llm-otel: apps with and without set-up code share it.
async function chatTwice(client) {
  const completion = await client.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'Which plan fits a team of five?' }],
    temperature: 0.2,
  });
  const stream = await client.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'And for a team of fifty?' }],
    stream: true,
    stream_options: { include_usage: true },
  });
  let streamedText = '';
  let streamedUsage;
  for await (const chunk of stream) {
    streamedText += chunk.choices[0]?.delta?.content ?? '';
    if (chunk.usage) streamedUsage = chunk.usage;
  }
  console.log(JSON.stringify({ completion, streamedText, streamedUsage }));
}

/** The client the apps use: the stand-in's URL comes from the test, no retries hide a failure. */
function clientOptions() {
  return { apiKey: 'sk-test', baseURL: `${process.env.STAND_IN_URL}/v1`, maxRetries: 0 };
}

module.exports = { chatTwice, clientOptions };
