// One chat completion over plain fetch to the stand-in (an unregistered 127.0.0.1 host: recognised
// by path and body shape), its body read to the end.
export async function chatOnce() {
  const response = await fetch(`${process.env.STAND_IN_URL}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test' },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Is my order on its way?' }] }),
  });
  if (!response.ok) throw new Error(`stand-in answered ${response.status}`);
  await response.json();
}

/** The span of a call ends just after its body was read; give it that moment. */
export function settle() {
  return new Promise((resolve) => setTimeout(resolve, 50));
}
