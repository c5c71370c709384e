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

export function detectFormat(text: string): SourceFormat | undefined {
  const head = text.replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith('{') || head.startsWith('[')) {
    if (/"builders"\s*:/.test(text) && /"type"\s*:\s*"hyperv-(iso|vmcx)"/.test(text)) return 'packer-json';
    if (HYPERV_JSON_KEYS.test(text) || text.includes(`"${INVENTORY_MARKER}"`)) return 'hyperv-json';
    return undefined;
  }
  if (/^<[?!A-Za-z]/.test(head)) return /<configuration[\s>]/.test(text) ? 'hyperv-xml' : undefined;
  if (/^\s*Vagrant\.configure\b/m.test(text)) return 'vagrant';
  if (/^\s*source\s+"hyperv-(iso|vmcx)"/m.test(text)) return 'packer-hcl';
  if (/^\s*(resource|variable|locals|module|provider|terraform)\b[^\n=]*\{/m.test(text)) return 'terraform';
  if (/^\s*configuration\s+[\w-]+/im.test(text) && /\b(x?VMHyperV)\s+[\w'"$-]+\s*\{/i.test(text)) return 'dsc';
  if (/\b(New-VM|Set-VM|Set-VMMemory)\b/i.test(text)) return 'powershell';
  // A .tfvars file is plain `name = value` lines.
  if (/^\s*[A-Za-z_][\w-]*\s*=/m.test(head) && !/^\s*\$/m.test(head)) return 'terraform';
  return undefined;
}
