import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diag } from '@opentelemetry/api';
import {
  BudgetEngine,
  budgetsFromEnv,
  resolveBudgetsOrThrow,
  type ResolvedBudget,
  FileBudgetStore,
  MemoryBudgetStore,
  type AlertListener,
  type BudgetDefinition,
  type BudgetStore,
  type WebhookOptions,
} from '@llm-otel/budgets';
import type { LlmInstrumentation } from '@llm-otel/instrumentation';
import { maskDiagnostic, type EnvWarn } from './env-diagnostics';
import type { SetupOptions } from './options';

/** `setupTelemetry({ budgets })`: the list alone, or the list with where spend lives and who is told. */
export interface BudgetsOptions {
  budgets: BudgetDefinition[];
  /** IANA time zone of calendar periods for budgets that name none; LLM_OTEL_BUDGET_TIME_ZONE; default UTC. */
  timeZone?: string;
  /**
   * Where spend is kept: `file` (default), `memory`, or a store of your own (a Redis store). The file
   * is `file`, else LLM_OTEL_BUDGET_FILE, else `<spool dir>.budgets.json` beside the spool, else
   * `<os tmpdir>/llm-otel-budgets/<service name>.json`.
   */
  store?: 'file' | 'memory' | BudgetStore;
  file?: string;
  onAlert?: AlertListener;
  /** LLM_OTEL_BUDGET_WEBHOOK_URL (and LLM_OTEL_BUDGET_WEBHOOK_FORMAT `slack` | `json`). */
  webhook?: WebhookOptions;
  /** Turns a user id from context into its pseudonym (`createPseudonymiser` of @llm-otel/pii); user scopes need it. */
  userPseudonym?: (userId: string) => string;
}

/** Budgets from options, checked before anything is set up (an invalid one throws, naming it). */
export interface BudgetPlan {
  settings: Partial<BudgetsOptions>;
  timeZone: string;
  fromOptions: ResolvedBudget[] | undefined;
}

/**
 * Checks the budget options first, so that a budget that cannot work throws before set-up has
 * registered anything; the environment's timezone is read here too.
 */
export function planBudgets(
  options: SetupOptions,
  env: NodeJS.ProcessEnv,
  warn: EnvWarn,
  /** From the set-up's pseudonym key (`pseudonyms` / LLM_OTEL_PSEUDONYM_KEY), when the budgets name none. */
  defaultUserPseudonym?: (userId: string) => string,
): BudgetPlan | undefined {
  if (options.budgets === false) return undefined;
  const given: Partial<BudgetsOptions> = Array.isArray(options.budgets) ? { budgets: options.budgets } : (options.budgets ?? {});
  const settings: Partial<BudgetsOptions> = { ...given, userPseudonym: given.userPseudonym ?? defaultUserPseudonym };
  if (!settings.budgets && !env.LLM_OTEL_BUDGETS?.trim()) return undefined;
  const timeZone = settings.timeZone ?? timeZoneFromEnv(env, warn);
  const context = { timeZone, hasUserPseudonym: typeof settings.userPseudonym === 'function' };
  return { settings, timeZone, fromOptions: settings.budgets ? resolveBudgetsOrThrow(settings.budgets, context) : undefined };
}

/**
 * Starts the budget engine (options win over LLM_OTEL_BUDGETS) and plugs it into the instrumentation
 * before its hooks are installed. From the environment, each bad budget is a diagnostic error and is off.
 */
