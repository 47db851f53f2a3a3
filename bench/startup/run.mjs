// Start-up benchmark: `import '@llm-otel/setup'` + setupTelemetry() at its defaults, against an
// empty Node process and against `openai` alone, in fresh processes (rounds rotate the variants),
// ESM and CommonJS; medians of time to ready and of the resident set. Then lists the packages each
// start-up loaded, and whether what is off by default stayed unloaded. Prints; never fails on a
// missed target. Fails if a start-up did not complete.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { quantile } from '../overhead/stats.mjs';

const ROUNDS = Number(process.env.STARTUP_BENCH_ROUNDS ?? 9);
const VARIANTS = ['empty', 'openai', 'setup', 'openai+setup'];
const FORMATS = ['esm', 'cjs'];
const TARGET = { millis: 150, mebibytes: 25 };
/** Off at the defaults, or not needed before the first export: not to be loaded by set-up (issue 11). */
const OFF_BY_DEFAULT = [
  ['@opentelemetry/sdk-metrics', 'metrics are off'],
  ['@opentelemetry/exporter-metrics-otlp-grpc', 'metrics are off'],
  ['@opentelemetry/exporter-metrics-otlp-proto', 'metrics are off'],
  ['@opentelemetry/exporter-metrics-otlp-http', 'metrics are off'],
  ['@opentelemetry/exporter-trace-otlp-proto', 'gRPC is the default protocol'],
  ['@opentelemetry/exporter-trace-otlp-http', 'gRPC is the default protocol'],
  ['@opentelemetry/exporter-trace-otlp-grpc', 'not used (our exporter is built from its parts)'],
  ['@opentelemetry/otlp-grpc-exporter-base', 'made at the first export'],
  ['@opentelemetry/otlp-exporter-base', 'made at the first export'],
  ['@grpc/grpc-js', 'made at the first export'],
  ['@opentelemetry/otlp-transformer', 'made at the first export'],
  ['gpt-tokenizer', 'needed at the first stream without usage'],
  ['libphonenumber-js', 'needed at the first phone-number candidate'],
];

// Everything at its defaults: no OTEL_* or LLM_OTEL_* variable reaches the children.
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(OTEL_|LLM_OTEL_)/.test(name)));

async function startOnce(argument, execArgv = []) {
  const child = fork(new URL('./child.mjs', import.meta.url), [JSON.stringify(argument)], {
    env,
    execArgv: ['--expose-gc', ...execArgv],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const [[message], [code]] = await Promise.all([once(child, 'message'), once(child, 'exit')]);
  if (code !== 0 || !message) throw new Error(`${argument.variant} (${argument.format}) exited with ${code}`);
  return message;
}

const median = (values) => quantile(values, 0.5);
const mib = (bytes) => bytes / 1024 / 1024;
const cpus = os.cpus();
console.log('llm-otel start-up benchmark: fresh processes, medians');
console.log(
  `node ${process.version} · ${os.platform()} ${os.arch()}, ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'} · load average ${os
    .loadavg()
    .map((v) => v.toFixed(1))
    .join(' ')}`,
);
console.log(
  `${ROUNDS} runs per variant and module format; ready = wall time from process start until the imports and setupTelemetry() returned; ` +
    'CPU = process CPU time (all threads) until then, less disturbed by other load; RSS after a full GC',
);

const samples = Object.fromEntries(FORMATS.flatMap((format) => VARIANTS.map((variant) => [`${format} ${variant}`, []])));
for (let round = 0; round < ROUNDS; round++) {
  for (const format of FORMATS) {
    const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length]);
    for (const variant of order) samples[`${format} ${variant}`].push(await startOnce({ variant, format }));
  }
}

