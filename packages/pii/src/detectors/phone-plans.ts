/**
 * Numbering-plan checks for the default regions, written out because libphonenumber-js costs ~10 µs per
 * parse, which on PII-dense text dominated the whole masking time. They follow the national plans:
 * NANP (NPA and NXX of [2-9]XX, not N11, no N9X area codes), Korea (mobile 010–019, Seoul 02, regional
 * 0[3-6][1-5], 070 and 050x internet, 080 toll free), UK (01/02/03/05/07/08/09 with 9–10 digits after
 * the trunk 0). Other regions and calling codes go to libphonenumber-js.
 */
export interface NumberingPlan {
  readonly callingCode: string;
  /** `nationalDigits` as written in the country, trunk prefix included. */
  valid(nationalDigits: string): boolean;
  /** National digits from the digits after `+<callingCode>`. */
  fromInternational(subscriberDigits: string): string;
}

const NANP: NumberingPlan = {
  callingCode: '1',
  valid(digits) {
    const d = digits.length === 11 && digits[0] === '1' ? digits.slice(1) : digits;
    if (d.length !== 10) return false;
    const npa1 = d.charCodeAt(0);
    const nxx1 = d.charCodeAt(3);
    if (npa1 < 50 || nxx1 < 50) return false; // first digits 2-9
    if (d[1] === '9') return false; // N9X area codes are reserved
    if (d[1] === '1' && d[2] === '1') return false; // N11
    return !(d[4] === '1' && d[5] === '1');
  },
  fromInternational: (digits) => digits,
};

const KR_PATTERN = /^(?:01[016-9][0-9]{7,8}|02[0-9]{7,8}|0[3-6][1-5][0-9]{7,8}|070[0-9]{8}|050[2-8][0-9]{7,8}|080[0-9]{7})$/;
const KR: NumberingPlan = {
  callingCode: '82',
  valid: (digits) => KR_PATTERN.test(digits),
  fromInternational: (digits) => (digits.startsWith('0') ? digits : `0${digits}`),
};

const GB_PATTERN = /^(?:0[1-3][0-9]{8,9}|0[5789][0-9]{9}|08[0-9]{8})$/;
const GB: NumberingPlan = {
  callingCode: '44',
  valid: (digits) => GB_PATTERN.test(digits),
  fromInternational: (digits) => (digits.startsWith('0') ? digits : `0${digits}`),
};

export const NUMBERING_PLANS: Readonly<Record<string, NumberingPlan>> = { US: NANP, CA: NANP, KR, GB };
