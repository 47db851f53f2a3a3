/**
 * The longest time the event loop went without running a 5 ms interval, while `work` ran and for
 * `settleMs` after it (span ends happen after the caller's last read, on later turns of the loop).
 */
export async function longestStallMs<T>(work: () => Promise<T>, settleMs = 300): Promise<{ result: T; stallMs: number }> {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 5);
  try {
    const result = await work();
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    longest = Math.max(longest, performance.now() - last);
    return { result, stallMs: longest };
  } finally {
    clearInterval(timer);
  }
}
