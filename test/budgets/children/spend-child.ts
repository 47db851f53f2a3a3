// A process that spends: records CALLS calls of COST_USD each against a daily budget kept in the
// file store at BUDGET_FILE, prints each alert as a JSON line, then `flushed`, then exits
// (EXIT=normal) or waits to be killed (EXIT=wait).
import { BudgetEngine, FileBudgetStore } from '../../../packages/budgets/src/index';

const env = process.env;
const now = () => Number(env.NOW_MS);
const store = new FileBudgetStore({ path: env.BUDGET_FILE!, now, flushIntervalMillis: 60_000 });
const engine = new BudgetEngine({
  store,
  now,
  budgets: [{ name: 'daily', limitUsd: Number(env.LIMIT_USD), period: 'day', warnAt: 0.5, hardStop: true }],
  onAlert: (alert) => console.log(JSON.stringify({ alert: alert.level, spentMicros: alert.spentMicros })),
});
const span = { addEvent() {} };
for (let i = 0; i < Number(env.CALLS); i++) {
  engine.onCallCompleted(
    {
      attributes: { 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o-mini' },
      durationSeconds: 0.1,
      usage: { inputTokens: 1, outputTokens: 1 },
      usageEstimated: false,
      cost: Number(env.COST_USD),
      estimatesInTokenUsage: false,
    },
    span,
  );
}
store.flush();
console.log('flushed');
if (env.EXIT === 'wait') setInterval(() => {}, 1000);
