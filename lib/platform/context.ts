import { App, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { versionFromImage, type ComponentIdentity } from '../core/labels';
import { Wave } from '../core/waves';
import type { ResolvedPlatform, ResolvedService } from '../spec';

/** One component's chart: becomes `dist/<env>/<wave prefix>-<component>.k8s.yaml`. */
export class ComponentChart extends Chart {
  constructor(scope: Construct, public readonly wave: Wave, public readonly component: string, namespace: string | undefined) {
    super(scope, `${wave.prefix}-${component}`, { namespace, disableResourceNameHashes: true });
  }

  /** The file this chart is written to. */
  public get fileName(): string {
    return this.wave.fileName(this.component);
  }
}

/** What every assembly step shares: the app, the resolved platform, and one chart per component. */
export class PlatformContext {
  private readonly charts_ = new Map<string, ComponentChart>();

  constructor(public readonly app: App, public readonly platform: ResolvedPlatform) {}

  /** Every chart made so far, in creation order. */
  public get charts(): readonly ComponentChart[] {
    return [...this.charts_.values()];
  }

  /** The application namespace. */
  public get namespace(): string {
    return this.platform.namespace;
  }

  /** The chart of a component in a wave, created on first use; `namespace: null` for cluster-scoped charts. */
  public chart(wave: Wave, component: string, namespace: string | null = this.namespace): ComponentChart {
    const key = wave.fileName(component);
    let chart = this.charts_.get(key);
    if (!chart) {
      chart = new ComponentChart(this.app, wave, component, namespace ?? undefined);
      this.charts_.set(key, chart);
    }
    return chart;
  }

  /** The label identity of a service of the platform. */
  public identityOf(service: ResolvedService): ComponentIdentity {
    return {
      name: service.name,
      instance: `${service.name}-${this.platform.environment}`,
      component: service.kind,
      partOf: this.platform.name,
      version: versionFromImage(service.image),
    };
  }
}
