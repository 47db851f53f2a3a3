import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { BudgetEngine, budgetsFromEnv, type BudgetDefinition } from '../src/index';

const context = { timeZone: 'UTC', hasUserPseudonym: false };

describe('a budget in options that cannot work fails at set-up, naming it', () => {
  test.each([
    [{ name: 'neg', limitUsd: -1, period: 'day' }, 'budget "neg": limitUsd must be a positive number'],
    [{ name: 'zero', limitUsd: 0, period: 'day' }, 'budget "zero": limitUsd must be a positive number'],
    [{ name: 'nan', limitUsd: Number.NaN, period: 'day' }, 'budget "nan": limitUsd must be a positive number'],
    [{ name: 'scope', limitUsd: 1, period: 'day', scope: { team: 'a' } }, 'budget "scope": unknown scope key "team"'],
    [{ name: 'warn', limitUsd: 1, period: 'day', warnAt: 1.5 }, 'budget "warn": warnAt must be a fraction in (0, 1]'],
    [{ name: 'week', limitUsd: 1, period: 'week' }, 'budget "week": period must be "request", "day" or "month"'],
    [{ name: 'tz', limitUsd: 1, period: 'day', timeZone: 'Mars/Olympus' }, 'budget "tz": timeZone "Mars/Olympus" is not an IANA time zone'],
    [{ name: 'typo', limitUsd: 1, period: 'day', hardstop: true }, 'budget "typo": unknown field "hardstop"'],
    [{ limitUsd: 1, period: 'day' }, 'budget #1: needs a non-empty name'],
    [{ name: 'users', limitUsd: 1, period: 'day', scope: { user: '*' } }, 'budget "users": a user scope needs a userPseudonym function'],
  ])('%o', (budget, message) => {
    expect(() => new BudgetEngine({ budgets: [budget as unknown as BudgetDefinition] })).toThrow(message);
  });

  test('two budgets of one name', () => {
    const budget: BudgetDefinition = { name: 'twice', limitUsd: 1, period: 'day' };
    expect(() => new BudgetEngine({ budgets: [budget, budget] })).toThrow('budget "twice" is defined twice');
  });

  test('a user scope is accepted with a pseudonymiser', () => {
    expect(
      () => new BudgetEngine({ budgets: [{ name: 'u', limitUsd: 1, period: 'day', scope: { user: '*' } }], userPseudonym: (id) => `p-${id.length}` }),
    ).not.toThrow();
  });
});

describe('LLM_OTEL_BUDGETS: an invalid budget is visibly off, the others apply, nothing throws', () => {
  const budgets = JSON.stringify([
    { name: 'good', limitUsd: 5, period: 'month' },
    { name: 'bad', limitUsd: -5, period: 'month' },
    { name: 'also-good', limitUsd: 1, period: 'request', hardStop: true },
  ]);

  test('as JSON', () => {
    const reports: string[] = [];
    const resolved = budgetsFromEnv(budgets, context, (message) => reports.push(message));
    expect(resolved.map((budget) => budget.name)).toEqual(['good', 'also-good']);
    expect(reports).toEqual(['llm-otel: budget "bad": limitUsd must be a positive number of US dollars; this budget is off']);
  });

  test('as a file path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'budgets-env-'));
    writeFileSync(join(dir, 'budgets.json'), budgets);
    const reports: string[] = [];
    expect(budgetsFromEnv(join(dir, 'budgets.json'), context, (message) => reports.push(message)).map((budget) => budget.name)).toEqual(['good', 'also-good']);
    expect(reports).toHaveLength(1);
  });

  test.each([
    ['[{"name":', 'LLM_OTEL_BUDGETS is not valid JSON; no budget is on'],
    ['/nonexistent/budgets.json', 'LLM_OTEL_BUDGETS names a file that cannot be read (ENOENT); no budget is on'],
    ['[1]', 'budget #1: must be an object; this budget is off'],
  ])('%s', (value, message) => {
    const reports: string[] = [];
    expect(budgetsFromEnv(value, context, (report) => reports.push(report))).toEqual([]);
    expect(reports).toEqual([`llm-otel: ${message}`]);
  });
});
