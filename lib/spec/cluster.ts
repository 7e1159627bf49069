import * as z from 'zod';
import { portNumber } from './primitives';
import { cidr } from './traffic';

/** What the target cluster has installed: CRD-backed objects are emitted only when it is there. */
export const capabilitiesSchema = z.strictObject({
  /** Prometheus Operator CRDs (ServiceMonitor, PrometheusRule), as with kube-prometheus-stack. */
  prometheusOperator: z.boolean().default(false),
  /** KEDA (ScaledObject, TriggerAuthentication). */
  keda: z.boolean().default(false),
  /** Vertical Pod Autoscaler (VerticalPodAutoscaler). */
  vpa: z.boolean().default(false),
  /** Gateway API, standard channel v1 (Gateway, HTTPRoute). */
  gatewayApi: z.boolean().default(false),
  /** cert-manager (Certificate, ClusterIssuer). */
  certManager: z.boolean().default(false),
  /** External Secrets Operator (ExternalSecret). */
  externalSecrets: z.boolean().default(false),
  /** Sealed Secrets controller (SealedSecret). */
  sealedSecrets: z.boolean().default(false),
  /** Argo Rollouts (Rollout, AnalysisTemplate). */
  argoRollouts: z.boolean().default(false),
  /** A custom-metrics API adapter (e.g. prometheus-adapter) serving Pods metrics to the HPA. */
  customMetricsAdapter: z.boolean().default(false),
  /** Elastic Cloud on Kubernetes (Elasticsearch, Kibana). */
  eck: z.boolean().default(false),
  /** OpenTelemetry Operator (OpenTelemetryCollector, v1beta1). */
  opentelemetryOperator: z.boolean().default(false),
});

/** Where a cluster add-on's pods run, so network policies can admit (or reach) exactly them. */
const peerSchema = (namespace: string, podLabels: Record<string, string>) =>
  z
    .strictObject({
      /** Namespace the add-on runs in. */
      namespace: z.string().default(namespace),
      /** Labels of its pods. */
      podLabels: z.record(z.string(), z.string()).default(podLabels),
    })
    .prefault({});

/** The port the API server's endpoints listen on when the spec does not say: managed control planes serve 443, kubeadm (kind) 6443. */
export const API_SERVER_PORTS = { aws: 443, gcp: 443, azure: 443, local: 6443 } as const;

/** The port kubelets serve their API and metrics on (the kubelet's default `--port`). */
export const KUBELET_PORT = 10250;

export const clusterSchema = z.strictObject({
  /** Kubernetes minor version of the target cluster, e.g. "1.30". */
  kubernetesVersion: z
    .string()
    .regex(/^1\.(2[89]|3\d)$/, { error: 'expected a Kubernetes version from "1.28" to "1.39" (major.minor)' })
    .default('1.30'),
  /** Where the cluster runs; decides storage provisioners and load balancer annotations. */
  provider: z.enum(['aws', 'gcp', 'azure', 'local']).default('local'),
  /** The IngressClass of the cluster's NGINX ingress controller. */
  ingressClass: z.string().default('nginx'),
  /** Most nodes the cluster may run: a DaemonSet runs a pod on each, and its namespace's quota must hold them all. */
  maxNodes: z.number().int().min(1).max(5000).default(10),
  capabilities: capabilitiesSchema.prefault({}),
  /**
   * Networks pod addresses come from (the cluster CIDR; with the AWS VPC CNI, the VPC's CIDRs). Egress
   * to an outside network that contains one of them (e.g. HTTPS to 0.0.0.0/0) excepts it, so
   * "outside" never includes the cluster's own pods.
   */
  podCidrs: z.array(cidr).default([]),
  /** Networks Service ClusterIPs come from (`--service-cluster-ip-range`); excepted from outside egress like `podCidrs`. */
  serviceCidrs: z.array(cidr).default([]),
  /** Networks of the nodes' addresses: the standalone Prometheus scrapes the kubelets there (port 10250). */
  nodeCidrs: z.array(cidr).default([]),
  /**
   * The Kubernetes API server as pods reach it, for the egress of every workload that calls the API
   * (a service with a mounted token, Prometheus discovery, kube-state-metrics, the log shipper);
   * required when one does and network policies are on. Name the real endpoint addresses and port —
   * `kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes` — not the
   * `kubernetes` Service's ClusterIP: CNIs match egress policy after kube-proxy's DNAT.
   */
  apiServer: z
    .strictObject({
      /** Networks holding the endpoint addresses, e.g. EKS's control-plane subnets or a kubeadm control-plane node. */
      cidrs: z.array(cidr).min(1),
      /** Port of the endpoints; defaults by provider: 443 on aws, gcp and azure, 6443 on local (kubeadm, kind; minikube uses 8443). */
      port: portNumber.optional(),
    })
    .optional(),
  /** The cluster DNS pods that every workload may query. */
  dns: peerSchema('kube-system', { 'k8s-app': 'kube-dns' }),
  /** The ingress controller (or Gateway implementation) that forwards outside traffic. */
  ingressController: peerSchema('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' }),
  /** The Prometheus that scrapes metrics ports (the operator's, or Stackwright's standalone one). */
  prometheus: peerSchema('monitoring', { 'app.kubernetes.io/name': 'prometheus' }),
  /** The Grafana that reads metrics, logs and traces (the operator stack's, or Stackwright's standalone one). */
  grafana: peerSchema('monitoring', { 'app.kubernetes.io/name': 'grafana' }),
  /** The KEDA operator, which polls the data stores named by KEDA triggers. */
  kedaOperator: peerSchema('keda', { 'app.kubernetes.io/name': 'keda-operator' }),
  /**
   * The ECK operator, which calls Elasticsearch's HTTP API to reconcile it (with `logs.elasticsearch.provider: eck`).
   * The defaults are those of ECK's YAML manifests; its Helm chart labels the pods `app.kubernetes.io/name: elastic-operator`.
   */
  eckOperator: peerSchema('elastic-system', { 'control-plane': 'elastic-operator' }),
}).transform(({ apiServer, ...cluster }) => ({
  ...cluster,
  apiServer: apiServer && { cidrs: apiServer.cidrs, port: apiServer.port ?? API_SERVER_PORTS[cluster.provider] },
}));

export type ClusterSpec = z.output<typeof clusterSchema>;
export type Capabilities = z.output<typeof capabilitiesSchema>;
