import {
  Server,
  ServerCredentials,
  status as GrpcStatus,
  type sendUnaryData,
  type ServerUnaryCall,
  type Metadata,
  type ServiceDefinition,
} from '@grpc/grpc-js';
import { decodeProtobufExport } from './decode';
import { decodeProtobufLogsExport } from './decode-logs';
import { decodeProtobufMetricsExport } from './decode-metrics';
import type { ExportSink } from './export-sink';
import {
  ExportLogsServiceResponse,
  ExportMetricsServiceResponse,
  ExportTraceServiceResponse,
  LOGS_SERVICE_EXPORT_PATH,
  METRICS_SERVICE_EXPORT_PATH,
  TRACE_SERVICE_EXPORT_PATH,
} from './otlp-schema';

/*
 * The request stays raw bytes through grpc-js so that a malformed body becomes INVALID_ARGUMENT in the
 * handler rather than an opaque deserialisation failure inside the library.
 */
function rawExportService(path: string): ServiceDefinition {
  return {
    Export: {
      path,
      requestStream: false,
      responseStream: false,
      requestSerialize: (request: Buffer) => request,
      requestDeserialize: (bytes: Buffer) => bytes,
      responseSerialize: (response: Buffer) => response,
      responseDeserialize: (bytes: Buffer) => bytes,
    },
  };
}

const EMPTY_EXPORT_RESPONSE = Buffer.from(ExportTraceServiceResponse.encode(ExportTraceServiceResponse.create({})).finish());
const EMPTY_METRICS_RESPONSE = Buffer.from(ExportMetricsServiceResponse.encode({}).finish());
const EMPTY_LOGS_RESPONSE = Buffer.from(ExportLogsServiceResponse.encode({}).finish());

/** Metadata as plain headers: names are already lower-case in grpc-js; binary values as base64. */
function metadataHeaders(metadata: Metadata): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata.getMap())) headers[key] = typeof value === 'string' ? value : value.toString('base64');
  return headers;
}

export interface RunningGrpcServer {
  port: number;
  close(): Promise<void>;
}

/**
 * `maxMessageBytes`: grpc-js answers RESOURCE_EXHAUSTED itself beyond it, after inflating a compressed
 * message no further than the bound. Large batches are legitimate for tests: gRPC's default 4 MiB would reject them.
 */
export async function startGrpcServer(host: string, port: number, sink: ExportSink, maxMessageBytes: number): Promise<RunningGrpcServer> {
  const server = new Server({
    'grpc.max_receive_message_length': maxMessageBytes,
  });
  server.addService(rawExportService(TRACE_SERVICE_EXPORT_PATH), {
    Export: (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>) => {
      sink.record({ signal: 'traces', transport: 'grpc', headers: metadataHeaders(call.metadata) });
      const outcome = sink.nextOutcome();
      if (outcome.kind === 'hang') return; // never answered; close() ends the call
      if (outcome.kind === 'fail') {
        callback({ code: outcome.grpcStatus, details: `simulated backend failure (status ${outcome.grpcStatus})` });
        return;
      }
      const limit = sink.refusesSize(call.request.byteLength);
      if (limit !== undefined) {
        callback({ code: GrpcStatus.RESOURCE_EXHAUSTED, details: `Received message larger than max (${call.request.byteLength} vs. ${limit})` });
        return;
      }
      let spans: ReturnType<typeof decodeProtobufExport>;
      try {
        spans = decodeProtobufExport(call.request, 'grpc');
      } catch (error) {
        callback({ code: GrpcStatus.INVALID_ARGUMENT, details: `malformed ExportTraceServiceRequest: ${String(error)}` });
        return;
      }
      sink.accept(spans);
      callback(null, EMPTY_EXPORT_RESPONSE);
    },
  });
  server.addService(rawExportService(METRICS_SERVICE_EXPORT_PATH), {
    Export: (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>) => {
      sink.record({ signal: 'metrics', transport: 'grpc', headers: metadataHeaders(call.metadata) });
      try {
        sink.acceptMetrics(decodeProtobufMetricsExport(call.request, 'grpc'));
      } catch (error) {
        callback({ code: GrpcStatus.INVALID_ARGUMENT, details: `malformed ExportMetricsServiceRequest: ${String(error)}` });
        return;
      }
      callback(null, EMPTY_METRICS_RESPONSE);
    },
  });
  server.addService(rawExportService(LOGS_SERVICE_EXPORT_PATH), {
    Export: (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>) => {
      sink.record({ signal: 'logs', transport: 'grpc', headers: metadataHeaders(call.metadata) });
      try {
        sink.acceptLogs(decodeProtobufLogsExport(call.request, 'grpc'));
      } catch (error) {
        callback({ code: GrpcStatus.INVALID_ARGUMENT, details: `malformed ExportLogsServiceRequest: ${String(error).slice(0, 300)}` });
        return;
      }
      callback(null, EMPTY_LOGS_RESPONSE);
    },
  });
  const boundPort = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${host}:${port}`, ServerCredentials.createInsecure(), (error, actualPort) => (error ? reject(error) : resolve(actualPort)));
  });
  return {
    port: boundPort,
    close: async () => {
      // forceShutdown, not tryShutdown: a hanging call (setBehaviour({hang:true})) would never drain.
      server.forceShutdown();
    },
  };
}
