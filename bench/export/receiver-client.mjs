import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** Starts receiver-process.mjs and answers questions about what it received. */
export async function startReceiverProcess() {
  const child = fork(fileURLToPath(new URL('./receiver-process.mjs', import.meta.url)), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const [urls] = await once(child, 'message');
  const ask = async (question) => {
    child.send(question);
    const [answer] = await once(child, 'message');
    return answer;
  };
  return {
    grpcUrl: urls.grpcUrl,
    httpUrl: urls.httpUrl,
    count: async () => (await ask('count')).count,
    clear: () => ask('clear'),
    /** Resolves with the count once it reached `expected` or stopped growing for `quietMillis`. */
    async settle(expected, quietMillis = 1000) {
      let last = -1;
      let lastChange = performance.now();
      for (;;) {
        const count = await this.count();
        if (count >= expected) return count;
        if (count !== last) {
          last = count;
          lastChange = performance.now();
        } else if (performance.now() - lastChange > quietMillis) return count;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    close: () => {
      child.send('close');
      return once(child, 'exit');
    },
  };
}
