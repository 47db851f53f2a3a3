// The CommonJS twin of chat-once.mjs, for `--require @llm-otel/setup/register`: one chat call to the
// stand-in when STAND_IN_URL is set, then `app ran`.
async function main() {
  if (process.env.STAND_IN_URL) {
    const response = await fetch(`${process.env.STAND_IN_URL}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Is my order on its way?' }] }),
    });
    await response.json();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  console.log('app ran');
}
main();