export function startBudgets(
  plan: BudgetPlan | undefined,
  env: NodeJS.ProcessEnv,
  warn: EnvWarn,
  instrumentation: LlmInstrumentation,
  // Read only when budgets are on: reading the resource masks it (resource.ts).
  serviceNameOf: () => string,
  spoolDir: string | undefined,
): BudgetEngine | undefined {
  if (!plan) return undefined;
  const { settings, timeZone } = plan;
  const resolved =
    plan.fromOptions ??
    budgetsFromEnv(env.LLM_OTEL_BUDGETS, { timeZone, hasUserPseudonym: typeof settings.userPseudonym === 'function' }, (message) =>
      diag.error(maskDiagnostic(message)),
    );
  if (resolved.length === 0 && !plan.fromOptions) return undefined;
  const serviceName = serviceNameOf();
  const engine = new BudgetEngine({
    resolved,
    timeZone,
    store: budgetStore(settings, env, serviceName, spoolDir),
    serviceName,
    userPseudonym: settings.userPseudonym,
    onAlert: settings.onAlert,
    webhook: settings.webhook ?? webhookFromEnv(env, warn),
    meter: instrumentation.sharedMeter,
  });
  instrumentation.setConfig({ ...instrumentation.getConfig(), onCallCompleted: engine.onCallCompleted, beforeSend: engine.check });
  return engine;
}

function budgetStore(settings: Partial<BudgetsOptions>, env: NodeJS.ProcessEnv, serviceName: string, spoolDir: string | undefined): BudgetStore {
  const store = settings.store ?? 'file';
  if (typeof store === 'object') return store;
  if (store === 'memory') return new MemoryBudgetStore();
  const path =
    settings.file ??
    (env.LLM_OTEL_BUDGET_FILE?.trim() || undefined) ??
    (spoolDir ? `${spoolDir.replace(/[/\\]+$/, '')}.budgets.json` : join(tmpdir(), 'llm-otel-budgets', `${serviceName.replace(/[^A-Za-z0-9._-]/g, '_')}.json`));
  try {
    return new FileBudgetStore({ path });
  } catch (error) {
    // Telemetry never stops an app: spend is then counted in memory only.
    diag.error(
      maskDiagnostic(
        `llm-otel: the budget file cannot be used (${(error as NodeJS.ErrnoException).code ?? 'error'}); spend is kept in memory and does not survive a restart`,
      ),
    );
    return new MemoryBudgetStore();
  }
}

function timeZoneFromEnv(env: NodeJS.ProcessEnv, warn: EnvWarn): string {
  const value = env.LLM_OTEL_BUDGET_TIME_ZONE?.trim();
  if (!value) return 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return value;
  } catch {
    warn(`llm-otel: LLM_OTEL_BUDGET_TIME_ZONE=${JSON.stringify(value)} is not an IANA time zone; using UTC`);
    return 'UTC';
  }
}

function webhookFromEnv(env: NodeJS.ProcessEnv, warn: EnvWarn): WebhookOptions | undefined {
  const url = env.LLM_OTEL_BUDGET_WEBHOOK_URL?.trim();
  if (!url) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Never echo the value: a webhook URL is a secret.
    warn('llm-otel: LLM_OTEL_BUDGET_WEBHOOK_URL is not a URL; no budget webhook');
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    warn('llm-otel: LLM_OTEL_BUDGET_WEBHOOK_URL must be http or https; no budget webhook');
    return undefined;
  }
  const format = env.LLM_OTEL_BUDGET_WEBHOOK_FORMAT?.trim().toLowerCase();
  if (format && format !== 'slack' && format !== 'json')
    warn(`llm-otel: LLM_OTEL_BUDGET_WEBHOOK_FORMAT=${JSON.stringify(format)} is neither slack nor json; using slack`);
  return { url, format: format === 'json' ? 'json' : 'slack' };
}

/**
 * OTEL_SDK_DISABLED=true installs nothing, hard stops included: it stays the one switch that
 * guarantees llm-otel changes nothing about an application's requests (what an operator reaches for
 * to rule it out). Budgets that were asked for are named in a warning, so that is never silent.
 */
export function warnBudgetsOffWhenDisabled(options: SetupOptions, env: NodeJS.ProcessEnv, warn: EnvWarn): void {
  if (options.budgets === false) return;
  const configured = Array.isArray(options.budgets) ? options.budgets : options.budgets?.budgets;
  if ((configured && configured.length > 0) || env.LLM_OTEL_BUDGETS?.trim()) {
    warn('llm-otel: OTEL_SDK_DISABLED=true: budgets are off too (no accounting, alerts or hard stops)');
  }
}
