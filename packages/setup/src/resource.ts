import type { Attributes } from '@opentelemetry/api';
import { defaultResource, detectResources, envDetector, hostDetector, processDetector, resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import type { SetupOptions } from './options';

/**
 * SDK defaults, then what the environment says (OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, host,
 * process), then the options: explicit options win.
 */
export function buildResource(options: SetupOptions): Resource {
  const explicit: Attributes = { ...options.resourceAttributes };
  if (options.serviceName) explicit['service.name'] = options.serviceName;
  if (options.serviceVersion) explicit['service.version'] = options.serviceVersion;
  return defaultResource()
    .merge(detectResources({ detectors: [hostDetector, processDetector, envDetector] }))
    .merge(resourceFromAttributes(explicit));
}
