import type { Detector, TextProfile } from '../detector';

/**
 * Provider API keys in the shapes gitleaks documents. Each pattern starts with a literal prefix and is
 * only run when that prefix occurs in the text (gitleaks' keyword pre-filter), and each starts only
 * where no token character precedes it, so a scan never restarts inside a token.
 */
interface KeyFormat {
  type: string;
  keywords: readonly string[];
  pattern: RegExp;
  validate?(match: string): boolean;
  priority?: number;
}

const OPENAI_MARKER = 'T3BlbkFJ'; // base64 of "OpenAI", embedded in every OpenAI key

function hasLetterAndDigit(value: string): boolean {
  return /[0-9]/.test(value) && /[A-Za-z]/.test(value);
}

const FORMATS: readonly KeyFormat[] = [
  {
    // sk-ant-api03-… (93 chars) …AA, sk-ant-admin01-…
    type: 'ANTHROPIC_API_KEY',
    keywords: ['sk-'],
    pattern: /(?<!(?<!\\)[A-Za-z0-9_-])sk-ant-[a-z]{2,8}[0-9]{2}-[A-Za-z0-9_-]{32,}/g,
    priority: 95,
  },
  {
    // sk-proj-, sk-svcacct-, sk-admin- and legacy sk-<20>T3BlbkFJ<20>
    type: 'OPENAI_API_KEY',
    keywords: ['sk-'],
    pattern: /(?<!(?<!\\)[A-Za-z0-9_-])sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g,
    validate: (match) => !match.startsWith('sk-ant-') && (match.includes(OPENAI_MARKER) || (/^sk-(?:proj|svcacct|admin)-/.test(match) && match.length >= 40)),
    priority: 94,
  },
  {
    // Other `sk-` secret keys (DeepSeek, Langfuse, …): long and mixed letters and digits.
    type: 'API_KEY',
    keywords: ['sk-'],
    pattern: /(?<!(?<!\\)[A-Za-z0-9_-])sk-[A-Za-z0-9_-]{32,}/g,
    validate: (match) => !match.startsWith('sk-ant-') && !match.includes(OPENAI_MARKER) && hasLetterAndDigit(match.slice(3)),
    priority: 90,
  },
  {
    type: 'AWS_ACCESS_KEY',
    keywords: ['AKIA', 'ASIA', 'ABIA', 'ACCA'],
    pattern: /(?<!(?<!\\)[A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Za-z0-9])/g,
  },
  {
    // The 40-character secret access key has no prefix; it is recognised after its name.
    type: 'AWS_SECRET_KEY',
    keywords: ['aws'],
    pattern: /(?<!(?<!\\)[A-Za-z0-9])aws_?secret_?(?:access_?)?key\\?["']?\s*[:=]\s*\\?["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/gi,
  },
  {
    type: 'GITHUB_TOKEN',
    keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
    pattern: /(?<!(?<!\\)[A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})(?![A-Za-z0-9_])/g,
  },
  {
    // Slack bot, user, app-level, legacy and configuration tokens.
    type: 'SLACK_TOKEN',
    keywords: ['xox'],
    pattern: /(?<!(?<!\\)[A-Za-z0-9_-])xox[abposre](?:\.xox[bp])?-[A-Za-z0-9-]{10,}/g,
  },
  {
    // Secret keys only: restricted `rk_` keys would cost the shared keyword pass (see text-profile.ts).
    type: 'STRIPE_KEY',
    keywords: ['sk_'],
    pattern: /(?<!(?<!\\)[A-Za-z0-9_-])sk_(?:live|test|prod)_[A-Za-z0-9]{10,99}(?![A-Za-z0-9])/g,
  },
  {
    type: 'GITLAB_TOKEN',
    keywords: ['glpat-'],
    pattern: /(?<!(?<!\\)[A-Za-z0-9_-])glpat-[A-Za-z0-9_.-]{20,300}/g,
  },
  {
    // Hugging Face user access tokens.
    type: 'HUGGINGFACE_TOKEN',
    keywords: ['hf_'],
    pattern: /(?<!(?<!\\)[A-Za-z0-9_-])hf_[A-Za-z]{34}(?![A-Za-z0-9])/g,
  },
  {
    type: 'NPM_TOKEN',
    keywords: ['npm_'],
    pattern: /(?<!(?<!\\)[A-Za-z0-9_-])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])/g,
  },
  {
    type: 'GOOGLE_API_KEY',
    keywords: ['AIza'],
    pattern: /(?<!(?<!\\)[A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/g,
  },
];

function toDetector(format: KeyFormat): Detector {
  return {
    type: format.type,
    priority: format.priority ?? 92,
    mayContain: (profile: TextProfile) => format.keywords.some((keyword) => profile.has(keyword)),
    find(text, report) {
      const pattern = format.pattern;
      pattern.lastIndex = 0;
      let match: RegExpExecArray | null;
      while ((match = pattern.exec(text)) !== null) {
        if (format.validate && !format.validate(match[0])) continue;
        // A pattern with a group masks only the value it captures (which closes the match), not the
        // name in front of it.
        const end = match.index + match[0].length;
        report(match[1] === undefined ? match.index : end - match[1].length, end);
      }
    },
  };
}

export const apiKeyDetectors: readonly Detector[] = FORMATS.map(toDetector);
