import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '@llm-otel/otlp-receiver';
import { realisticChatCompletion, realisticChatRoute, realisticChatStream, startProviderStandIn, type ProviderStandIn } from '@llm-otel/provider-stand-in';
import { runNode, type ChildExit } from './support/node-child';
import { isLlmSpan } from './support/telemetry';

// What a user gets from npm: the tarballs `pnpm pack` makes, installed with npm into an empty folder
// next to openai 6 (which runs on Node 20 and 24), used by small apps run with plain `node`. The
// test process hosts the provider stand-in and the OTLP receiver; the apps only get their URLs.

const run = promisify(execFile);
const repo = fileURLToPath(new URL('..', import.meta.url));
const appsDir = join(repo, 'test/apps/consumer');
const tsc = join(repo, 'node_modules/.bin/tsc');
const INSTALL_TIMEOUT_MS = 180_000;
/** The published packages when this test was written; every other non-private package under packages/ is covered too. */
const KNOWN_PUBLISHED = ['@llm-otel/audit', '@llm-otel/cli', '@llm-otel/instrumentation', '@llm-otel/pii', '@llm-otel/processor', '@llm-otel/setup'];

interface PackedPackage {
  dir: string;
  tarball: string;
  files: string[];
  manifest: {
    name: string;
    version: string;
    exports?: unknown;
    bin?: Record<string, string>;
    dependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
    scripts?: Record<string, string>;
  } & Record<string, unknown>;
}

interface AppOutput {
  completion: { id: string; model: string; usage: { prompt_tokens: number; completion_tokens: number } };
  streamedText: string;
  streamedUsage: { prompt_tokens: number; completion_tokens: number };
}

let workDir: string;
let consumerDir: string;
let packed: PackedPackage[];
let standIn: ProviderStandIn;
let receiver: OtlpReceiver;

async function describeTarball(tarball: string): Promise<PackedPackage> {
  const listing = (await run('tar', ['-tzf', tarball])).stdout;
  const manifest = JSON.parse((await run('tar', ['-xzOf', tarball, 'package/package.json'])).stdout);
  return { dir: join(repo, 'packages', manifest.name.replace('@llm-otel/', '')), tarball, files: listing.split('\n').filter(Boolean), manifest };
}

let installLine: string[];

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'llm-otel-packaging-'));
  const tarballs = join(workDir, 'tarballs');
  consumerDir = join(workDir, 'consumer');
  await cp(appsDir, consumerDir, { recursive: true });
  // The README's way in until the packages are on the registry: `pnpm pack:local` (here on the build
  // `pnpm test` made), then the npm install line it prints, run as printed.
  const packOutput = await run(process.execPath, [join(repo, 'scripts/pack-local.mjs'), '--out', tarballs, '--no-build'], { cwd: repo, timeout: 180_000 });
  const line = packOutput.stdout.split('\n').find((text) => text.trim().startsWith('npm install '));
  expect(line, packOutput.stdout).toBeDefined();
  installLine = line!.trim().split(/\s+/);
  packed = await Promise.all((await readdir(tarballs)).filter((file) => file.endsWith('.tgz')).map((file) => describeTarball(join(tarballs, file))));

  await writeFile(join(consumerDir, 'package.json'), JSON.stringify({ name: 'llm-otel-consumer', version: '0.0.0', private: true }));
  // @types/node: a TypeScript consumer has it, and the OpenTelemetry declarations import node modules.
  const cliTarball = packed.find((p) => p.manifest.name === '@llm-otel/cli')!.tarball;
  await run(installLine[0], [...installLine.slice(1), cliTarball, 'openai@6', '@types/node@20', '--no-audit', '--no-fund'], {
    cwd: consumerDir,
    timeout: INSTALL_TIMEOUT_MS,
  });

  standIn = await startProviderStandIn();
  standIn.script(realisticChatRoute());
  receiver = await startOtlpReceiver();
}, 360_000);

