import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { computeCost } from '../src/pricing/cost';
import { BUNDLED_PRICE_TABLE } from '../src/pricing/price-book';
import { lookupModel, type ModelEntry, type PriceTable } from '../src/pricing/price-table';

const script = fileURLToPath(new URL('../scripts/check-price-table.mjs', import.meta.url));
const table = JSON.parse(readFileSync(fileURLToPath(new URL('../src/pricing/prices.json', import.meta.url)), 'utf8')) as PriceTable;

function runCheck(path?: string) {
  return spawnSync(process.execPath, path ? [script, path] : [script], { encoding: 'utf8' });
}

function entry(key: string): ModelEntry {
  const found = table.models[key];
  if (!found) throw new Error(`${key} is not in prices.json`);
  return found;
}

describe('check-price-table.mjs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'price-table-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts the bundled prices.json and prints one summary line', () => {
    const run = runCheck();
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    expect(run.stdout).toMatch(/openai \d+/);
    expect(run.stdout).toMatch(/anthropic \d+/);
  });

  it('rejects a broken table and lists every problem', () => {
    const broken = {
      version: '2026-02-30',
      currency: 'USD',
      models: {
        'gpt-x': {
          provider: 'google',
          input: 1,
          output: Number.POSITIVE_INFINITY, // JSON turns this into null: not a finite price
          cachedInput: 2,
          contextWindow: 1000,
          longContext: { aboveInputTokens: 1000, input: 2, output: 2 },
          source: 'https://example.com/pricing',
          checked: '2026-01-01',
        },
      },
      aliases: { 'gpt-x': 'gpt-x', 'gpt y': 'missing' },
    };
    const path = join(dir, 'broken.json');
    writeFileSync(path, JSON.stringify(broken));
    const run = runCheck(path);
    expect(run.status).toBe(1);
    for (const expected of [
      'version: must be an ISO date',
      'output must be a finite number >= 0',
      'cachedInput 2 exceeds input 1',
      'provider "google" is not one of',
      'aboveInputTokens 1000 is not below contextWindow 1000',
      'aliases.gpt-x: shadows a model key',
      'aliases.gpt y: key "gpt y" must be lower-case without whitespace',
      'aliases.gpt y: points to "missing"',
    ]) {
      expect(run.stderr).toContain(expected);
    }
  });
});

describe('lookupModel on real model ids', () => {
  it.each([
    ['gpt-4o-mini-2024-07-18', 'gpt-4o-mini'],
    ['gpt-3.5-turbo-0125', 'gpt-3.5-turbo'],
    ['gpt-4-0613', 'gpt-4'],
    ['claude-3-5-sonnet-20241022', 'claude-3-5-sonnet'],
    ['claude-3-5-sonnet@20240620', 'claude-3-5-sonnet'],
    ['claude-3-5-sonnet-v2@20241022', 'claude-3-5-sonnet'],
    ['claude-3-5-sonnet-latest', 'claude-3-5-sonnet'],
    ['claude-3-opus-20240229', 'claude-3-opus'],
    ['claude-opus-4-1-20250805', 'claude-opus-4-1'],
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'],
    ['claude-opus-4-0', 'claude-opus-4'],
    ['models/gemini-2.5-pro', 'gemini-2.5-pro'],
    ['gemini-2.0-flash-001', 'gemini-2.0-flash'],
    ['gemini-2.5-flash-preview-09-2025', 'gemini-2.5-flash'],
    ['gemini-1.5-flash', 'gemini-1.5-flash'],
    ['openai/gpt-4o', 'gpt-4o'],
    ['openai/gpt-oss-120b', 'gpt-oss-120b'],
    ['meta-llama/llama-4-scout-17b-16e-instruct', 'llama-4-scout-17b-16e-instruct'],
    ['mistral-large-latest', 'mistral-large'],
    ['grok-4-0709', 'grok-4'],
    ['grok-4-fast-non-reasoning', 'grok-4-fast'],
    ['deepseek-reasoner', 'deepseek-reasoner'],
  ])('%s prices as %s', (id, key) => {
    const found = lookupModel(table, undefined, id);
    expect(found?.key).toBe(key);
    expect(found?.overridden).toBe(false);
    expect(found?.entry).toBe(table.models[key]);
  });

  it('never prices gpt-4o with gpt-4o-mini (no prefix matching)', () => {
    const gpt4o = lookupModel(table, undefined, 'gpt-4o');
    const mini = lookupModel(table, undefined, 'gpt-4o-mini');
    expect(gpt4o?.key).toBe('gpt-4o');
    expect(mini?.key).toBe('gpt-4o-mini');
    expect(gpt4o?.entry.input).toBe(2.5);
    expect(mini?.entry.input).toBe(0.15);
  });

  it('keeps a dated snapshot with its own price ahead of the suffix rule', () => {
    // gpt-4o-2024-05-13 and mistral-large-2411 are billed differently from what their base names price.
    expect(lookupModel(table, undefined, 'gpt-4o-2024-05-13')?.entry.input).toBe(5);
    expect(lookupModel(table, undefined, 'mistral-large-2411')?.entry.input).toBe(2);
    expect(lookupModel(table, undefined, 'mistral-large-2512')?.entry.input).toBe(0.5);
  });

  it('returns undefined for an unknown model', () => {
    expect(lookupModel(table, undefined, 'no-such-model-2024-01-01')).toBeUndefined();
    expect(lookupModel(table, undefined, 'acme/unknown')).toBeUndefined();
  });

  it('resolves every alias to its target entry', () => {
    for (const [alias, target] of Object.entries(table.aliases ?? {})) {
      expect(lookupModel(table, undefined, alias)?.entry, alias).toBe(table.models[target]);
    }
  });

  it('lets an override win and marks it overridden', () => {
    const overrides = { 'gpt-4o-mini': { input: 1, output: 2 }, 'my-fine-tune': { input: 3, output: 4 } };
    const known = lookupModel(table, overrides, 'gpt-4o-mini-2024-07-18');
    expect(known?.overridden).toBe(true);
    expect(known?.key).toBe('gpt-4o-mini');
    expect(known?.entry.input).toBe(1);
    expect(known?.entry.output).toBe(2);
    expect(known?.entry.provider).toBe('openai'); // the rest of the bundled entry is kept

    const custom = lookupModel(table, overrides, 'my-fine-tune');
    expect(custom?.overridden).toBe(true);
    expect(custom?.entry).toMatchObject({ provider: 'unknown', input: 3, output: 4 });
  });
});

