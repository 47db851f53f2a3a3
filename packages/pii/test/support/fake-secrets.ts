/**
 * Secret-shaped test values, built at run time so that no key-shaped string is committed (secret
 * scanners on the repository would flag them). Deterministic: the same name always gives the same value.
 */
const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const BASE32_UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function seeded(seed: string): () => number {
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619);
  return () => {
    h = Math.imul(h ^ (h >>> 15), 2246822507);
    h = Math.imul(h ^ (h >>> 13), 3266489909);
    h ^= h >>> 16;
    return (h >>> 0) / 4294967296;
  };
}

function randomString(seed: string, alphabet: string, length: number): string {
  const next = seeded(seed);
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(next() * alphabet.length)];
  return out;
}

function base64url(value: string): string {
  return Buffer.from(value).toString('base64url');
}

export const fakeSecret = {
  openaiProject: (seed = 'p') => `sk-proj-${randomString(`${seed}a`, BASE62, 74)}T3BlbkFJ${randomString(`${seed}b`, BASE62, 74)}`,
  openaiServiceAccount: (seed = 's') => `sk-svcacct-${randomString(`${seed}a`, BASE62, 58)}T3BlbkFJ${randomString(`${seed}b`, BASE62, 58)}`,
  openaiAdmin: (seed = 'a') => `sk-admin-${randomString(`${seed}a`, BASE62, 58)}T3BlbkFJ${randomString(`${seed}b`, BASE62, 58)}`,
  openaiLegacy: (seed = 'l') => `sk-${randomString(`${seed}a`, BASE62, 20)}T3BlbkFJ${randomString(`${seed}b`, BASE62, 20)}`,
  anthropic: (seed = 'an') => `sk-ant-api03-${randomString(seed, BASE62, 93)}AA`,
  awsAccessKey: (seed = 'aws') => `AKIA${randomString(seed, BASE32_UPPER, 16)}`,
  awsSessionKey: (seed = 'asia') => `ASIA${randomString(seed, BASE32_UPPER, 16)}`,
  awsSecretKey: (seed = 'awss') => randomString(seed, BASE62, 40),
  githubPat: (seed = 'gh') => `ghp_${randomString(seed, BASE62, 36)}`,
  githubOauth: (seed = 'gho') => `gho_${randomString(seed, BASE62, 36)}`,
  githubFineGrained: (seed = 'ghf') => `github_pat_${randomString(`${seed}a`, BASE62, 22)}_${randomString(`${seed}b`, BASE62, 59)}`,
  google: (seed = 'g') => `AIza${randomString(seed, BASE62, 35)}`,
  jwt: (seed = 'j') =>
    `${base64url('{"alg":"HS256","typ":"JWT"}')}.${base64url(`{"sub":"${randomString(seed, BASE62, 10)}","name":"Jane Doe","iat":1516239022}`)}.${randomString(`${seed}s`, BASE62, 43)}`,
  opaque: (seed = 'o', length = 32) => randomString(seed, BASE62, length),
  slackBot: (seed = 'sl') =>
    `xoxb-${randomString(`${seed}a`, '0123456789', 12)}-${randomString(`${seed}b`, '0123456789', 13)}-${randomString(`${seed}c`, BASE62, 24)}`,
  stripeLive: (seed = 'st') => `sk_live_${randomString(seed, BASE62, 24)}`,
  gitlabPat: (seed = 'gl') => `glpat-${randomString(seed, BASE62, 20)}`,
  huggingFace: (seed = 'hf') => `hf_${randomString(seed, BASE62.slice(0, 52), 34)}`,
  npm: (seed = 'npm') => `npm_${randomString(seed, BASE62, 36)}`,
  pemPrivateKey: (seed = 'pem') =>
    `-----BEGIN RSA PRIVATE KEY-----\n${randomString(`${seed}a`, BASE62, 64)}\n${randomString(`${seed}b`, BASE62, 64)}\n-----END RSA PRIVATE KEY-----`,
};
