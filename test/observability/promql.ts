// Test helper: parses PromQL with the Prometheus project's own grammar (@prometheus-io/lezer-promql).
import { parser } from '@prometheus-io/lezer-promql';

/** The syntax errors in a PromQL expression, as `offset: text` strings; empty when it parses cleanly. */
export function promqlErrors(expr: string): string[] {
  const errors: string[] = [];
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.type.isError) errors.push(`${node.from}: ${JSON.stringify(expr.slice(Math.max(0, node.from - 10), node.to + 10))}`);
    },
  });
  return errors;
}

/** Metric names an expression selects. */
export function metricNames(expr: string): string[] {
  const names = new Set<string>();
  const tree = parser.parse(expr);
  tree.iterate({
    enter: (node) => {
      if (node.name === 'VectorSelector') {
        const ident = node.node.getChild('Identifier');
        if (ident) names.add(expr.slice(ident.from, ident.to));
      }
    },
  });
  return [...names].sort();
}
