import { formatMicros } from '../money';
import type { BudgetAlert } from './budget-alert';

export type WebhookFormat = 'slack' | 'json';

/** One line a person reads: `llm-otel budget "team-a" warning: $8.00 of $10.00 (80%) for day:2026-12-01 (model=gpt-4o)`. */
export function alertText(alert: BudgetAlert): string {
  const scope = Object.entries(alert.scope)
    .map(([name, value]) => `${name}=${value}`)
    .join(', ');
  const percent = Math.floor((alert.spentMicros / Math.round(alert.limitUsd * 1e6)) * 100);
  const estimated = alert.estimatedMicros > 0 ? `, ${formatMicros(alert.estimatedMicros)} of it estimated` : '';
  return `llm-otel budget "${alert.budget}" ${alert.level}: ${formatMicros(alert.spentMicros)} of ${formatMicros(Math.round(alert.limitUsd * 1e6))} (${percent}%) for ${alert.periodId}${scope ? ` (${scope})` : ''}${estimated}`;
}

/**
 * The webhook body. `slack`: an incoming-webhook message (`text`, plus blocks), which Slack,
 * Mattermost and Rocket.Chat accept; `json`: the alert itself under a type tag, for any receiver.
 * Nothing in it is a secret or a raw user id: users appear as pseudonyms (the scope values).
 */
export function alertPayload(alert: BudgetAlert, format: WebhookFormat): string {
  if (format === 'slack') {
    const text = alertText(alert);
    return JSON.stringify({
      text,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `${alert.level === 'critical' ? ':rotating_light:' : ':warning:'} ${text}` } }],
    });
  }
  return JSON.stringify({ type: 'llm-otel.budget.alert', version: 1, ...alert });
}
