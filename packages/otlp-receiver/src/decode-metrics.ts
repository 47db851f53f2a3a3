import { toAttributes, type DecodedKeyValue } from './decode';
import { ExportMetricsServiceRequest } from './otlp-schema';
import type { ReceivedDataPoint, ReceivedMetric, ReceiverTransport } from './types';

type Int64 = number | string | { toString(): string };

interface DecodedNumberPoint {
  attributes?: DecodedKeyValue[];
  timeUnixNano?: Int64;
  value?: 'asDouble' | 'asInt';
  asDouble?: number;
  asInt?: Int64;
}
interface DecodedHistogramPoint {
  attributes?: DecodedKeyValue[];
  timeUnixNano?: Int64;
  count?: Int64;
  sum?: number;
  bucketCounts?: Int64[];
  explicitBounds?: number[];
  min?: number;
  max?: number;
}
interface DecodedMetric {
  name?: string;
  description?: string;
  unit?: string;
  data?: 'gauge' | 'sum' | 'histogram';
  gauge?: { dataPoints?: DecodedNumberPoint[] } | null;
  sum?: { dataPoints?: DecodedNumberPoint[]; isMonotonic?: boolean } | null;
  histogram?: { dataPoints?: DecodedHistogramPoint[] } | null;
}
interface DecodedMetricsRequest {
  resourceMetrics?: {
    resource?: { attributes?: DecodedKeyValue[] } | null;
    scopeMetrics?: { scope?: { name?: string; version?: string } | null; metrics?: DecodedMetric[] }[];
  }[];
}

/** Decodes a binary ExportMetricsServiceRequest into one entry per metric. Throws on malformed input. */
export function decodeProtobufMetricsExport(body: Uint8Array, transport: ReceiverTransport): ReceivedMetric[] {
  const request = ExportMetricsServiceRequest.decode(body) as unknown as DecodedMetricsRequest;
  const metrics: ReceivedMetric[] = [];
  for (const resourceMetrics of request.resourceMetrics ?? []) {
    const resource = toAttributes(resourceMetrics.resource?.attributes);
    for (const scopeMetrics of resourceMetrics.scopeMetrics ?? []) {
      const scope: ReceivedMetric['scope'] = { name: scopeMetrics.scope?.name ?? '' };
      if (scopeMetrics.scope?.version) scope.version = scopeMetrics.scope.version;
      for (const metric of scopeMetrics.metrics ?? []) {
        metrics.push({
          name: metric.name ?? '',
          description: metric.description ?? '',
          unit: metric.unit ?? '',
          kind: metric.data ?? 'unknown',
          dataPoints: dataPoints(metric),
          resource: structuredClone(resource),
          scope: { ...scope },
          transport,
        });
      }
    }
  }
  return metrics;
}

function dataPoints(metric: DecodedMetric): ReceivedDataPoint[] {
  if (metric.data === 'histogram') {
    return (metric.histogram?.dataPoints ?? []).map((point) => ({
      attributes: toAttributes(point.attributes),
      timeUnixNano: BigInt(String(point.timeUnixNano ?? 0)),
      count: Number(String(point.count ?? 0)),
      sum: point.sum ?? 0,
      bucketCounts: (point.bucketCounts ?? []).map((count) => Number(String(count))),
      explicitBounds: [...(point.explicitBounds ?? [])],
      ...(point.min !== undefined ? { min: point.min } : {}),
      ...(point.max !== undefined ? { max: point.max } : {}),
    }));
  }
  const points = metric.data === 'gauge' ? metric.gauge?.dataPoints : metric.data === 'sum' ? metric.sum?.dataPoints : undefined;
  return (points ?? []).map((point) => ({
    attributes: toAttributes(point.attributes),
    timeUnixNano: BigInt(String(point.timeUnixNano ?? 0)),
    value: point.value === 'asInt' ? Number(String(point.asInt ?? 0)) : (point.asDouble ?? 0),
  }));
}
