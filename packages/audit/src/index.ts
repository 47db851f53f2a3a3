export * from './chain-attributes';
export { canonicalNumber, canonicalSections, changedSections, EXCLUDED_ATTRIBUTE_KEYS, macRecord, SECTIONS } from './canonical';
export type { Section, SpanMac } from './canonical';
export { IntegrityChain } from './integrity-chain';
export type { CheckpointKind, IntegrityChainOptions, RecoveredChainEnd } from './integrity-chain';
export { IntegrityChainSpanProcessor } from './integrity-chain-span-processor';
export type { IntegrityChainSpanProcessorOptions } from './integrity-chain-span-processor';
export { SigningSpanExporter } from './signing-span-exporter';
export { createChainedExportProcessor } from './create-chain-processor';
export { newBatchSpanProcessor } from './batch-queue';
export type { ChainedExportOptions } from './create-chain-processor';
export {
  chainKey,
  DEFAULT_KEY_ID,
  ENV_AUDIT_KEY,
  ENV_AUDIT_KEY_FILE,
  ENV_AUDIT_KEY_ID,
  keyProblem,
  loadKeyFile,
  loadKeyFromEnv,
  MIN_KEY_BYTES,
  readKeyFile,
} from './keys';
export type { ChainKey, LoadedKey } from './keys';
export { recordFromReadableSpan } from './from-readable-span';
export { nanosToMicros, recordTimes } from './span-record';
export type { RecordAttributes, RecordValue, SpanRecord } from './span-record';
export { formatRanges, parseRanges } from './seq-ranges';
export { ChainVerifier } from './verify/chain-verifier';
export type { VerifierOptions } from './verify/chain-verifier';
export type { AlteredRecord, ChainConflict, ChainReport, SeqRange, Termination, VerifyReport } from './verify/report';
export { chainEndsInExportRequest, seqsInExportRequest } from './chain-ends';
