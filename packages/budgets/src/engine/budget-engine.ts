import { diag, type Counter, type Meter } from '@opentelemetry/api';
import { semconv, type CallSummary, type CompletedCallSpan, type OutgoingLlmRequest, type Refusal } from '@llm-otel/instrumentation';
import type { AlertLevel, AlertListener, BudgetAlert } from '../alerts/budget-alert';
import { WebhookNotifier, type WebhookOptions } from '../alerts/webhook-notifier';
import type { BudgetDefinition, ResolvedBudget } from '../definition/budget-definition';
import { isTimeZone, resolveBudgetsOrThrow } from '../definition/validate-budget';
import { formatMicros, MICROS_PER_USD, usdToMicros } from '../money';
import { PeriodClock } from '../period/calendar-period';
import type { BudgetStore, SpendTotals } from '../store/budget-store';
import { isImmediateStore } from '../store/immediate-store';
import { MemoryBudgetStore } from '../store/memory-store';
import { encodeSpendKey, type ScopeValues } from '../store/spend-key';
import { storeUnavailableMessage } from '../store/store-availability';
import { scopeValuesFor, type CallFacts } from './call-scope';
import { cachedPseudonyms } from './pseudonym-cache';
import { refusalFor } from './refusal-body';
import { SpendLedger } from './spend-ledger';
import { worstCaseMicros } from './worst-case';

export interface BudgetEngineOptions {
  /** Budgets from code: an invalid one throws, naming it. Already resolved ones (from a file or the environment) go in `resolved`. */
  budgets?: readonly BudgetDefinition[];
  resolved?: readonly ResolvedBudget[];
  /** Where spend is kept; default an in-memory store. */
  store?: BudgetStore;
  /** IANA time zone of calendar periods for budgets that name none; default `UTC`. */
  timeZone?: string;
  /** The `service` scope value of every call (the service name of the resource). */
  serviceName?: string;
  /** Turns a user id from context into its pseudonym (TEAM.md item 2); without it, user scopes are refused. */
  userPseudonym?: (userId: string) => string;
  /** Called once per alert; it must not throw (it is guarded) and must not block. */
  onAlert?: AlertListener;
  /** A built-in notifier: alerts POSTed in the background (Slack-compatible or generic JSON). */
  webhook?: WebhookOptions;
  /** For the alert, refusal and webhook-drop counters. */
  meter?: Meter;
  /** Injected clock (tests: DST days, clocks going back). */
  now?: () => number;
}

/** Alert markers live beside spend keys, so a store remembers which alerts were sent (across restarts and replicas). */
const ALERT_KEY_PREFIX = 'llm-otel:budget-alert:v1:';
const WARNING: AlertLevel = 'warning';
const CRITICAL: AlertLevel = 'critical';

/**
 * Accounts each call's cost against the budgets that count it, raises alerts when a threshold is
 * crossed, and (for budgets with `hardStop`) refuses calls before they are sent.
 * `onCallCompleted` and `check` plug into LlmInstrumentation's `onCallCompleted` and `beforeSend`.
 */
export class BudgetEngine {
  readonly budgets: readonly ResolvedBudget[];
  private readonly hardStops: readonly ResolvedBudget[];
  private readonly ledger: SpendLedger;
  private readonly clock: PeriodClock;
  private readonly webhook?: WebhookNotifier;
  private readonly alertCounter?: Counter;
  private readonly refusalCounter?: Counter;
  private readonly pricedModels = new Map<string, boolean>();
  private readonly userPseudonym: ((userId: string) => string) | undefined;

  constructor(private readonly options: BudgetEngineOptions = {}) {
    const timeZone = options.timeZone ?? 'UTC';
    if (!isTimeZone(timeZone)) throw new TypeError(`llm-otel: budget timeZone ${JSON.stringify(timeZone)} is not an IANA time zone`);
    const context = { timeZone, hasUserPseudonym: typeof options.userPseudonym === 'function' };
    this.budgets = [...resolveBudgetsOrThrow(options.budgets ?? [], context), ...(options.resolved ?? [])];
    this.hardStops = this.budgets.filter((budget) => budget.hardStop);
    this.userPseudonym = cachedPseudonyms(options.userPseudonym);
    const now = options.now ?? Date.now;
    this.clock = new PeriodClock(now);
    this.ledger = new SpendLedger(options.store ?? new MemoryBudgetStore(), now);
    const meter = options.meter;
    this.alertCounter = meter?.createCounter(semconv.METRIC_LLM_OTEL_BUDGET_ALERTS, { description: 'Budget thresholds crossed', unit: '{alert}' });
    this.refusalCounter = meter?.createCounter(semconv.METRIC_LLM_OTEL_BUDGET_REFUSALS, {
      description: 'Calls refused before sending by a budget hard stop',
      unit: '{call}',
    });
    if (options.webhook) {
      const dropped = meter?.createCounter(semconv.METRIC_LLM_OTEL_BUDGET_WEBHOOK_DROPPED, {
        description: 'Budget alerts dropped by a full webhook queue',
        unit: '{alert}',
      });
      this.webhook = new WebhookNotifier(options.webhook, () => dropped?.add(1));
    }
  }

