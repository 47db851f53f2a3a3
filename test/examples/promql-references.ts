/**
 * What a PromQL expression refers to: metric names and label names. Enough of PromQL for the
 * dashboard's queries (selectors, `by (...)`, functions); string literals are dropped first, so a
 * label value never reads as a name.
 */
export interface PromqlReferences {
  metrics: string[];
  labels: string[];
  /** Every identifier that looks like one of ours (`gen_ai_…`, `llm_otel_…`), wherever it stands. */
  ourIdentifiers: string[];
}

const IDENTIFIER = '[a-zA-Z_:][a-zA-Z0-9_:]*';

export function promqlReferences(expr: string): PromqlReferences {
  const code = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const metrics = new Set<string>();
  const labels = new Set<string>();
  for (const match of code.matchAll(new RegExp(`(${IDENTIFIER})\\s*[{[]`, 'g'))) metrics.add(match[1]);
  for (const block of code.matchAll(/\{([^}]*)\}/g)) {
    for (const matcher of block[1].matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)/g)) labels.add(matcher[1]);
  }
  for (const grouping of code.matchAll(/\b(?:by|without)\s*\(([^)]*)\)/g)) {
    for (const label of grouping[1]
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean))
      labels.add(label);
  }
  // label_values(metric, label) of dashboard variables.
  for (const call of code.matchAll(new RegExp(`label_values\\(\\s*(${IDENTIFIER})[^,]*,\\s*(${IDENTIFIER})\\s*\\)`, 'g'))) {
    metrics.add(call[1]);
    labels.add(call[2]);
  }
  const ourIdentifiers = [...new Set([...code.matchAll(/\b(?:gen_ai|llm_otel)_[a-zA-Z0-9_]*/g)].map((match) => match[0]))];
  return { metrics: [...metrics], labels: [...labels], ourIdentifiers };
}

/** Labels a legend (`{{label}}`) or a data link (`${__field.labels.label}`) reads. */
export function templateLabels(text: string): string[] {
  const labels = [...text.matchAll(/\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g)].map((match) => match[1]);
  labels.push(...[...text.matchAll(/\$\{__field\.labels\.([a-zA-Z_][a-zA-Z0-9_]*)\}/g)].map((match) => match[1]));
  return labels;
}
