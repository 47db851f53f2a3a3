import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startOtlpReceiver, type OtlpReceiver } from '@llm-otel/otlp-receiver';
import { realisticChatRoute, startProviderStandIn, type ProviderStandIn } from '@llm-otel/provider-stand-in';
import { startNode } from '../support/node-child';

// Issue 9 item 7: a dead backend silently added the whole 5 s shutdown deadline to every exit.
// Measured before (one-call app, preload, Node 20, 2 shared cores): 5.5–6.6 s to exit with a refusing
// http/protobuf backend or a hanging one, 0.8 s without telemetry, nothing on stderr. Now the first
// failed export is reported by default, a missed deadline is reported, and once an outage is known
// the exit flush gives the hanging backend 1 s, not 5.

const appsDir = fileURLToPath(new URL('../apps/setup-config/', import.meta.url));
const SHUTDOWN_DEADLINE_MS = 5000;
const KNOWN_OUTAGE_DEADLINE_MS = 1000;

let receiver: OtlpReceiver;
let standIn: ProviderStandIn;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  standIn = await startProviderStandIn();
  standIn.script(realisticChatRoute());
});
afterAll(async () => {
  await receiver.close();
  await standIn.close();
});

test('after a failed export, exit waits about 1 s for a hanging backend (not the 5 s deadline), and stderr says why', async () => {
  receiver.setBehaviour({ httpStatus: 400, times: 1 }); // a final failure, no retries: the outage is known at once
  const child = startNode(['--import', '@llm-otel/setup/register', 'outage-then-exit.mjs'], {
    cwd: appsDir,
    env: {
      STAND_IN_URL: standIn.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_ENDPOINT: new URL(receiver.httpUrl).origin,
      OTEL_BSP_SCHEDULE_DELAY: '200',
    },
  });
  await child.waitForLine('outage seen');
  receiver.setBehaviour({ hang: true });
  await child.waitForLine('idle');
  const idleAt = Date.now();
  const exit = await child.exited;
  const waited = Date.now() - idleAt;
  expect(exit, exit.stderr).toMatchObject({ code: 0, signal: null });
  expect(exit.stderr).toMatch(/exporting spans to .* failed/);
  expect(exit.stderr).toMatch(new RegExp(`flush did not finish within ${KNOWN_OUTAGE_DEADLINE_MS} ms`));
  // Far below the 5 s deadline the exit would otherwise wait; generous for a busy machine.
  expect(waited).toBeLessThan(SHUTDOWN_DEADLINE_MS - 1000);
});
