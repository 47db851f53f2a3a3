import type { Detector } from '../detector';

/**
 * A secret written as a name and a value, in text, JSON or escaped JSON inside a message attribute:
 * `password: hunter22`, `"api_key": "abc…"`, `{\"client_secret\":\"…\"}`. Only the value is masked.
 * Values shorter than 6 characters are left (`password: none`).
 */
const ASSIGNMENT =
  /(?<![A-Za-z0-9_])(?:password|passwd|passphrase|pwd|secret|client_?secret|api_?key|apikey|access_?token|auth_?token|refresh_?token|private_?key)\\?["']?[ \t]*[:=][ \t]*\\?["']?([^\s"',;\\]{6,})/dgi;
const KEYWORDS = ['pass', 'pwd', 'secret', 'key', 'token'];

export const secretAssignmentDetector: Detector = {
  type: 'SECRET',
  priority: 80,
  mayContain: (profile) => {
    const lower = profile.lower();
    for (const keyword of KEYWORDS) if (lower.includes(keyword)) return true;
    return false;
  },
  find(text, report) {
    ASSIGNMENT.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = ASSIGNMENT.exec(text)) !== null) {
      const value = match.indices![1]!;
      report(value[0], value[1]);
    }
  },
};
