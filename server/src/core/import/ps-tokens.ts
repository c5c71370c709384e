// A PowerShell tokenizer that is enough to read scripts and DSC configurations statically: words,
// -parameters, strings (expandable or not, here-strings), $variables, $( subexpressions, numbers with size suffixes,
// comments and backtick line continuations, with the line of every token.

export type Token =
  | { type: 'word'; text: string; line: number }
  | { type: 'param'; name: string; line: number; /** -Name:value */ attached?: boolean; /** as written, dash included */ text: string }
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
/** A-Z, a-z or _ (a NaN past the end is none of them) */
const startsName = (code: number) => (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
/** -Name or -Name: at the position it is set to (sticky: no copy of the text after it) */
const PARAMETER = /.([A-Za-z_]\w*)(:?)/y;
/** WORD_END for the ASCII characters, looked up rather than matched: the tokenizer asks for every character. */
const WORD_END_ASCII = Uint8Array.from({ length: 128 }, (_, code) => (WORD_END.test(String.fromCharCode(code)) ? 1 : 0));
const isWordEnd = (ch: string) => { const code = ch.charCodeAt(0); return code < 128 ? WORD_END_ASCII[code] === 1 : WORD_END.test(ch); };
/** ' and the single quotes word processors put in pasted commands, which PowerShell takes too */
const isSingleQuote = (ch: string | undefined) => ch === "'" || ch === '\u2018' || ch === '\u2019' || ch === '\u201A' || ch === '\u201B';
const isDoubleQuote = (ch: string | undefined) => ch === '"' || ch === '\u201C' || ch === '\u201D' || ch === '\u201E';

/**
 * Blocks (`{ }`, `@{ }`) nested deeper than this end the reading. PowerShell's own parser gives up on
 * such a script ("the script is too complex", ScriptTooComplicated) at a few thousand levels; none
 * that runs gets here, and reading a file of millions of `{` would only cost time.
 */
export const MAX_BLOCK_NESTING = 3000;

/** The tokens of `text`; `tooDeep` is the line where blocks nested past MAX_BLOCK_NESTING, where the tokens stop. */
export function tokenize(text: string): Token[] & { tooDeep?: number } {
  const tokens: Token[] & { tooDeep?: number } = [];
  let depth = 0;
  let i = 0;
  let line = 1;
  const n = text.length;
  const push = (t: Token) => tokens.push(t);
  // Tokens are never changed once made, so an operator, word or parameter equal to the last one of
  // its kind on the same line is that token again, and a run of line ends is one newline (statements
  // split the same on one as on many): a file of millions of `{`, of `-Name a` or of blank lines is
  // then millions of references, not of live objects, which the garbage collector spent most of its
  // time on. (The last one only, compared as text: a map of them would hash every word.)
  type Op = Extract<Token, { type: 'op' }>;
  type Word = Extract<Token, { type: 'word' }>;
  type Param = Extract<Token, { type: 'param' }>;
  let lastOp: Op | undefined;
  let lastWord: Word | undefined;
  let lastParam: Param | undefined;
  const pushOp = (text: string) => {
    if (lastOp === undefined || lastOp.line !== line || lastOp.text !== text) lastOp = { type: 'op', text, line };
    tokens.push(lastOp);
  };
  const pushWord = (text: string) => {
    if (lastWord === undefined || lastWord.line !== line || lastWord.text !== text) lastWord = { type: 'word', text, line };
    tokens.push(lastWord);
  };
  const pushParam = (text: string, name: string, attached: boolean) => {
    if (lastParam === undefined || lastParam.line !== line || lastParam.text !== text) lastParam = { type: 'param', name, line, attached, text };
    tokens.push(lastParam);
  };
  while (i < n) {
    const c = text[i];
    if (c === '\r' || c === '\n') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      if (tokens[tokens.length - 1]?.type !== 'nl') push({ type: 'nl', line });
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
    if (c === '@' && (text[i + 1] === '{' || text[i + 1] === '(')) {
      if (text[i + 1] === '{' && ++depth > MAX_BLOCK_NESTING) { tokens.tooDeep = line; break; }
      push({ type: 'op', text: c + text[i + 1], line }); i += 2; continue;
    }
    if (isSingleQuote(c)) {
      let j = i + 1;
      let value = '';
      while (j < n) {
        if (isSingleQuote(text[j])) {
          if (isSingleQuote(text[j + 1])) { value += text[j]; j += 2; continue; }
          break;
        }
        value += text[j++];
      }
      push({ type: 'string', value, expandable: false, line, text: text.slice(i, j + 1) });
      line += countLines(text, i, j);
      i = j + 1;
      continue;
    }
    if (isDoubleQuote(c)) {
      let j = i + 1;
      let value = '';
      while (j < n && !isDoubleQuote(text[j])) {
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
      pushOp(c); i++;
      continue;
    }
    if (';|{}()=,]'.includes(c)) {
      if (c === '{' && ++depth > MAX_BLOCK_NESTING) { tokens.tooDeep = line; break; }
      if (c === '}' && depth > 0) depth--;
      pushOp(c); i++; continue;
    }
    if ((c === '-' || c === '\u2013' || c === '\u2014' || c === '\u2015') && startsName(text.charCodeAt(i + 1))) {
      // -Name, or -Name:value with the value bound to it (switches take $false this way). PowerShell
      // also takes the en and em dashes that word processors put in pasted commands.
      PARAMETER.lastIndex = i;
      const m = PARAMETER.exec(text)!;
      const after = text[i + m[0].length] ?? ' ';
      if (m[2] === ':' || isWordEnd(after) || after === '$') {
        pushParam(m[0], m[1], m[2] === ':');
        i += m[0].length;
        continue;
      }
    }
    let j = i;
    while (j < n && !isWordEnd(text[j])) j++;
    if (j === i) { i++; continue; }
    const word = text.slice(i, j);
    // Only what starts with a digit (or - and a digit) can be a number: the others skip the pattern.
    const first = word.charCodeAt(0);
    const number = first >= 48 && first <= 57 ? powerShellNumber(word) : undefined;
    if (number !== undefined) push({ type: 'number', value: number, line, text: word });
    else if (first === 45 && /^-[0-9]/.test(word) && powerShellNumber(word.slice(1)) !== undefined) {
      push({ type: 'number', value: -powerShellNumber(word.slice(1))!, line, text: word });
    } else {
      pushWord(word);
    }
    i = j;
  }
  if (tokens[tokens.length - 1]?.type !== 'nl') push({ type: 'nl', line });
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
