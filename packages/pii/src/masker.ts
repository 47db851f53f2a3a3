import { diag, type AttributeValue, type Attributes } from '@opentelemetry/api';
import { getNumberFromEnv } from '@opentelemetry/core';
import type { Detector, Finding, PatternDetector } from './detector';
import { FindingSet } from './finding-set';
import { builtInDetectors } from './detectors';
import { fromPattern } from './detectors/pattern-detector';
import { createPhoneDetector } from './detectors/phone';
import { createKeyRules, DEFAULT_ALLOWED_KEYS, DEFAULT_SECRET_KEYS } from './key-rules';
import { compileOperator, type ApplyOperator } from './operators';
import type { PiiMaskingOptions } from './options';
import { Profile } from './text-profile';
import { trailingFragment } from './truncation';

/** Counts of what was masked; pass one to several calls to add them up. */
export interface MaskTally {
  count: number;
  types: Set<string>;
}

export interface Masker {
  /** The value with every finding replaced. `key` is the attribute key, for the secret and allow lists. */
  maskString(value: string, key?: string, tally?: MaskTally): string;
  /** A masked copy of the attributes, or the same object when nothing changed; the input is never modified. */
  maskAttributes(attributes: Attributes, tally?: MaskTally): Attributes;
  /** The findings in a string, in order, overlaps resolved; throws if a detector throws. */
  scan(text: string): Finding[];
}

export const SCAN_FAILED_MARKER = '<REDACTED:scan_failed>';
export const TOO_LONG_MARKER = '<REDACTED:too_long>';
const SECRET_TYPE = 'SECRET';
const MiB = 1024 * 1024;

function isPatternDetector(detector: PatternDetector | Detector): detector is PatternDetector {
  return 'pattern' in detector;
}

function defaultValueLengthLimits(): number[] {
  const limit = getNumberFromEnv('OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT') ?? getNumberFromEnv('OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT');
  return limit !== undefined && limit > 0 ? [limit] : [];
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

  function scan(text: string): { set: FindingSet; kept: number[] } {
    const profile = new Profile(text);
    const set = new FindingSet();
    for (const detector of detectors) {
      if (!detector.mayContain(profile)) continue;
      const { type } = detector;
      detector.find(
        text,
        (start, end, priority = detector.priority) => {
          if (start >= 0 && end > start && end <= text.length) set.add(type, start, end, priority);
        },
        profile,
      );
    }
    if (text.length >= minLimit) {
      const fragment = trailingFragment(text);
      if (fragment) set.add(fragment.type, fragment.start, text.length, 10);
    }
    return { set, kept: set.size === 0 ? [] : set.resolve() };
  }

  function maskText(text: string, tally: MaskTally | undefined): string {
    if (text.length === 0) return text;
    if (text.length > maxScanLength) {
      tallyAdd(tally, 'TOO_LONG');
      return TOO_LONG_MARKER;
    }
    try {
      const { set, kept } = scan(text);
      if (kept.length === 0) return text;
      const { types, starts, ends } = set;
      let out = '';
      let at = 0;
      for (const i of kept) {
        const type = types[i]!;
        out += text.slice(at, starts[i]) + operatorFor(type)(type, text.slice(starts[i], ends[i]));
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
        diag.warn(`@llm-otel/pii: a detector failed; the value was replaced by ${SCAN_FAILED_MARKER}`, error);
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

  function maskScalar(value: string | number | boolean, secret: boolean, tally: MaskTally | undefined): string | number | boolean {
    if (typeof value === 'string') return secret ? maskSecret(value, tally) : maskText(value, tally);
    if (typeof value === 'number') {
      if (secret) return maskSecret(String(value), tally);
      if (!scanNumbers) return value;
      const text = String(value);
      const masked = maskText(text, tally);
      return masked === text ? value : masked;
    }
    return value;
  }

  function maskValue(value: AttributeValue, key: string, tally: MaskTally | undefined): AttributeValue {
    const rule = keyRule(key);
    if (rule === 'allow') return value;
    const secret = rule === 'secret';
    if (!Array.isArray(value)) return maskScalar(value as string | number | boolean, secret, tally);
    let changed = false;
    const masked = value.map((item: string | number | boolean | null | undefined) => {
      if (item === null || item === undefined) return item;
      const next = maskScalar(item, secret, tally);
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

  return {
    maskString(value, key, tally) {
      if (key !== undefined) {
        const rule = keyRule(key);
        if (rule === 'allow') return value;
        if (rule === 'secret') return maskSecret(value, tally);
      }
      return maskText(value, tally);
    },
    maskAttributes(attributes, tally) {
      let result: Attributes | undefined;
      for (const key of Object.keys(attributes)) {
        const value = attributes[key];
        if (value === undefined || value === null) continue;
        const masked = maskValue(value, key, tally);
        if (masked !== value) {
          result ??= { ...attributes };
          result[key] = masked;
        }
      }
      return result ?? attributes;
    },
    scan(text): Finding[] {
      const { set, kept } = scan(text);
      return kept.map((i) => ({ type: set.types[i]!, start: set.starts[i]!, end: set.ends[i]! }));
    },
  };
}
