import { createSecretKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ChainVerifier, type SpanRecord } from '../src';
import { exportChain, KEY, KEY_ID, toRecords } from './chain-fixture';

function verify(records: SpanRecord[], keys = new Map([[KEY_ID, createSecretKey(Buffer.from(KEY))]])) {
  const verifier = new ChainVerifier({ keys });
  for (const record of records) verifier.add(record);
  return verifier.finish();
}

describe('the integrity chain, signed and verified', () => {
  it('verifies a clean chain ending in a final checkpoint', async () => {
    const records = toRecords(await exportChain(20));
    const report = verify(records);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    const [chain] = report.chains;
    expect(chain?.verified).toBe(records.length);
    expect(chain?.termination).toBe('final-checkpoint');
    expect(chain?.anchor).toBe('genesis');
  });
});
