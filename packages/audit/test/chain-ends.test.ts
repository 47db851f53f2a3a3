import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ATTR_CHAIN_ID, ATTR_CHAIN_MAC, ATTR_CHAIN_SEQ, chainEndsInExportRequest } from '../src';
import { exportChain } from './chain-fixture';

describe('chainEndsInExportRequest: where a spooled chain ends, from the protobuf bytes', () => {
  it('finds the last link of each chain in serialised batches, merged across batches', async () => {
    const first = await exportChain(5);
    const second = await exportChain(3);
    const ends = chainEndsInExportRequest(ProtobufTraceSerializer.serializeRequest(first.slice(0, 4))!);
    chainEndsInExportRequest(ProtobufTraceSerializer.serializeRequest([...second, ...first.slice(4)])!, ends);
    for (const spans of [first, second]) {
      const last = spans.at(-1)!;
      expect(ends.get(last.attributes[ATTR_CHAIN_ID] as string)).toEqual({
        chainId: last.attributes[ATTR_CHAIN_ID],
        lastSeq: last.attributes[ATTR_CHAIN_SEQ],
        lastMac: last.attributes[ATTR_CHAIN_MAC],
      });
    }
  });

  it('never throws on truncated or random bytes', async () => {
    const payload = ProtobufTraceSerializer.serializeRequest(await exportChain(2))!;
    for (let cut = 0; cut < payload.length; cut += 7) expect(() => chainEndsInExportRequest(payload.subarray(0, cut))).not.toThrow();
    for (let round = 0; round < 200; round += 1) expect(() => chainEndsInExportRequest(randomBytes(64 + round))).not.toThrow();
  });
});
