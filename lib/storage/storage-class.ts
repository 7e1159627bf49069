import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { isDns1123Subdomain } from '../core/names';
import type { DiskTier, StorageProvider } from './storage-provider';

export interface StorageClassProps {
  /** Where disks come from; must not be the cluster default, which needs no StorageClass. */
  readonly provider: StorageProvider;
  /** Which disk of the provider. @default 'fast-ssd' */
  readonly tier?: DiskTier;
  /** Object name, what claims put in `storageClassName`. @default the tier */
  readonly name?: string;
  /** What happens to a volume when its claim is deleted. @default 'Retain' */
  readonly reclaimPolicy?: 'Retain' | 'Delete';
  /** Labels for the object. @default none */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * A StorageClass for a CSI driver: volumes are created in the zone where their pod is scheduled
 * (`WaitForFirstConsumer`, so a pod and its disk never end up in different zones), can grow in
 * place, and by default outlive their claim (`Retain`), so deleting a StatefulSet's PVC by mistake
 * does not delete the database's disk.
 */
export class StorageClass extends Construct {
  public readonly name: string;
  public readonly storageClass: k8s.KubeStorageClass;

  constructor(scope: Construct, id: string, props: StorageClassProps) {
    super(scope, id);
    const tier = props.tier ?? 'fast-ssd';
    this.name = props.name ?? tier;
    if (!isDns1123Subdomain(this.name)) {
      throw new Error(`StorageClass name "${this.name}" is not a DNS-1123 subdomain (lowercase alphanumeric, '-' and '.')`);
    }
    if (!props.provider.emitsStorageClasses) {
      throw new Error(`${this.name}: the ${props.provider.name} provider uses the cluster's default StorageClass; emit no StorageClass for it and leave storageClassName unset`);
    }
    const disk = props.provider.disk(tier);
    this.storageClass = new k8s.KubeStorageClass(this, 'storage-class', {
      metadata: { name: this.name, labels: props.labels ? { ...props.labels } : undefined },
      provisioner: disk.provisioner,
      parameters: { ...disk.parameters },
      reclaimPolicy: props.reclaimPolicy ?? 'Retain',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
    });
  }
}
