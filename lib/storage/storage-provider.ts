/** A disk tier: `fast-ssd` for databases, `standard` for everything else (backups, caches' spill). */
export type DiskTier = 'fast-ssd' | 'standard';

/** What a provider's CSI driver needs to create a disk of one tier. */
export interface DiskParameters {
  /** The CSI provisioner. */
  readonly provisioner: string;
  /** StorageClass `parameters`, as the driver documents them (all values are strings). */
  readonly parameters: Readonly<Record<string, string>>;
}

/** Options for the AWS EBS CSI driver. */
export interface AwsDiskOptions {
  /** Provisioned IOPS of `fast-ssd` gp3 volumes (3000–16000). @default 6000 */
  readonly fastIops?: number;
  /** Provisioned throughput of `fast-ssd` gp3 volumes in MiB/s (125–1000). @default 250 */
  readonly fastThroughput?: number;
  /** KMS key ARN or id for volume encryption. @default the account's default EBS key */
  readonly kmsKeyId?: string;
}

/** Options for the GCP Persistent Disk CSI driver. */
export interface GcpDiskOptions {
  /** Cloud KMS key for customer-managed encryption. @default Google-managed encryption */
  readonly kmsKeyName?: string;
}

/** Options for the Azure Disk CSI driver. */
export interface AzureDiskOptions {
  /** Disk encryption set id for customer-managed keys. @default platform-managed keys */
  readonly diskEncryptionSetId?: string;
}

/**
 * Where disks come from: a cloud CSI driver with its parameters per tier, or the cluster's default
 * StorageClass (local clusters such as kind or k3d), in which case Stackwright emits no StorageClass
 * and claims name none.
 * @see https://github.com/kubernetes-sigs/aws-ebs-csi-driver/blob/master/docs/parameters.md
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/persistent-volumes/gce-pd-csi-driver
 * @see https://learn.microsoft.com/azure/aks/azure-csi-disk-storage-provision
 */
export class StorageProvider {
  /** AWS EBS gp3 through `ebs.csi.aws.com`, always encrypted (the in-tree `kubernetes.io/aws-ebs` is removed). */
  public static aws(options: AwsDiskOptions = {}): StorageProvider {
    const iops = options.fastIops ?? 6000;
    const throughput = options.fastThroughput ?? 250;
    if (!Number.isInteger(iops) || iops < 3000 || iops > 16000) {
      throw new Error(`gp3 iops must be a whole number from 3000 to 16000; received ${iops}`);
    }
    if (!Number.isInteger(throughput) || throughput < 125 || throughput > 1000) {
      throw new Error(`gp3 throughput must be a whole number of MiB/s from 125 to 1000; received ${throughput}`);
    }
    // gp3 allows at most 0.25 MiB/s of throughput per provisioned IOPS.
    if (throughput > iops / 4) {
      throw new Error(`gp3 throughput ${throughput} MiB/s needs at least ${throughput * 4} iops (0.25 MiB/s per iops); received iops ${iops}`);
    }
    const encryption: Record<string, string> = { encrypted: 'true', ...(options.kmsKeyId ? { kmsKeyId: options.kmsKeyId } : {}) };
    return new StorageProvider('aws', {
      'fast-ssd': {
        provisioner: 'ebs.csi.aws.com',
        parameters: { type: 'gp3', iops: String(iops), throughput: String(throughput), 'csi.storage.k8s.io/fstype': 'ext4', ...encryption },
      },
      standard: {
        provisioner: 'ebs.csi.aws.com',
        // The gp3 baseline: 3000 iops and 125 MiB/s at no extra cost.
        parameters: { type: 'gp3', iops: '3000', throughput: '125', 'csi.storage.k8s.io/fstype': 'ext4', ...encryption },
      },
    });
  }

  /** GCP Persistent Disk through `pd.csi.storage.gke.io`: pd-ssd and pd-balanced. */
  public static gcp(options: GcpDiskOptions = {}): StorageProvider {
    const kms: Record<string, string> = options.kmsKeyName ? { 'disk-encryption-kms-key': options.kmsKeyName } : {};
    return new StorageProvider('gcp', {
      'fast-ssd': { provisioner: 'pd.csi.storage.gke.io', parameters: { type: 'pd-ssd', 'csi.storage.k8s.io/fstype': 'ext4', ...kms } },
      standard: { provisioner: 'pd.csi.storage.gke.io', parameters: { type: 'pd-balanced', 'csi.storage.k8s.io/fstype': 'ext4', ...kms } },
    });
  }

  /** Azure managed disks through `disk.csi.azure.com`: Premium SSD and Standard SSD. */
  public static azure(options: AzureDiskOptions = {}): StorageProvider {
    const des: Record<string, string> = options.diskEncryptionSetId ? { diskEncryptionSetID: options.diskEncryptionSetId } : {};
    return new StorageProvider('azure', {
      // Host caching off: databases need their writes on the disk, not in a host read cache.
      'fast-ssd': { provisioner: 'disk.csi.azure.com', parameters: { skuName: 'Premium_LRS', cachingMode: 'None', fsType: 'ext4', ...des } },
      standard: { provisioner: 'disk.csi.azure.com', parameters: { skuName: 'StandardSSD_LRS', cachingMode: 'None', fsType: 'ext4', ...des } },
    });
  }

  /** The cluster's default StorageClass (kind, k3d, minikube): no StorageClass is emitted, claims name none. */
  public static clusterDefault(): StorageProvider {
    return new StorageProvider('local', undefined);
  }

  /** The provider named in the cluster spec, with default options. */
  public static of(provider: 'aws' | 'gcp' | 'azure' | 'local'): StorageProvider {
    switch (provider) {
      case 'aws': return StorageProvider.aws();
      case 'gcp': return StorageProvider.gcp();
      case 'azure': return StorageProvider.azure();
      case 'local': return StorageProvider.clusterDefault();
    }
  }

  private constructor(
    /** The provider's name, as in the cluster spec. */
    public readonly name: 'aws' | 'gcp' | 'azure' | 'local',
    private readonly tiers: Readonly<Record<DiskTier, DiskParameters>> | undefined,
  ) {}

  /** Whether this provider gets StorageClasses from Stackwright (false: the cluster default is used). */
  public get emitsStorageClasses(): boolean {
    return this.tiers !== undefined;
  }

  /** The provisioner and parameters of a tier; throws for the cluster default, which has none. */
  public disk(tier: DiskTier): DiskParameters {
    if (!this.tiers) throw new Error(`the ${this.name} provider uses the cluster's default StorageClass and defines no "${tier}" class`);
    return this.tiers[tier];
  }
}
