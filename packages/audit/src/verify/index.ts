/*
 * `@llm-otel/audit/verify`: what a verifier needs and nothing of the SDK (no OpenTelemetry imports), so
 * the CLI stays one small file.
 */
export * from '../chain-attributes';
export { canonicalNumber, canonicalSections, changedSections, EXCLUDED_ATTRIBUTE_KEYS, macRecord, SECTIONS } from '../canonical';
export type { Section, SpanMac } from '../canonical';
export { loadKeyFile, loadKeyFromEnv, keyProblem, MIN_KEY_BYTES, DEFAULT_KEY_ID } from '../keys';
export type { ChainKey, LoadedKey } from '../keys';
export { nanosToMicros, recordTimes } from '../span-record';
export type { RecordAttributes, RecordValue, SpanRecord } from '../span-record';
export { formatRanges, parseRanges } from '../seq-ranges';
export { ChainVerifier } from './chain-verifier';
export type { VerifierOptions } from './chain-verifier';
export type { AlteredRecord, ChainConflict, ChainReport, SeqRange, Termination, VerifyReport } from './report';
