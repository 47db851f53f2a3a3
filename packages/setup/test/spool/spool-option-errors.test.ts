import { inspect } from 'node:util';
import { describe, expect, test } from 'vitest';
import { createSpoolingSpanProcessor, type SpoolProcessorOptions } from '../../src/spool';

// createSpoolingSpanProcessor is public (NodeSDK users call it): a wrong option throws, naming the
// option and never quoting what could be a secret (a password in the endpoint, a key passed as a size).
const PASSWORD = ['Hunter2', 'Secret', 'Pw'].join('');
const KEY = ['sk', 'proj', 'Q3vXm9TzL2pR8sWk4NbY7cHd1FgJ6aE0uVo5'].join('-');

function thrown(options: Partial<SpoolProcessorOptions>): string {
  try {
    createSpoolingSpanProcessor({
      dir: '/tmp/llm-otel-never-created',
      endpoint: 'http://localhost:4317',
      protocol: 'grpc',
      ...options,
    } as SpoolProcessorOptions);
  } catch (error) {
    return inspect(error, { showHidden: true });
  }
  throw new Error('expected a throw');
}

describe('spool option errors quote no secret', () => {
  test.each([
    ['endpoint', { endpoint: `https://ingest:${PASSWORD}@bad host:4318` }, /endpoint must be a URL/],
    ['maxBytes', { maxBytes: KEY as unknown as number }, /maxBytes must be a positive integer, got a string/],
    ['protocol', { protocol: KEY as unknown as 'grpc' }, /protocol must be 'grpc' or 'http\/protobuf', got a string/],
  ] as const)('%s', (_name, options, message) => {
    const text = thrown(options);
    expect(text).toMatch(message);
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(KEY);
  });

  test('a number or an enum-like word is still quoted', () => {
    expect(thrown({ maxBytes: -3 })).toMatch(/maxBytes must be a positive integer, got -3/);
    expect(thrown({ protocol: 'http/json' as 'grpc' })).toMatch(/got 'http\/json'/);
  });
});