afterAll(async () => {
  await standIn?.close();
  await receiver?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

/** Every file path an `exports` map (or main/module/types) points at. */
function exportedFiles(manifest: PackedPackage['manifest']): string[] {
  const targets: string[] = [];
  const walk = (value: unknown) => {
    if (typeof value === 'string') targets.push(value);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(manifest.exports);
  for (const field of ['main', 'module', 'types'] as const) walk(manifest[field]);
  return [...new Set(targets)];
}

const rootManifest = JSON.parse(await readFile(join(repo, 'package.json'), 'utf8')) as { license: string; repository: { url: string } };
const rootLicense = await readFile(join(repo, 'LICENSE'), 'utf8');

describe('the tarballs pnpm pack:local makes (issue 15)', () => {
  test('every non-private package under packages/ is packed, and the printed npm install line names every library', () => {
    const names = packed.map((p) => p.manifest.name).sort();
    expect(names).toEqual(expect.arrayContaining(KNOWN_PUBLISHED));
    for (const { manifest, tarball } of packed) {
      if (manifest.name !== '@llm-otel/cli') expect(installLine, manifest.name).toContain(tarball);
    }
  });

  test('no workspace: ranges; siblings depended on by their published version; every exported file is in the tarball', () => {
    const versions = new Map(packed.map((p) => [p.manifest.name, p.manifest.version]));
    for (const { manifest, files } of packed) {
      expect(JSON.stringify(manifest), manifest.name).not.toContain('workspace:');
      for (const [dependency, range] of Object.entries({ ...manifest.dependencies, ...manifest.peerDependencies })) {
        if (versions.has(dependency)) expect(range, `${manifest.name} → ${dependency}`).toBe(`^${versions.get(dependency)}`);
      }
      const targets = [...exportedFiles(manifest), ...Object.values(manifest.bin ?? {})];
      expect(targets.length, manifest.name).toBeGreaterThan(0);
      for (const target of targets) expect(files, `${manifest.name} exports ${target}`).toContain(join('package', target));
      // Both module systems, with their own declarations (the CLI is a bin only).
      if (manifest.bin === undefined) {
        expect(targets, manifest.name).toEqual(expect.arrayContaining(['./dist/index.js', './dist/index.cjs', './dist/index.d.ts', './dist/index.d.cts']));
      }
    }
    expect(exportedFiles(packed.find((p) => p.manifest.name === '@llm-otel/setup')!.manifest)).toEqual(
      expect.arrayContaining(['./dist/register.js', './dist/register.cjs']),
    );
  });

  test('every export has declarations for import and for require', () => {
    for (const { manifest } of packed) {
      for (const [subpath, target] of Object.entries((manifest.exports ?? {}) as Record<string, unknown>)) {
        if (subpath === './package.json') continue;
        const conditions = target as { import?: { types?: string }; require?: { types?: string } };
        expect(conditions.import?.types, `${manifest.name} ${subpath} import types`).toMatch(/\.d\.ts$/);
        expect(conditions.require?.types, `${manifest.name} ${subpath} require types`).toMatch(/\.d\.cts$/);
      }
    }
  });

  test("ready to publish: LICENSE (the repository's Apache-2.0 text) and NOTICE where needed, metadata, public access, a prepack that builds, no source maps", async () => {
    expect(rootManifest.license).toBe('Apache-2.0');
    expect(rootLicense).toContain('Apache License\n                           Version 2.0, January 2004');
    for (const { manifest, files, dir } of packed) {
      const name = manifest.name;
      expect(files, name).toEqual(expect.arrayContaining(['package/LICENSE', 'package/README.md', 'package/CHANGELOG.md']));
      expect(
        files.filter((file) => file.endsWith('.map')),
        `${name}: source maps`,
      ).toEqual([]);
      // A new package gets all of this from `node scripts/package-metadata.mjs`.
      expect(manifest, `${name} (node scripts/package-metadata.mjs fills this in)`).toMatchObject({
        license: 'Apache-2.0',
        author: expect.any(String),
        homepage: expect.stringContaining(`/packages/${dir.slice(dir.lastIndexOf('/') + 1)}`),
        repository: { type: 'git', url: rootManifest.repository.url, directory: `packages/${dir.slice(dir.lastIndexOf('/') + 1)}` },
        bugs: { url: expect.stringMatching(/^https:\/\//) },
        publishConfig: { access: 'public' },
        engines: { node: expect.any(String) },
      });
      expect((manifest.keywords as string[]).length, name).toBeGreaterThan(3);
      // pnpm pack leaves the lifecycle scripts out of the packed manifest: the source's is checked.
      const source = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
      expect(source.scripts.prepack, `${name}: prepack`).toBe(source.scripts.build);
    }
    // The name lists of @llm-otel/pii come from @faker-js/faker (MIT): its notice travels with them.
    expect(packed.find((p) => p.manifest.name === '@llm-otel/pii')!.files).toContain('package/NOTICE');
  });

  test("the LICENSE and NOTICE files in the packages are the repository's, byte for byte", async () => {
    for (const { dir, manifest } of packed) expect(await readFile(join(dir, 'LICENSE'), 'utf8'), manifest.name).toBe(rootLicense);
    const notice = await readFile(join(repo, 'packages/pii/NOTICE'), 'utf8');
    expect(notice).toContain('Faker - Copyright (c) 2022-2025');
    expect(notice).toContain('Permission is hereby granted, free of charge');
    expect(await readFile(join(repo, 'NOTICE'), 'utf8')).toContain(notice.slice(notice.indexOf('Faker - Copyright')));
  });

  test('the CLI bundles its siblings: no @llm-otel dependency, so `npx --package <its tarball>` installs it alone', () => {
    // It listed @llm-otel/audit (bundled all along), which npx then looked for on the registry: 404.
    const cli = packed.find((p) => p.manifest.name === '@llm-otel/cli')!.manifest;
    expect(Object.keys(cli.dependencies ?? {}).filter((name) => name.startsWith('@llm-otel/'))).toEqual([]);
    expect(cli.bin).toEqual({ 'llm-otel': './dist/main.js' });
  });

  test('the CLI from its tarball: `llm-otel --help` and `llm-otel view` run with the dependencies npm installed', async () => {
    const bin = join(consumerDir, 'node_modules/.bin/llm-otel');
    const help = await run(bin, ['--help'], { cwd: consumerDir });
    expect(help.stdout).toMatch(/verify .*\n.*view /s);
    const view = await run(bin, ['view', '--help'], { cwd: consumerDir });
    expect(view.stdout).toContain('Usage: llm-otel view');
  });
});

/** Runs an app from the consumer folder; stand-in and receiver URLs come through the environment. */
async function runApp(args: string[], env: Record<string, string>): Promise<{ exit: ChildExit; output: AppOutput }> {
  const exit = await runNode(args, {
    cwd: consumerDir,
    env: { STAND_IN_URL: standIn.url, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.grpcUrl, ...env },
  });
  expect(exit, exit.stderr).toMatchObject({ code: 0, signal: null });
  const line = exit.stdout.split('\n').find((text) => text.startsWith('{'));
  expect(line, `app output: ${exit.stdout}\n${exit.stderr}`).toBeDefined();
  return { exit, output: JSON.parse(line!) };
}

/** The SDK returned exactly what the stand-in answered to the requests it received. */
function expectSdkGotStandInAnswers(output: AppOutput): void {
  const bodies = standIn.requests.map((request) => request.body);
  const plainBody = bodies.find((body) => JSON.parse(body).stream !== true)!;
  const streamedBody = bodies.find((body) => JSON.parse(body).stream === true)!;
  expect(output.completion).toEqual(realisticChatCompletion(plainBody));
  const chunks = realisticChatStream(streamedBody)
    .map((event) => event.replace(/^data: /, '').trim())
    .filter((data) => data !== '[DONE]')
    .map((data) => JSON.parse(data) as { choices: { delta?: { content?: string } }[] });
  expect(output.streamedText).toBe(chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join(''));
  expect(output.streamedText.length).toBeGreaterThan(0);
}

/** Both calls of one app reached the receiver, once each, with what the SDK saw. */
function expectTwoChatSpans(serviceName: string, output: AppOutput, expected: { provider: string; hook: 'fetch' | 'undici' }): void {
  const ofService = (spans: ReceivedSpan[]) => spans.filter((span) => isLlmSpan(span) && span.resource['service.name'] === serviceName);
  // The app exited after its flush: whatever it exported has arrived.
  const spans = ofService(receiver.spans);
  expect(
    spans.map((span) => span.name),
    'one span per call, every one exported before the app exited',
  ).toEqual(['chat gpt-4o-mini', 'chat gpt-4o-mini']);
  // Semconv: gen_ai.request.stream is set on streaming calls only.
  const plain = spans.find((span) => span.attributes['gen_ai.request.stream'] === undefined)!;
  const streamed = spans.find((span) => span.attributes['gen_ai.request.stream'] === true)!;
  const port = Number(new URL(standIn.url).port);
  const common = {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': expected.provider,
    'gen_ai.request.model': 'gpt-4o-mini',
    'server.address': '127.0.0.1',
    'server.port': port,
    'http.response.status_code': 200,
    'llm_otel.hook': expected.hook,
  };
  expect(plain.attributes).toMatchObject({
    ...common,
    'gen_ai.request.temperature': 0.2,
    'gen_ai.response.id': output.completion.id,
    'gen_ai.response.model': output.completion.model,
    'gen_ai.response.finish_reasons': ['stop'],
    'gen_ai.usage.input_tokens': output.completion.usage.prompt_tokens,
    'gen_ai.usage.output_tokens': output.completion.usage.completion_tokens,
  });
  expect(streamed.attributes).toMatchObject({
    ...common,
    'gen_ai.usage.input_tokens': output.streamedUsage.prompt_tokens,
    'gen_ai.usage.output_tokens': output.streamedUsage.completion_tokens,
  });
  expect(streamed.attributes['gen_ai.response.time_to_first_chunk']).toBeGreaterThan(0);
  expect(plain.kind).toBe(3); // CLIENT
  expect(plain.status.code).not.toBe(2);
}

/** Every package under `nodeModules`, nested ones included: name → the folders it is installed in. */
async function installedCopies(nodeModules: string, found = new Map<string, string[]>()): Promise<Map<string, string[]>> {
  const entries = await readdir(nodeModules, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const dirs = entry.name.startsWith('@')
      ? (await readdir(join(nodeModules, entry.name))).map((name) => join(nodeModules, entry.name, name))
      : [join(nodeModules, entry.name)];
    for (const dir of dirs) {
      const name = entry.name.startsWith('@') ? `${entry.name}/${dir.slice(dir.lastIndexOf('/') + 1)}` : entry.name;
      found.set(name, [...(found.get(name) ?? []), dir]);
      await installedCopies(join(dir, 'node_modules'), found);
    }
  }
  return found;
}

describe('what npm installs from the tarballs (issue 11)', () => {
  test('one copy of each OpenTelemetry package and of undici; no tokenizer unless the app asks for it', async () => {
    const copies = await installedCopies(join(consumerDir, 'node_modules'));
    const watched = [...copies].filter(([name]) => name.startsWith('@opentelemetry/') || name === 'undici');
    expect(watched.length).toBeGreaterThan(10);
    expect(
      watched.filter(([, dirs]) => dirs.length > 1),
      'packages installed more than once',
    ).toEqual([]);
    // An optional peer: 53 MB that only token estimates (streams without usage) need.
    expect(copies.has('gpt-tokenizer')).toBe(false);
  });

  test('instrumentation and pii depend on @opentelemetry/api and only what they must, not on an SDK line', () => {
    const manifest = (name: string) => packed.find((p) => p.manifest.name === name)!.manifest;
    expect(Object.keys(manifest('@llm-otel/instrumentation').dependencies ?? {}).sort()).toEqual(['@opentelemetry/instrumentation', 'undici']);
    expect(Object.keys(manifest('@llm-otel/pii').dependencies ?? {}).sort()).toEqual(['ibantools', 'libphonenumber-js']);
    for (const name of ['@llm-otel/instrumentation', '@llm-otel/pii']) expect(manifest(name).peerDependencies?.['@opentelemetry/api'], name).toBeDefined();
  });
});

describe('beside an application on the OpenTelemetry 3.x line (issue 11)', () => {
  test(
    'instrumentation and pii install next to api 1.10 + sdk-trace 3 without pulling a 2.x SDK or core, and pii masks its spans',
    async () => {
      const appDir = join(workDir, 'otel3-app');
      await mkdir(appDir);
      await writeFile(join(appDir, 'package.json'), JSON.stringify({ name: 'otel3-app', version: '0.0.0', private: true }));
      const ours = ['instrumentation', 'pii'].map((name) => packed.find((p) => p.manifest.name === `@llm-otel/${name}`)!.tarball);
      await run('npm', ['install', ...ours, '@opentelemetry/api@1.10', '@opentelemetry/sdk-trace@3', '--no-audit', '--no-fund'], {
        cwd: appDir,
        timeout: INSTALL_TIMEOUT_MS,
      });
      const copies = await installedCopies(join(appDir, 'node_modules'));
      expect(copies.has('@opentelemetry/sdk-trace-base'), 'a 2.x SDK came along').toBe(false);
      const coreVersions = await Promise.all(
        (copies.get('@opentelemetry/core') ?? []).map(async (dir) => JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')).version as string),
      );
      expect(
        coreVersions.filter((version) => !version.startsWith('3.')),
        'a 2.x @opentelemetry/core came along',
      ).toEqual([]);
      const script = [
        "const { trace } = require('@opentelemetry/api');",
        "const { TracerProvider, SimpleSpanProcessor, InMemorySpanExporter } = require('@opentelemetry/sdk-trace');",
        "const { PiiMaskingSpanProcessor } = require('@llm-otel/pii');",
        'const exporter = new InMemorySpanExporter();',
        'const provider = new TracerProvider({ spanProcessors: [new PiiMaskingSpanProcessor(new SimpleSpanProcessor({ exporter }))] });',
        "provider.getTracer('t').startSpan('chat', { attributes: { note: 'mail jane.doe@example.com' } }).end();",
        'provider.forceFlush().then(() => console.log(JSON.stringify(exporter.getFinishedSpans().map((span) => span.attributes.note))));',
      ].join(' ');
      const exit = await runNode(['-e', script], { cwd: appDir });
      expect(exit, exit.stderr).toMatchObject({ code: 0 });
      expect(exit.stdout).not.toContain('jane.doe@example.com');
      expect(JSON.parse(exit.stdout)).toHaveLength(1);
    },
    INSTALL_TIMEOUT_MS,
  );
});

/** Packages whose files the CommonJS loader holds after `script` ran in the consumer folder (also what the ESM build required lazily). */
async function packagesLoadedBy(script: string, esm: boolean): Promise<string[]> {
  const report = `console.log(JSON.stringify(Object.keys(require('node:module').createRequire(process.cwd() + '/').cache)))`;
  const args = esm
    ? ['--input-type=module', '-e', `${script}; const require = (await import('node:module')).createRequire(import.meta.url); ${report}; process.exit(0);`]
    : ['-e', `${script}; ${report}; process.exit(0);`];
  const exit = await runNode(args, { cwd: consumerDir });
  expect(exit, exit.stderr).toMatchObject({ code: 0 });
  const files = JSON.parse(exit.stdout.split('\n').find((line) => line.startsWith('['))!) as string[];
  const names = files.map((file) => /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(file)?.[1]).filter((name) => name !== undefined);
  return [...new Set(names)];
}

describe('start-up loads only what is on (issue 11)', () => {
  const OFF_AT_DEFAULTS = [
    '@opentelemetry/exporter-metrics-otlp-grpc',
    '@opentelemetry/exporter-metrics-otlp-proto',
    '@opentelemetry/exporter-metrics-otlp-http',
    '@opentelemetry/exporter-trace-otlp-proto',
    '@opentelemetry/exporter-trace-otlp-http',
    'libphonenumber-js',
  ];

  // Made at the first export (deferred-span-exporter.ts), not at set-up.
  // The trace exporters are built from the stock exporters' parts with our serializer (otlp/trace-exporters.ts).
  const AT_FIRST_EXPORT = [
    '@opentelemetry/otlp-grpc-exporter-base',
    '@opentelemetry/otlp-exporter-base',
    '@grpc/grpc-js',
    '@opentelemetry/otlp-transformer',
    '@opentelemetry/sdk-metrics',
  ];

  test('CommonJS, defaults (gRPC, no metrics): no metrics exporter, no http/protobuf exporter, no phone metadata; the gRPC exporter not before the first export', async () => {
    const loaded = await packagesLoadedBy("require('@llm-otel/setup').setupTelemetry({ handleSignals: false })", false);
    expect(loaded).toContain('@llm-otel/setup');
    expect(loaded.filter((name) => [...OFF_AT_DEFAULTS, ...AT_FIRST_EXPORT].includes(name))).toEqual([]);
    // A first export (to a port nothing listens on: the attempt fails) makes the exporter.
    const exported = await packagesLoadedBy(
      "const load = (await import('node:module')).createRequire(process.cwd() + '/'); " +
        "const telemetry = load('@llm-otel/setup').setupTelemetry({ handleSignals: false, endpoint: 'http://127.0.0.1:9' }); " +
        "load('@opentelemetry/api').trace.getTracer('packaging').startSpan('first').end(); await telemetry.forceFlush()",
      true,
    );
    expect(exported).toEqual(expect.arrayContaining(AT_FIRST_EXPORT));
    expect(exported.filter((name) => OFF_AT_DEFAULTS.includes(name))).toEqual([]);
  });

  // The lazy requires must work from both builds (createRequire over import.meta.url, shimmed in CommonJS).
  test.each([
    ['CommonJS', false, "const { createMasker } = require('@llm-otel/pii')"],
    ['ESM', true, "const { createMasker } = await import('@llm-otel/pii')"],
  ])('%s: a phone number only libphonenumber-js can decide is masked; the library loads at that first need', async (_kind, esm, load) => {
    const script = `${load}; const masker = createMasker({ phoneRegions: ['FR'] }); console.log(masker.maskString('appelez le 06 12 34 56 78'))`;
    const loaded = await packagesLoadedBy(script, esm);
    expect(loaded).toContain('libphonenumber-js');
    const exit = await runNode(esm ? ['--input-type=module', '-e', script] : ['-e', script], { cwd: consumerDir });
    expect(exit, exit.stderr).toMatchObject({ code: 0 });
    expect(exit.stdout).not.toContain('06 12 34 56 78');
    expect(exit.stdout).toContain('appelez le ');
  });

  // The lazy require must work from both builds (createRequire over import.meta.url, shimmed in CommonJS).
  test.each([
    ['CommonJS', false, "require('@llm-otel/setup').setupTelemetry({ handleSignals: false, metrics: true, protocol: 'http/protobuf' })"],
    ['ESM', true, "(await import('@llm-otel/setup')).setupTelemetry({ handleSignals: false, metrics: true, protocol: 'http/protobuf' })"],
  ])('%s: metrics on over http/protobuf load their exporters when asked for', async (_kind, esm, script) => {
    const loaded = await packagesLoadedBy(script, esm);
    expect(loaded).toEqual(
      expect.arrayContaining(['@opentelemetry/exporter-metrics-otlp-proto', '@opentelemetry/otlp-exporter-base', '@opentelemetry/sdk-metrics']),
    );
  });
});

describe('apps using the installed packages, run with node', () => {
  test('ESM: a client constructed before setupTelemetry() is traced through the undici hook', async () => {
    standIn.requests.length = 0;
    // OTEL_SERVICE_NAME is set too: the serviceName option must win.
    const { output } = await runApp(['openai-before-setup.mjs'], { APP_SERVICE_NAME: 'esm-openai-first', OTEL_SERVICE_NAME: 'from-env' });
    expectSdkGotStandInAnswers(output);
    expectTwoChatSpans('esm-openai-first', output, { provider: 'openai', hook: 'undici' });
  });

  test('CommonJS: require(@llm-otel/setup) first, then the client: traced through the fetch hook', async () => {
    standIn.requests.length = 0;
    const { output } = await runApp(['setup-first.cjs'], { APP_SERVICE_NAME: 'cjs-setup-first' });
    expectSdkGotStandInAnswers(output);
    expectTwoChatSpans('cjs-setup-first', output, { provider: 'openai', hook: 'fetch' });
  });

  // No llm-otel code in the app, configuration only from OTEL_* variables, no shutdown() call: the
  // process exits by itself and the beforeExit flush delivers the spans. Without a `providers`
  // option the stand-in's host is recognised by path and body shape only.
  test.each([
    ['--import', 'plain-openai.mjs'],
    ['--require', 'plain-openai.cjs'],
    ['--import', 'plain-openai.cjs'],
  ])('preload: node %s @llm-otel/setup/register %s', async (flag, app) => {
    standIn.requests.length = 0;
    const serviceName = `preload${flag}-${app}`;
    const { output } = await runApp([flag, '@llm-otel/setup/register', app], { OTEL_SERVICE_NAME: serviceName });
    expectSdkGotStandInAnswers(output);
    expectTwoChatSpans(serviceName, output, { provider: 'openai', hook: 'fetch' });
  });
});

describe('gpt-tokenizer, an optional peer (issue 11)', () => {
  const streamSpanOf = (serviceName: string) => receiver.spans.find((span) => isLlmSpan(span) && span.resource['service.name'] === serviceName);

  test('not installed: the stream without usage is traced, says tokenizer_unavailable, and the app exits cleanly', async () => {
    const exit = await runNode(['stream-without-usage.cjs'], {
      cwd: consumerDir,
      env: { STAND_IN_URL: standIn.url, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.grpcUrl, APP_SERVICE_NAME: 'no-tokenizer' },
    });
    expect(exit, exit.stderr).toMatchObject({ code: 0, signal: null });
    expect(JSON.parse(exit.stdout.split('\n').find((line) => line.startsWith('{'))!).streamedText.length).toBeGreaterThan(0);
    const span = streamSpanOf('no-tokenizer');
    expect(span?.attributes).toMatchObject({ 'gen_ai.request.stream': true, 'llm_otel.usage.estimate_skipped': 'tokenizer_unavailable' });
    expect(span?.attributes['gen_ai.usage.output_tokens']).toBeUndefined();
  });

  test(
    'installed next to the app: the same stream gets its exact estimate',
    async () => {
      await run('npm', ['install', 'gpt-tokenizer@3.4.0', '--no-audit', '--no-fund'], { cwd: consumerDir, timeout: INSTALL_TIMEOUT_MS });
      const exit = await runNode(['stream-without-usage.cjs'], {
        cwd: consumerDir,
        env: { STAND_IN_URL: standIn.url, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.grpcUrl, APP_SERVICE_NAME: 'with-tokenizer' },
      });
      expect(exit, exit.stderr).toMatchObject({ code: 0, signal: null });
      const span = streamSpanOf('with-tokenizer');
      expect(span?.attributes).toMatchObject({ 'llm_otel.usage.estimated': true, 'llm_otel.usage.estimate_encoding': 'o200k_base' });
      expect(span?.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
    },
    INSTALL_TIMEOUT_MS,
  );
});

describe('@llm-otel/processor from the tarball', () => {
  // The NodeSDK recipe itself runs in test/node-sdk-readme.test.ts; here: both module systems load
  // the installed package, and setup's compatibility export is the very same class, not a copy.
  test.each([
    ['CommonJS', "const p = require('@llm-otel/processor'); const s = require('@llm-otel/setup');"],
    ['ESM', "const p = await import('@llm-otel/processor'); const s = await import('@llm-otel/setup');"],
  ])('%s: LlmSpanProcessor loads; UsageDeduplicatingSpanProcessor from @llm-otel/setup is the one of @llm-otel/processor', async (kind, load) => {
    const check = `${load} console.log(JSON.stringify([typeof p.LlmSpanProcessor, s.UsageDeduplicatingSpanProcessor === p.UsageDeduplicatingSpanProcessor]));`;
    const args = kind === 'ESM' ? ['--input-type=module', '-e', check] : ['-e', check];
    const exit = await runNode(args, { cwd: consumerDir });
    expect(exit, exit.stderr).toMatchObject({ code: 0, stdout: '["function",true]\n' });
  });
});

describe('TypeScript consumers (module nodenext, exactOptionalPropertyTypes, skipLibCheck false)', () => {
  test('every export of every package type-checks for ESM (.mts) and CommonJS (.cts), and the option types are precise', async () => {
    // One import of every export, written from the manifests, so a new export or package is covered.
    const specifiers = packed.flatMap(({ manifest }) =>
      Object.keys((manifest.exports ?? {}) as Record<string, unknown>)
        .filter((subpath) => subpath !== './package.json')
        .map((subpath) => `${manifest.name}${subpath.slice(1)}`),
    );
    expect(specifiers.length).toBeGreaterThanOrEqual(7);
    await writeFile(
      join(consumerDir, 'all-exports.mts'),
      specifiers.map((specifier, index) => `import * as m${index} from '${specifier}';\nvoid m${index};`).join('\n') + '\n',
    );
    await writeFile(
      join(consumerDir, 'all-exports.cts'),
      specifiers.map((specifier, index) => `import m${index} = require('${specifier}');\nvoid m${index};`).join('\n') + '\n',
    );
    const result = await run(tsc, ['-p', 'tsconfig.json', '--listFiles'], { cwd: consumerDir }).catch((error: { stdout: string; stderr: string }) => {
      throw new Error(`tsc failed:\n${error.stdout}${error.stderr}`);
    });
    const listed = result.stdout.split('\n').filter((file) => file.includes('/node_modules/@llm-otel/'));
    const declared = packed.flatMap(({ manifest }) =>
      Object.entries((manifest.exports ?? {}) as Record<string, { import?: { types?: string }; require?: { types?: string } }>)
        .filter(([subpath]) => subpath !== './package.json')
        .flatMap(([, conditions]) => [conditions.import?.types, conditions.require?.types])
        .map((types) => `${manifest.name}/${String(types).replace(/^\.\//, '')}`),
    );
    for (const file of declared)
      expect(
        listed.some((path) => path.endsWith(`/node_modules/${file}`)),
        `${file} was type-checked`,
      ).toBe(true);
  });
});
