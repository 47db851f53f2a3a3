/**
 * The preload entry point, following the OpenTelemetry convention:
 *   node --import @llm-otel/setup/register app.js     (ESM and CommonJS apps)
 *   node --require @llm-otel/setup/register app.js    (CommonJS)
 * Configured by `OTEL_*` and `LLM_OTEL_*` variables only. Running before the application means
 * every SDK client, whenever it is constructed, goes through the fetch hook.
 */
import { setupTelemetry } from './setup';

setupTelemetry();
