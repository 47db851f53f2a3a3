/** 1 USD in micro-dollars. Spend is integer micro-dollars everywhere: sums of integers do not drift. */
export const MICROS_PER_USD = 1_000_000;

/** A call's USD cost (already rounded to 1e-10 by the pricing) as whole micro-dollars, rounded half up. */
export function usdToMicros(usd: number): number {
  return Math.round(usd * MICROS_PER_USD);
}

/** For messages and payloads: `$12.345678`. */
export function formatMicros(micros: number): string {
  const sign = micros < 0 ? '-' : '';
  const abs = Math.abs(micros);
  const whole = Math.floor(abs / MICROS_PER_USD);
  const fraction = String(abs % MICROS_PER_USD)
    .padStart(6, '0')
    .replace(/0{1,4}$/, '');
  return `${sign}$${whole}.${fraction.length < 2 ? fraction.padEnd(2, '0') : fraction}`;
}
