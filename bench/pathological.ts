// Import sources built to be slow: for each format, the shapes that make a pattern or a loop work once
// per line (or per character) for every line after it. Each is a filler of the given size followed by
// one real VM, so a reader that finishes must also still read what comes after the filler.
// bench/import.bench.ts times them at 10 MB; test/import-pathological.test.ts checks, at a smaller
// size, that each completes and imports that VM.
import type { SourceFormat } from '../server/src/core/import';

export interface PathologicalSource {
  format: SourceFormat;
  /** what the filler is */
  label: string;
  /** the input's file name (Terraform files are told apart from .tfvars by it) */
  file: string;
  text: (bytes: number) => string;
  /** the VM after the filler: its name and startup memory as the plan writes it */
  vm: { name: string; startup: string };
}

/** `unit` repeated to about `bytes`, between `head` and `tail`. */
const fill = (head: string, unit: string, bytes: number, tail: string) =>
  head + unit.repeat(Math.max(1, Math.floor((bytes - head.length - tail.length) / unit.length))) + tail;

const TF_VM = '\nresource "hyperv_machine_instance" "tail" {\n  name = "tf-tail"\n  memory_startup_bytes = 2147483648\n}\n';
const VAGRANT_VM = '\n  config.vm.define :tail do |m|\n    m.vm.provider :hyperv do |h|\n      h.vmname = "vg-tail"\n      h.memory = 2048\n    end\n  end\nend\n';
const VAGRANT_HEAD = 'Vagrant.configure("2") do |config|\n';
const PS_VM = '\nNew-VM -Name ps-tail -MemoryStartupBytes 2GB\n';
const DSC_HEAD = "Configuration Lab {\n  Import-DscResource -ModuleName xHyper-V\n  Node 'localhost' {\n";
const DSC_VM = "\n    xVMHyperV tail {\n      Name = 'dsc-tail'\n      StartupMemory = 2GB\n    }\n  }\n}\n";
const JSON_VM = '{ "Name": "json-tail", "MemoryStartup": 2147483648 }';

