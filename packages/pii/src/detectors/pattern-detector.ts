import type { Detector, PatternDetector } from '../detector';

/** Turns a user's pattern (and optional validator and keywords) into a detector. */
export function fromPattern(spec: PatternDetector): Detector {
  const flags = spec.pattern.flags.includes('g') ? spec.pattern.flags : `${spec.pattern.flags}g`;
  const pattern = new RegExp(spec.pattern.source, flags.replace('y', ''));
  const keywords = spec.keywords?.map((keyword) => keyword.toLowerCase());
  return {
    type: spec.type,
    priority: spec.priority ?? 80,
    mayContain: (profile) => {
      if (!keywords || keywords.length === 0) return true;
      const lower = profile.lower();
      return keywords.some((keyword) => lower.includes(keyword));
    },
    find(text, report) {
      pattern.lastIndex = 0;
      let match: RegExpExecArray | null;
      while ((match = pattern.exec(text)) !== null) {
        // An empty match would never advance.
        if (match[0].length === 0) {
          pattern.lastIndex++;
          continue;
        }
        if (!spec.validate || spec.validate(match[0])) report(match.index, match.index + match[0].length);
      }
    },
  };
}
