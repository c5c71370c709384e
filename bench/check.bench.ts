// hvmem check's analysis (parse + rules, no simulation) beside two baselines on the same text:
// jsonc-parser's parseTree alone, and vscode-json-languageservice validating against our schema.
import { parseTree } from 'jsonc-parser';
import { getLanguageService, TextDocument } from 'vscode-json-languageservice';
import { analyzePlan } from '../server/src/core/analyze';
import { planSchema } from '../server/src/core/schema';
import { generatePlan } from './generate';
import { row, timeBest, timeBestAsync } from './util';

export async function run(): Promise<void> {
  const service = getLanguageService({});
  service.configure({ validate: true, allowComments: true, schemas: [{ uri: 'hvmem://schema', fileMatch: ['*.hvmem.jsonc'], schema: planSchema() as never }] });
  for (const vmCount of [1000, 8000]) {
    const text = generatePlan(vmCount);
    console.log(`  ${vmCount} VMs on 64 hosts, ${(text.length / 1e6).toFixed(1)} MB`);
    // Warm both up first, so neither pays for the JIT in its measurements.
    for (let i = 0; i < 3; i++) { parseTree(text, [], { allowTrailingComma: true }); analyzePlan(text, { scenario: false }); }
    const parse = timeBest(() => parseTree(text, [], { allowTrailingComma: true }), 7);
    const ours = timeBest(() => analyzePlan(text, { scenario: false }), 7);
    const doc = TextDocument.create('file:///bench.hvmem.jsonc', 'jsonc', 1, text);
    const jsonMs = await timeBestAsync(async () => {
      const parsed = service.parseJSONDocument(doc);
      await service.doValidation(doc, parsed, { comments: 'ignore', trailingCommas: 'ignore' });
    });
    row('baseline: jsonc-parser parseTree', parse);
    row('hvmem check analysis (parse + rules)', ours, parse, ours <= 2 * parse ? '(goal ≤ 2x: met)' : '(goal ≤ 2x: missed)');
    row('vscode-json-languageservice schema validation', jsonMs, parse, ours < jsonMs ? `(ours is ${(jsonMs / ours).toFixed(1)}x faster: goal met)` : '(ours slower: goal missed)');
  }
}
