import type { Detector } from '../detector';
import { isBlankCode, isQuoteCode } from './boundaries';

/**
 * The value of a command-line option that names a secret: `--password hunter2`, `--api-key=…`,
 * `--db-password "pw"`, `--token …` (in `process.command_line`, a logged command, a prompt). The array
 * form (`process.command_args: ['--password', 'hunter2']`) is handled by the masker, which masks the
 * element after a lone secret flag (`isSecretFlag`). Names count when, without `-` and `_`, they end in
 * one of SECRET_FLAG_ENDINGS: `--max-tokens 100` and `--token-file path` stay.
 */
const SECRET_FLAG_ENDINGS = ['password', 'passwd', 'passphrase', 'token', 'secret', 'apikey', 'accesskey', 'privatekey'];
const MAX_NAME = 40;

function isNameCode(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 45;
}

/** True for a flag name (without its leading dashes) that names a secret. */
export function isSecretFlagName(name: string): boolean {
  if (name.length === 0 || name.length > MAX_NAME) return false;
  const normalised = name.toLowerCase().replace(/[-_]/g, '');
  return SECRET_FLAG_ENDINGS.some((ending) => normalised.endsWith(ending));
}

/** `--password` or `-password` alone, as one element of an argument array. */
export function isSecretFlag(argument: string): boolean {
  if (argument.charCodeAt(0) !== 45) return false;
  const name = argument.charCodeAt(1) === 45 ? argument.slice(2) : argument.slice(1);
  for (let i = 0; i < name.length; i++) if (!isNameCode(name.charCodeAt(i))) return false;
  return isSecretFlagName(name);
}

/** End of the value starting at `start`: a quoted value to its closing quote, else to whitespace or a quote. */
function valueEnd(text: string, start: number): { start: number; end: number } {
  const quote = text.charCodeAt(start);
  if (isQuoteCode(quote)) {
    const close = text.indexOf(text[start]!, start + 1);
    // Unclosed (a cut command line): to the end of the word.
    if (close !== -1) return { start: start + 1, end: close };
    start++;
  }
  let end = start;
  while (end < text.length && text.charCodeAt(end) > 32 && !isQuoteCode(text.charCodeAt(end)) && text.charCodeAt(end) !== 92) end++;
  return { start, end };
}

export const secretFlagDetector: Detector = {
  type: 'SECRET',
  priority: 80,
  mayContain: (profile) => profile.text.includes('--'),
  find(text, report) {
    let dashes = text.indexOf('--');
    while (dashes !== -1) {
      const nameStart = dashes + 2;
      let nameEnd = nameStart;
      while (nameEnd < text.length && nameEnd - nameStart <= MAX_NAME && isNameCode(text.charCodeAt(nameEnd))) nameEnd++;
      let next = nameEnd;
      if (isSecretFlagName(text.slice(nameStart, nameEnd))) {
        let at = nameEnd;
        const separator = text.charCodeAt(at);
        if (separator === 61) at++;
        else while (at < text.length && isBlankCode(text.charCodeAt(at))) at++;
        // `--password --verbose` has no value; a value never starts with a dash.
        if ((separator === 61 || at > nameEnd) && at < text.length && text.charCodeAt(at) !== 45) {
          const value = valueEnd(text, at);
          if (value.end > value.start) {
            report(value.start, value.end);
            next = value.end;
          }
        }
      }
      dashes = text.indexOf('--', Math.max(next, dashes + 2));
    }
  },
};
