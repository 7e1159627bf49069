import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { StorageClass } from '../../lib/storage/storage-class';
import { StorageProvider } from '../../lib/storage/storage-provider';

describe('StorageClass', () => {
  it('creates encrypted gp3 volumes through the EBS CSI driver, in the pod\'s zone, growable and retained', () => {
    const chart = Testing.chart();
    new StorageClass(chart, 'fast-ssd', { provider: StorageProvider.aws() });
    const [sc] = Testing.synth(chart);
    expect(sc.provisioner).toBe('ebs.csi.aws.com');
    expect(sc.parameters).toEqual({ type: 'gp3', iops: '6000', throughput: '250', encrypted: 'true', 'csi.storage.k8s.io/fstype': 'ext4' });
    expect(sc.volumeBindingMode).toBe('WaitForFirstConsumer');
    expect(sc.allowVolumeExpansion).toBe(true);
    expect(sc.reclaimPolicy).toBe('Retain');
    expect(Testing.synth(chart)).toMatchSnapshot();
  });

  it('uses the gp3 baseline for the standard tier and names the class after the tier', () => {
    const chart = Testing.chart();
    new StorageClass(chart, 'std', { provider: StorageProvider.aws({ kmsKeyId: 'alias/ebs' }), tier: 'standard' });
    const [sc] = Testing.synth(chart);
    expect(sc.metadata.name).toBe('standard');
    expect(sc.parameters).toMatchObject({ iops: '3000', throughput: '125', kmsKeyId: 'alias/ebs' });
  });

  it('maps the tiers to pd-ssd and pd-balanced on GCP, and Premium and Standard SSD on Azure', () => {
    const chart = Testing.chart();
    new StorageClass(chart, 'g-fast', { provider: StorageProvider.gcp(), tier: 'fast-ssd', name: 'g-fast' });
    new StorageClass(chart, 'g-std', { provider: StorageProvider.gcp(), tier: 'standard', name: 'g-std' });
    new StorageClass(chart, 'a-fast', { provider: StorageProvider.azure(), tier: 'fast-ssd', name: 'a-fast' });
    new StorageClass(chart, 'a-std', { provider: StorageProvider.azure(), tier: 'standard', name: 'a-std' });
    const out = Testing.synth(chart).map((o) => [o.provisioner, o.parameters.type ?? o.parameters.skuName]);
    expect(out).toEqual([
      ['pd.csi.storage.gke.io', 'pd-ssd'],
      ['pd.csi.storage.gke.io', 'pd-balanced'],
      ['disk.csi.azure.com', 'Premium_LRS'],
      ['disk.csi.azure.com', 'StandardSSD_LRS'],
    ]);
  });

  it('never uses the removed in-tree provisioners', () => {
    for (const provider of [StorageProvider.aws(), StorageProvider.gcp(), StorageProvider.azure()]) {
      for (const tier of ['fast-ssd', 'standard'] as const) expect(provider.disk(tier).provisioner).not.toMatch(/^kubernetes\.io\//);
    }
  });

  it('fails for the cluster default, which needs no StorageClass', () => {
    expect(StorageProvider.clusterDefault().emitsStorageClasses).toBe(false);
    expect(() => new StorageClass(Testing.chart(), 'fast-ssd', { provider: StorageProvider.clusterDefault() }))
      .toThrow('the local provider uses the cluster\'s default StorageClass');
  });

  it('fails when gp3 throughput exceeds what the iops allow', () => {
    expect(() => StorageProvider.aws({ fastIops: 3000, fastThroughput: 1000 })).toThrow('needs at least 4000 iops');
    expect(() => StorageProvider.aws({ fastIops: 20000 })).toThrow('received 20000');
  });
});
