import type { Component, EnvironmentModel } from './environment-model';

/**
 * A Mermaid flowchart of an environment: the Internet → entry points → services → data stores,
 * solid arrows for requests, dotted arrows for telemetry (metrics scraped, OTLP exported).
 * Components sit in one subgraph per namespace; cluster add-ons outside it.
 */
export function renderTopology(model: EnvironmentModel): string {
  const lines = ['flowchart LR'];
  const edges: string[] = [];
  const externals = new Map<string, string>();
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

  for (const c of model.components) {
    for (const dep of c.dependsOn) {
      const target = model.components.find((x) => x.name === dep);
      if (!target) continue;
      const ports = target.clientPorts.join(' ');
      edges.push(`  ${idOf(c)} -->${ports ? `|"${text(ports)}"|` : ''} ${idOf(target)}`);
    }
  }

  const prometheus = model.components.find((c) => c.endpointRole === 'prometheus');
  const scraped = model.components.filter((c) => c.metrics && c !== prometheus);
  if (scraped.length > 0) {
    const target = prometheus ? idOf(prometheus) : 'ext_prometheus';
    if (!prometheus) externals.set(target, `[["Prometheus<br/>${text(`namespace ${model.platform.cluster.prometheus.namespace}`)}"]]`);
    for (const c of scraped) edges.push(`  ${idOf(c)} -.->|"${text(`metrics ${c.metrics?.path ?? ''}`.trim())}"| ${target}`);
  }

  for (const c of model.components) {
    for (const host of c.otlpHosts) {
      const [service, namespace] = host.split('.');
      const collector = model.components.find((x) => x.services.some((s) => s.split(' ')[0] === service) && (namespace === undefined || x.namespace === namespace));
      let target: string;
      if (collector) target = idOf(collector);
      else {
        target = nodeId('ext', host);
        externals.set(target, `[["OTLP collector<br/>${text(host)}"]]`);
      }
      edges.push(`  ${idOf(c)} -.->|"OTLP"| ${target}`);
    }
  }

  for (const [id, node] of [...externals].sort(([a], [b]) => a.localeCompare(b))) lines.push(`  ${id}${node}`);
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
  const count = c.replicas === 'operator-managed' ? '(operator)' : /^\d/.test(c.replicas) ? `×${c.replicas}` : c.replicas;
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
