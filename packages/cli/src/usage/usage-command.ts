import { parseArgs } from 'node:util';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { SCOPE_KEYS, type ScopeKey, type ScopeValues, usageReport } from '@llm-otel/budgets/report';
import type { Command, CommandIo } from '../command';
import { UsageError } from '../verify/keys';
import { formatUsageJson, formatUsageTable } from './format-usage';
import { type OpenedStore, openFileStore, openRedisStore, StoreUnreadable } from './open-store';

const HELP = `Usage: llm-otel usage (--file PATH | --redis URL) [options]

Spend recorded by @llm-otel/budgets, per budget, period and scope: exact and estimated USD apart,
calls, and calls to models without a price. Reads the store the apps write; changes nothing.

Store:
  --file PATH          the file store: LLM_OTEL_BUDGET_FILE, <spool dir>.budgets.json, or
                       <tmpdir>/llm-otel-budgets/<service>.json (setupTelemetry's default);
                       without --file and --redis, LLM_OTEL_BUDGET_FILE names it
  --redis URL          redis://[user[:password]@]host:port[/db], rediss:// for TLS; without a password
                       in the URL, REDISCLI_AUTH is used as redis-cli does
  --prefix PREFIX      the RedisBudgetStore prefix the apps use (default none)
Filters:
  --budget NAME        one budget
  --period ID          day:2026-12-01, month:2026-12, or the start of ids: day, month, day:2026-12
  --scope KEY=VALUE    ${SCOPE_KEYS.join(', ')} (user values are pseudonyms); repeat for more
Output:
  --json               the report as JSON (micro-dollars as integers, USD as exact strings)

Exit status: 0 with a report (also an empty one), 1 when the store cannot be read, 2 on a usage error.`;

const SCOPE_KEY_SET: ReadonlySet<string> = new Set(SCOPE_KEYS);

function scopeFilter(pairs: string[] | undefined): ScopeValues | undefined {
  if (!pairs?.length) return undefined;
  const scope: ScopeValues = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const name = eq > 0 ? pair.slice(0, eq) : '';
    if (!SCOPE_KEY_SET.has(name))
      throw new UsageError(`--scope: expected KEY=VALUE with KEY one of ${SCOPE_KEYS.join(', ')}, got ${JSON.stringify(pair.slice(0, 40))}`);
    scope[name as ScopeKey] = pair.slice(eq + 1);
  }
  return scope;
}

export const usageCommand: Command = {
  name: 'usage',
  summary: 'spend per budget, period and scope from the budget store (file or Redis)',
  help: HELP,
  async run(argv: string[], io: CommandIo): Promise<number> {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        file: { type: 'string' },
        redis: { type: 'string' },
        prefix: { type: 'string' },
        budget: { type: 'string' },
        period: { type: 'string' },
        scope: { type: 'string', multiple: true },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      io.stdout(`${HELP}\n`);
      return 0;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0].slice(0, 40))}`);
    // As the apps find their file: the same variable, so `llm-otel usage` alone reads what they write.
    const file = values.file ?? (values.redis === undefined ? io.env.LLM_OTEL_BUDGET_FILE?.trim() || undefined : undefined);
    if ((file === undefined) === (values.redis === undefined))
      throw new UsageError('name the store: --file PATH or --redis URL (one of them), or set LLM_OTEL_BUDGET_FILE');
    if (values.prefix !== undefined && values.redis === undefined) throw new UsageError('--prefix is for --redis');
    const filters = { budget: values.budget, period: values.period, scope: scopeFilter(values.scope) };

    // The stores report a damaged file (read as empty by the apps) through OpenTelemetry's diag: here
    // that is a failed read, not an empty report.
    const storeErrors: string[] = [];
    const collect = (message: string) => void storeErrors.push(message);
    const ignore = () => undefined;
    diag.setLogger(
      { error: collect, warn: collect, info: ignore, debug: ignore, verbose: ignore },
      { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
    );
    let opened: OpenedStore | undefined;
    try {
      opened = file !== undefined ? openFileStore(file) : await openRedisStore(values.redis!, values.prefix, io.env);
      const report = await usageReport(opened.store, filters);
      if (storeErrors.length > 0) {
        io.stderr(storeErrors.map((message) => `llm-otel usage: ${message}\n`).join(''));
        return 1;
      }
      io.stdout(values.json ? formatUsageJson(report) : formatUsageTable(report));
      return 0;
    } catch (error) {
      if (error instanceof UsageError) throw error;
      const message =
        error instanceof StoreUnreadable ? error.message : `reading the store failed (${(error as NodeJS.ErrnoException).code ?? (error as Error).name})`;
      io.stderr(`llm-otel usage: ${message}\n`);
      return 1;
    } finally {
      await opened?.close();
      diag.disable();
    }
  },
};
