import { describe, expect, it } from 'vitest';
import { diffValues, formatChange, formatPath, formatValue } from '../../lib/review/object-diff';

const paths = (before: unknown, after: unknown) => diffValues(before, after).map((c) => `${formatPath(c.path)}: ${formatValue(c.before)} → ${formatValue(c.after)}`);

describe('diffValues', () => {
  it('finds nothing between equal values whatever their key order', () => {
    expect(diffValues({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toEqual([]);
  });

  it('matches list items by name, and by metadata.name as in volumeClaimTemplates', () => {
    const before = { containers: [{ name: 'app', image: 'a:1' }, { name: 'proxy', image: 'p:1' }] };
    const after = { containers: [{ name: 'init', image: 'i:1' }, { name: 'app', image: 'a:2' }, { name: 'proxy', image: 'p:1' }] };
    expect(paths(before, after)).toEqual(['containers[app].image: a:1 → a:2', 'containers[init]: (absent) → {"name":"init","image":"i:1"}']);
    const claims = (size: string) => ({ volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { storage: size } }] });
    expect(paths(claims('1Gi'), claims('2Gi'))).toEqual(['volumeClaimTemplates[data].spec.storage: 1Gi → 2Gi']);
  });

  it('reports a reordering of named items, which changes $(VAR) expansion order', () => {
    expect(paths({ env: [{ name: 'A' }, { name: 'B' }] }, { env: [{ name: 'B' }, { name: 'A' }] })).toEqual(['env: ["[A]","[B]"] → ["[B]","[A]"]']);
  });

  it('compares lists of unnamed objects by index and lists of scalars whole', () => {
    expect(paths({ rules: [{ port: 80 }] }, { rules: [{ port: 81 }, { port: 82 }] })).toEqual(['rules[0].port: 80 → 81', 'rules[1]: (absent) → {"port":82}']);
    expect(paths({ args: ['--queue', 'a'] }, { args: ['--queue', 'b'] })).toEqual(['args: ["--queue","a"] → ["--queue","b"]']);
  });

  it('quotes keys that are not plain words, such as label keys', () => {
    expect(paths({ metadata: { labels: { 'app.kubernetes.io/name': 'a' } } }, { metadata: { labels: { 'app.kubernetes.io/name': 'b' } } }))
      .toEqual(['metadata.labels["app.kubernetes.io/name"]: a → b']);
  });

  it('quotes strings that would read ambiguously and cuts long values', () => {
    expect(formatValue('')).toBe('""');
    expect(formatValue('two words')).toBe('two words');
    expect(formatValue('a: b')).toBe('"a: b"');
    expect(formatValue('x'.repeat(200), 20)).toBe(`${'x'.repeat(19)}…`);
  });

  it('cuts two long strings to the part that differs', () => {
    const attrs = (v: string) => `service.namespace=atlas,service.version=${v},deployment.environment=prod,${'k=v,'.repeat(30)}end`;
    expect(formatChange(attrs('1.4.2'), attrs('1.5.0'))).toEqual(['…rvice.version=1.4.2,deployment.envi…', '…rvice.version=1.5.0,deployment.envi…']);
    expect(formatChange('a', 'b')).toEqual(['a', 'b']);
  });
});
