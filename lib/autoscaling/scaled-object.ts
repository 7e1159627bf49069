import { Construct } from 'constructs';
import { ScaledObject as KedaScaledObject, type ScaledObjectSpecTriggers } from '../../imports/scaledobjects-keda.sh';
import { isDns1123Label } from '../core/names';
import { renderScalingRules, type ScaleTarget, type ScalingRules } from './horizontal-pod-autoscaler';
import { TriggerAuthentication, type SecretParameter } from './trigger-authentication';

/** A key of an existing Secret. */
export interface SecretKeyRef {
  readonly name: string;
  readonly key: string;
}

/** Redis list length: one replica per `listLength` queued items. */
export interface RedisListTriggerProps {
  /** Trigger name, unique within the ScaledObject. @default 'redis' */
  readonly name?: string;
  /** `host:port` of the Redis server, e.g. `redis.atlas-prod.svc:6379`. */
  readonly address: string;
  /** The list whose length drives scaling. */
  readonly listName: string;
  /** Target items per replica. */
  readonly listLength: number;
  /** Items needed to scale up from zero. @default KEDA's (0) */
  readonly activationListLength?: number;
  /** Redis database. @default 0 */
  readonly databaseIndex?: number;
  /** Connect with TLS. @default false */
  readonly enableTls?: boolean;
  /** Password Secret key. @default no authentication */
  readonly password?: SecretKeyRef;
  /** ACL user name Secret key. @default the default user */
  readonly username?: SecretKeyRef;
}

/** A PromQL query returning one value: one replica per `threshold` of it. */
export interface PrometheusTriggerProps {
  /** Trigger name, unique within the ScaledObject. @default 'prometheus' */
  readonly name?: string;
  /** Prometheus base URL, e.g. `http://prometheus-operated.monitoring.svc:9090`. */
  readonly serverAddress: string;
  /** PromQL returning a single-element vector or a scalar. */
  readonly query: string;
  /** Target value per replica. */
  readonly threshold: number;
  /** Value needed to scale up from zero. @default KEDA's (0) */
  readonly activationThreshold?: number;
}

/** A SQL query returning one number: one replica per `targetQueryValue` of it. */
export interface PostgresqlTriggerProps {
  /** Trigger name, unique within the ScaledObject. @default 'postgresql' */
  readonly name?: string;
  /** Fully qualified Service name (KEDA runs in another namespace), e.g. `postgres.atlas-prod.svc`. */
  readonly host: string;
  /** @default 5432 */
  readonly port?: number;
  /** The database user: a plain name, or a Secret key (KEDA reads `userName` from auth parameters too). */
  readonly userName: string | SecretKeyRef;
  readonly dbName: string;
  /** libpq sslmode. @default 'require' */
  readonly sslmode?: 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
  /** SQL returning a single number, e.g. `SELECT count(*) FROM jobs WHERE state = 'queued'`. */
  readonly query: string;
  /** Target value per replica. */
  readonly targetQueryValue: number;
  /** Value needed to scale up from zero. @default KEDA's (0) */
  readonly activationTargetQueryValue?: number;
  /** Password Secret key. */
  readonly password: SecretKeyRef;
}

/** A KEDA scaler trigger; credentials become a TriggerAuthentication. */
export class KedaTrigger {
  /** Scales on the length of a Redis list (`type: redis`). */
  public static redisList(props: RedisListTriggerProps): KedaTrigger {
    const name = props.name ?? 'redis';
    if (!/^[^\s:/]+:\d{1,5}$/.test(props.address)) throw new Error(`${name}: address must be host:port; received "${props.address}"`);
    if (props.listName.length === 0) throw new Error(`${name}: listName must not be empty`);
    return new KedaTrigger(name, 'redis', {
      address: props.address,
      listName: props.listName,
      listLength: target(name, 'listLength', props.listLength),
      activationListLength: activation(name, 'activationListLength', props.activationListLength),
      databaseIndex: props.databaseIndex !== undefined ? String(props.databaseIndex) : undefined,
      enableTLS: props.enableTls ? 'true' : undefined,
    }, [
      ...(props.password ? [{ parameter: 'password', secretName: props.password.name, key: props.password.key }] : []),
      ...(props.username ? [{ parameter: 'username', secretName: props.username.name, key: props.username.key }] : []),
    ]);
  }

