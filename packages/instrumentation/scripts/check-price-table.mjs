#!/usr/bin/env node
// Validates the bundled price table (src/pricing/prices.json, or the path given as the first argument)
// against the PriceTable schema in src/pricing/price-table.ts. Lists every problem and exits 1, or
// prints one summary line and exits 0. No dependencies: it runs before anything is built.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const PROVIDERS = new Set(['openai', 'anthropic', 'gcp.gemini', 'deepseek', 'mistral_ai', 'groq', 'x_ai']);
const PRICE_FIELDS = ['input', 'output', 'cachedInput', 'cacheWrite', 'cacheWrite1h'];
const ENTRY_FIELDS = new Set([...PRICE_FIELDS, 'provider', 'contextWindow', 'maxOutputTokens', 'tiers', 'longContext', 'source', 'checked']);
const TIER_FIELDS = new Set(PRICE_FIELDS);
const LONG_CONTEXT_FIELDS = new Set([...PRICE_FIELDS, 'aboveInputTokens']);
const KEY = /^[a-z0-9][a-z0-9._:/@-]*$/;

const path = process.argv[2] ?? fileURLToPath(new URL('../src/pricing/prices.json', import.meta.url));
const problems = [];
const problem = (where, what) => problems.push(`${where}: ${what}`);

const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPrice = (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const isCount = (v) => Number.isInteger(v) && v > 0;

function isIsoDate(v) {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

function checkKey(where, key) {
  if (!KEY.test(key)) problem(where, `key ${JSON.stringify(key)} must be lower-case without whitespace`);
}

function checkUnknownFields(where, value, allowed) {
  for (const field of Object.keys(value)) if (!allowed.has(field)) problem(where, `unknown field ${field}`);
}

function checkPrices(where, prices, { required }) {
  for (const field of PRICE_FIELDS) {
    const value = prices[field];
    const mandatory = required && (field === 'input' || field === 'output');
    if (value === undefined) {
      if (mandatory) problem(where, `${field} is required`);
    } else if (!isPrice(value)) {
      problem(where, `${field} must be a finite number >= 0, got ${JSON.stringify(value)}`);
    }
  }
  if (isPrice(prices.cachedInput) && isPrice(prices.input) && prices.cachedInput > prices.input) {
    problem(where, `cachedInput ${prices.cachedInput} exceeds input ${prices.input}`);
  }
}

function checkEntry(key, entry, version) {
  const where = `models.${key}`;
  checkKey(where, key);
  if (!isObject(entry)) return problem(where, 'must be an object');
  checkUnknownFields(where, entry, ENTRY_FIELDS);
  checkPrices(where, entry, { required: true });

  if (!PROVIDERS.has(entry.provider)) {
    problem(where, `provider ${JSON.stringify(entry.provider)} is not one of ${[...PROVIDERS].join(', ')}`);
  }
  if (typeof entry.source !== 'string' || !/^https:\/\/\S+$/.test(entry.source)) {
    problem(where, 'source must be an https URL');
  }
  if (!isIsoDate(entry.checked)) problem(where, `checked must be an ISO date (YYYY-MM-DD), got ${JSON.stringify(entry.checked)}`);
  else if (isIsoDate(version) && entry.checked > version) problem(where, `checked ${entry.checked} is newer than table version ${version}`);

  for (const field of ['contextWindow', 'maxOutputTokens']) {
    if (entry[field] !== undefined && !isCount(entry[field])) problem(where, `${field} must be a positive integer`);
  }
  if (isCount(entry.contextWindow) && isCount(entry.maxOutputTokens) && entry.maxOutputTokens > entry.contextWindow) {
    problem(where, `maxOutputTokens ${entry.maxOutputTokens} exceeds contextWindow ${entry.contextWindow}`);
  }

  if (entry.tiers !== undefined) {
    if (!isObject(entry.tiers)) problem(where, 'tiers must be an object');
    else {
      for (const [tier, prices] of Object.entries(entry.tiers)) {
        const tierWhere = `${where}.tiers.${tier}`;
        checkKey(tierWhere, tier);
        if (!isObject(prices)) problem(tierWhere, 'must be an object');
        else {
          checkUnknownFields(tierWhere, prices, TIER_FIELDS);
          checkPrices(tierWhere, prices, { required: true });
        }
      }
    }
  }

  if (entry.longContext !== undefined) {
    const lcWhere = `${where}.longContext`;
    const lc = entry.longContext;
    if (!isObject(lc)) problem(lcWhere, 'must be an object');
    else {
      checkUnknownFields(lcWhere, lc, LONG_CONTEXT_FIELDS);
      checkPrices(lcWhere, lc, { required: true });
      if (!isCount(lc.aboveInputTokens)) problem(lcWhere, 'aboveInputTokens must be a positive integer');
      else if (!isCount(entry.contextWindow)) problem(lcWhere, 'needs contextWindow on the entry to be checked against');
      else if (lc.aboveInputTokens >= entry.contextWindow) {
        problem(lcWhere, `aboveInputTokens ${lc.aboveInputTokens} is not below contextWindow ${entry.contextWindow}`);
      }
    }
  }
}

function checkTable(table) {
  if (!isObject(table)) return problem('table', 'must be a JSON object');
  checkUnknownFields('table', table, new Set(['version', 'currency', 'models', 'aliases']));
  if (!isIsoDate(table.version)) problem('version', `must be an ISO date (YYYY-MM-DD), got ${JSON.stringify(table.version)}`);
  if (table.currency !== 'USD') problem('currency', `must be "USD", got ${JSON.stringify(table.currency)}`);
  if (!isObject(table.models)) return problem('models', 'must be an object');
  if (Object.keys(table.models).length === 0) problem('models', 'is empty');
  for (const [key, entry] of Object.entries(table.models)) checkEntry(key, entry, table.version);

  if (table.aliases === undefined) return;
  if (!isObject(table.aliases)) return problem('aliases', 'must be an object');
  for (const [alias, target] of Object.entries(table.aliases)) {
    const where = `aliases.${alias}`;
    checkKey(where, alias);
    if (Object.hasOwn(table.models, alias)) problem(where, 'shadows a model key of the same name');
    if (typeof target !== 'string' || !Object.hasOwn(table.models, target)) {
      problem(where, `points to ${JSON.stringify(target)}, which is not a model key`);
    }
  }
}

let table;
try {
  table = JSON.parse(readFileSync(path, 'utf8'));
} catch (error) {
  problem(path, `cannot be read as JSON: ${error.message}`);
}
if (table !== undefined) checkTable(table);

if (problems.length > 0) {
  console.error(`${path}: ${problems.length} problem(s)`);
  for (const line of problems) console.error(`  - ${line}`);
  process.exit(1);
}

const perProvider = {};
for (const entry of Object.values(table.models)) perProvider[entry.provider] = (perProvider[entry.provider] ?? 0) + 1;
const counts = Object.entries(perProvider)
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([provider, n]) => `${provider} ${n}`)
  .join(', ');
console.log(
  `prices.json ${table.version}: ${Object.keys(table.models).length} models (${counts}), ` + `${Object.keys(table.aliases ?? {}).length} aliases — OK`,
);
