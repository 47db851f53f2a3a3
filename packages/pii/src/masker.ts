import { diag, type AttributeValue, type Attributes } from '@opentelemetry/api';
import { readNumberFromEnv } from './env-number';
import type { Detector, Finding, PatternDetector } from './detector';
import { FindingSet } from './finding-set';
import { builtInDetectors } from './detectors';
import { fromPattern } from './detectors/pattern-detector';
import { isHost, PEER_KEYS } from './host-attributes';
import { createPhoneDetector } from './detectors/phone';
import { isSecretFlag } from './detectors/secret-flag';
import { createKeyRules, DEFAULT_ALLOWED_KEYS, DEFAULT_SECRET_KEYS, type KeyRule } from './key-rules';
import { createIdentifierReplacer, identifierType } from './identifiers/identifier-attributes';
import { normalise } from './normalise';
import { compileOperator, type ApplyOperator } from './operators';
import type { PiiMaskingOptions } from './options';
import { Profile } from './text-profile';
import { trailingFragment } from './truncation';
import { urlHostRange } from './url-host';

/** Counts of what was masked; pass one to several calls to add them up. */
export interface MaskTally {
  count: number;
  types: Set<string>;
}

export interface Masker {
  /** The value with every finding replaced. `key` is the attribute key, for the secret and allow lists. */
  maskString(value: string, key?: string, tally?: MaskTally): string;
  /**
   * A masked copy of the attributes, or the same object when nothing changed; the input is never
   * modified. Keys are masked too (`quota/jane@example.com` → `quota/<EMAIL>`); a key that masks to one
   * already present gets a suffix (`<EMAIL>~2`), so no attribute is lost.
   */
  maskAttributes(attributes: Attributes, tally?: MaskTally, span?: SpanAttributeContext): Attributes;
  /** The findings in a string, in order, overlaps resolved; throws if a detector throws. */
  scan(text: string): Finding[];
}

/** What the span says about its attributes: on a CLIENT or PRODUCER span the network peer is the server called. */
export interface SpanAttributeContext {
  peerIsServer?: boolean;
}

export const SCAN_FAILED_MARKER = '<REDACTED:scan_failed>';
export const TOO_LONG_MARKER = '<REDACTED:too_long>';
const SECRET_TYPE = 'SECRET';
const MiB = 1024 * 1024;
/** Keys repeat across spans, so each is scanned once; the bound only guards against keys made from data. */
const KEY_CACHE_LIMIT = 4096;
/**
 * Short values that repeat on every span (`POST`, `stop`, the span name, the URL, a hook name) and in
 * which nothing was found are remembered, so they are not scanned again: scanning one costs ~1.2 µs
 * whatever its length (a profile, the normalisation checks and thirty pre-filters), about 9 µs of a
 * typical LLM span's masking (bench/export mix, measured). Only values exported unchanged are kept, so
 * the cache holds nothing that does not leave the process anyway; bounded like the key cache.
 */
const CLEAN_VALUE_MAX_LENGTH = 128;
const CLEAN_VALUE_CACHE_LIMIT = 1024;

/** How a string is read: free text, a URL attribute's value (host kept), or an attribute key. */
type TextKind = 'text' | 'url' | 'key';

/** What is known about an attribute key: its rule, the key as exported, and what was masked in it. */
interface KeyInfo {
  rule: KeyRule;
  key: string;
  count: number;
  types: readonly string[];
}

function isPatternDetector(detector: PatternDetector | Detector): detector is PatternDetector {
  return 'pattern' in detector;
}

function defaultValueLengthLimits(): number[] {
  const limit = readNumberFromEnv('OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT') ?? readNumberFromEnv('OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT');
  return limit !== undefined && limit > 0 ? [limit] : [];
}

/** What may be said about an error without quoting data: its class name. */
export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

function tallyAdd(tally: MaskTally | undefined, type: string): void {
  if (!tally) return;
  tally.count += 1;
  tally.types.add(type);
}

