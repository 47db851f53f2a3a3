import { afterEach, expect, test } from 'vitest';
import { resolveConfig } from '../src/config';

const VARIABLE = 'OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT';
const before = process.env[VARIABLE];
afterEach(() => {
  if (before === undefined) delete process.env[VARIABLE];
  else process.env[VARIABLE] = before;
});

// The specification makes `true` (any case) the only true value of an OTEL_* boolean; `1` turned
// content capture on (prompts and completions recorded) where every other OpenTelemetry
// implementation reads it as false.
test.each([
  ['1', false],
  ['yes', false],
  ['True', true],
  ['false', false],
])('%s → captureContent %s', (value, expected) => {
  process.env[VARIABLE] = value;
  expect(resolveConfig({}).captureContent).toBe(expected);
});
