import { describe, expect, it } from 'vitest';
import { createMasker } from '@llm-otel/pii';
import { fakeSecret } from './support/fake-secrets';
import { findingsIn } from './support/findings';

/** Secret shapes that had no detector (issue 8, item 2). */
const PW = fakeSecret.opaque('pw', 12);
const masker = createMasker();

describe('URL_CREDENTIAL: userinfo', () => {
  it('masks the password in userinfo, whatever the host looks like', () => {
    expect(masker.maskString(`https://app:${PW}@host/api`)).toBe('https://app:<URL_CREDENTIAL>@host/api');
    expect(masker.maskString(`connect postgres://user:${PW}@db:5432/app failed`)).toBe('connect postgres://user:<URL_CREDENTIAL>@db:5432/app failed');
    expect(masker.maskString(`redis://:${PW}@cache.internal:6379`)).toBe('redis://:<URL_CREDENTIAL>@cache.internal:6379');
    expect(masker.maskString(`mongodb+srv://svc:${PW}@cluster0.example.net/db?retryWrites=true`)).toBe(
      'mongodb+srv://svc:<URL_CREDENTIAL>@cluster0.example.net/db?retryWrites=true',
    );
    // A raw `@` in the password: the last `@` before the host ends the userinfo.
    expect(masker.maskString('amqp://guest:p@ss@rabbit/vhost')).toBe('amqp://guest:<URL_CREDENTIAL>@rabbit/vhost');
  });

  it('masks token-like userinfo without a password, leaves a plain user name and URLs without userinfo', () => {
    const token = fakeSecret.githubPat('clone');
    expect(masker.maskString(`git clone https://${token}@github.com/org/repo.git`)).not.toContain(token);
    expect(masker.maskString('ssh://git@gitlab.internal:22/org/repo')).toBe('ssh://git@gitlab.internal:22/org/repo');
    expect(masker.maskString('see https://example.com:8443/a:b@c')).toBe('see https://example.com:8443/a:b@c');
  });
});

describe('URL_CREDENTIAL: query parameters and connection strings', () => {
  it('masks credential parameters after ? & # ; or at the start of the text', () => {
    const sig = fakeSecret.opaque('sig', 43);
    expect(masker.maskString(`https://acct.blob.core.windows.net/c/f.pdf?sv=2022-11-02&ss=b&srt=o&sp=r&se=2026-12-01&sig=${sig}%3D`)).toBe(
      'https://acct.blob.core.windows.net/c/f.pdf?sv=2022-11-02&ss=b&srt=o&sp=r&se=2026-12-01&sig=<URL_CREDENTIAL>',
    );
    expect(masker.maskString(`GET /cb?code=${PW}&state=xyz`)).toBe('GET /cb?code=<URL_CREDENTIAL>&state=xyz');
    expect(masker.maskString(`/a?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=${fakeSecret.opaque('amz', 64)}`)).toBe(
      '/a?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=<URL_CREDENTIAL>',
    );
    for (const name of ['token', 'access_token', 'signature', 'api_key', 'key', 'client_secret', 'X-Goog-Credential', 'subscription-key', 'auth']) {
      expect(masker.maskString(`https://h/p?a=1&${name}=${PW}`), name).toBe(`https://h/p?a=1&${name}=<URL_CREDENTIAL>`);
    }
    expect(masker.maskString(`https://app/#access_token=${PW}&token_type=bearer`)).toBe('https://app/#access_token=<URL_CREDENTIAL>&token_type=bearer');
    expect(masker.maskString(`token=${PW}&page=2`), 'a bare url.query').toBe('token=<URL_CREDENTIAL>&page=2');
    expect(masker.maskString(`DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${PW}==;EndpointSuffix=core.windows.net`)).toBe(
      'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=<URL_CREDENTIAL>;EndpointSuffix=core.windows.net',
    );
  });

  it('leaves other parameters and prose alone', () => {
    expect(findingsIn('https://h/search?q=shoes&page=2&sort=price')).toEqual([]);
    expect(findingsIn('the status code=200 was fine')).toEqual([]);
    expect(findingsIn('https://h/p?tokens=1200&keyword=abcdef')).toEqual([]);
  });
});

