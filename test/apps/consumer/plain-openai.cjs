// A CommonJS app with no llm-otel code: traced only by the register preload.
const { OpenAI } = require('openai');
const { chatTwice, clientOptions } = require('./chat-calls.cjs');

chatTwice(new OpenAI(clientOptions()));