export const PATHOLOGICAL: PathologicalSource[] = [
  { format: 'terraform', label: 'blank lines', file: 'main.tf', text: (n) => fill('', '\n', n, TF_VM), vm: { name: 'tf-tail', startup: '2GB' } },
  { format: 'terraform', label: 'lines of spaces and tabs', file: 'main.tf', text: (n) => fill('', ' \t \t\n', n, TF_VM), vm: { name: 'tf-tail', startup: '2GB' } },
  { format: 'terraform', label: 'one line of spaces in a heredoc', file: 'main.tf', text: (n) => fill('locals {\n  doc = <<EOT\n', ' \t', n, 'x\nEOT\n}\n' + TF_VM), vm: { name: 'tf-tail', startup: '2GB' } },
  { format: 'terraform', label: 'one comment line, the whole file long', file: 'main.tf', text: (n) => fill('# ', 'resource { ', n, '\n' + TF_VM), vm: { name: 'tf-tail', startup: '2GB' } },
  { format: 'terraform', label: 'locals each twice the one before', file: 'main.tf', vm: { name: 'tf-tail', startup: '2GB' },
    text: (n) => fill(`locals {\n  l0 = "ab"\n${Array.from({ length: 60 }, (_, i) => `  l${i + 1} = "\${local.l${i}}\${local.l${i}}"\n`).join('')}}\nresource "hyperv_machine_instance" "big" {\n  name = local.l60\n}\n`, '#\n', n, TF_VM) },
  { format: 'terraform', label: 'count = 1e9', file: 'main.tf', text: (n) => fill('resource "hyperv_machine_instance" "many" {\n  count = 1000000000\n  name = "x-${count.index}"\n}\n', '\n', n, TF_VM), vm: { name: 'tf-tail', startup: '2GB' } },
  { format: 'packer-hcl', label: 'blank lines before the source', file: 'image.pkr.hcl', vm: { name: 'pk-tail', startup: '2GB' },
    text: (n) => fill('', '\n', n, 'source "hyperv-iso" "tail" {\n  vm_name = "pk-tail"\n  memory = 2048\n}\n') },
  { format: 'vagrant', label: 'blank lines before Vagrant.configure', file: 'Vagrantfile', text: (n) => fill('', '\n', n, VAGRANT_HEAD + VAGRANT_VM), vm: { name: 'vg-tail', startup: '2GB' } },
  { format: 'vagrant', label: 'one line of `.vm.define :a`', file: 'Vagrantfile', text: (n) => fill(`${VAGRANT_HEAD}  x = 1 `, 'config.vm.define :a ', n, VAGRANT_VM), vm: { name: 'vg-tail', startup: '2GB' } },
  { format: 'vagrant', label: '`do` and one line of spaces', file: 'Vagrantfile', text: (n) => fill(`${VAGRANT_HEAD}  x do`, ' ', n, 'x' + VAGRANT_VM), vm: { name: 'vg-tail', startup: '2GB' } },
  { format: 'vagrant', label: 'blocks nested as deep as the file allows', file: 'Vagrantfile', vm: { name: 'vg-tail', startup: '2GB' },
    text: (n) => { const depth = Math.floor((n - 200) / 9); return VAGRANT_HEAD + 'if x\n'.repeat(depth) + 'end\n'.repeat(depth) + VAGRANT_VM.slice(1); } },
  { format: 'vagrant', label: 'file-wide provider blocks all the way', file: 'Vagrantfile', vm: { name: 'vg-tail', startup: '2GB' },
    text: (n) => fill(VAGRANT_HEAD, '  config.vm.provider :hyperv do |h|\n    h.maxmemory = nil\n  end\n', n, VAGRANT_VM) },
  { format: 'hyperv-json', label: 'whitespace between objects', file: 'get-vm.json', text: (n) => fill('[ { "Name": "json-a", "MemoryStartup": 1073741824 },', ' \n', n, JSON_VM + ' ]'), vm: { name: 'json-tail', startup: '2GB' } },
  { format: 'hyperv-json', label: 'one string, the whole file long', file: 'get-vm.json', text: (n) => fill('[ { "Name": "json-a", "Notes": "', 'a\\"', n, '" }, ' + JSON_VM + ' ]'), vm: { name: 'json-tail', startup: '2GB' } },
  { format: 'hyperv-xml', label: 'one text, the whole file long', file: 'vm.xml', vm: { name: 'xml-tail', startup: '2GB' },
    text: (n) => fill('<?xml version="1.0"?>\n<configuration>\n  <notes>', 'a &amp; ', n, '</notes>\n  <properties><name>xml-tail</name></properties>\n  <settings><memory><bank><size>2048</size></bank></memory></settings>\n</configuration>\n') },
  { format: 'packer-json', label: 'a string of `{{`', file: 'packer.json', vm: { name: 'pk-tail', startup: '2GB' },
    text: (n) => fill('{ "builders": [ { "type": "hyperv-iso", "name": "a", "vm_name": "x", "notes": "', '{{', n, '" }, { "type": "hyperv-iso", "vm_name": "pk-tail", "memory": 2048 } ] }') },
  { format: 'powershell', label: 'one command line, the whole file long', file: 'deploy.ps1', text: (n) => fill('Write-Host ', '-Name a ', n, PS_VM), vm: { name: 'ps-tail', startup: '2GB' } },
  { format: 'powershell', label: 'a here-string of blank lines', file: 'deploy.ps1', text: (n) => fill("$notes = @'\n", '\n', n, "\n'@" + PS_VM), vm: { name: 'ps-tail', startup: '2GB' } },
  { format: 'powershell', label: 'braces never closed', file: 'deploy.ps1', text: (n) => fill(PS_VM.slice(1), '{', n, ''), vm: { name: 'ps-tail', startup: '2GB' } },
  { format: 'powershell', label: 'blocks opened line by line, each with a statement', file: 'deploy.ps1', text: (n) => fill(PS_VM.slice(1), '{ a\n', n, ''), vm: { name: 'ps-tail', startup: '2GB' } },
  { format: 'powershell', label: 'loops nested three deep over lists of 1,000', file: 'deploy.ps1', vm: { name: 'ps-tail', startup: '2GB' },
    text: (n) => { const list = Array.from({ length: 1000 }, (_, k) => k).join(','); return fill(`foreach ($a in ${list}) { foreach ($b in ${list}) { foreach ($c in ${list}) {\n  New-VM -Name "vm-$a-$b-$c" -MemoryStartupBytes 1GB\n} } }\n`, '\n', n, PS_VM); } },
  { format: 'dsc', label: 'blank lines inside the configuration', file: 'dsc.ps1', text: (n) => fill(DSC_HEAD, '\n', n, DSC_VM), vm: { name: 'dsc-tail', startup: '2GB' } },
];
