import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXACT_HOSTS } from '../../src/providers/provider-hosts';
import { EndpointRegistry } from '../../src/providers/registry';

// The README's "Provider names" table, walked against the registry: every row is a promise.
const README = readFileSync(fileURLToPath(new URL('../../../../README.md', import.meta.url)), 'utf8');
const registry = new EndpointRegistry([]);

/** Semconv v1.41 well-known gen_ai.provider.name values (registry/attributes/gen-ai.md). */
const SEMCONV_PROVIDERS = new Set([
  'openai',
  'gcp.gen_ai',
  'gcp.vertex_ai',
  'gcp.gemini',
  'anthropic',
  'cohere',
  'azure.ai.inference',
  'azure.ai.openai',
  'ibm.watsonx.ai',
  'aws.bedrock',
  'perplexity',
  'x_ai',
  'deepseek',
  'groq',
  'mistral_ai',
]);

interface Row {
  hosts: string[];
  path: string;
  provider: string;
  ours: boolean;
}

function tableRows(): Row[] {
  const fromHeading = README.slice(README.indexOf('### Provider names'));
  // The section ends at the next second-level heading: later tables of the README are not this one.
  const section = fromHeading.slice(0, fromHeading.includes('\n## ') ? fromHeading.indexOf('\n## ') : undefined);
  const lines = section.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| host') && !line.startsWith('|---'));
  const rows: Row[] = [];
  for (const line of lines) {
    const [hosts, path, provider] = line
      .split('|')
      .slice(1, 4)
      .map((cell) => cell.trim());
    if (!provider) break;
    rows.push({
      hosts: [...hosts.matchAll(/`([^`]+)`/g)].map((match) => match[1]),
      path,
      provider: /`([^`]+)`/.exec(provider)?.[1] ?? '',
      ours: provider.includes('(ours)'),
    });
  }
  return rows;
}

/** A URL for a table row: wildcards get a label, the path column says which protocol path to use. */
function urlFor(host: string, path: string): URL {
  const name = host.replace(/^\*\./, 'my-res.').replace(/^\*-/, 'us-central1-').replace('.*.', '.us-west-2.');
  let pathname = '/v1/chat/completions';
  if (path.includes('/openai/...')) pathname = '/openai/deployments/d/chat/completions';
  else if (path.includes('/models/...')) pathname = '/models/chat/completions';
  else if (path.startsWith('`/')) pathname = /`([^`]+)`/.exec(path)![1].replace('...', 'chat/completions');
  if (name.endsWith('googleapis.com')) pathname = '/v1beta/models/gemini-2.5-flash:generateContent';
  if (name === 'api.anthropic.com') pathname = '/v1/messages';
  return new URL(`https://${name}${pathname}`);
}

const PROTOCOL_PATHS: Record<string, string> = {
  'Anthropic Messages': '/v1/messages',
  'Gemini `generateContent` / `embedContent`': '/v1beta/models/gemini-2.5-flash:generateContent',
  'Ollama `/api/chat`, `/api/generate`': '/api/chat',
  'OpenAI chat, Responses, completions, embeddings': '/v1/chat/completions',
};

describe('the README provider-name table matches the registry', () => {
  const rows = tableRows();

  it('has rows for every host in the registry', () => {
    const documented = new Set(rows.flatMap((row) => row.hosts));
    for (const host of Object.keys(EXACT_HOSTS)) expect(documented, host).toContain(host);
    expect(rows.length).toBeGreaterThan(20);
  });

  it.each(tableRows().map((row) => [row.hosts.join(', ') || row.path, row] as const))('%s', (_label, row) => {
    if (row.hosts.length === 0 || row.hosts[0] === 'any other host') return;
    for (const host of row.hosts) {
      const url = urlFor(host, row.path);
      expect(registry.match('POST', url)?.providerName, url.href).toBe(row.provider);
    }
  });

  it('names unknown hosts by the protocol vendor, as the table says', () => {
    const anyHost = rows.filter((row) => row.hosts.length === 0 || row.hosts[0] === 'any other host');
    expect(anyHost).toHaveLength(4);
    for (const row of anyHost) {
      const path = PROTOCOL_PATHS[row.path];
      expect(path, row.path).toBeDefined();
      const match = registry.match('POST', new URL(`https://gateway.internal${path}`));
      expect(match?.providerName).toBe(row.provider);
      expect(match?.compatibleServer).toBe(row.provider === 'openai');
    }
  });

  it('marks as ours exactly the names that are not semconv values (perplexity is semconv)', () => {
    for (const row of rows) expect(row.ours, row.provider).toBe(!SEMCONV_PROVIDERS.has(row.provider));
    expect(rows.find((row) => row.provider === 'perplexity')?.ours).toBe(false);
  });
});