describe('SECRET: SQL that sets a password', () => {
  it('masks the literal, keeping the statement', () => {
    expect(masker.maskString(`CREATE USER app WITH LOGIN PASSWORD '${PW}'`)).toBe("CREATE USER app WITH LOGIN PASSWORD '<SECRET>'");
    expect(masker.maskString(`ALTER ROLE app password '${PW}' VALID UNTIL 'infinity'`)).toBe("ALTER ROLE app password '<SECRET>' VALID UNTIL 'infinity'");
    expect(masker.maskString(`CREATE USER 'app'@'%' IDENTIFIED BY "${PW}";`)).toBe(`CREATE USER 'app'@'%' IDENTIFIED BY "<SECRET>";`);
    expect(masker.maskString(`ALTER USER app IDENTIFIED WITH mysql_native_password BY '${PW}'`)).toBe(
      "ALTER USER app IDENTIFIED WITH mysql_native_password BY '<SECRET>'",
    );
    expect(masker.maskString(`SET PASSWORD FOR app = PASSWORD('${PW}')`)).toBe("SET PASSWORD FOR app = PASSWORD('<SECRET>')");
    expect(masker.maskString(`CREATE LOGIN app WITH PASSWORD = 'it''s${PW}'`)).toBe("CREATE LOGIN app WITH PASSWORD = '<SECRET>'");
    // Inside a JSON string attribute, and cut before its closing quote.
    expect(masker.maskString(`{"sql":"CREATE ROLE r PASSWORD \\"${PW}\\""}`)).toBe('{"sql":"CREATE ROLE r PASSWORD \\"<SECRET>\\""}');
    expect(masker.maskString(`ALTER USER app PASSWORD '${PW}`)).toBe("ALTER USER app PASSWORD '<SECRET>");
  });

  it('leaves statements without a password literal alone', () => {
    expect(findingsIn("SELECT * FROM users WHERE name = 'password reset'")).toEqual([]);
    expect(findingsIn("the password field is empty, user 'bob'")).toEqual([]);
  });
});

describe('SECRET: the value after a secret command-line flag', () => {
  it('in a string: --password value, --flag=value, quoted values', () => {
    expect(masker.maskString(`node app.js --password ${PW} --port 80`)).toBe('node app.js --password <SECRET> --port 80');
    expect(masker.maskString(`app --db-password=${PW} --verbose`)).toBe('app --db-password=<SECRET> --verbose');
    expect(masker.maskString(`cli --token "${PW} x" run`)).toBe('cli --token "<SECRET>" run');
    expect(masker.maskString(`cli --api-key ${PW}`)).toBe('cli --api-key <SECRET>');
    expect(masker.maskString('cli --password hunter2')).toBe('cli --password <SECRET>');
  });

  it('leaves flags that only mention tokens, and flags without a value', () => {
    expect(findingsIn('gen --max-tokens 1024 --token-file ./t.txt')).toEqual([]);
    expect(findingsIn('login --password --verbose')).toEqual([]);
  });

  it('in an argument array (process.command_args): the element after a lone secret flag', () => {
    expect(masker.maskAttributes({ 'process.command_args': ['node', 'app.js', '--password', 'hunter2', '--port', '80'] })).toEqual({
      'process.command_args': ['node', 'app.js', '--password', '<SECRET>', '--port', '80'],
    });
    expect(masker.maskAttributes({ 'process.command_args': ['app', '--token', PW, '--api-key=' + PW, '--password', '--verbose'] })).toEqual({
      'process.command_args': ['app', '--token', '<SECRET>', '--api-key=<SECRET>', '--password', '--verbose'],
    });
  });
});