  get store(): BudgetStore {
    return this.ledger.store;
  }

  /** Sent, failed and dropped webhook deliveries. */
  get webhookStats(): WebhookNotifier['stats'] | undefined {
    return this.webhook?.stats;
  }

  /** For LlmInstrumentation's `onCallCompleted`: one call's cost, once. */
  readonly onCallCompleted = (summary: CallSummary, span: CompletedCallSpan): void => {
    if (!summary.usage || this.budgets.length === 0) return;
    const attributes = summary.attributes;
    const facts: CallFacts = {
      service: this.options.serviceName,
      provider: stringAttribute(attributes[semconv.ATTR_GEN_AI_PROVIDER_NAME]),
      // The request's model, as the check before sending sees it (a response names a dated version).
      model: stringAttribute(attributes[semconv.ATTR_GEN_AI_REQUEST_MODEL]) ?? stringAttribute(attributes[semconv.ATTR_GEN_AI_RESPONSE_MODEL]),
      context: summary.context,
    };
    const micros = summary.cost === undefined ? 0 : usdToMicros(summary.cost);
    const spend: SpendTotals = {
      exactMicros: summary.usageEstimated ? 0 : micros,
      estimatedMicros: summary.usageEstimated ? micros : 0,
      unpricedCalls: summary.cost === undefined ? 1 : 0,
      calls: 1,
    };
    const at = this.clock.now();
    for (const budget of this.budgets) {
      const scope = scopeValuesFor(budget.scope, facts, this.userPseudonym);
      if (scope) this.account(budget, scope, spend, at, span);
    }
  };

  /** For LlmInstrumentation's `beforeSend`: a refusal when a hard-stop budget would be exceeded. */
  readonly check = (request: OutgoingLlmRequest): Refusal | undefined => {
    // Above the request-body bound nothing is known of the request: fail open.
    if (this.hardStops.length === 0 || request.bodyUnread) return undefined;
    const facts: CallFacts = { service: this.options.serviceName, provider: request.providerName, model: request.model, context: request.context };
    for (const budget of this.hardStops) {
      const scope = scopeValuesFor(budget.scope, facts, this.userPseudonym);
      if (!scope) continue;
      const message = storeUnavailableMessage(this.store, budget.name) ?? this.refusalMessage(budget, scope, request);
      if (message === undefined) continue;
      this.refusalCounter?.add(1, { [semconv.ATTR_LLM_OTEL_BUDGET_NAME]: budget.name });
      return refusalFor(request.providerName, message, budget.name);
    }
    return undefined;
  };

  /** Waits for spend and alerts still on their way to the store and the webhook. */
  async flush(timeoutMillis = 5000): Promise<void> {
    await Promise.all([this.ledger.flush(), this.webhook?.flush(timeoutMillis)]);
    (this.store as { flush?: () => unknown }).flush?.();
  }

  async close(timeoutMillis = 5000): Promise<void> {
    await this.ledger.flush();
    await this.webhook?.close(timeoutMillis);
    await this.store.close();
  }

  private refusalMessage(budget: ResolvedBudget, scope: ScopeValues, request: OutgoingLlmRequest): string | undefined {
    // Single quotes: Anthropic's SDK shows the error body as JSON, where double quotes would be escaped.
    const name = `llm-otel budget '${budget.name}'`;
    const model = request.model;
    if (budget.refuseUnpriced && model !== undefined && !this.isPriced(request, model)) {
      return `${name} refuses calls to models without a price, and ${model} has none; the call was not sent`;
    }
    if (budget.period === 'request') {
      const worst = worstCaseMicros(request);
      if (worst === undefined || worst <= budget.limitMicros) return undefined;
      return `${name}: this call could cost up to ${formatMicros(worst)}, ${formatMicros(worst - budget.limitMicros)} over its per-request limit of ${formatMicros(budget.limitMicros)}; the call was not sent`;
    }
    const period = this.clock.current(budget.period, budget.timeZone);
    const totals = this.ledger.peek(encodeSpendKey(budget.name, period.id, scope));
    const spent = totals ? totals.exactMicros + totals.estimatedMicros : 0;
    if (spent < budget.limitMicros) return undefined;
    return `${name} is spent for ${period.id}: ${formatMicros(spent)} of ${formatMicros(budget.limitMicros)} (over by ${formatMicros(spent - budget.limitMicros)}); the call was not sent`;
  }

