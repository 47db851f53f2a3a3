import { inspect } from 'node:util';
import type { ExporterSettings } from './exporter-settings';

/**
 * `telemetry.exporter` as the application sees it. Header values are credentials (an API key, the
 * `authorization: Basic …` made from endpoint userinfo); reading one by name still works, but
 * `console.log(telemetry)`, `util.inspect` and `JSON.stringify` show only the header names. Before,
 * logging the handle to see where spans go printed every export credential.
 */
export function exporterView(settings: ExporterSettings): Readonly<ExporterSettings> {
  const headers = { ...settings.headers };
  const shown = () => Object.fromEntries(Object.keys(headers).map((name) => [name, '<REDACTED>']));
  Object.defineProperty(headers, 'toJSON', { value: shown, enumerable: false });
  Object.defineProperty(headers, inspect.custom, { value: () => shown(), enumerable: false });
  return Object.freeze({ ...settings, headers: Object.freeze(headers) });
}
