// A PowerShell tokenizer that is enough to read scripts and DSC configurations statically: words,
// -parameters, strings (expandable or not, here-strings), $variables, $( subexpressions, numbers with size suffixes,
// comments and backtick line continuations, with the line of every token.

export type Token =
  | { type: 'word'; text: string; line: number }
  | { type: 'param'; name: string; line: number; /** -Name:value */ attached?: boolean }
  | { type: 'string'; value: string; expandable: boolean; line: number; text: string }
  | { type: 'number'; value: number; line: number; text: string }
  | { type: 'var'; name: string; line: number; text: string }
  | { type: 'type'; text: string; line: number }
  | { type: 'op'; text: string; line: number }
  | { type: 'nl'; line: number };

const MULTIPLIERS: Record<string, number> = { kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4, pb: 1024 ** 5 };
const NUMBER = /^(?:0x([0-9a-f]+)|([0-9]+(?:\.[0-9]+)?(?:e[0-9]+)?))(?:l|d)?(kb|mb|gb|tb|pb)?$/i;

/**
 * A PowerShell numeric literal (4GB, 0x10, 1.5GB, 512) as a number, or undefined. A hex literal is an
 * Int32 when its digits fit in 32 bits, so 0x80000000 to 0xFFFFFFFF are negative, as PowerShell reads
 * them (0x80000000L is the Int64).
 */
export function powerShellNumber(text: string): number | undefined {
  const m = NUMBER.exec(text);
  if (!m) return undefined;
  let base = m[1] !== undefined ? parseInt(m[1], 16) : Number(m[2]);
  if (m[1] !== undefined && !/l$/i.test(text.replace(/(kb|mb|gb|tb|pb)$/i, '')) && base >= 2 ** 31 && base < 2 ** 32) base -= 2 ** 32;
  return base * (m[3] ? MULTIPLIERS[m[3].toLowerCase()] : 1);
}

