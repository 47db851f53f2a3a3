import type { Detector, PatternDetector } from './detector';
import type { PseudonymKey } from './identifiers/pseudonymiser';
import type { Operator } from './operators';

export interface PiiMaskingOptions {
  /** Operator for every type without its own; default `{ kind: 'replace' }` (`<TYPE>`). */
  operator?: Operator;
  /** Operator per type, e.g. `{ EMAIL: { kind: 'pseudonym', key, keyId: 'k1' }, CREDIT_CARD: { kind: 'mask' } }`. */
  operators?: Record<string, Operator>;
  /** Detectors added to the built-in ones. */
  detectors?: Array<PatternDetector | Detector>;
  /** Types to turn off, built-in or added (e.g. `['PHONE', 'IP_ADDRESS']`). */
  disabledTypes?: string[];
  /** Regions whose national phone formats are recognised (ISO 3166 alpha-2); default `['US', 'KR', 'GB']`. */
  phoneRegions?: string[];
  /**
   * Attribute keys whose values are always secrets and are replaced whole (`<SECRET>`), matched on the
   * last dot-separated segment, ignoring case, `-` and `_`. Replaces the default list
   * (`DEFAULT_SECRET_KEYS`); spread it to extend.
   */
  secretKeys?: string[];
  /** Attribute keys (exact) that are never scanned. Replaces `DEFAULT_ALLOWED_KEYS`; spread it to extend. */
  allowedKeys?: string[];
  /** Scan numeric attribute values as text too (a masked number becomes a string); default false. */
  scanNumbers?: boolean;
  /** Longer strings are not scanned but replaced by `<REDACTED:too_long>`; default 1 MiB (1,048,576 characters). */
  maxScanLength?: number;
  /**
   * Lengths at which upstream code cuts strings (SDK span limits, the instrumentation's content bound).
   * A value at least this long has its trailing digit run, address or key fragment masked, since it may
   * be the first part of a card number cut in two. Default: OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT or
   * OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT when set.
   */
  valueLengthLimits?: number[];
  /**
   * The key that turns `user.id` and `session.id` (and the deprecated `enduser.id`) into pseudonyms,
   * `<USER:keyId:hex>`: at least 32 bytes, its own (never the integrity chain's). Without one they are
   * exported as `<USER>` / `<SESSION>`, and a diagnostic says so once. They are never exported raw.
   */
  pseudonyms?: PseudonymKey;
}
