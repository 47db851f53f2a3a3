'use strict';
// Counts tokens off the application's thread. Loading a tokenizer's rank table costs about a second
// of CPU (o200k_base), which must never block the event loop of the process we observe. Plain
// CommonJS JavaScript so that it runs as is, from the sources in tests and from the package.
const { parentPort } = require('node:worker_threads');

const ENCODINGS = new Set(['o200k_base', 'cl100k_base']);
const encoders = new Map();

function encoderFor(name) {
  if (!ENCODINGS.has(name)) throw new Error(`unknown encoding ${name}`);
  let encoder = encoders.get(name);
  if (!encoder) {
    encoder = require(`gpt-tokenizer/encoding/${name}`);
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
    parentPort.postMessage({ id: message.id, error: String((error && error.message) || error) });
  }
});
