import { createRequire } from 'node:module';
import type { AttributeValue } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

type Resource = ReadableSpan['resource'];

/**
 * `resourceFromAttributes` from the copy of @opentelemetry/resources that sdk-trace-base itself uses,
 * reached through it rather than added as one more dependency of this package.
 */
const requireFromSdk = createRequire(createRequire(import.meta.url).resolve('@opentelemetry/sdk-trace-base'));
/** Attribute values may be promises: attributes an asynchronous resource detector delivers later. */
type ResourceAttributes = Record<string, AttributeValue | Promise<AttributeValue | undefined> | undefined>;

const resources = requireFromSdk('@opentelemetry/resources') as {
  resourceFromAttributes(attributes: ResourceAttributes): Resource;
};

export const resourceFromAttributes = (attributes: ResourceAttributes): Resource => resources.resourceFromAttributes(attributes);
