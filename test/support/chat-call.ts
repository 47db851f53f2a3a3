/** One chat completion over plain fetch to the stand-in (recognised by path and body shape), read to the end. */
export async function chatOnce(standInUrl: string, body: Record<string, unknown> = {}): Promise<void> {
  const response = await fetch(`${standInUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello there' }], ...body }),
  });
  await response.json();
}
