import {
  Server,
  ServerCredentials,
  status as GrpcStatus,
  type sendUnaryData,
  type ServerUnaryCall,
  type ServiceDefinition,
} from '@grpc/grpc-js';
import { decodeProtobufExport } from './decode';
import type { ExportSink } from './export-sink';
import { ExportTraceServiceResponse, TRACE_SERVICE_EXPORT_PATH } from './otlp-schema';

/** Large batches are legitimate here; gRPC's default 4 MiB limit would reject them. */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/*
 * The request stays raw bytes through grpc-js so that a malformed body becomes INVALID_ARGUMENT in the
 * handler rather than an opaque deserialisation failure inside the library.
 */
const traceServiceDefinition: ServiceDefinition = {
  Export: {
    path: TRACE_SERVICE_EXPORT_PATH,
    requestStream: false,
    responseStream: false,
    requestSerialize: (request: Buffer) => request,
    requestDeserialize: (bytes: Buffer) => bytes,
    responseSerialize: (response: Buffer) => response,
    responseDeserialize: (bytes: Buffer) => bytes,
  },
};

const EMPTY_EXPORT_RESPONSE = Buffer.from(
  ExportTraceServiceResponse.encode(ExportTraceServiceResponse.create({})).finish(),
);

export interface RunningGrpcServer {
  port: number;
  close(): Promise<void>;
}

export async function startGrpcServer(host: string, port: number, sink: ExportSink): Promise<RunningGrpcServer> {
  const server = new Server({
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
  });
  server.addService(traceServiceDefinition, {
    Export: (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>) => {
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
      let spans;
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
  const boundPort = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${host}:${port}`, ServerCredentials.createInsecure(), (error, actualPort) =>
      error ? reject(error) : resolve(actualPort),
    );
  });
  return {
    port: boundPort,
    close: async () => {
      // forceShutdown, not tryShutdown: a hanging call (setBehaviour({hang:true})) would never drain.
      server.forceShutdown();
    },
  };
}
