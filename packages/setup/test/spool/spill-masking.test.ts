import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PiiMaskingSpanProcessor } from '@llm-otel/pii';
import { describe, expect, it } from 'vitest';
import { endSpans, useSpoolHarness } from './harness';
import { useTempDirs } from './temp-dirs';

// Issue 10 ("masking also runs on synchronous paths: the spool's spill …"): the names, addresses, dates
// of birth and phone numbers of issue 10 are masked by the same synchronous engine as every other type,
// so a batch spilled to disk inside `onEnd` (no await in between) holds none of them.
const harness = useSpoolHarness();
const tempDir = useTempDirs('spool-spill-masking-');

const PERSONAL = {
  'gen_ai.input.messages': JSON.stringify([
    {
      role: 'user',
      parts: [
        {
          type: 'text',
          content:
            'Dear Mr. Quarrington, I live at 48 Larkspur Avenue, Dayton, OH 45402, DOB: 1983-11-07, call 212-555-0147. 생년월일 850314, 연락처 010-1234-5678, 저는 42살입니다.',
        },
      ],
    },
  ]),
};
const RAW = ['Quarrington', 'Larkspur', '1983-11-07', '212-555-0147', '850314', '1234-5678'];

describe('the spool’s synchronous spill writes masked spans', () => {
  it('names, addresses, dates of birth, phones and ages are masked in batches written inside onEnd', async () => {
    // A backend that is not there: what leaves the process, leaves through the spool's files.
    const dir = join(tempDir(), 'spool');
    const spool = harness.spool({
      dir,
      endpoint: 'http://127.0.0.1:9',
      maxQueueSpans: 32,
      maxBatchSpans: 8,
      retryInitialMillis: 60_000,
      retryMaxMillis: 60_000,
    });
    endSpans(new PiiMaskingSpanProcessor(spool), 100, PERSONAL);
    // Read before anything asynchronous could run: only the spills inside onEnd have written.
    expect(spool.synchronousSpills).toBeGreaterThan(0);
    const files = readdirSync(spool.directory).filter((name) => name.endsWith('.otlp'));
    expect(files.length).toBeGreaterThan(0);
    for (const name of files) {
      const text = readFileSync(join(spool.directory, name)).toString('utf8');
      for (const raw of RAW) expect(text, `${raw} in ${name}`).not.toContain(raw);
      for (const marker of ['<PERSON>', '<STREET_ADDRESS>', '<DATE_OF_BIRTH>', '<PHONE>', '<AGE>']) expect(text).toContain(marker);
    }
  });
});