describe('computeCost against the table, by hand', () => {
  it('splits cached, cache-write and uncached input and bills reasoning as output (Claude Sonnet 4.5)', () => {
    const sonnet = entry('claude-sonnet-4-5');
    expect(sonnet).toMatchObject({ input: 3, cachedInput: 0.3, cacheWrite: 3.75, output: 15 });
    // 10,000 input tokens of which 6,000 were read from the cache and 2,000 written to it;
    // 1,500 output tokens of which 1,000 were thinking.
    const cost = computeCost(sonnet, {
      inputTokens: 10_000,
      cacheReadInputTokens: 6_000,
      cacheCreationInputTokens: 2_000,
      outputTokens: 1_500,
      reasoningOutputTokens: 1_000,
    });
    // 2,000 × $3 + 6,000 × $0.30 + 2,000 × $3.75 + 1,500 × $15 = 6,000 + 1,800 + 7,500 + 22,500 = $37,800 per 1M
    expect(cost?.tier).toBe('standard');
    expect(cost?.cost).toBeCloseTo(0.0378, 12);
  });

  const openAiUsage = { inputTokens: 100_000, cacheReadInputTokens: 40_000, outputTokens: 10_000, reasoningOutputTokens: 8_000 };

  it('uses the flex prices when the request ran on the flex tier (GPT-5)', () => {
    const gpt5 = entry('gpt-5');
    expect(gpt5).toMatchObject({ input: 1.25, cachedInput: 0.125, output: 10 });
    expect(gpt5.tiers?.flex).toEqual({ input: 0.625, cachedInput: 0.0625, output: 5 });
    // standard: 60,000 × 1.25 + 40,000 × 0.125 + 10,000 × 10 = 75,000 + 5,000 + 100,000 = $180,000 per 1M
    expect(computeCost(gpt5, openAiUsage)?.cost).toBeCloseTo(0.18, 12);
    // flex: 60,000 × 0.625 + 40,000 × 0.0625 + 10,000 × 5 = 37,500 + 2,500 + 50,000 = $90,000 per 1M
    const flex = computeCost(gpt5, openAiUsage, 'flex');
    expect(flex?.tier).toBe('flex');
    expect(flex?.cost).toBeCloseTo(0.09, 12);
    // a tier the table does not list bills at the standard price
    expect(computeCost(gpt5, openAiUsage, 'default')).toEqual({ cost: computeCost(gpt5, openAiUsage)?.cost, tier: 'standard' });
  });

  it('uses the priority prices on the priority tier (GPT-5.4)', () => {
    const gpt54 = entry('gpt-5.4');
    expect(gpt54.tiers?.priority).toEqual({ input: 5, cachedInput: 0.5, output: 30 });
    // 60,000 × 5 + 40,000 × 0.5 + 10,000 × 30 = 300,000 + 20,000 + 300,000 = $620,000 per 1M
    const priority = computeCost(gpt54, openAiUsage, 'priority');
    expect(priority?.tier).toBe('priority');
    expect(priority?.cost).toBeCloseTo(0.62, 12);
  });

  it('switches to the long-context prices only above the threshold (Gemini 2.5 Pro, 200K)', () => {
    const pro = entry('gemini-2.5-pro');
    expect(pro.longContext).toEqual({ aboveInputTokens: 200_000, input: 2.5, cachedInput: 0.25, output: 15 });
    // 250,000 input of which 50,000 cached, 2,000 output (thinking included):
    // 200,000 × 2.5 + 50,000 × 0.25 + 2,000 × 15 = 500,000 + 12,500 + 30,000 = $542,500 per 1M
    const long = computeCost(pro, { inputTokens: 250_000, cacheReadInputTokens: 50_000, outputTokens: 2_000 });
    expect(long?.tier).toBe('long_context');
    expect(long?.cost).toBeCloseTo(0.5425, 12);
    // exactly at the threshold the standard prices apply: 200,000 × 1.25 + 2,000 × 10 = $270,000 per 1M
    const atThreshold = computeCost(pro, { inputTokens: 200_000, outputTokens: 2_000 });
    expect(atThreshold?.tier).toBe('standard');
    expect(atThreshold?.cost).toBeCloseTo(0.27, 12);
  });

  it('bills every token of a long prompt at the higher band, cache included (Claude Haiku 5.5, 100K)', () => {
    const haiku = entry('claude-haiku-5-5');
    expect(haiku.longContext).toEqual({ aboveInputTokens: 100_000, input: 0.5, output: 2.5, cachedInput: 0.05, cacheWrite: 0.625, cacheWrite1h: 1 });
    // 120,000 input = 70,000 uncached + 40,000 cache read + 10,000 cache write; 5,000 output:
    // 70,000 × 0.5 + 40,000 × 0.05 + 10,000 × 0.625 + 5,000 × 2.5 = 35,000 + 2,000 + 6,250 + 12,500 = $55,750 per 1M
    const cost = computeCost(haiku, {
      inputTokens: 120_000,
      cacheReadInputTokens: 40_000,
      cacheCreationInputTokens: 10_000,
      outputTokens: 5_000,
    });
    expect(cost?.tier).toBe('long_context');
    expect(cost?.cost).toBeCloseTo(0.05575, 12);
  });

  it('prices DeepSeek cache hits at the cache-hit rate', () => {
    const chat = entry('deepseek-chat');
    expect(chat).toMatchObject({ input: 0.28, cachedInput: 0.028, output: 0.42 });
    // 1,000,000 input of which 900,000 cache hits, 100,000 output: 100,000 × 0.28 + 900,000 × 0.028 + 100,000 × 0.42
    // = 28,000 + 25,200 + 42,000 = $95,200 per 1M
    const cost = computeCost(chat, { inputTokens: 1_000_000, cacheReadInputTokens: 900_000, outputTokens: 100_000 });
    expect(cost?.cost).toBeCloseTo(0.0952, 12);
  });
});

