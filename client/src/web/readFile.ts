// hvmem/readFile, answered for the language server in the web worker: the page sharing scan result a
// plan names, read through the workspace file system API. Only a regular file inside a workspace
// folder, of at most MAX_SCAN_BYTES, and nothing in an untrusted workspace: a plan from a cloned
// repository must not make the editor read what lies around it. A link is refused (the API cannot
// tell where it leads), as is anything that is not there, in the same words.
import * as vscode from 'vscode';
import { MAX_SCAN_BYTES, type ReadFileParams, type ReadFileResponse } from '../../../server/src/protocol';

export async function readScanFile(params: ReadFileParams): Promise<ReadFileResponse> {
  if (!vscode.workspace.isTrusted) return { refused: 'untrusted' };
  let uri: vscode.Uri;
  try {
    uri = vscode.Uri.parse(params.uri, true);
  } catch {
    return { refused: 'outside' };
  }
  if (uri.path.split('/').some((s) => s === '..' || s === '.') || !vscode.workspace.getWorkspaceFolder(uri)) return { refused: 'outside' };
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.type & vscode.FileType.SymbolicLink) return { refused: 'outside' };
    if (stat.type & vscode.FileType.Directory) return { refused: 'folder' };
    if (!(stat.type & vscode.FileType.File)) return { refused: 'not-file' };
    if (stat.size > MAX_SCAN_BYTES) return { refused: 'too-large', bytes: stat.size };
    const bytes = await vscode.workspace.fs.readFile(uri);
    // It may have grown since stat.
    if (bytes.length > MAX_SCAN_BYTES) return { refused: 'too-large', bytes: bytes.length };
    return { text: new TextDecoder().decode(bytes) };
  } catch (e) {
    if (e instanceof vscode.FileSystemError && e.code === 'FileNotFound') return { refused: 'outside' };
    return { error: e instanceof Error ? e.message : String(e) };
  }
}