export function createMasker(options: PiiMaskingOptions = {}): Masker {
  const disabled = new Set(options.disabledTypes ?? []);
  const phoneRegions = options.phoneRegions;
  const builtIns = phoneRegions
    ? builtInDetectors.map((detector) => (detector.type === 'PHONE' ? createPhoneDetector(phoneRegions) : detector))
    : builtInDetectors;
  const added = (options.detectors ?? []).map((detector) => (isPatternDetector(detector) ? fromPattern(detector) : detector));
  const detectors = [...builtIns, ...added].filter((detector) => !disabled.has(detector.type));

  const keyRule = createKeyRules(options.secretKeys ?? DEFAULT_SECRET_KEYS, options.allowedKeys ?? DEFAULT_ALLOWED_KEYS);
  const defaultOperator = compileOperator(options.operator);
  const operators = new Map<string, ApplyOperator>();
  for (const [type, operator] of Object.entries(options.operators ?? {})) operators.set(type, compileOperator(operator));
  const operatorFor = (type: string): ApplyOperator => operators.get(type) ?? defaultOperator;

  const maxScanLength = options.maxScanLength ?? MiB;
  const limits = options.valueLengthLimits ?? defaultValueLengthLimits();
  const minLimit = limits.length > 0 ? Math.min(...limits) : Infinity;
  const scanNumbers = options.scanNumbers ?? false;
  const warned = new Set<string>();
  const replaceIdentifier = createIdentifierReplacer(options.pseudonyms);

  const cleanValues: Record<'text' | 'url', Set<string>> = { text: new Set(), url: new Set() };

  /** The detector running when a scan threw (empty: outside the detectors), for the diagnostic. */
  let failing = '';

  /** Adds the findings in `text` to `set`, in the coordinates of `text` (normalisation undone). */
  function collect(text: string, set: FindingSet): void {
    failing = '';
    const normalised = normalise(text);
    const scanned = normalised ? normalised.text : text;
    const profile = new Profile(scanned);
    const first = set.size;
    for (const detector of detectors) {
      failing = detector.type; // no string built per detector: this runs for every scan
      if (!detector.mayContain(profile)) continue;
      const { type } = detector;
      detector.find(
        scanned,
        (start, end, priority = detector.priority) => {
          if (start >= 0 && end > start && end <= scanned.length) set.add(type, start, end, priority);
        },
        profile,
      );
    }
    failing = '';
    if (normalised && set.size > first) set.remap(first, normalised.offsets, scanned);
  }

  /**
   * The findings to apply. A URL attribute's host is left as it is. A key is also scanned with its dots
   * read as spaces (same length, so the same offsets): in `app.010-1234-5678.calls` the dot separates
   * words, where in text a digit run after a dot is part of a version or a decimal.
   */
  function scan(text: string, kind: TextKind = 'text'): { set: FindingSet; kept: number[] } {
    const set = new FindingSet();
    collect(text, set);
    if (kind === 'key' && text.includes('.')) collect(text.replaceAll('.', ' '), set);
    if (kind === 'url') {
      const host = urlHostRange(text);
      if (host) set.exclude(host.start, host.end);
    }
    if (text.length >= minLimit) {
      const fragment = trailingFragment(text);
      if (fragment) set.add(fragment.type, fragment.start, text.length, 10);
    }
    return { set, kept: set.size === 0 ? [] : set.resolve() };
  }

  function maskText(text: string, tally: MaskTally | undefined, kind: TextKind = 'text'): string {
    if (text.length === 0) return text;
    if (text.length > maxScanLength) {
      tallyAdd(tally, 'TOO_LONG');
      return TOO_LONG_MARKER;
    }
    const clean = kind !== 'key' && text.length <= CLEAN_VALUE_MAX_LENGTH ? cleanValues[kind] : undefined;
    if (clean?.has(text)) return text;
    try {
      const { set, kept } = scan(text, kind);
      if (kept.length === 0) {
        if (clean) {
          if (clean.size >= CLEAN_VALUE_CACHE_LIMIT) clean.clear();
          clean.add(text);
        }
        return text;
      }
      const { types, starts, ends } = set;
      let out = '';
      let at = 0;
      for (const i of kept) {
        const type = types[i]!;
        out += text.slice(at, starts[i]) + operatorFor(type)(type, set.value(i, text));
        at = ends[i]!;
      }
      if (tally) {
        tally.count += kept.length;
        for (const i of kept) tally.types.add(types[i]!);
      }
      return out + text.slice(at);
    } catch (error) {
      if (!warned.has('scan')) {
        warned.add('scan');
        // The error's name only: its message or stack may quote the value being scanned.
        diag.warn(
          `@llm-otel/pii: masking failed in ${failing ? `detector ${failing}` : 'the masker'} (${errorName(error)}); the value was replaced by ${SCAN_FAILED_MARKER}`,
        );
      }
      tallyAdd(tally, 'SCAN_FAILED');
      return SCAN_FAILED_MARKER;
    }
  }

  function maskSecret(value: string, tally: MaskTally | undefined): string {
    tallyAdd(tally, SECRET_TYPE);
    try {
      return operatorFor(SECRET_TYPE)(SECRET_TYPE, value);
    } catch {
      return SCAN_FAILED_MARKER;
    }
  }

  function maskScalar(value: string | number | boolean, secret: boolean, tally: MaskTally | undefined, kind: TextKind): string | number | boolean {
    if (typeof value === 'string') return secret ? maskSecret(value, tally) : maskText(value, tally, kind);
    if (typeof value === 'number') {
      if (secret) return maskSecret(String(value), tally);
      if (!scanNumbers) return value;
      const text = String(value);
      const masked = maskText(text, tally);
      return masked === text ? value : masked;
    }
    return value;
  }

  function maskValue(value: AttributeValue, rule: KeyRule, tally: MaskTally | undefined): AttributeValue {
    if (rule === 'allow') return value;
    if (rule === 'host' && typeof value === 'string' && isHost(value)) return value;
    const secret = rule === 'secret';
    const kind: TextKind = rule === 'url' ? 'url' : 'text';
    if (!Array.isArray(value)) return maskScalar(value as string | number | boolean, secret, tally, kind);
    let changed = false;
    // `['--password', 'hunter2']` (process.command_args): the element after a lone secret flag is a secret.
    let afterSecretFlag = false;
    const masked = value.map((item: string | number | boolean | null | undefined) => {
      if (item === null || item === undefined) return item;
      const secretItem = secret || (afterSecretFlag && !(typeof item === 'string' && item.startsWith('-')));
      afterSecretFlag = typeof item === 'string' && isSecretFlag(item);
      const next = maskScalar(item, secretItem, tally, kind);
      if (next !== item) changed = true;
      return next;
    });
    // A masked number in a numeric array becomes a string; a mixed array is not a valid attribute, so
    // the whole array becomes strings.
    if (changed && masked.some((item) => typeof item === 'string') && masked.some((item) => typeof item === 'number')) {
      return masked.map((item) => (item === null || item === undefined ? item : String(item))) as AttributeValue;
    }
    return changed ? (masked as AttributeValue) : value;
  }

  function maskIdentifier(key: string, value: AttributeValue, tally: MaskTally | undefined): AttributeValue {
    return replaceIdentifier(identifierType(key)!, value, (type) => tallyAdd(tally, type));
  }

  /** One lookup per attribute key: the rule and the masked key, cached together (keys repeat across spans). */
  const keyInfos = new Map<string, KeyInfo>();
  function keyInfo(key: string, tally: MaskTally | undefined): KeyInfo {
    let info = keyInfos.get(key);
    if (info === undefined) {
      const rule = keyRule(key);
      const counts: MaskTally = { count: 0, types: new Set() };
      const masked = rule === 'allow' || rule === 'identifier' ? key : maskText(key, counts, 'key');
      info = { rule, key: masked, count: counts.count, types: [...counts.types] };
      if (keyInfos.size >= KEY_CACHE_LIMIT) keyInfos.clear();
      keyInfos.set(key, info);
    }
    if (tally && info.count > 0) {
      tally.count += info.count;
      for (const type of info.types) tally.types.add(type);
    }
    return info;
  }

  /**
   * A masked key that another attribute already has (two addresses both became `<EMAIL>`) gets a
   * suffix, so no attribute is lost: `<EMAIL>~2`, `<EMAIL>~3`.
   */
  function uniqueKey(result: Attributes, original: Attributes, key: string): string {
    if (!(key in result) && !(key in original)) return key;
    for (let n = 2; ; n++) {
      const candidate = `${key}~${n}`;
      if (!(candidate in result) && !(candidate in original)) return candidate;
    }
  }

  return {
    maskString(value, key, tally) {
      if (key !== undefined) {
        const rule = keyRule(key);
        if (rule === 'allow') return value;
        if (rule === 'secret') return maskSecret(value, tally);
        if (rule === 'url') return maskText(value, tally, 'url');
        if (rule === 'host' && isHost(value)) return value;
        if (rule === 'identifier') return maskIdentifier(key, value, tally) as string;
      }
      return maskText(value, tally);
    },
    maskAttributes(attributes, tally, span) {
      let result: Attributes | undefined;
      for (const key of Object.keys(attributes)) {
        const value = attributes[key];
        const info = keyInfo(key, tally);
        const exportedKey = info.key;
        if (value === undefined || value === null) {
          if (exportedKey !== key) {
            result ??= { ...attributes };
            delete result[key];
          }
          continue;
        }
        const rule = span?.peerIsServer && info.rule === 'scan' && PEER_KEYS.has(key) ? 'host' : info.rule;
        const masked = rule === 'identifier' ? maskIdentifier(key, value, tally) : maskValue(value, rule, tally);
        if (masked === value && exportedKey === key) continue;
        result ??= { ...attributes };
        if (exportedKey === key) {
          result[key] = masked;
          continue;
        }
        delete result[key];
        result[uniqueKey(result, attributes, exportedKey)] = masked;
      }
      return result ?? attributes;
    },
    scan(text): Finding[] {
      const { set, kept } = scan(text);
      return kept.map((i) => ({ type: set.types[i]!, start: set.starts[i]!, end: set.ends[i]! }));
    },
  };
}
