import { fstatSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { SCENARIOS, scenarioRoutes } from './scenarios';
import { startProviderStandIn } from './server';
import type { ScenarioName } from './types';

/*
 * The stand-in in its own process, for loopback benchmarks and the many-concurrent-streams test:
 *   node dist/cli.js [--port N] [--host H] [--scenario realistic-chat] [--chunk-delay-ms N]
 * prints `LISTENING <url>` on one stdout line, and exits on SIGTERM, SIGINT or when stdin closes.
 */
const usage = `usage: cli.js [--port N] [--host H] [--scenario ${SCENARIOS.join('|')}] [--chunk-delay-ms N]`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      scenario: { type: 'string', default: 'realistic-chat' },
      'chunk-delay-ms': { type: 'string', default: '0' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const port = Number(values.port);
  const chunkDelayMs = Number(values['chunk-delay-ms']);
  const scenario = values.scenario as ScenarioName;
  if (!Number.isInteger(port) || port < 0 || !Number.isFinite(chunkDelayMs) || !SCENARIOS.includes(scenario)) {
    process.stderr.write(`${usage}\n`);
    process.exitCode = 2;
    return;
  }

  // The parent reads requests from its own side; recording here would only grow this process.
  const standIn = await startProviderStandIn({ host: values.host, port, recordRequests: false });
  for (const route of scenarioRoutes(scenario, { chunkDelayMs })) standIn.script(route);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    standIn.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  if (stdinIsPipe()) {
    process.stdin.on('end', stop);
    process.stdin.on('close', stop);
    process.stdin.resume();
  }
  // Only now: a parent that signals as soon as it reads this line must find the handlers in place.
  process.stdout.write(`LISTENING ${standIn.url}\n`);
}

/** Only a pipe or socket can "close"; /dev/null or a file as stdin ends at once and must not stop us. */
function stdinIsPipe(): boolean {
  try {
    const stat = fstatSync(0);
    return stat.isFIFO() || stat.isSocket();
  } catch {
    return false;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`stand-in: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