  /** Scales on the value of a PromQL query (`type: prometheus`). */
  public static prometheus(props: PrometheusTriggerProps): KedaTrigger {
    const name = props.name ?? 'prometheus';
    if (!/^https?:\/\/[^\s/]+(\/\S*)?$/.test(props.serverAddress)) {
      throw new Error(`${name}: serverAddress must be an http(s) URL; received "${props.serverAddress}"`);
    }
    if (props.query.trim().length === 0) throw new Error(`${name}: query must not be empty`);
    return new KedaTrigger(name, 'prometheus', {
      serverAddress: props.serverAddress,
      query: props.query,
      threshold: target(name, 'threshold', props.threshold),
      activationThreshold: activation(name, 'activationThreshold', props.activationThreshold),
    }, []);
  }

  /** Scales on the result of a SQL query (`type: postgresql`). */
  public static postgresql(props: PostgresqlTriggerProps): KedaTrigger {
    const name = props.name ?? 'postgresql';
    if (props.query.trim().length === 0) throw new Error(`${name}: query must not be empty`);
    return new KedaTrigger(name, 'postgresql', {
      host: props.host,
      port: String(props.port ?? 5432),
      userName: typeof props.userName === 'string' ? props.userName : undefined,
      dbName: props.dbName,
      sslmode: props.sslmode ?? 'require',
      query: props.query,
      targetQueryValue: target(name, 'targetQueryValue', props.targetQueryValue),
      activationTargetQueryValue: activation(name, 'activationTargetQueryValue', props.activationTargetQueryValue),
    }, [
      ...(typeof props.userName === 'string' ? [] : [{ parameter: 'userName', secretName: props.userName.name, key: props.userName.key }]),
      { parameter: 'password', secretName: props.password.name, key: props.password.key },
    ]);
  }

  private constructor(
    /** Unique within its ScaledObject; names the TriggerAuthentication. */
    public readonly name: string,
    /** KEDA scaler type. */
    public readonly type: string,
    metadata: Record<string, string | undefined>,
    /** Credentials, by Secret reference. */
    public readonly secrets: readonly SecretParameter[],
  ) {
    if (!isDns1123Label(name)) throw new Error(`trigger name "${name}" must be a DNS-1123 label (it names the TriggerAuthentication)`);
    this.metadata = Object.fromEntries(Object.entries(metadata).filter((e): e is [string, string] => e[1] !== undefined));
  }

  /** Scaler metadata: strings only, as KEDA reads them. */
  public readonly metadata: Readonly<Record<string, string>>;
}

export interface ScaledObjectProps {
  /** Object name. @default the target's name */
  readonly name?: string;
  /** Labels for the ScaledObject and its TriggerAuthentications. @default none */
  readonly labels?: Readonly<Record<string, string>>;
  /** The workload it scales. */
  readonly target: ScaleTarget;
  /** Fewest replicas; 0 lets KEDA scale the workload to zero when idle. */
  readonly minReplicas: number;
  /** Most replicas. */
  readonly maxReplicas: number;
  /** Seconds between trigger checks. @default 30 */
  readonly pollingIntervalSeconds?: number;
  /**
   * Seconds after the last active trigger before scaling to zero; only with minReplicas 0 (scaling
   * between 1 and N is the HPA's: use `scaleDown`). @default KEDA's (300)
   * @see https://keda.sh/docs/latest/reference/scaledobject-spec/#cooldownperiod
   */
  readonly cooldownPeriodSeconds?: number;
  /** What it scales on; the largest recommendation wins. */
  readonly triggers: readonly KedaTrigger[];
  /** Scale-up rules for the HPA KEDA creates. @default Kubernetes' */
  readonly scaleUp?: ScalingRules;
  /** Scale-down rules for the HPA KEDA creates. @default Kubernetes' */
  readonly scaleDown?: ScalingRules;
  /** Replicas to hold after `failureThreshold` failed checks of every trigger. @default none (keep the current count) */
  readonly fallback?: { readonly failureThreshold: number; readonly replicas: number };
}

/**
 * A KEDA ScaledObject and one TriggerAuthentication per trigger that needs credentials
 * (`<name>-<trigger>`). KEDA creates and owns the HPA for the target (`keda-hpa-<name>`), so the
 * target must have no HPA of its own and must not set `replicas`.
 */
