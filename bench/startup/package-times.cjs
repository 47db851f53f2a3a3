// Preloaded (--require) by run.mjs for the per-package breakdown: CPU time each CommonJS file takes to
// compile and run its top level, less the files it requires (so each package's own share), summed per
// package, with the number of files. CommonJS only: the OpenTelemetry packages are CommonJS from ESM
// too, so this covers them and the CommonJS build of ours. Builtins a file requires count for that file.
const Module = require('node:module');

const cpuMillis = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};
const compile = Module.prototype._compile;
const open = [];
const perPackage = new Map();

function packageOf(file) {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(file) ?? /\/packages\/([^/]+)\/dist\//.exec(file);
  if (!match) return undefined;
  return file.includes('/packages/') && !file.includes('node_modules') ? `@llm-otel/${match[1]}` : match[1];
}

Module.prototype._compile = function timedCompile(content, filename) {
  const frame = { children: 0 };
  open.push(frame);
  const started = cpuMillis();
  try {
    return compile.call(this, content, filename);
  } finally {
    const total = cpuMillis() - started;
    open.pop();
    if (open.length > 0) open[open.length - 1].children += total;
    const name = packageOf(filename);
    if (name) {
      const entry = perPackage.get(name) ?? { millis: 0, files: 0 };
      entry.millis += total - frame.children;
      entry.files += 1;
      perPackage.set(name, entry);
    }
  }
};

/** [package, own CPU ms, files] for every package loaded so far. */
globalThis.packageTimes = () => [...perPackage].map(([name, { millis, files }]) => [name, millis, files]);
