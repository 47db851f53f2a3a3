import type { ReceiverBehaviour } from './types';

/** What the receiver does with one export call, decided before the body is decoded. */
export type ExportOutcome = { kind: 'accept' } | { kind: 'hang' } | { kind: 'fail'; grpcStatus: number; httpStatus: number; retryAfterSeconds?: number };

/**
 * Holds the simulated backend behaviour and counts down `times`. Shared by both transports so that
 * "fail the next 2 exports" means 2 exports whichever transport they use.
 */
export class BehaviourSwitch {
  private behaviour: ReceiverBehaviour | undefined;
  private remaining = Infinity;

  set(behaviour: ReceiverBehaviour | undefined): void {
    this.behaviour = behaviour ? { ...behaviour } : undefined;
    this.remaining = behaviour?.times ?? Infinity;
  }

  /** The limit a request of `bytes` exceeds, if the behaviour sets one. */
  sizeLimitExceeded(bytes: number): number | undefined {
    const limit = this.behaviour?.maxRequestBytes;
    return limit !== undefined && bytes > limit ? limit : undefined;
  }

  next(): ExportOutcome {
    const behaviour = this.behaviour;
    if (!behaviour || this.remaining <= 0) return { kind: 'accept' };
    const fails = behaviour.hang || behaviour.grpcStatus !== undefined || behaviour.httpStatus !== undefined;
    if (!fails) return { kind: 'accept' };
    this.remaining -= 1;
    if (behaviour.hang) return { kind: 'hang' };
    const grpcStatus = behaviour.grpcStatus ?? grpcStatusForHttp(behaviour.httpStatus ?? 503);
    const httpStatus = behaviour.httpStatus ?? httpStatusForGrpc(grpcStatus);
    return { kind: 'fail', grpcStatus, httpStatus, retryAfterSeconds: behaviour.retryAfterSeconds };
  }
}

/*
 * Equivalent codes for a behaviour that names only one transport. They follow what an OTLP exporter
 * makes of them: retryable HTTP statuses (429, 502, 503, 504) become UNAVAILABLE, client errors become
 * their non-retryable gRPC counterparts.
 */
const GRPC_FOR_HTTP: Record<number, number> = {
  400: 3, // INVALID_ARGUMENT
  401: 16, // UNAUTHENTICATED
  403: 7, // PERMISSION_DENIED
  404: 12, // UNIMPLEMENTED
  413: 8, // RESOURCE_EXHAUSTED
  429: 14, // UNAVAILABLE
  500: 13, // INTERNAL
  501: 12, // UNIMPLEMENTED
  502: 14,
  503: 14,
  504: 4, // DEADLINE_EXCEEDED
};

const HTTP_FOR_GRPC: Record<number, number> = {
  1: 499, // CANCELLED
  3: 400,
  4: 504,
  5: 404, // NOT_FOUND
  7: 403,
  8: 429,
  9: 400, // FAILED_PRECONDITION
  10: 409, // ABORTED
  11: 400, // OUT_OF_RANGE
  12: 501,
  13: 500,
  14: 503,
  15: 500, // DATA_LOSS
  16: 401,
};

function grpcStatusForHttp(httpStatus: number): number {
  return GRPC_FOR_HTTP[httpStatus] ?? 2; // UNKNOWN
}

function httpStatusForGrpc(grpcStatus: number): number {
  return HTTP_FOR_GRPC[grpcStatus] ?? 500;
}
