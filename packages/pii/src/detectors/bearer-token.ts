import type { Detector } from '../detector';

/**
 * `Bearer <token>` written into text (a logged header, a curl command in a prompt). Only the token is
 * masked; it must be at least 16 characters and contain a digit or a token symbol, so that prose
 * ("the bearer of this letter") is left alone.
 */
const BEARER = /(?<!(?<!\\)[A-Za-z])bearer[ \t]+([A-Za-z0-9._~+/-]{16,}=*)/gi;

function looksLikeToken(token: string): boolean {
  return /[0-9._~+/-]/.test(token);
}

export const bearerTokenDetector: Detector = {
  type: 'BEARER_TOKEN',
  priority: 85,
  mayContain: (profile) => profile.has('bearer'),
  find(text, report) {
    BEARER.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = BEARER.exec(text)) !== null) {
      // The token closes the match.
      const end = match.index + match[0].length;
      if (looksLikeToken(match[1]!)) report(end - match[1]!.length, end);
    }
  },
};