const WORD_END = /[\s;|{}()=,'"`]/;
const DASHES = /[-\u2013\u2014\u2015]/;
const QUOTES_SINGLE = /['\u2018\u2019\u201A\u201B]/;
const QUOTES_DOUBLE = /["\u201C\u201D\u201E]/;

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  const n = text.length;
  const push = (t: Token) => tokens.push(t);
  while (i < n) {
    const c = text[i];
    if (c === '\r' || c === '\n') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      push({ type: 'nl', line });
      line++; i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\f' || c === '\u00a0') { i++; continue; }
    if (c === '`') {
      // A backtick before the end of the line continues the statement on the next line.
      let j = i + 1;
      while (text[j] === ' ' || text[j] === '\t') j++;
      if (text[j] === '\r' || text[j] === '\n') {
        if (text[j] === '\r' && text[j + 1] === '\n') j++;
        i = j + 1; line++;
        continue;
      }
      i++;
      continue;
    }
    if (c === '<' && text[i + 1] === '#') {
      const end = text.indexOf('#>', i + 2);
      const stop = end < 0 ? n : end + 2;
      line += countLines(text, i, stop);
      i = stop;
      continue;
    }
    if (c === '#') {
      while (i < n && text[i] !== '\n' && text[i] !== '\r') i++;
      continue;
    }
    if (c === '@' && (text[i + 1] === "'" || text[i + 1] === '"') && /[\r\n]/.test(text[i + 2] ?? '')) {
      const quote = text[i + 1];
      const startLine = line;
      const close = new RegExp(`[\\r\\n]${quote}@`, 'g');
      close.lastIndex = i + 2;
      const m = close.exec(text);
      const bodyStart = i + 2 + (text[i + 2] === '\r' && text[i + 3] === '\n' ? 2 : 1);
      const end = m ? m.index : n;
      const stop = m ? m.index + m[0].length : n;
      push({ type: 'string', value: text.slice(bodyStart, end), expandable: quote === '"', line: startLine, text: text.slice(i, stop) });
      line += countLines(text, i, stop);
      i = stop;
      continue;
    }
    if (c === '@' && (text[i + 1] === '{' || text[i + 1] === '(')) { push({ type: 'op', text: c + text[i + 1], line }); i += 2; continue; }
    if (QUOTES_SINGLE.test(c)) {
      let j = i + 1;
      let value = '';
      while (j < n) {
        if (QUOTES_SINGLE.test(text[j])) {
          if (QUOTES_SINGLE.test(text[j + 1] ?? '')) { value += text[j]; j += 2; continue; }
          break;
        }
        value += text[j++];
      }
      push({ type: 'string', value, expandable: false, line, text: text.slice(i, j + 1) });
      line += countLines(text, i, j);
      i = j + 1;
      continue;
    }
    if (QUOTES_DOUBLE.test(c)) {
      let j = i + 1;
      let value = '';
      while (j < n && !QUOTES_DOUBLE.test(text[j])) {
        if (text[j] === '`' && j + 1 < n) { value += escapeChar(text[j + 1]); j += 2; continue; }
        value += text[j++];
      }
      push({ type: 'string', value, expandable: true, line, text: text.slice(i, j + 1) });
      line += countLines(text, i, j);
      i = j + 1;
      continue;
    }
    if (c === '$' && text[i + 1] === '(') { push({ type: 'op', text: '$(', line }); i += 2; continue; }
    if (c === '$') {
      let j = i + 1;
      let name: string;
      if (text[j] === '{') {
        const end = text.indexOf('}', j);
        name = text.slice(j + 1, end < 0 ? n : end);
        j = end < 0 ? n : end + 1;
      } else {
        while (j < n && /[\w:?^$]/.test(text[j])) j++;
        // $Node.Memory: a property of something only known when the script runs; kept whole so it stays unresolved.
        while (text[j] === '.' && /[A-Za-z_]/.test(text[j + 1] ?? '')) { j++; while (j < n && /\w/.test(text[j])) j++; }
        name = text.slice(i + 1, j);
      }
      push({ type: 'var', name: name.replace(/^(script|global|local|private|using):/i, ''), line, text: text.slice(i, j) });
      i = j;
      continue;
    }
    if (c === '[') {
      const m = /^\[[\w.,[\]` ]*\]/.exec(text.slice(i, i + 200));
      if (m && /^\[[A-Za-z]/.test(m[0])) { push({ type: 'type', text: m[0], line }); i += m[0].length; continue; }
      push({ type: 'op', text: c, line }); i++;
      continue;
    }
    if (';|{}()=,]'.includes(c)) { push({ type: 'op', text: c, line }); i++; continue; }
    if (DASHES.test(c) && /[A-Za-z_]/.test(text[i + 1] ?? '')) {
      // -Name, or -Name:value with the value bound to it (switches take $false this way). PowerShell
      // also takes the en and em dashes that word processors put in pasted commands.
      const m = /^.([A-Za-z_]\w*)(:?)/.exec(text.slice(i, i + 200))!;
      const after = text[i + m[0].length] ?? ' ';
      if (m[2] === ':' || WORD_END.test(after) || after === '$') {
        push({ type: 'param', name: m[1], line, attached: m[2] === ':' });
        i += m[0].length;
        continue;
      }
    }
    let j = i;
    while (j < n && !WORD_END.test(text[j])) j++;
    if (j === i) { i++; continue; }
    const word = text.slice(i, j);
    const number = powerShellNumber(word);
    if (number !== undefined) push({ type: 'number', value: number, line, text: word });
    else if (/^-[0-9]/.test(word) && powerShellNumber(word.slice(1)) !== undefined) {
      push({ type: 'number', value: -powerShellNumber(word.slice(1))!, line, text: word });
    } else {
      push({ type: 'word', text: word, line });
    }
    i = j;
  }
  push({ type: 'nl', line });
  return tokens;
}

function countLines(text: string, from: number, to: number): number {
  let count = 0;
  for (let k = from; k < to; k++) {
    if (text[k] === '\n' || (text[k] === '\r' && text[k + 1] !== '\n')) count++;
  }
  return count;
}

function escapeChar(c: string): string {
  const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v' };
  return escapes[c] ?? c;
}
