// vscode-json-languageservice with the plan's JSON Schema: structural completion (keys, enum values,
// defaults), key documentation on hover and formatting that keeps comments. Its validation is not
// used: diagnostics come from the core, exactly as `hvmem check` reports them.
import { getLanguageService, type JSONDocument, type LanguageService } from 'vscode-json-languageservice';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { planSchema } from '../core/schema';

export const SCHEMA_URI = 'hvmem:/hvmem.schema.json';

export function createJsonService(): LanguageService {
  const service = getLanguageService({});
  service.configure({ validate: false, allowComments: true, schemas: [{ uri: SCHEMA_URI, fileMatch: ['*'], schema: planSchema() }] });
  return service;
}

/** The JSON service's own parse, once per document version. */
export class JsonDocuments {
  private readonly cache = new Map<string, { version: number; doc: JSONDocument }>();
  constructor(private readonly service: LanguageService) {}
  get(document: TextDocument): JSONDocument {
    const hit = this.cache.get(document.uri);
    if (hit && hit.version === document.version) return hit.doc;
    const doc = this.service.parseJSONDocument(document);
    this.cache.set(document.uri, { version: document.version, doc });
    return doc;
  }
  delete(uri: string): void {
    this.cache.delete(uri);
  }
}
