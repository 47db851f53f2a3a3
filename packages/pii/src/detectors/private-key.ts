import type { Detector } from '../detector';

/**
 * PEM private keys (`-----BEGIN RSA PRIVATE KEY-----` … `-----END RSA PRIVATE KEY-----`, also
 * `OPENSSH`, `EC`, `ENCRYPTED` and PKCS#8's plain `PRIVATE KEY`), as gitleaks' `private-key` rule
 * finds them. The whole block is masked, armour lines included; a block cut before its END line
 * (a truncated attribute) is masked to the end of the text.
 */
const BEGIN = '-----BEGIN';
const MAX_LABEL = 100;

export const privateKeyDetector: Detector = {
  type: 'PRIVATE_KEY',
  priority: 96,
  mayContain: (profile) => profile.has('-----BEGIN'),
  find(text, report) {
    let begin = text.indexOf(BEGIN);
    while (begin !== -1) {
      const labelEnd = text.indexOf('-----', begin + BEGIN.length);
      if (labelEnd === -1) return;
      if (labelEnd - begin > MAX_LABEL || !text.slice(begin + BEGIN.length, labelEnd).endsWith('PRIVATE KEY')) {
        begin = text.indexOf(BEGIN, begin + BEGIN.length);
        continue;
      }
      const endLine = text.indexOf('-----END', labelEnd + 5);
      if (endLine === -1) {
        report(begin, text.length);
        return;
      }
      const close = text.indexOf('-----', endLine + 8);
      const end = close === -1 ? text.length : close + 5;
      report(begin, end);
      begin = text.indexOf(BEGIN, end);
    }
  },
};
