import { recommendedLabels, selectorLabels, versionFromImage, type ComponentIdentity } from '../core/labels';

/** Labels of one monitoring component: the recommended set, plus extra pod labels peers select on. */
export interface MonitoringLabels {
  readonly identity: ComponentIdentity;
  /** Labels on the objects. */
  readonly labels: Record<string, string>;
  /** Labels on the pods: the object labels plus `extraPodLabels`. */
  readonly podLabels: Record<string, string>;
  /** The stable selector subset. */
  readonly selector: Record<string, string>;
}

/** The identity of a monitoring component: `app.kubernetes.io/component: monitoring`. */
export function monitoringLabels(props: {
  readonly name: string;
  readonly instance?: string;
  readonly partOf?: string;
  readonly image: string;
  readonly extraPodLabels?: Readonly<Record<string, string>>;
}): MonitoringLabels {
  const identity: ComponentIdentity = {
    name: props.name,
    instance: props.instance ?? props.name,
    component: 'monitoring',
    partOf: props.partOf ?? props.name,
    version: versionFromImage(props.image),
  };
  const labels = recommendedLabels(identity);
  for (const [key, value] of Object.entries(props.extraPodLabels ?? {})) {
    if (key in labels && labels[key] !== value) {
      throw new Error(`${props.name}: extra pod label ${key}=${value} contradicts the component's own ${key}=${labels[key]}`);
    }
  }
  return { identity, labels, podLabels: { ...labels, ...(props.extraPodLabels ?? {}) }, selector: selectorLabels(identity) };
}
