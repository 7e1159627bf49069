import { ApiObject, type GroupVersionKind } from 'cdk8s';
import type { Construct } from 'constructs';

/**
 * An object written with the typed L1 props of `k8s.Kube*` and converted to JSON once, up front.
 * The L1 classes convert at synth time, after JSON patches, dropping fields their Kubernetes 1.28
 * types do not know (e.g. the 1.30 `lifecycle.preStop.sleep`) and nulling plain-string quantities;
 * converted eagerly, later patches apply to the final JSON as written.
 */
export class KubeObject<P> extends ApiObject {
  constructor(scope: Construct, id: string, gvk: GroupVersionKind, toJson: (props: P) => Record<string, unknown> | undefined, props: P) {
    super(scope, id, { ...gvk, ...(toJson(props) ?? {}) });
  }
}
