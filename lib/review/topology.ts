import { servingIndex, type Component, type EnvironmentModel } from './environment-model';

/**
 * A Mermaid flowchart of an environment: the Internet → entry points → services → data stores,
 * solid arrows for requests, dotted arrows for telemetry (metrics scraped, OTLP exported).
 * Components sit in one subgraph per namespace; cluster add-ons outside it.
 */
export function renderTopology(model: EnvironmentModel): string {
  const lines = ['flowchart LR'];
  const edges: string[] = [];
  // Nodes outside the environment's components: telemetry sinks, and callers from other namespaces.
  const externals = new Map<string, string>();
  const callers = new Map<string, string>();
  const idOf = (c: Pick<Component, 'name' | 'namespace'>) => nodeId('c', `${c.namespace}_${c.name}`);

  if (model.entryPoints.length > 0) {
    lines.push(`  internet(("${text('Internet')}"))`);
    for (const entry of model.entryPoints) {
      const id = nodeId('e', entry.title);
      lines.push(`  ${id}{{"${text(entry.title)}${entry.routes.map((r) => `<br/>${text(r)}`).join('')}"}}`);
      edges.push(`  internet --> ${id}`);
      for (const target of entry.targets) {
        const component = model.components.find((c) => c.name === target);
        if (component) edges.push(`  ${id} --> ${idOf(component)}`);
      }
    }
  }

  const namespaces = [...new Set(model.components.map((c) => c.namespace))].sort();
  for (const ns of namespaces) {
    lines.push(`  subgraph ${nodeId('ns', ns)}["${text(`namespace ${ns}`)}"]`);
    for (const c of model.components.filter((x) => x.namespace === ns)) lines.push(`    ${idOf(c)}${shape(c)}`);
    lines.push('  end');
  }

  for (const call of model.calls) {
    let from: string;
    if (call.from.component) from = idOf(call.from.component);
    else {
      from = nodeId('ext', `${call.from.namespace}_${call.from.name}`);
      callers.set(from, `["${text(call.from.name)}<br/>${text(`namespace ${call.from.namespace}`)}"]`);
    }
    const label = call.ports.length ? `|"${text(call.ports.join(', '))}"|` : '';
    edges.push(`  ${from} ${call.telemetry ? '-.->' : '-->'}${label} ${idOf(call.to)}`);
  }

  // The Prometheus that scrapes: a registered one, or the pods the cluster's Prometheus peer names.
  const peer = model.platform.cluster.prometheus;
  const prometheus = model.components.find((c) => c.endpointRole === 'prometheus')
    ?? model.components.find((c) => c.namespace === peer.namespace && Object.entries(peer.podLabels).every(([k, v]) => c.podLabels[k] === v));
  const scraped = model.components.filter((c) => (c.metrics ?? []).length > 0 && c !== prometheus);
  if (scraped.length > 0) {
    const target = prometheus ? idOf(prometheus) : 'ext_prometheus';
    if (!prometheus) externals.set(target, `[["Prometheus<br/>${text(`namespace ${peer.namespace}`)}"]]`);
    for (const c of scraped) edges.push(`  ${idOf(c)} -.->|"${text(`metrics ${[...new Set((c.metrics ?? []).map((m) => m.path))].join(' ')}`.trim())}"| ${target}`);
  }

  // OTLP exporters pointing outside the environment (a shared collector) still show where telemetry goes.
  const serving = servingIndex(model.components);
  for (const c of model.components) {
    for (const host of c.otlpHosts) {
      if (serving(host)) continue;
      const target = nodeId('ext', host);
      externals.set(target, `[["OTLP collector<br/>${text(host)}"]]`);
      edges.push(`  ${idOf(c)} -.->|"OTLP"| ${target}`);
    }
  }

  for (const [id, node] of [...externals, ...callers].sort(([a], [b]) => a.localeCompare(b))) lines.push(`  ${id}${node}`);
  lines.push(...edges);
  const data = model.components.filter((c) => c.role === 'data').map(idOf);
  const telemetry = [...model.components.filter((c) => c.role === 'telemetry').map(idOf), ...externals.keys()];
  lines.push('  classDef data fill:#fff4e0,stroke:#b36b00', '  classDef telemetry fill:#eef3ff,stroke:#3d5a99,stroke-dasharray:4 2');
  if (data.length > 0) lines.push(`  class ${data.join(',')} data`);
  if (telemetry.length > 0) lines.push(`  class ${telemetry.join(',')} telemetry`);
  return lines.join('\n');
}

/** Node shape by role: cylinder for data, subroutine for telemetry, rectangle otherwise. */
function shape(c: Component): string {
  const count = c.replicas === 'operator-managed' ? '(operator)' : /^\d+(–\d+)?( \(\w+\))?$/.test(c.replicas) ? `×${c.replicas}` : c.replicas;
  const label = `${text(c.name)}<br/>${text(`${c.kind} ${count}`)}`;
  if (c.role === 'data') return `[("${label}")]`;
  if (c.role === 'telemetry') return `[["${label}"]]`;
  return `["${label}"]`;
}

/** A Mermaid node id: letters, digits and underscores, with a prefix so it never is a keyword like `end`. */
function nodeId(prefix: string, name: string): string {
  return `${prefix}_${name.replace(/[^A-Za-z0-9]+/g, '_')}`;
}

/** Text inside a quoted Mermaid label: quotes and angle brackets as entity codes. */
function text(value: string): string {
  return value.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;').replace(/\|/g, '#124;').replace(/`/g, "'");
}
