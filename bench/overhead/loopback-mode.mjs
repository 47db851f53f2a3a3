import { fork } from 'node:child_process';
import { once } from 'node:events';
import OpenAI from 'openai';
import { startInstrumentation } from './instrumented-pipeline.mjs';
import { measureOverhead } from './measure-overhead.mjs';

/** Starts the provider stand-in in its own process; resolves with its port and a way to stop it. */
async function startStandIn() {
  const child = fork(new URL('./stand-in-server.mjs', import.meta.url), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = once(child, 'exit');
  const [message] = await Promise.race([
    once(child, 'message'),
    exited.then(([code]) => {
      throw new Error(`the stand-in server exited with code ${code} before listening`);
    }),
  ]);
  return {
    port: message.port,
    async stop() {
      if (child.connected) child.disconnect();
      await exited;
    },
  };
}

/**
 * The loopback set-up: the stand-in server started, the instrumentation enabled over Node's real
 * fetch, and a client pointed at the server. `stop()` undoes all three.
 */
export async function loopbackClient() {
  const standIn = await startStandIn();
  const baseURL = `http://127.0.0.1:${standIn.port}/v1`;
  // Registered as OpenAI, as api.openai.com is in the in-process mode: the same recognition path.
  const pipeline = startInstrumentation({ providers: [{ baseUrl: baseURL, name: 'openai' }] });
  const client = new OpenAI({ apiKey: 'sk-bench', baseURL, maxRetries: 0 });
  return {
    pipeline,
    client,
    async stop() {
      await pipeline.stop();
      await standIn.stop();
    },
  };
}

/** Loopback mode: Node's real fetch and undici, keep-alive HTTP to a server in another process. */
export async function runLoopback(plan) {
  const { pipeline, client, stop } = await loopbackClient();
  try {
    return await measureOverhead(pipeline, client, plan);
  } finally {
    await stop();
  }
}
