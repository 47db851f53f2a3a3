import type { Masker } from '@llm-otel/pii';
import type { MetricData, PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';

/**
 * Masks the attributes of every data point before they leave, as PiiMaskingSpanProcessor does for
 * spans: metric attributes hold the request's model and server address, which are the caller's
 * strings. The resource needs nothing here: setup gives the meter provider the resource it already
 * masked for the spans (resource.ts). Metrics are exported once per interval, so the copy is cheap.
 */
export class MaskingMetricExporter implements PushMetricExporter {
  constructor(
    private readonly delegate: PushMetricExporter,
    private readonly masker: Masker,
  ) {
    // Temporality and aggregation are the delegate's choice (OTLP's defaults): pass them through.
    if (delegate.selectAggregationTemporality) this.selectAggregationTemporality = delegate.selectAggregationTemporality.bind(delegate);
    if (delegate.selectAggregation) this.selectAggregation = delegate.selectAggregation.bind(delegate);
  }

  selectAggregationTemporality?: PushMetricExporter['selectAggregationTemporality'];
  selectAggregation?: PushMetricExporter['selectAggregation'];

  export(metrics: ResourceMetrics, resultCallback: Parameters<PushMetricExporter['export']>[1]): void {
    this.delegate.export(
      {
        resource: metrics.resource,
        scopeMetrics: metrics.scopeMetrics.map((scope) => ({ scope: scope.scope, metrics: scope.metrics.map((metric) => this.maskMetric(metric)) })),
      },
      resultCallback,
    );
  }

  forceFlush(): Promise<void> {
    return this.delegate.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.delegate.shutdown();
  }

  private maskMetric(metric: MetricData): MetricData {
    const dataPoints = metric.dataPoints.map((point) => ({ ...point, attributes: this.masker.maskAttributes(point.attributes) }));
    return { ...metric, dataPoints } as MetricData;
  }
}