for (const format of FORMATS) {
  console.log(`\n${format === 'esm' ? 'ESM import' : 'CommonJS require'}`);
  console.log(
    `${'variant'.padEnd(16)} ${'ready ms'.padStart(9)} ${'added ms'.padStart(9)} ${'CPU ms'.padStart(8)} ${'added'.padStart(7)} ${'RSS MiB'.padStart(8)} ${'added MiB'.padStart(10)}`,
  );
  const summary = (variant) => {
    const runs = samples[`${format} ${variant}`];
    return { ready: median(runs.map((r) => r.readyMillis)), cpu: median(runs.map((r) => r.cpuMillis)), rss: median(runs.map((r) => mib(r.rssBytes))) };
  };
  const empty = summary('empty');
  for (const variant of VARIANTS) {
    const s = summary(variant);
    console.log(
      `${variant.padEnd(16)} ${s.ready.toFixed(1).padStart(9)} ${(s.ready - empty.ready).toFixed(1).padStart(9)} ${s.cpu.toFixed(1).padStart(8)} ${(s.cpu - empty.cpu).toFixed(1).padStart(7)} ${s.rss.toFixed(1).padStart(8)} ${(s.rss - empty.rss).toFixed(1).padStart(10)}`,
    );
  }
  const setup = summary('setup');
  const openai = summary('openai');
  const both = summary('openai+setup');
  console.log(
    `setup over an empty process: +${(setup.ready - empty.ready).toFixed(1)} ms (target ≤ ${TARGET.millis}: ${setup.ready - empty.ready <= TARGET.millis ? 'met' : 'NOT met'}), ` +
      `+${(setup.rss - empty.rss).toFixed(1)} MiB (target ≤ ${TARGET.mebibytes}: ${setup.rss - empty.rss <= TARGET.mebibytes ? 'met' : 'NOT met'}); ` +
      `over openai alone: +${(both.ready - openai.ready).toFixed(1)} ms, +${(both.rss - openai.rss).toFixed(1)} MiB; ` +
      `openai alone over empty: +${(openai.ready - empty.ready).toFixed(1)} ms, +${(openai.rss - empty.rss).toFixed(1)} MiB`,
  );
}

for (const format of FORMATS) {
  const { packages, fetchImplementation } = await startOnce({ variant: 'setup', format, listPackages: true }, [
    '--import',
    new URL('./loaded-packages.mjs', import.meta.url).href,
  ]);
  console.log(
    `\npackages loaded by ${format === 'esm' ? 'import' : 'require'}('@llm-otel/setup') + setupTelemetry() (${packages.length}): ${packages.join(', ')}`,
  );
  for (const [name, why] of OFF_BY_DEFAULT) {
    console.log(`  ${packages.includes(name) ? 'LOADED    ' : 'not loaded'}  ${name} (${why})`);
  }
  console.log(
    `  ${fetchImplementation ? 'LOADED    ' : 'not loaded'}  Node's fetch implementation (its internal undici: the undici hook wraps Node's own Agent)`,
  );
}
// Where the CommonJS start-up's time goes, per package (package-times.cjs): medians of own CPU ms.
const timed = [];
for (let round = 0; round < Math.min(ROUNDS, 5); round++) {
  timed.push(
    (await startOnce({ variant: 'setup', format: 'cjs' }, ['--require', fileURLToPath(new URL('./package-times.cjs', import.meta.url))])).packageTimes,
  );
}
const byPackage = new Map();
for (const run of timed) for (const [name, millis, files] of run) byPackage.set(name, { files, millis: [...(byPackage.get(name)?.millis ?? []), millis] });
const rows = [...byPackage].map(([name, { files, millis }]) => [name, median(millis), files]).sort((a, b) => b[1] - a[1]);
console.log(
  `\nrequire('@llm-otel/setup') + setupTelemetry(): own CPU ms per package (compile and top level, less what it requires), median of ${timed.length}`,
);
for (const [name, millis, files] of rows)
  console.log(`  ${millis.toFixed(1).padStart(6)}  ${String(files).padStart(3)} file${files === 1 ? ' ' : 's'}  ${name}`);
console.log(
  `  ${rows
    .reduce((sum, [, millis]) => sum + millis, 0)
    .toFixed(1)
    .padStart(6)}  in all (setupTelemetry() itself, resolution and file reads are not in these)`,
);

// Importing the packages alone (an app that sets up later, or @llm-otel/processor on its own) does not load it.
const imported = await startOnce({ variant: 'import', format: 'esm' });
console.log(`\nimport('@llm-otel/setup') without setupTelemetry(): Node's fetch implementation ${imported.fetchImplementation ? 'LOADED' : 'not loaded'}`);
