import { createServer } from 'node:net';

/** Whether `port` can be listened on at `host` right now. */
export function portIsFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A free port to suggest instead of `taken`: the next few above it, else one the system picks. */
export async function suggestPort(host: string, taken: number, avoid: readonly number[]): Promise<number> {
  for (let candidate = taken + 10_000; candidate <= Math.min(65_535, taken + 10_010); candidate += 1) {
    if (!avoid.includes(candidate) && (await portIsFree(host, candidate))) return candidate;
  }
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(0));
    server.listen({ host, port: 0 }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
