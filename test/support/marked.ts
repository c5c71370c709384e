// Plans in tests mark the expected range of a diagnostic with ⟦ and ⟧; this strips the marks and
// returns the clean text with the marked offsets.
export function marked(source: string): { text: string; spans: { start: number; end: number }[] } {
  const spans: { start: number; end: number }[] = [];
  let text = '';
  let open = -1;
  for (const ch of source) {
    if (ch === '⟦') open = text.length;
    else if (ch === '⟧') { spans.push({ start: open, end: text.length }); open = -1; }
    else text += ch;
  }
  return { text, spans };
}
