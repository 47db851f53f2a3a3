// The baseline: plain String.prototype.replace with the same patterns the detectors use, without
// pre-filters or validation. It shows what a bare-regex masker costs on the same inputs.
const PATTERNS = [
  [/(?<![A-Za-z0-9_-])sk-ant-[a-z]{2,8}[0-9]{2}-[A-Za-z0-9_-]{32,}/g, '<ANTHROPIC_API_KEY>'],
  [/(?<![A-Za-z0-9_-])sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g, '<OPENAI_API_KEY>'],
  [/(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Za-z0-9])/g, '<AWS_ACCESS_KEY>'],
  [/(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})(?![A-Za-z0-9_])/g, '<GITHUB_TOKEN>'],
  [/(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/g, '<GOOGLE_API_KEY>'],
  [/(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, '<JWT>'],
  [/(?<![A-Za-z])bearer[ \t]+([A-Za-z0-9._~+/-]{16,}=*)/gi, 'Bearer <BEARER_TOKEN>'],
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, '<EMAIL>'],
  [/(?<![A-Za-z0-9])[A-Za-z]{2}[0-9]{2}(?:[ -]?[A-Za-z0-9]){11,30}/g, '<IBAN>'],
  [/(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])/g, '<CREDIT_CARD>'],
  [/(?<![0-9])[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[- ]?[0-9]{7}(?![0-9])/g, '<KR_RRN>'],
  [/(?<![0-9])[0-9]{3}([- ]?)[0-9]{2}\1[0-9]{4}(?![0-9])/g, '<US_SSN>'],
  [/(?<![0-9.])(?:(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?![0-9]|\.[0-9])/g, '<IP_ADDRESS>'],
  [/(?<![0-9A-Za-z:.])[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4}:[0-9A-Fa-f:.]*/g, '<IP_ADDRESS>'],
  [/(?<![0-9A-Za-z+_\-/.#])(?:\+[1-9][0-9]{0,3}[ .-]?)?(?:\([0-9]{1,4}\)[ .-]?)?(?:[0-9]{1,5}(?:[ .-][0-9]{2,5}){1,5}|[0-9]{7,15})(?![0-9])/g, '<PHONE>'],
];

export function baselineMask(text) {
  let out = text;
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}
