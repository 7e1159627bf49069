import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { readTree } from '../../lib/synth';

const distDir = join(__dirname, '..', '..', 'dist');

// Names that carry credentials; a literal `value` under such a name is a leaked secret.
const SECRET_NAME = /pass(word)?|secret|token|credential|private|signing|api[-_]?key|access[-_]?key/i;

type Json = Record<string, unknown>;

/** Every place an object of the rendered output carries a secret value rather than a reference. */
function secretValues(objects: readonly Json[]): string[] {
  const findings: string[] = [];
  for (const o of objects) {
    const where = `${o.kind}/${(o.metadata as Json | undefined)?.name}`;
    if (o.kind === 'Secret' && (o.data !== undefined || o.stringData !== undefined)) findings.push(`${where}: a Secret with data`);
    const spec = o.spec as Json | undefined;
    const target = (spec?.target as Json | undefined)?.template as Json | undefined;
    if (o.kind === 'ExternalSecret' && (target?.data !== undefined || target?.templateFrom !== undefined)) findings.push(`${where}: template data`);
    if (o.kind === 'SealedSecret' && (spec?.template as Json | undefined)?.data !== undefined) findings.push(`${where}: plain template data`);
    const walk = (node: unknown, path: string) => {
      if (Array.isArray(node)) node.forEach((n, i) => walk(n, `${path}[${i}]`));
      else if (node !== null && typeof node === 'object') {
        const n = node as Json;
        // `*_FILE` variables (Docker, Grafana `__FILE`) hold the path of a mounted secret, not the secret.
        if (typeof n.name === 'string' && typeof n.value === 'string' && SECRET_NAME.test(n.name) && !/_FILE$/.test(n.name)) findings.push(`${where}: ${path}.${n.name} has a literal value`);
        for (const [k, v] of Object.entries(n)) walk(v, `${path}.${k}`);
      }
    };
    walk(o, '');
  }
  return findings;
}

describe('no secret values in dist/', () => {
  const files = readTree(distDir);

  it.each([...files.keys()])('%s holds references to secrets, never values', (path) => {
    const objects = parseAllDocuments(files.get(path)!).map((d) => d.toJS() as Json);
    expect(secretValues(objects)).toEqual([]);
  });

  it('references at least one secret, so the scan above has something to look at', () => {
    const all = [...files.values()].join('\n');
    expect(all).toContain('secretKeyRef');
    expect(all).toContain('kind: ExternalSecret');
  });

  it('fails on a Secret with data, template data, and a literal credential variable', () => {
    expect(secretValues([
      { kind: 'Secret', metadata: { name: 'db' }, data: { password: 'aHVudGVyMg==' } },
      { kind: 'Secret', metadata: { name: 'tls' }, type: 'kubernetes.io/tls', stringData: { 'tls.key': '...' } },
      { kind: 'ExternalSecret', metadata: { name: 'es' }, spec: { target: { template: { data: { url: 'postgres://u:p@db' } } } } },
      { kind: 'SealedSecret', metadata: { name: 'ss' }, spec: { template: { data: { k: 'v' } } } },
      { kind: 'Deployment', metadata: { name: 'api' }, spec: { containers: [{ env: [{ name: 'DB_PASSWORD', value: 'hunter2' }, { name: 'DB_PASSWORD_FILE', value: '/run/secrets/db/password' }] }] } },
    ])).toEqual([
      'Secret/db: a Secret with data',
      'Secret/tls: a Secret with data',
      'ExternalSecret/es: template data',
      'SealedSecret/ss: plain template data',
      'Deployment/api: .spec.containers[0].env[0].DB_PASSWORD has a literal value',
    ]);
  });

  it('accepts a Secret without data (a typed placeholder such as a ServiceAccount token request)', () => {
    expect(secretValues([{ kind: 'Secret', metadata: { name: 'sa-token' }, type: 'kubernetes.io/service-account-token' }])).toEqual([]);
  });
});
