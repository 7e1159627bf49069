import { describe, expect, it } from 'vitest';
import { metricNames, promqlErrors } from './promql';

describe('the PromQL parse helper (Prometheus\'s own grammar, @prometheus-io/lezer-promql)', () => {
  it('accepts well-formed expressions, binary matching and metric-name regexes included', () => {
    expect(promqlErrors('sum by (namespace, job) (rate(http_requests_total{job="api", code=~"5.."}[5m])) / on (namespace, job) sum by (namespace, job) (rate(http_requests_total[5m])) > 0.05')).toEqual([]);
    expect(promqlErrors('rate({__name__=~"otelcol_receiver_refused_(spans|log_records)_total", job="otel"}[5m]) > 0')).toEqual([]);
  });

  it.each([
    ['an unclosed parenthesis', 'sum(rate(http_requests_total[5m])'],
    ['a comparison without a right-hand side', 'up{job="api"} =='],
    ['an unclosed label matcher list', 'up{job="api"'],
    ['a grouping clause that is never closed', 'sum by (job rate(http_requests_total[5m]))'],
    ['an unquoted label value', 'up{job=api}'],
    ['a trailing binary operator', 'up /'],
  ])('reports %s', (_what, expr) => {
    expect(promqlErrors(expr).length).toBeGreaterThan(0);
  });

  it('lists the metrics an expression selects', () => {
    expect(metricNames('max(a_total{x="1"}) / on (x) max(b_bytes) and c')).toEqual(['a_total', 'b_bytes', 'c']);
  });
});
