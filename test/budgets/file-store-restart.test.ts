import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { FileBudgetStore, spendKeyPrefix } from '@llm-otel/budgets';
import { bundleChild } from '../support/bundle-child';

// Spend that survives a restart in the middle of a day, with the file store, in real child processes.
const CHILD = fileURLToPath(new URL('../.tmp/budgets/spend-child.js', import.meta.url));
const NOON = String(Date.UTC(2026, 5, 15, 12));

beforeAll(async () => {
  await bundleChild(new URL('./children/spend-child.ts', import.meta.url), 'spend-child', fileURLToPath(new URL('../.tmp/budgets', import.meta.url)), [
    'instrumentation',
  ]);
}, 120_000);

interface Run {
  alerts: string[];
  code: number | null;
  signal: NodeJS.Signals | null;
}

function runChild(env: Record<string, string>, killAfterFlush = false): Promise<Run> {
  const child = spawn(process.execPath, [CHILD], { env: { PATH: process.env.PATH ?? '', NOW_MS: NOON, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    stdout += text;
    if (killAfterFlush && stdout.includes('flushed\n')) child.kill('SIGKILL');
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`child still running; stderr: ${stderr}`));
    }, 30_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0 && signal === null) reject(new Error(`child failed: ${stderr}`));
      const alerts = stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => (JSON.parse(line) as { alert: string }).alert);
      resolve({ alerts, code, signal });
    });
  });
}

async function spentIn(file: string): Promise<number> {
  const store = new FileBudgetStore({ path: file });
  let micros = 0;
  for await (const [, totals] of store.entries(spendKeyPrefix('daily'))) micros += totals.exactMicros;
  await store.close();
  return micros;
}

describe('the file store across restarts', () => {
  test('restarted in the middle of a day: the spend is still there, and each alert is sent once in all', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'budget-restart-')), 'state', 'budgets.json');
    const env = { BUDGET_FILE: file, LIMIT_USD: '1', COST_USD: '0.1' };
    // 6 × $0.10: the warning (50%) is crossed in the first process.
    expect((await runChild({ ...env, CALLS: '6', EXIT: 'normal' })).alerts).toEqual(['warning']);
    expect(await spentIn(file)).toBe(600_000);
    // Killed (SIGKILL) after its flush: 3 more, no alert yet, and the warning is not sent again.
    const killed = await runChild({ ...env, CALLS: '3', EXIT: 'wait' }, true);
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.alerts).toEqual([]);
    expect(await spentIn(file)).toBe(900_000);
    // Past the limit: the critical alert, once; a third restart sends nothing.
    expect((await runChild({ ...env, CALLS: '2', EXIT: 'normal' })).alerts).toEqual(['critical']);
    expect((await runChild({ ...env, CALLS: '5', EXIT: 'normal' })).alerts).toEqual([]);
    expect(await spentIn(file)).toBe(1_600_000);
    // Atomic writes: no temp file or lock left behind.
    expect(readdirSync(join(file, '..')).sort()).toEqual(['budgets.json']);
  });

  test('two processes on one file at once: both spends are in it (merged under the lock, not overwritten)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'budget-shared-')), 'budgets.json');
    const env = { BUDGET_FILE: file, LIMIT_USD: '1000', COST_USD: '0.001', CALLS: '500', EXIT: 'normal' };
    await Promise.all([runChild(env), runChild(env), runChild(env)]);
    expect(await spentIn(file)).toBe(1_500_000);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });
});
