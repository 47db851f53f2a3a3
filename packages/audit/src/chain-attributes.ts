/*
 * The attributes the integrity chain writes, all under our own `llm_otel.chain.` prefix (DESIGN.md:
 * names we invent never squat on a semconv namespace). docs/integrity-chain.md specifies each one.
 */

/** The canonical encoding and link format this package writes; a verifier refuses versions it does not know. */
export const CHAIN_VERSION = 'llm-otel-chain/1';

export const ATTR_CHAIN_VERSION = 'llm_otel.chain.version';
/** 32 lowercase hex digits, random per process start. */
export const ATTR_CHAIN_ID = 'llm_otel.chain.id';
export const ATTR_CHAIN_KEY_ID = 'llm_otel.chain.key_id';
/** Assigned when the span ends, from 1. */
export const ATTR_CHAIN_SEQ = 'llm_otel.chain.seq';
/** The sequence number of the link signed just before this one; 0 for the first link of a chain. */
export const ATTR_CHAIN_PREV_SEQ = 'llm_otel.chain.prev_seq';
/** The MAC of that link; '' for the first link. */
export const ATTR_CHAIN_PREV_MAC = 'llm_otel.chain.prev_mac';
/** HMAC-SHA256 over the canonical encoding, base64url without padding. Not itself covered. */
export const ATTR_CHAIN_MAC = 'llm_otel.chain.mac';
/** Short per-section digests, so a verifier can say which part changed. Not itself covered (derived). */
export const ATTR_CHAIN_DIGESTS = 'llm_otel.chain.digests';

/** On checkpoint spans: 'periodic' or 'final' (the chain ended cleanly). */
export const ATTR_CHECKPOINT = 'llm_otel.chain.checkpoint';
/** The highest sequence number assigned when the checkpoint was signed. */
export const ATTR_CHECKPOINT_NUMBERED = 'llm_otel.chain.checkpoint.numbered';
/** How many links were signed before this checkpoint. */
export const ATTR_CHECKPOINT_SIGNED = 'llm_otel.chain.checkpoint.signed';
/** The running digest over every MAC signed before this checkpoint, base64url. */
export const ATTR_CHECKPOINT_DIGEST = 'llm_otel.chain.checkpoint.digest';
/** Sequence ranges ("3,7-9") numbered but never signed: dropped between span end and export. */
export const ATTR_CHECKPOINT_LOST = 'llm_otel.chain.checkpoint.lost';
/** Sequence ranges signed but whose export the exporter reported as failed. */
export const ATTR_CHECKPOINT_EXPORT_FAILED = 'llm_otel.chain.checkpoint.export_failed';
/** Ranges that did not fit in the two lists above (bounded), counted. */
export const ATTR_CHECKPOINT_UNLISTED = 'llm_otel.chain.checkpoint.unlisted';

/** On a recovery span: a later process recovered the spool of an older chain that did not end cleanly. */
export const ATTR_RECOVERED_CHAIN_ID = 'llm_otel.chain.recovered.id';
export const ATTR_RECOVERED_LAST_SEQ = 'llm_otel.chain.recovered.last_seq';
export const ATTR_RECOVERED_LAST_MAC = 'llm_otel.chain.recovered.last_mac';

/** On the resource, when the chain was asked for but is off (e.g. a short key in the environment): why. */
export const ATTR_CHAIN_OFF_REASON = 'llm_otel.chain.off_reason';

export const CHECKPOINT_SPAN_NAME = 'llm_otel.chain.checkpoint';
export const RECOVERY_SPAN_NAME = 'llm_otel.chain.recovery';
