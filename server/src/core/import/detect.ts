// Which kind of source a text is, told by its content (file names are only a tie-breaker for .tfvars).
import { INVENTORY_MARKER } from './hyperv-json';

export type SourceFormat = 'hyperv-json' | 'hyperv-xml' | 'terraform' | 'packer-json' | 'packer-hcl' | 'dsc' | 'powershell' | 'vagrant';

export const FORMAT_LABELS: Record<SourceFormat, string> = {
  'hyperv-json': 'Hyper-V inventory JSON',
  'hyperv-xml': 'Hyper-V XML configuration',
  'terraform': 'Terraform or HCL variables',
  'packer-json': 'Packer JSON template',
  'packer-hcl': 'Packer HCL template',
  'dsc': 'DSC configuration',
  'powershell': 'PowerShell script',
  'vagrant': 'Vagrantfile',
};

const HYPERV_JSON_KEYS = /"(MemoryStartup|MemoryCapacity|VMName|DynamicMemoryEnabled|hvmemInventory)"\s*:/;

// Line-start patterns use [ \t]*, never \s*: with the m flag \s* runs on over the following lines
// from every line start, which makes a file of blank lines take quadratic time.
export function detectFormat(text: string): SourceFormat | undefined {
  const head = text.replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith('{') || head.startsWith('[')) {
    if (/"builders"\s*:/.test(text) && /"type"\s*:\s*"hyperv-(iso|vmcx)"/.test(text)) return 'packer-json';
    if (HYPERV_JSON_KEYS.test(text) || text.includes(`"${INVENTORY_MARKER}"`)) return 'hyperv-json';
    return undefined;
  }
  if (/^<[?!A-Za-z]/.test(head)) return /<configuration[\s>]/.test(text) ? 'hyperv-xml' : undefined;
  if (/^[ \t]*Vagrant\.configure\b/m.test(text)) return 'vagrant';
  if (/^[ \t]*source[ \t]+"hyperv-(iso|vmcx)"/m.test(text)) return 'packer-hcl';
  if (/^[ \t]*(resource|variable|locals|module|provider|terraform)\b[^\n=]*\{/m.test(text)) return 'terraform';
  if (/^[ \t]*configuration[ \t]+[\w-]+/im.test(text) && /\b(x?VMHyperV)\s+[\w'"$-]+\s*\{/i.test(text)) return 'dsc';
  if (/\b(New-VM|Set-VM|Set-VMMemory)\b/i.test(text)) return 'powershell';
  // A .tfvars file is plain `name = value` lines.
  if (/^[ \t]*[A-Za-z_][\w-]*[ \t]*=/m.test(head) && !/^[ \t]*\$/m.test(head)) return 'terraform';
  return undefined;
}
