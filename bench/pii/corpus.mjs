// Benchmark inputs: typical 2 KB prompts without personal data, PII-dense 2 KB prompts, a 1 MB
// attribute. Secret-shaped values are generated here rather than committed.

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
let seed = 42;
function random() {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
}
const token = (length, alphabet = BASE62) => Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');

const NO_PII_PARAGRAPHS = [
  'I ordered 3 items on March 15, 2024 (order A-20240315-0042) and only 2 arrived. The box was fine but the blue mug is missing. Can you check what happened and tell me when the rest will ship? I paid $129.99 in total, including $7.50 for shipping. ',
  'Please review this function. It retries up to 5 times with a 1.5x backoff starting at 1000 ms and caps at 5 s. Version 4.2.1 of the client changed the default timeout from 30 s to 60 s, so the tests in retry.spec.ts started failing at 10:30 on the CI runner. ',
  'Summarise the meeting notes: the Q3 roadmap has 12 items, 4 of them carried over from Q2. The team agreed to ship the new dashboard by week 38 and to cut the p95 latency from 850 ms to under 400 ms. Budget stays at 1.2 million for the year. ',
  '지난주에 주문한 상품이 아직 도착하지 않았습니다. 주문일은 3월 15일이고 수량은 2개입니다. 배송 조회를 해 보니 물류센터에서 출고 대기 중이라고 나옵니다. 언제쯤 받을 수 있을지 알려 주세요. 감사합니다. ',
  '{"role":"user","parts":[{"type":"text","content":"Translate the following paragraph into French and keep the tone formal. The quarterly report covers 4 regions and 27 stores; revenue grew 8.4% year over year."}]}, ',
  'const result = await client.chat.completions.create({ model: "gpt-4o-mini", temperature: 0.2, max_tokens: 512, messages }); console.log(result.usage.total_tokens); // 1,234 tokens on average ',
];

function fill(paragraphs, size, offset = 0) {
  let text = '';
  let i = offset;
  while (text.length < size) text += paragraphs[i++ % paragraphs.length];
  return text.slice(0, size);
}

/** Six different 2 KB prompts with numbers, dates, versions and code, but no personal data. */
export const noPiiPrompts = NO_PII_PARAGRAPHS.map((_, i) => fill(NO_PII_PARAGRAPHS, 2048, i));

function piiSentences() {
  return [
    `Customer Jane Doe (jane.doe@example.com, +1 415-555-2671) paid with 4111 1111 1111 1111. `,
    `Her SSN is 536-22-1049 and the refund goes to IBAN DE89 3704 0044 0532 0130 00. `,
    `김민수 고객님 (minsu.kim@naver.com, 010-1234-5678), 주민등록번호 900101-1234568. `,
    `Login from 203.0.113.42 and 2001:db8::8a2e:370:7334 used key sk-proj-${token(74)}T3BlbkFJ${token(74)}. `,
    `Call me at (415) 555-2671 or write to bob.smith@corp.io; card 5555-5555-5555-4444. `,
    `Authorization: Bearer ${token(40)} and AWS key AKIA${token(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}. `,
    `Transfer to GB82 WEST 1234 5698 7654 32 from ops@example.org, ref 378282246310005. `,
  ];
}

/** Prompts of 2 KB where every sentence carries personal data or a secret (~1 finding per 45 bytes). */
export const denseprompts = [0, 1, 2, 3].map((i) => fill(piiSentences(), 2048, i));

/** One 1 MB attribute: ordinary conversation with a PII sentence every ~1 KB. */
export function oneMegabyteAttribute() {
  const pii = piiSentences();
  let text = '';
  let i = 0;
  while (text.length < 1_000_000) {
    text += fill(NO_PII_PARAGRAPHS, 900, i) + pii[i % pii.length];
    i++;
  }
  return text.slice(0, 1_000_000);
}
