import { realisticChatRoute } from './realistic-chat';
import type { ScenarioName, ScriptedRoute } from './types';

export const SCENARIOS: readonly ScenarioName[] = ['realistic-chat'];

/** The routes a named scenario installs. */
export function scenarioRoutes(name: ScenarioName, options: { chunkDelayMs?: number } = {}): ScriptedRoute[] {
  switch (name) {
    case 'realistic-chat':
      return [realisticChatRoute({ chunkDelayMs: options.chunkDelayMs })];
    default:
      throw new Error(`stand-in: unknown scenario ${String(name)}; known: ${SCENARIOS.join(', ')}`);
  }
}
