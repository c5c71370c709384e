// Import and export in the browser: the client reads the sources through the workspace file system
// API, the language server in the worker runs the core (hvmem/import, hvmem/export), as the CLI does
// on the desktop.
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient/browser';
import type { ImportExportBackend } from '../import';
import { ExportRequest, ImportRequest } from '../../../server/src/protocol';

/** As `hvmem import`: a source larger than this is no inventory (a disk image named by mistake?). */
const MAX_SOURCE_BYTES = 256 * 1024 * 1024;

export function serverBackend(client: BaseLanguageClient, started: () => Promise<void>): ImportExportBackend {
  return {
    async importPlan(sources) {
      const read = [];
      for (const uri of sources) {
        const name = uri.path.split('/').pop() ?? uri.toString();
        const { size } = await vscode.workspace.fs.stat(uri);
        if (size > MAX_SOURCE_BYTES) return failed(`${name}: ${size} bytes is larger than the ${MAX_SOURCE_BYTES / 1024 / 1024} MB hvmem reads`);
        read.push({ file: name, base64: toBase64(await vscode.workspace.fs.readFile(uri)) });
      }
      await started();
      const result = await client.sendRequest(ImportRequest, { sources: read });
      if (!result.ok) return failed(result.error);
      return { text: result.text, log: [...result.notes, `hvmem: ${result.summary}`].join('\n') };
    },
    async exportPlan(plan, target) {
      await started();
      // The server exports the plan as it has it open.
      await vscode.workspace.openTextDocument(plan);
      const result = await client.sendRequest(ExportRequest, { uri: plan.toString(), planFile: plan.path.split('/').pop() ?? 'plan' });
      if (!result.ok) return failed(result.error);
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(result.fileText));
      return undefined;
    },
  };
}

const failed = (error: string) => ({ error, log: error });

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  // In slices: String.fromCharCode takes its bytes as arguments, and arguments are limited.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
