/**
 * The token-count worker, as source text run with `new Worker(source, { eval: true })`. A string and
 * not a file: in an application bundle (esbuild, webpack, a Next.js server build) a worker file next
 * to our code is left behind or renamed, and estimates vanished without a word (issue 9 item 9).
 * Plain CommonJS JavaScript that no bundler rewrites (it is only a string to them).
 *
 * Loading a tokenizer's rank table costs about a second of CPU (o200k_base), which must never run on
 * the event loop of the process we observe. The tokenizer is looked up from each of
 * `workerData.resolveFrom` in turn (our own module, the application's entry, its working directory),
 * so a bundle that left `gpt-tokenizer` in node_modules still finds it.
 */
export const TOKEN_COUNT_WORKER_SOURCE = String.raw`'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { createRequire } = require('node:module');

const ENCODINGS = new Set(['o200k_base', 'cl100k_base']);
const encoders = new Map();

function load(name) {
  for (const base of workerData.resolveFrom) {
    let requireFrom;
    try {
      requireFrom = createRequire(base);
    } catch {
      continue;
    }
    try {
      return requireFrom('gpt-tokenizer/encoding/' + name);
    } catch (error) {
      if (!error || error.code !== 'MODULE_NOT_FOUND') throw error;
    }
  }
  const missing = new Error('gpt-tokenizer was not found next to the application (a bundle that left it out?)');
  missing.code = 'TOKENIZER_NOT_FOUND';
  throw missing;
}

function encoderFor(name) {
  if (!ENCODINGS.has(name)) throw new Error('unknown encoding ' + name);
  let encoder = encoders.get(name);
  if (!encoder) {
    encoder = load(name);
    encoders.set(name, encoder);
  }
  return encoder;
}

parentPort.on('message', (message) => {
  try {
    const encoder = encoderFor(message.encoding);
    const counts = message.texts.map((text) => encoder.countTokens(text));
    parentPort.postMessage({ id: message.id, counts });
  } catch (error) {
    parentPort.postMessage({
      id: message.id,
      error: String((error && error.message) || error),
      unavailable: Boolean(error && error.code === 'TOKENIZER_NOT_FOUND'),
    });
  }
});
`;
