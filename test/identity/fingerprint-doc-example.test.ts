import { createHash, createHmac } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { canonicalJson, fingerprintDocument } from '@llm-otel/instrumentation';
import { openAiChatAdapter } from '../../packages/instrumentation/src/providers/openai-chat';

// docs/request-fingerprint.md's worked example, checked against the instrumentation's own functions.
const doc = readFileSync(new URL('../../docs/request-fingerprint.md', import.meta.url), 'utf8');

test('the worked example of docs/request-fingerprint.md holds', () => {
  const body = JSON.parse(/The application sent[^`]*```json\n([\s\S]*?)```/.exec(doc)![1]!);
  const canonical = /the canonical document is[^`]*```\n(.*)\n```/.exec(doc)![1]!;
  const text = canonicalJson(fingerprintDocument('openai.chat_completions', body.model, body, openAiChatAdapter.nonDeterminingFields));
  expect(text).toBe(canonical);
  expect(doc).toContain(`SHA-256 (no key): \`${createHash('sha256').update(text).digest('hex')}\``);
  expect(doc).toContain(`\`${createHmac('sha256', 'an example fingerprint key, 32 bytes or more').update(text).digest('hex')}\``);
});

test('the recipe script of docs/request-fingerprint.md recomputes it, with and without the key', () => {
  const script = /```js\n([\s\S]*?)```/.exec(doc)![1]!;
  const body = /The application sent[^`]*```json\n([\s\S]*?)```/.exec(doc)![1]!;
  const dir = mkdtempSync(join(tmpdir(), 'llm-otel-fingerprint-recipe-'));
  writeFileSync(join(dir, 'recompute.mjs'), script);
  writeFileSync(join(dir, 'body.json'), body);
  const run = (...args: string[]) =>
    execFileSync(process.execPath, [join(dir, 'recompute.mjs'), join(dir, 'body.json'), 'openai.chat_completions', ...args], { encoding: 'utf8' }).trim();
  const parsed = JSON.parse(body);
  const text = canonicalJson(fingerprintDocument('openai.chat_completions', parsed.model, parsed, openAiChatAdapter.nonDeterminingFields));
  expect(run()).toBe(createHash('sha256').update(text).digest('hex'));
  expect(run('an example fingerprint key, 32 bytes or more')).toBe(
    createHmac('sha256', 'an example fingerprint key, 32 bytes or more').update(text).digest('hex'),
  );
});
