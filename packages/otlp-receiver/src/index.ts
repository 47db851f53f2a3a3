export { startOtlpReceiver } from './receiver';
export { formatTraceTree } from './trace-tree';
export type {
  OtlpReceiver,
  OtlpReceiverOptions,
  ReceivedAttributes,
  ReceivedDataPoint,
  ReceivedMetric,
  ReceivedRequest,
  ReceivedSpan,
  ReceivedValue,
  ReceiverBehaviour,
  ReceiverTransport,
} from './types';
