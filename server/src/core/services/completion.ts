// The domain's completions: host and VM names where a reference goes, and snippets for a whole host,
// VM or event. Keys and enum values come from the JSON Schema (the language server merges them in).
import { getLocation } from 'jsonc-parser';
import { EVENT_TYPES, EVENTS } from '../events';
import type { Span } from '../text';
import type { PlanDocument } from './types';

export interface CompletionResult {
  label: string;
  kind: 'reference' | 'snippet';
  detail?: string;
  documentation?: string;
  /** snippet syntax ($1, ${1:text}) when kind is 'snippet' */
  insertText: string;
  /** the text the completion replaces */
  span: Span;
}

export function doComplete(doc: PlanDocument, offset: number): CompletionResult[] {
  const { text } = doc;
  const { plan } = doc.analysis;
  const location = getLocation(text, offset);
  const path = location.path;
  const last = path[path.length - 1];
  const previous = location.previousNode;
  // Inside a string value, the completion replaces the whole string.
  const span: Span = previous && previous.type === 'string' && previous.offset < offset && offset <= previous.offset + previous.length
    ? { start: previous.offset, end: previous.offset + previous.length }
    : { start: offset, end: offset };

  if (!location.isAtPropertyKey && (last === 'host' || last === 'vm')) {
    const inVm = path.length === 3 && path[0] === 'vms' && last === 'host';
    const inEvent = path.length === 4 && path[0] === 'scenario' && path[1] === 'events';
    if (!inVm && !inEvent) return [];
    const names = last === 'host'
      ? plan.hosts.map((h) => ({ name: h.name, detail: `host, ${h.memoryBytes / 2 ** 30} GB` }))
      : plan.vms.map((v) => ({ name: v.name, detail: `VM on ${v.host}` }));
    const seen = new Set<string>();
    return names.filter((n) => n.name && !seen.has(n.name) && seen.add(n.name))
      .map((n) => ({ label: n.name, kind: 'reference' as const, detail: n.detail, insertText: JSON.stringify(n.name), span }));
  }

  if (location.isAtPropertyKey || typeof last !== 'number') return [];
  const hostName = plan.hosts[0]?.name || 'HV01';
  if (path.length === 2 && path[0] === 'hosts') {
    return [snippet('New host', 'a host with its memory and reserve', `{\n\t"name": "\${1:HV0${plan.hosts.length + 1}}",\n\t"memory": "\${2:256GB}",\n\t"reserve": "\${3:4GB}"\n}`, span)];
  }
  if (path.length === 2 && path[0] === 'vms') {
    const hostLine = plan.hosts.length > 1 ? `\n\t"host": "\${2:${placeholder(hostName)}}",` : '';
    return [
      snippet('New VM (Dynamic Memory)', 'a VM with minimum, startup and maximum', `{\n\t"name": "\${1:VM01}",${hostLine}\n\t"memory": { "dynamic": true, "minimum": "\${3:1GB}", "startup": "\${4:4GB}", "maximum": "\${5:16GB}" }\n}`, span),
      snippet('New VM (static memory)', 'a VM with a fixed amount of memory', `{\n\t"name": "\${1:VM01}",${hostLine}\n\t"memory": { "startup": "\${3:4GB}" }\n}`, span),
    ];
  }
  if (path.length === 3 && path[0] === 'scenario' && path[1] === 'events') {
    const vmName = plan.vms[0]?.name || 'VM01';
    return EVENT_TYPES.map((type) => snippet(`New ${type} event`, EVENTS[type].description, `{ "at": "\${1:0s}", "type": "${type}", ${EVENTS[type].snippet.replace(':HOST}', () => `:${placeholder(hostName)}}`).replace(':VM}', () => `:${placeholder(vmName)}}`)} }`.replace(', }', ' }'), span));
  }
  return [];
}

/** A name as snippet placeholder text: `$`, `}` and `\\` are snippet syntax there. */
function placeholder(name: string): string {
  return JSON.stringify(name).slice(1, -1).replace(/[$}\\]/g, '\\$&');
}

function snippet(label: string, detail: string, insertText: string, span: Span): CompletionResult {
  return { label, kind: 'snippet', detail, insertText, span };
}
