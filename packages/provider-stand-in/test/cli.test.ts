import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
const cli = join(packageDir, 'dist', 'cli.js');

/** The CLI runs from dist/; build it when it is missing or older than a source file. */
function ensureBuilt(): void {
  const built = existsSync(cli) ? statSync(cli).mtimeMs : 0;
  const sources = readdirSync(join(packageDir, 'src')).map((file) => statSync(join(packageDir, 'src', file)).mtimeMs);
  if (sources.some((mtime) => mtime > built)) execFileSync('npx', ['tsup'], { cwd: packageDir, stdio: 'ignore' });
}

async function startCli(args: string[] = []): Promise<{ child: ChildProcessWithoutNullStreams; url: string }> {
  const child = spawn(process.execPath, [cli, ...args], { stdio: 'pipe' });
  const lines = createInterface({ input: child.stdout });
  const [line] = (await once(lines, 'line')) as [string];
  lines.close();
  const match = /^LISTENING (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
  if (!match) throw new Error(`unexpected first line: ${line}`);
  return { child, url: match[1] };
}

const chatBody = (content: string, stream: boolean) =>
  JSON.stringify({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content }],
    stream,
    ...(stream ? { stream_options: { include_usage: true } } : {}),
  });

describe('stand-in CLI (its own process)', () => {
  beforeAll(() => {
    ensureBuilt();
  }, 60_000);

  it('prints LISTENING <url>, serves realistic-chat, and exits 0 when stdin closes', async () => {
    const { child, url } = await startCli(['--scenario', 'realistic-chat']);
    const response = await fetch(`${url}/v1/chat/completions`, { method: 'POST', body: chatBody('hello', false) });
    expect(((await response.json()) as { model: string }).model).toBe('gpt-4o-mini-2024-07-18');
    const exited = once(child, 'exit');
    child.stdin.end();
    expect(await exited).toEqual([0, null]);
  });

  it('exits 0 on SIGTERM', async () => {
    const { child } = await startCli(['--port', '0']);
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    expect(await exited).toEqual([0, null]);
  });

  it('rejects unknown scenarios with a usage line and exit code 2', async () => {
    const child = spawn(process.execPath, [cli, '--scenario', 'nope'], { stdio: 'pipe' });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect((await once(child, 'exit'))[0]).toBe(2);
    expect(stderr).toMatch(/^usage: cli\.js/);
  });

  it('holds 500 concurrent streams open at once (--chunk-delay-ms 100), each complete', async () => {
    const { child, url } = await startCli(['--chunk-delay-ms', '100']);
    try {
      const count = 500;
      let open = 0;
      let maxOpen = 0;
      const bodies = await Promise.all(
        Array.from({ length: count }, async (_, index) => {
          const response = await fetch(`${url}/v1/chat/completions`, { method: 'POST', body: chatBody(`question ${index}`, true) });
          open += 1;
          maxOpen = Math.max(maxOpen, open);
          const body = await response.text();
          open -= 1;
          return body;
        }),
      );
      expect(bodies.every((body) => body.endsWith('data: [DONE]\n\n') && body.includes('"choices":[],"usage"'))).toBe(true);
      // Each stream lasts about 50 events x 100 ms, so nearly all of them were open together.
      expect(maxOpen).toBeGreaterThan(400);
    } finally {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }
  }, 90_000);
});
