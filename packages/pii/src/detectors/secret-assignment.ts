import type { Detector } from '../detector';

/**
 * A secret written as a name and a value, in text, JSON or escaped JSON inside a message attribute:
 * `password: hunter22`, `비밀번호: …`, `"api_key": "abc…"`, `{\"client_secret\":\"…\"}`. Only the value is masked.
 * Values shorter than 6 characters are left (`password: none`).
 */
const ASSIGNMENT =
  /(?<![A-Za-z0-9_])(?:password|passwd|passphrase|pwd|secret|client_?secret|api_?key|apikey|access_?token|auth_?token|refresh_?token|private_?key|비밀번호|패스워드)\\?["']?[ \t]*[:=][ \t]*\\?["']?([^\s"',;\\]{6,})/gi;
const KEYWORDS = ['pass', 'pwd', 'secret', 'key', 'token', '비밀번호', '패스워드'] as const;

export const secretAssignmentDetector: Detector = {
  type: 'SECRET',
  priority: 80,
  mayContain: (profile) => KEYWORDS.some((keyword) => profile.has(keyword)),
  find(text, report) {
    ASSIGNMENT.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = ASSIGNMENT.exec(text)) !== null) {
      // The value closes the match.
      const end = match.index + match[0].length;
      report(end - match[1]!.length, end);
    }
  },
};
