// Next.js calls register() once when the server starts (instrumentation.js at the project root, stable
// since Next 15), in each runtime: llm-otel runs in the Node.js runtime only.
export async function register(options = {}) {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return undefined;
  const { setupTelemetry } = await import('@llm-otel/setup');
  return setupTelemetry({ serviceName: 'nextjs-example', ...options });
}
