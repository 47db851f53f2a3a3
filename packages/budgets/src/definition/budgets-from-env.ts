import { readFileSync } from 'node:fs';
import type { ResolvedBudget } from './budget-definition';
import { resolveBudgetsLeniently, type BudgetCheckContext } from './validate-budget';

/** Largest budget file read; a budget list is a few hundred bytes. */
const MAX_FILE_BYTES = 1024 * 1024;

/**
 * Budgets from `LLM_OTEL_BUDGETS`: a JSON array of budget definitions when the value starts with `[`,
 * otherwise the path of a file holding one. Nothing here throws: a malformed value or file turns its
 * budgets off with a diagnostic error naming each (the application starts, as with a bad OTEL_* value).
 */
export function budgetsFromEnv(value: string | undefined, context: BudgetCheckContext, report: (message: string) => void): ResolvedBudget[] {
  const text = value?.trim();
  if (!text) return [];
  const fromFile = !text.startsWith('[');
  let json = text;
  if (fromFile) {
    try {
      const bytes = readFileSync(text);
      if (bytes.byteLength > MAX_FILE_BYTES) {
        report(`llm-otel: the budget file named by LLM_OTEL_BUDGETS is larger than ${MAX_FILE_BYTES} bytes; no budget is on`);
        return [];
      }
      json = bytes.toString('utf8');
    } catch (error) {
      report(`llm-otel: LLM_OTEL_BUDGETS names a file that cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}); no budget is on`);
      return [];
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    report(`llm-otel: ${fromFile ? 'the budget file named by LLM_OTEL_BUDGETS' : 'LLM_OTEL_BUDGETS'} is not valid JSON; no budget is on`);
    return [];
  }
  return resolveBudgetsLeniently(parsed, context, report);
}
