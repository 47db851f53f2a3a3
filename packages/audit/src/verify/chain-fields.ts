import {
  ATTR_CHAIN_DIGESTS,
  ATTR_CHAIN_ID,
  ATTR_CHAIN_KEY_ID,
  ATTR_CHAIN_MAC,
  ATTR_CHAIN_PREV_MAC,
  ATTR_CHAIN_PREV_SEQ,
  ATTR_CHAIN_SEQ,
  ATTR_CHAIN_VERSION,
  ATTR_CHECKPOINT,
  ATTR_CHECKPOINT_DIGEST,
  ATTR_CHECKPOINT_EXPORT_FAILED,
  ATTR_CHECKPOINT_LOST,
  ATTR_CHECKPOINT_NUMBERED,
  ATTR_CHECKPOINT_SIGNED,
  ATTR_RECOVERED_CHAIN_ID,
  ATTR_RECOVERED_LAST_MAC,
  ATTR_RECOVERED_LAST_SEQ,
} from '../chain-attributes';
import type { RecordValue, SpanRecord } from '../span-record';

const CHAIN_PREFIX = 'llm_otel.chain.';

export interface CheckpointFields {
  kind: 'periodic' | 'final';
  numbered: number;
  signed: number;
  digest: string;
  lost: string;
  exportFailed: string;
}

export interface ChainFields {
  chainId: string;
  version: string;
  keyId: string;
  seq: number;
  prevSeq: number;
  prevMac: string;
  mac: string;
  digests: RecordValue | undefined;
  checkpoint?: CheckpointFields;
  recovered?: { chainId: string; lastSeq: number; lastMac: string };
}

function isSeq(value: RecordValue | undefined, min: number): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min;
}

function text(value: RecordValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * The chain's attributes of a record: undefined when the record carries none (a span from another
 * service), a reason when they are present but unreadable (which the verifier reports as altered).
 */
export function readChainFields(record: SpanRecord): ChainFields | { problem: string; chainId?: string } | undefined {
  const chain = new Map<string, RecordValue>();
  for (const [key, value] of record.attributes) if (key.startsWith(CHAIN_PREFIX)) chain.set(key, value);
  if (chain.size === 0) return undefined;
  const chainId = text(chain.get(ATTR_CHAIN_ID));
  const version = text(chain.get(ATTR_CHAIN_VERSION));
  const keyId = text(chain.get(ATTR_CHAIN_KEY_ID));
  const seq = chain.get(ATTR_CHAIN_SEQ);
  const prevSeq = chain.get(ATTR_CHAIN_PREV_SEQ);
  const prevMac = text(chain.get(ATTR_CHAIN_PREV_MAC));
  const mac = text(chain.get(ATTR_CHAIN_MAC));
  if (chainId === undefined || !/^[0-9a-f]{32}$/.test(chainId)) return { problem: 'the chain id is missing or malformed' };
  if (version === undefined || keyId === undefined || mac === undefined || prevMac === undefined) {
    return { problem: 'chain attributes are missing', chainId };
  }
  if (!isSeq(seq, 1) || !isSeq(prevSeq, 0)) return { problem: 'the sequence numbers are malformed', chainId };
  const fields: ChainFields = { chainId, version, keyId, seq, prevSeq, prevMac, mac, digests: chain.get(ATTR_CHAIN_DIGESTS) };
  const checkpoint = chain.get(ATTR_CHECKPOINT);
  if (checkpoint === 'periodic' || checkpoint === 'final') {
    const numbered = chain.get(ATTR_CHECKPOINT_NUMBERED);
    const signed = chain.get(ATTR_CHECKPOINT_SIGNED);
    fields.checkpoint = {
      kind: checkpoint,
      numbered: isSeq(numbered, 0) ? numbered : seq,
      signed: isSeq(signed, 0) ? signed : 0,
      digest: text(chain.get(ATTR_CHECKPOINT_DIGEST)) ?? '',
      lost: text(chain.get(ATTR_CHECKPOINT_LOST)) ?? '',
      exportFailed: text(chain.get(ATTR_CHECKPOINT_EXPORT_FAILED)) ?? '',
    };
  }
  const recoveredId = text(chain.get(ATTR_RECOVERED_CHAIN_ID));
  const recoveredSeq = chain.get(ATTR_RECOVERED_LAST_SEQ);
  if (recoveredId !== undefined && isSeq(recoveredSeq, 0)) {
    fields.recovered = { chainId: recoveredId, lastSeq: recoveredSeq, lastMac: text(chain.get(ATTR_RECOVERED_LAST_MAC)) ?? '' };
  }
  return fields;
}
