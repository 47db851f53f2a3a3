import { expect, test } from 'vitest';
import { TextBudget } from '../../src/content/text-budget';

test('the budget keeps whole words and no partial number: nothing half for PII masking to miss', () => {
  const budget = new TextBudget(30);
  expect(budget.take('Pay with ')).toBe('Pay with ');
  expect(budget.take('card 4111 1111 1111 1111 today')).toBe('card');
  expect(budget.truncated).toBe(true);
  expect(budget.take('more')).toBe('');
});

test('a single word longer than what is left is dropped whole', () => {
  const budget = new TextBudget(5);
  expect(budget.take('jane.doe@example.com')).toBe('');
});
