import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments, visit } from 'yaml';
import { configYaml } from '../../lib/core/config-yaml';
import { readTree } from '../../lib/synth';

describe('configYaml', () => {
  it('writes an object used twice twice, with no anchor or alias', () => {
    const index = { shards: 1, replicas: 0 };
    const text = configYaml({ spans: index, services: index });
    expect(text).toBe('spans:\n  shards: 1\n  replicas: 0\nservices:\n  shards: 1\n  replicas: 0\n');
    expect(parse(text)).toEqual({ spans: index, services: index });
  });

  it('never folds a long line', () => {
    const long = 'x'.repeat(200);
    expect(configYaml({ query: long })).toBe(`query: ${long}\n`);
  });

  it('leaves no anchor or alias in any YAML file a ConfigMap of dist/ carries', () => {
    const files = [...readTree(join(__dirname, '..', '..', 'dist'))].filter(([path]) => path.endsWith('.yaml'));
    const configs = files.flatMap(([path, text]) => parseAllDocuments(text).map((d) => d.toJSON() as { kind?: string; metadata: { name: string }; data?: Record<string, string> })
      .filter((o) => o?.kind === 'ConfigMap')
      .flatMap((o) => Object.entries(o.data ?? {}).filter(([key]) => /\.ya?ml$/.test(key)).map(([key, value]) => [`${path} ${o.metadata.name}/${key}`, value] as const)));
    expect(configs.length).toBeGreaterThan(10);
    const hasAlias = (text: string) => parseAllDocuments(text).some((doc) => {
      let found = false;
      visit(doc, { Alias: () => { found = true; return visit.BREAK; } });
      return found;
    });
    const aliased = configs.filter(([, value]) => hasAlias(value));
    expect(aliased.map(([where]) => where)).toEqual([]);
  });
});
