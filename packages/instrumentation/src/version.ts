/** Kept in step with package.json by test/packaging.test.ts. */
export const PACKAGE_NAME = '@llm-otel/instrumentation';
export const PACKAGE_VERSION = '0.1.0';
