// A real Mermaid parser for tests: mermaid's own flowchart grammar, run under jsdom because mermaid
// sanitizes labels with DOMPurify, which needs a DOM (Node 20 has none; mermaid 11 still runs on it).
import { JSDOM } from 'jsdom';

interface FlowDb {
  getVertices(): Map<string, { id: string; text?: string }>;
  getEdges(): Array<{ start: string; end: string; text?: string; stroke?: string }>;
}

let loaded: Promise<typeof import('mermaid').default> | undefined;

function mermaid(): Promise<typeof import('mermaid').default> {
  if (!loaded) {
    const dom = new JSDOM('<!doctype html><html><body></body></html>');
    Object.assign(globalThis, { window: dom.window, document: dom.window.document });
    loaded = import('mermaid').then((m) => m.default);
  }
  return loaded;
}

/** Parses a flowchart with mermaid and returns its nodes and edges; throws mermaid's parse error. */
export async function parseFlowchart(source: string): Promise<{ type: string; vertices: Map<string, { id: string; text?: string }>; edges: ReturnType<FlowDb['getEdges']> }> {
  const m = await mermaid();
  const result = await m.parse(source);
  if (!result) throw new Error('mermaid did not recognize the diagram');
  const diagram = await m.mermaidAPI.getDiagramFromText(source);
  const db = diagram.db as unknown as FlowDb;
  return { type: result.diagramType, vertices: db.getVertices(), edges: db.getEdges() };
}

/** The ```mermaid blocks of a Markdown document. */
export function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```mermaid\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
}
