import type { Detector } from '../detector';

/**
 * A postal code after its name (`my postcode is SW1A 2AA`, `ZIP code: 94043`, `ZIP: 75534-030`,
 * `우편번호 06236`): a full postcode narrows a person down to a street or a building (HIPAA counts
 * ZIP codes among the identifiers), so it is masked on its own, as `POSTAL_CODE`. A code inside an
 * address is part of the `STREET_ADDRESS` finding; without its name a five-digit number is not one.
 */
const POSTCODE_AFTER_WORD =
  /(?:\b(?:post ?code|postal code|zip(?: code)?|cep|plz)|우편번호)(?: is)?[: ]{1,3}([A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}|[0-9]{5}(?:-[0-9]{3,4})?|[0-9]{3}-[0-9]{3}|[0-9]{4})(?![0-9A-Za-z])/gi;

const POSTCODE_WORDS = /[Zz]ip|ZIP|[Pp]ost ?code|[Pp]ostal code|POSTCODE|CEP|PLZ|우편번호/;

export const postalCodeDetector: Detector = {
  type: 'POSTAL_CODE',
  priority: 34,
  // The words as they are written, case-sensitive: a gate with `post` in it passed on most prompts
  // (`POST`, `posted`) and cost 3 % of the masking time on clean ones (measured).
  mayContain: (profile) => profile.hasDigits(1) && POSTCODE_WORDS.test(profile.text),
  find(text, report) {
    POSTCODE_AFTER_WORD.lastIndex = 0;
    for (let m = POSTCODE_AFTER_WORD.exec(text); m !== null; m = POSTCODE_AFTER_WORD.exec(text)) {
      const end = m.index + m[0].length;
      report(end - m[1]!.length, end);
    }
  },
};
