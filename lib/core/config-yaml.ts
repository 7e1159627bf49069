import { stringify } from 'yaml';

/**
 * A configuration file (Prometheus, Jaeger, Filebeat, …) as YAML for a ConfigMap: no line folding,
 * and a value used twice written twice, never as an anchor and alias, which reviewers and some
 * parsers stumble over.
 */
export function configYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });
}
