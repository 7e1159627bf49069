import * as kplus from 'cdk8s-plus-28';
import { MANAGED_BY } from '../core/labels';
import { Wave } from '../core/waves';
import type { PlatformContext } from './context';

/** Pod Security admission version pinned to the cluster's minor version, so upgrades do not change enforcement silently. */
export function podSecurityLabels(level: 'restricted' | 'baseline' | 'privileged', kubernetesVersion: string): Record<string, string> {
  const version = `v${kubernetesVersion}`;
  return {
    'pod-security.kubernetes.io/enforce': level,
    'pod-security.kubernetes.io/enforce-version': version,
    'pod-security.kubernetes.io/audit': level,
    'pod-security.kubernetes.io/audit-version': version,
    'pod-security.kubernetes.io/warn': level,
    'pod-security.kubernetes.io/warn-version': version,
  };
}

/** The application namespace, enforcing restricted Pod Security. */
export function buildNamespaces(ctx: PlatformContext): void {
  const chart = ctx.chart(Wave.CLUSTER, 'namespaces', null);
  new kplus.Namespace(chart, ctx.namespace, {
    metadata: {
      name: ctx.namespace,
      labels: {
        'app.kubernetes.io/name': ctx.namespace,
        'app.kubernetes.io/instance': ctx.namespace,
        'app.kubernetes.io/component': 'namespace',
        'app.kubernetes.io/part-of': ctx.platform.name,
        'app.kubernetes.io/version': ctx.platform.environment,
        'app.kubernetes.io/managed-by': MANAGED_BY,
        ...podSecurityLabels('restricted', ctx.platform.cluster.kubernetesVersion),
      },
    },
  });
}
