export { startOtlpReceiver } from './receiver';
export { formatTraceTree, printable, type TraceTreeOptions } from './trace-tree';
export { llmCallSpans, mergeTotals, modelOf, totalsOf, type CallTotals } from './trace-calls';
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
