// hvmem: the command line over the core. Each command lives in cli/<name>.ts and exports `run`.
// Exit status: 0 success, 1 the plan has errors or cannot be simulated, 2 bad usage or unreadable input.
import { UsageError, type CommandModule } from './cli/io';

const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  check: { summary: 'check plans against Hyper-V\'s rules and the plan\'s scenario', load: () => import('./cli/check') },
  simulate: { summary: 'simulate the plan\'s scenario: Smart Paging, failed starts, peaks', load: () => import('./cli/simulate') },
  advise: { summary: 'the smallest changes that remove each finding, headroom, growth, an N+1 placement', load: () => import('./cli/advise') },
  import: { summary: 'import VMs from Hyper-V inventory, Terraform, PowerShell, DSC, Packer or Vagrant into a plan', load: () => import('./cli/import') },
  export: { summary: 'export a plan as a PowerShell script that applies its memory settings, or makes its N+1 moves', load: () => import('./cli/export') },
  pages: { summary: 'measure what identical-page sharing would save on memory images or processes', load: () => import('./cli/pages') },
};

const HELP = `hvmem: Hyper-V memory planner

Usage: hvmem <command> [options]

Commands:
${Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`).join('\n')}

Run 'hvmem <command> --help' for a command's options.
`;

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(HELP);
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${PRODUCT_VERSION}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) throw new UsageError(`unknown command '${name}' (commands: ${Object.keys(COMMANDS).join(', ')})`);
  const module = await command.load();
  return module.run(args);
}

declare const PRODUCT_VERSION: string;

// `hvmem … | head` closes the pipe early: the reader has what it wanted, so stop quietly (exit 0, as
// most tools do) instead of dying on the next write with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`hvmem: ${error.message}\n`);
      process.exitCode = error.exitCode;
    } else {
      // Never a stack trace for a user: one line, and the details only when asked for.
      process.stderr.write(`hvmem: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
      if (process.env.HVMEM_DEBUG) console.error(error);
      process.exitCode = 70;
    }
  },
);
