import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ATTR_CHAIN_ID, ATTR_CHAIN_MAC, ATTR_CHAIN_SEQ, chainEndsInExportRequest, seqsInExportRequest } from '../src';
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

describe('a spool that drops a signed batch declares it', () => {
  it('seqsInExportRequest + recordLostSeqs: the dropped batch is reported as lost, not removed', async () => {
    const { IntegrityChain, ChainVerifier, recordFromReadableSpan } = await import('../src');
    const { KEY, KEY_ID } = await import('./chain-fixture');
    const { createSecretKey } = await import('node:crypto');
    const { BasicTracerProvider } = await import('@opentelemetry/sdk-trace-base');
    const chain = new IntegrityChain({ key: KEY, keyId: KEY_ID });
    const tracer = new BasicTracerProvider().getTracer('t');
    const ended = Array.from({ length: 6 }, (_, index) => {
      const span = tracer.startSpan(`s${index}`);
      span.end();
      return span as unknown as import('@opentelemetry/sdk-trace-base').ReadableSpan;
    });
    for (const span of ended) chain.number(span);
    const written = [chain.sign(ended.slice(0, 2)), chain.sign(ended.slice(2, 4)), chain.sign(ended.slice(4))];
    // The spool drops the middle batch file: it reads the numbers from the bytes and tells the chain.
    const dropped = seqsInExportRequest(ProtobufTraceSerializer.serializeRequest(written[1]!)!).get(chain.chainId)!;
    chain.recordLostSeqs(dropped);
    const final = chain.checkpointSpan('final');
    const kept = [...written[0]!, ...written[2]!, ...chain.sign([final])];
    const verifier = new ChainVerifier({ keys: new Map([[KEY_ID, createSecretKey(Buffer.from(KEY))]]) });
    for (const span of kept) verifier.add(recordFromReadableSpan(span));
    expect(verifier.finish().chains[0]).toMatchObject({ lost: [[3, 4]], removed: [], missing: [] });
  });
});