describe('costs without float noise (issue 9 item 5)', () => {
  it('300 input tokens of claude-3-5-haiku cost exactly 0.00024, not 0.00023999999999999998', () => {
    const haiku = entry('claude-3-5-haiku');
    expect(haiku.input).toBe(0.8);
    const cost = computeCost(haiku, { inputTokens: 300, outputTokens: 0 })?.cost;
    expect(cost).toBe(0.00024);
    expect(String(cost)).toBe('0.00024');
  });

  it('prints products of table prices and token counts without a tail of 9s or 0s, within 1e-11 of the exact value', () => {
    for (const name of ['claude-3-5-haiku', 'claude-sonnet-4-5', 'gpt-5', 'gpt-4o-mini']) {
      const model = entry(name);
      // Below every long-context threshold, so the standard prices apply.
      for (const tokens of [1, 3, 7, 49, 186, 300, 999, 12_345, 98_765]) {
        const cost = computeCost(model, { inputTokens: tokens, outputTokens: tokens })?.cost ?? 0;
        const exact = (tokens * model.input + tokens * model.output) / 1_000_000;
        expect(Math.abs(cost - exact)).toBeLessThan(exact * 1e-11);
        expect(String(cost)).not.toMatch(/(99999|00000)\d$/);
      }
    }
  });
});

describe('Anthropic 1-hour cache writes (cache_creation.ephemeral_1h_input_tokens)', () => {
  it('are billed at 2x input, the 5-minute ones at 1.25x (Claude Sonnet 4.5: $6 and $3.75 per 1M)', () => {
    const sonnet = entry('claude-sonnet-4-5');
    expect(sonnet).toMatchObject({ input: 3, cacheWrite: 3.75, cacheWrite1h: 6 });
    // 10,000 input tokens: 4,000 uncached, 6,000 written to the cache of which 2,000 for one hour.
    const cost = computeCost(sonnet, { inputTokens: 10_000, cacheCreationInputTokens: 6_000, cacheWrite1hInputTokens: 2_000, outputTokens: 0 });
    // Before: all 6,000 at $3.75 = 0.0345 in total.
    expect(cost?.cost).toBe((4_000 * 3 + 4_000 * 3.75 + 2_000 * 6) / 1e6);
  });

  it('every Anthropic entry of the table has the 1-hour price at twice its input price', () => {
    for (const [key, model] of Object.entries(BUNDLED_PRICE_TABLE.models)) {
      if (model.provider !== 'anthropic') continue;
      expect(model.cacheWrite1h, key).toBeCloseTo(model.input * 2, 9);
      if (model.longContext) expect(model.longContext.cacheWrite1h, key).toBeCloseTo(model.longContext.input * 2, 9);
    }
  });
});
