import { toAttributes, toHex, toValue, type DecodedAnyValue, type DecodedKeyValue } from './decode';
import { ExportLogsServiceRequest } from './otlp-schema';
import type { ReceivedLogRecord, ReceiverTransport } from './types';

type Int64 = number | string | { toString(): string };

interface DecodedLogRecord {
  timeUnixNano?: Int64;
  observedTimeUnixNano?: Int64;
  severityNumber?: number;
  severityText?: string;
  body?: DecodedAnyValue | null;
  attributes?: DecodedKeyValue[];
  traceId?: Uint8Array;
  spanId?: Uint8Array;
  eventName?: string;
}
interface DecodedLogsRequest {
  resourceLogs?: {
    resource?: { attributes?: DecodedKeyValue[] } | null;
    scopeLogs?: { scope?: { name?: string; version?: string } | null; logRecords?: DecodedLogRecord[] }[];
  }[];
}

/** Decodes a binary ExportLogsServiceRequest into one entry per log record. Throws on malformed input. */
export function decodeProtobufLogsExport(body: Uint8Array, transport: ReceiverTransport): ReceivedLogRecord[] {
  const request = ExportLogsServiceRequest.decode(body) as unknown as DecodedLogsRequest;
  const records: ReceivedLogRecord[] = [];
  for (const resourceLogs of request.resourceLogs ?? []) {
    const resource = toAttributes(resourceLogs.resource?.attributes);
    for (const scopeLogs of resourceLogs.scopeLogs ?? []) {
      const scope: ReceivedLogRecord['scope'] = { name: scopeLogs.scope?.name ?? '' };
      if (scopeLogs.scope?.version) scope.version = scopeLogs.scope.version;
      for (const record of scopeLogs.logRecords ?? []) {
        const received: ReceivedLogRecord = {
          timeUnixNano: BigInt(String(record.timeUnixNano ?? 0)),
          observedTimeUnixNano: BigInt(String(record.observedTimeUnixNano ?? 0)),
          severityNumber: record.severityNumber ?? 0,
          severityText: record.severityText ?? '',
          body: toValue(record.body),
          attributes: toAttributes(record.attributes),
          resource: structuredClone(resource),
          scope: { ...scope },
          transport,
        };
        const traceId = toHex(record.traceId);
        const spanId = toHex(record.spanId);
        if (traceId) received.traceId = traceId;
        if (spanId) received.spanId = spanId;
        if (record.eventName) received.eventName = record.eventName;
        records.push(received);
      }
    }
  }
  return records;
}