  private isPriced(request: OutgoingLlmRequest, model: string): boolean {
    let priced = this.pricedModels.get(model);
    if (priced === undefined) {
      priced = request.price(model, { inputTokens: 1, outputTokens: 1 }) !== undefined;
      if (this.pricedModels.size < 1000) this.pricedModels.set(model, priced);
    }
    return priced;
  }

  private account(budget: ResolvedBudget, scope: ScopeValues, spend: SpendTotals, at: number, span: CompletedCallSpan): void {
    let periodId = 'request';
    let key: string | undefined;
    let expiresAt: number | undefined;
    let before = 0;
    let after = spend;
    if (budget.period !== 'request') {
      const period = this.clock.current(budget.period, budget.timeZone, at);
      periodId = period.id;
      key = encodeSpendKey(budget.name, periodId, scope);
      const previous = this.ledger.peek(key);
      before = previous ? previous.exactMicros + previous.estimatedMicros : 0;
      expiresAt = period.endsBefore;
      after = this.ledger.add({ key, ...spend, expiresAt });
    }
    const spent = after.exactMicros + after.estimatedMicros;
    const crossed = (fraction: number) => {
      const threshold = Math.ceil(fraction * budget.limitMicros);
      return before < threshold && spent >= threshold;
    };
    const levels: AlertLevel[] = [];
    if (budget.warnAt !== undefined && crossed(budget.warnAt)) levels.push(WARNING);
    if (crossed(1)) levels.push(CRITICAL);
    for (const level of levels) {
      const alert: BudgetAlert = {
        budget: budget.name,
        level,
        threshold: level === CRITICAL ? 1 : budget.warnAt!,
        period: budget.period,
        periodId,
        scope,
        limitUsd: budget.limitUsd,
        spentUsd: spent / MICROS_PER_USD,
        spentMicros: spent,
        estimatedMicros: after.estimatedMicros,
        unpricedCalls: after.unpricedCalls,
        at: new Date(at).toISOString(),
      };
      this.raise(alert, key, expiresAt, span);
    }
  }

  /**
   * Once per threshold and period: the store keeps a marker per alert, so a restart (file store) or
   * another replica (Redis) that sees the same crossing does not send it again.
   */
  private raise(alert: BudgetAlert, key: string | undefined, expiresAt: number | undefined, span: CompletedCallSpan): void {
    if (key === undefined || expiresAt === undefined) {
      this.deliver(alert, span);
      return;
    }
    const marker = { key: `${ALERT_KEY_PREFIX}${key}|${alert.level}`, exactMicros: 0, estimatedMicros: 0, unpricedCalls: 0, calls: 1, expiresAt };
    const store = this.store;
    if (isImmediateStore(store)) {
      if (store.addNow(marker).calls === 1) this.deliver(alert, span);
      return;
    }
    // A remote store answers later: the event goes on the call's span now; the rest once the store says this replica is first.
    addAlertEvent(span, alert);
    store.add(marker).then(
      (totals) => totals.calls === 1 && this.deliver(alert, undefined),
      () => this.deliver(alert, undefined), // store down: better a possible duplicate than a lost alert
    );
  }

  private deliver(alert: BudgetAlert, span: CompletedCallSpan | undefined): void {
    if (span) addAlertEvent(span, alert);
    this.alertCounter?.add(1, { [semconv.ATTR_LLM_OTEL_BUDGET_NAME]: alert.budget, [semconv.ATTR_LLM_OTEL_BUDGET_ALERT_LEVEL]: alert.level });
    const listener = this.options.onAlert;
    if (listener) {
      try {
        listener(alert);
      } catch (error) {
        diag.warn(`llm-otel: a budget alert listener threw: ${(error as Error).message}`);
      }
    }
    this.webhook?.enqueue(alert);
  }
}

function addAlertEvent(span: CompletedCallSpan, alert: BudgetAlert): void {
  span.addEvent(semconv.EVENT_LLM_OTEL_BUDGET_ALERT, {
    [semconv.ATTR_LLM_OTEL_BUDGET_NAME]: alert.budget,
    [semconv.ATTR_LLM_OTEL_BUDGET_ALERT_LEVEL]: alert.level,
    [semconv.ATTR_LLM_OTEL_BUDGET_PERIOD]: alert.periodId,
    [semconv.ATTR_LLM_OTEL_BUDGET_SPENT]: alert.spentUsd,
    [semconv.ATTR_LLM_OTEL_BUDGET_LIMIT]: alert.limitUsd,
  });
}

function stringAttribute(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