export class ScaledObject extends Construct {
  public readonly name: string;
  public readonly scaledObject: KedaScaledObject;
  public readonly authentications: readonly TriggerAuthentication[];

  constructor(scope: Construct, id: string, props: ScaledObjectProps) {
    super(scope, id);
    this.name = props.name ?? props.target.name;
    const { minReplicas, maxReplicas } = props;
    if (!Number.isInteger(minReplicas) || minReplicas < 0) throw new Error(`${this.name}: minReplicas must be a whole number ≥ 0; received ${minReplicas}`);
    if (!Number.isInteger(maxReplicas) || maxReplicas < Math.max(1, minReplicas)) {
      throw new Error(`${this.name}: maxReplicas must be a whole number ≥ 1 and ≥ minReplicas (${minReplicas}); received ${maxReplicas}`);
    }
    if (props.triggers.length === 0) throw new Error(`${this.name}: a ScaledObject needs at least one trigger; received none`);
    const names = new Set<string>();
    for (const t of props.triggers) {
      if (names.has(t.name)) throw new Error(`${this.name}: trigger name ${t.name} is used twice; name each trigger`);
      names.add(t.name);
    }
    const polling = props.pollingIntervalSeconds ?? 30;
    const cooldown = props.cooldownPeriodSeconds;
    for (const [field, value] of [['pollingIntervalSeconds', polling], ['cooldownPeriodSeconds', cooldown ?? 1]] as const) {
      if (!Number.isInteger(value) || value < 1) throw new Error(`${this.name}: ${field} must be a whole number of seconds ≥ 1; received ${value}`);
    }
    if (cooldown !== undefined && minReplicas > 0) {
      throw new Error(`${this.name}: cooldownPeriodSeconds only delays scaling to zero and minReplicas is ${minReplicas}; pace scale-down with scaleDown instead; received ${cooldown}`);
    }
    if (props.fallback && (props.fallback.replicas < minReplicas || props.fallback.replicas > maxReplicas || props.fallback.failureThreshold < 1)) {
      throw new Error(`${this.name}: fallback needs failureThreshold ≥ 1 and replicas within ${minReplicas}–${maxReplicas}; received ${JSON.stringify(props.fallback)}`);
    }
    const labels = props.labels ? { ...props.labels } : undefined;

    const authentications: TriggerAuthentication[] = [];
    const triggers: ScaledObjectSpecTriggers[] = props.triggers.map((t) => {
      let authenticationRef: { name: string } | undefined;
      if (t.secrets.length > 0) {
        const auth = new TriggerAuthentication(this, `auth-${t.name}`, { name: `${this.name}-${t.name}`, labels, secrets: t.secrets });
        authentications.push(auth);
        authenticationRef = { name: auth.name };
      }
      return { type: t.type, name: t.name, metadata: { ...t.metadata }, authenticationRef };
    });
    this.authentications = authentications;

    const behavior = props.scaleUp || props.scaleDown
      ? { scaleUp: renderScalingRules(this.name, 'scaleUp', props.scaleUp), scaleDown: renderScalingRules(this.name, 'scaleDown', props.scaleDown) }
      : undefined;
    this.scaledObject = new KedaScaledObject(this, 'scaled-object', {
      metadata: { name: this.name, labels },
      spec: {
        scaleTargetRef: { apiVersion: props.target.apiVersion ?? 'apps/v1', kind: props.target.kind, name: props.target.name },
        minReplicaCount: minReplicas,
        maxReplicaCount: maxReplicas,
        pollingInterval: polling,
        cooldownPeriod: cooldown,
        fallback: props.fallback ? { failureThreshold: props.fallback.failureThreshold, replicas: props.fallback.replicas } : undefined,
        advanced: behavior ? { horizontalPodAutoscalerConfig: { behavior } } : undefined,
        triggers,
      },
    });
  }
}

function target(trigger: string, field: string, value: number): string {
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${trigger}: ${field} must be a number above 0; received ${value}`);
  return String(value);
}

function activation(trigger: string, field: string, value: number | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!Number.isFinite(value) || value < 0) throw new Error(`${trigger}: ${field} must be a number ≥ 0; received ${value}`);
  return String(value);
}
