// An ESM app with no llm-otel code: traced only by `node --import @llm-otel/setup/register`.
import OpenAI from 'openai';
import chatCalls from './chat-calls.cjs';

await chatCalls.chatTwice(new OpenAI(chatCalls.clientOptions()));
