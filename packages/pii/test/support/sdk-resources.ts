import { createRequire } from 'node:module';
import type { Attributes } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

type Resource = ReadableSpan['resource'];

/**
 * `resourceFromAttributes` from the copy of @opentelemetry/resources that sdk-trace-base itself uses,
 * reached through it rather than added as one more dependency of this package.
 */
const requireFromSdk = createRequire(createRequire(import.meta.url).resolve('@opentelemetry/sdk-trace-base'));
const resources = requireFromSdk('@opentelemetry/resources') as {
  resourceFromAttributes(attributes: Attributes): Resource;
};

export const resourceFromAttributes = (attributes: Attributes): Resource => resources.resourceFromAttributes(attributes);
