import type { Detector } from '../detector';

/**
 * JSON Web Tokens: three base64url segments, the first two starting `eyJ` (base64 of `{"`), whose
 * header decodes to a JSON object with an `alg` or `typ` member.
 */
const JWT = /(?<!(?<!\\)[A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;

function headerIsJwt(token: string): boolean {
  const decoded = Buffer.from(token.slice(0, token.indexOf('.')), 'base64url').toString('utf8');
  // Cheap checks first: a thrown JSON.parse error costs far more than the whole match.
  if (!decoded.endsWith('}') || !(decoded.includes('"alg"') || decoded.includes('"typ"'))) return false;
  try {
    const header: unknown = JSON.parse(decoded);
    return typeof header === 'object' && header !== null && ('alg' in header || 'typ' in header);
  } catch {
    return false;
  }
}

export const jwtDetector: Detector = {
  type: 'JWT',
  priority: 93,
  mayContain: (profile) => profile.has('eyJ'),
  find(text, report) {
    JWT.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = JWT.exec(text)) !== null) {
      if (headerIsJwt(match[0])) report(match.index, match.index + match[0].length);
    }
  },
};