describe('header attributes that carry keys', () => {
  const key = fakeSecret.opaque('hdr', 32);
  const headers = [
    'http.request.header.ocp-apim-subscription-key',
    'http.request.header.x-goog-api-key',
    'http.request.header.x-functions-key',
    'http.request.header.cookie',
    'http.response.header.set-cookie',
    'http.request.header.proxy-authorization',
    'http.request.header.x-amz-security-token',
    'http.request.header.private-token',
    'rpc.grpc.request.metadata.authorization',
  ];
  for (const header of headers) {
    it(`${header}, array-valued and plain`, () => {
      expect(masker.maskAttributes({ [header]: [key, `session=${key}`] })).toEqual({ [header]: ['<SECRET>', '<SECRET>'] });
      expect(masker.maskAttributes({ [header]: key })).toEqual({ [header]: '<SECRET>' });
    });
  }

  it('keeps rate-limit and other headers readable', () => {
    const attributes = {
      'http.response.header.x-ratelimit-remaining-tokens': ['149984'],
      'http.response.header.content-type': ['application/json'],
      'http.response.header.openai-processing-ms': ['231'],
    };
    expect(masker.maskAttributes(attributes)).toBe(attributes);
  });
});

describe('SECRET: header lines written into text', () => {
  const key = fakeSecret.opaque('line', 32);
  it('masks the value of key-carrying headers, the credential after an auth scheme, and whole cookie lines', () => {
    expect(masker.maskString(`curl -H "Ocp-Apim-Subscription-Key: ${key}" https://x`)).toBe('curl -H "Ocp-Apim-Subscription-Key: <SECRET>" https://x');
    expect(masker.maskString(`X-Api-Key: ${key}\nAccept: */*`)).toBe('X-Api-Key: <SECRET>\nAccept: */*');
    expect(masker.maskString(`Authorization: Basic ${Buffer.from('user:pw').toString('base64')}`)).toBe('Authorization: Basic <SECRET>');
    expect(masker.maskString(`Proxy-Authorization: Digest ${key}`)).toBe('Proxy-Authorization: Digest <SECRET>');
    expect(masker.maskString(`Cookie: theme=dark; session=${key}\r\nHost: x`)).toBe('Cookie: <SECRET>\r\nHost: x');
  });
});

describe('vendor tokens and private keys (gitleaks shapes)', () => {
  it('finds Slack, Stripe, GitLab, Hugging Face and npm tokens and PEM private keys, also after \\n in JSON', () => {
    const cases: Array<[string, string]> = [
      [fakeSecret.slackBot(), 'SLACK_TOKEN'],
      [fakeSecret.stripeLive(), 'STRIPE_KEY'],
      [fakeSecret.gitlabPat(), 'GITLAB_TOKEN'],
      [fakeSecret.huggingFace(), 'HUGGINGFACE_TOKEN'],
      [fakeSecret.npm(), 'NPM_TOKEN'],
      [fakeSecret.pemPrivateKey(), 'PRIVATE_KEY'],
    ];
    for (const [secret, type] of cases) {
      expect(findingsIn(`use ${secret} now`), type).toEqual([[type, secret]]);
      expect(masker.maskString(JSON.stringify({ content: `key:\n${secret}\nthanks` })), type).toBe(JSON.stringify({ content: `key:\n<${type}>\nthanks` }));
    }
  });

  it('finds a keyword glued to another one (the keyword pass found `sk-` and skipped the `-----BEGIN` sharing its dash)', () => {
    for (const glue of ['sk', 'task', 'Disk']) {
      const pem = fakeSecret.pemPrivateKey();
      expect(masker.maskString(`${glue}${pem}`), glue).not.toContain(pem.slice(40, 80));
    }
  });

  it('masks a private key cut before its END line to the end of the text; leaves public keys and certificates', () => {
    const cut = fakeSecret.pemPrivateKey().slice(0, 80);
    expect(masker.maskString(`key ${cut}`)).toBe('key <PRIVATE_KEY>');
    expect(findingsIn('-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----')).toEqual([]);
    expect(findingsIn('-----BEGIN CERTIFICATE-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END CERTIFICATE-----')).toEqual([]);
  });
});
