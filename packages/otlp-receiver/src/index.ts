export { startOtlpReceiver } from './receiver';
export { formatTraceTree } from './trace-tree';
export { toOtlpJsonRequest } from './collector-json';
export type {
  OtlpReceiver,
  OtlpReceiverOptions,
  ReceivedAttributes,
  ReceivedDataPoint,
  ReceivedLogRecord,
  ReceivedMetric,
  ReceivedRequest,
  ReceivedSpan,
  ReceivedValue,
  ReceiverBehaviour,
  ReceiverTransport,
} from './types';
