// Enough of HCL (Terraform and Packer files, .tfvars) to read settings statically: blocks, attributes,
// and expressions as a tree, each with its line. Evaluation lives with the caller, which knows what
// `var.x` or `each.value` means. No npm parser is both small and synchronous: the maintained ones ship
// the Go parser as WebAssembly or GopherJS, megabytes in the bundle.

export type Expr =
  | { kind: 'literal'; value: string | number | boolean | null; line: number }
  | { kind: 'template'; parts: (string | Expr)[]; line: number }
  | { kind: 'tuple'; items: Expr[]; line: number }
  | { kind: 'object'; entries: { key: Expr; value: Expr }[]; line: number }
  | { kind: 'traversal'; root: string; path: (string | Expr)[]; line: number }
  | { kind: 'call'; name: string; args: Expr[]; line: number }
  | { kind: 'operation'; op: string; operands: Expr[]; line: number }
  | { kind: 'unsupported'; text: string; line: number };

export interface Attribute { name: string; value: Expr; line: number }
export interface Block { type: string; labels: string[]; body: Body; line: number }
export interface Body { attributes: Attribute[]; blocks: Block[] }

export class HclError extends Error {
  constructor(message: string, readonly line: number) { super(message); }
}

type Tok = { t: 'ident' | 'number' | 'string' | 'heredoc' | 'punct' | 'nl' | 'eof'; v: string; line: number; parts?: (string | Tok[])[] };

/** Parses a file; throws HclError (with a line) on text that is not HCL. */
export function parseHcl(text: string): Body {
  const p = new Parser(lex(text));
  return p.body(true);
}

/**
 * Interpolations inside strings inside interpolations are lexed again at each level, so their depth
 * bounds the work per character; no real file nests them more than a few times.
 */
const MAX_TEMPLATE_DEPTH = 16;

function lex(text: string, nesting = 0): Tok[] {
  if (nesting > MAX_TEMPLATE_DEPTH) throw new HclError(`interpolations are nested more than ${MAX_TEMPLATE_DEPTH} deep`, 1);
  const out: Tok[] = [];
  let i = 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === '\n') {
      // A run of blank lines is one newline to the parser: one token, the line count kept.
      if (out[out.length - 1]?.t !== 'nl') out.push({ t: 'nl', v: '\n', line });
      line++;
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\uFEFF') { i++; continue; }
    if (c === '#' || (c === '/' && text[i + 1] === '/')) { while (i < n && text[i] !== '\n') i++; continue; }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      for (let k = i; k < stop; k++) if (text[k] === '\n') line++;
      i = stop;
      continue;
    }
    if (c === '<' && text[i + 1] === '<' && /^<<-?[A-Za-z_]/.test(text.slice(i, i + 4))) {
      const m = /^<<(-?)([A-Za-z_][\w]*)\r?\n/.exec(text.slice(i));
      if (m) {
        const start = i + m[0].length;
        const close = closingLine(text, start, m[2]);
        const bodyText = text.slice(start, close ? close.start : n);
        out.push({ t: 'heredoc', v: bodyText, line, parts: templateParts(bodyText, line, false, nesting) });
        const consumed = (close ? close.end : n) - i;
        for (let k = i; k < i + consumed; k++) if (text[k] === '\n') line++;
        i += consumed;
        continue;
      }
    }
    if (c === '"') {
      let j = i + 1;
      let depth = 0;
      while (j < n) {
        if (text[j] === '\\') { j += 2; continue; }
        if ((text[j] === '$' || text[j] === '%') && text[j + 1] === '{') { depth++; j += 2; continue; }
        if (text[j] === '}' && depth > 0) { depth--; j++; continue; }
        if (text[j] === '"' && depth === 0) break;
        if (text[j] === '\n' && depth === 0) throw new HclError('a string is not closed on its line', line);
        j++;
      }
      const raw = text.slice(i + 1, j);
      out.push({ t: 'string', v: raw, line, parts: templateParts(raw, line, true, nesting) });
      i = j + 1;
      continue;
    }
    const num = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 40));
    if (num) { out.push({ t: 'number', v: num[0], line }); i += num[0].length; continue; }
    const id = /^[A-Za-z_][\w-]*/.exec(text.slice(i, i + 200));
    if (id) { out.push({ t: 'ident', v: id[0], line }); i += id[0].length; continue; }
    const two = text.slice(i, i + 2);
    if (['==', '!=', '<=', '>=', '&&', '||', '=>', '...'].includes(two) || two === '..') {
      const v = text.slice(i, i + 3) === '...' ? '...' : two;
      out.push({ t: 'punct', v, line }); i += v.length;
      continue;
    }
    if ('{}[]()=,.:?+-*/%<>!'.includes(c)) { out.push({ t: 'punct', v: c, line }); i++; continue; }
    throw new HclError(`unexpected character ${JSON.stringify(c)}`, line);
  }
  out.push({ t: 'eof', v: '', line });
  return out;
}

/**
 * The heredoc's closing line from `start` on: the delimiter alone, with spaces or tabs around it (and
 * a CR before the newline). Scanned by hand: a pattern with [ \t]* on both sides of the word takes
 * quadratic time on a long line of blanks.
 */
function closingLine(text: string, start: number, word: string): { start: number; end: number } | undefined {
  for (let from = start; from < text.length;) {
    const newline = text.indexOf('\n', from);
    const end = newline < 0 ? text.length : newline;
    let a = from;
    let b = end > from && text[end - 1] === '\r' ? end - 1 : end;
    while (a < b && (text[a] === ' ' || text[a] === '\t')) a++;
    while (b > a && (text[b - 1] === ' ' || text[b - 1] === '\t')) b--;
    if (b - a === word.length && text.startsWith(word, a)) return { start: from, end };
    from = end + 1;
  }
  return undefined;
}

/** A string's literal pieces and the token lists of its ${…} interpolations. */
function templateParts(raw: string, line: number, quoted: boolean, nesting: number): (string | Tok[])[] {
  const parts: (string | Tok[])[] = [];
  let lit = '';
  let i = 0;
  while (i < raw.length) {
    if (quoted && raw[i] === '\\') {
      const e = raw[i + 1];
      lit += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e;
      i += 2;
      continue;
    }
    if ((raw[i] === '$' || raw[i] === '%') && raw[i + 1] === '$' && raw[i + 2] === '{') { lit += raw[i] + '{'; i += 3; continue; }
    if ((raw[i] === '$' || raw[i] === '%') && raw[i + 1] === '{') {
      let depth = 1;
      let j = i + 2;
      while (j < raw.length && depth > 0) { if (raw[j] === '{') depth++; if (raw[j] === '}') depth--; j++; }
      if (lit) parts.push(lit);
      lit = '';
      const inner = raw.slice(i + 2, j - 1);
      // %{ if } directives cannot be read statically: keep them as a marker the evaluator refuses.
      parts.push(raw[i] === '%' ? [{ t: 'punct', v: '%{', line }] : lex(inner, nesting + 1).map((tok) => ({ ...tok, line })));
      i = j;
      continue;
    }
    // Plain text up to the next character that can start an escape or an interpolation, in one piece.
    let j = i + 1;
    while (j < raw.length && raw[j] !== '$' && raw[j] !== '%' && !(quoted && raw[j] === '\\')) j++;
    lit += raw.slice(i, j);
    i = j;
  }
  if (lit || parts.length === 0) parts.push(lit);
  return parts;
}

class Parser {
  private i = 0;
  constructor(private readonly toks: Tok[]) {}

  private peek(offset = 0): Tok { return this.toks[Math.min(this.i + offset, this.toks.length - 1)]; }
  private next(): Tok { return this.toks[Math.min(this.i++, this.toks.length - 1)]; }
  private skipNewlines(): void { while (this.peek().t === 'nl') this.i++; }
  private expect(v: string): Tok {
    const t = this.next();
    if (t.v !== v || (t.t !== 'punct')) throw new HclError(`expected "${v}" but found ${t.t === 'eof' ? 'the end of the file' : JSON.stringify(t.v)}`, t.line);
    return t;
  }

  body(top: boolean): Body {
    const body: Body = { attributes: [], blocks: [] };
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (t.t === 'eof') { if (!top) throw new HclError('a block is not closed with "}"', t.line); return body; }
      if (t.t === 'punct' && t.v === '}') { if (top) throw new HclError('unexpected "}"', t.line); this.i++; return body; }
      if (t.t !== 'ident') throw new HclError(`expected an attribute or a block, found ${JSON.stringify(t.v)}`, t.line);
      this.i++;
      const after = this.peek();
      if (after.t === 'punct' && after.v === '=') {
        this.i++;
        body.attributes.push({ name: t.v, value: this.expression(), line: t.line });
        continue;
      }
      const labels: string[] = [];
      while (this.peek().t === 'string' || this.peek().t === 'ident') labels.push(this.next().v);
      this.expect('{');
      body.blocks.push({ type: t.v, labels, body: this.body(false), line: t.line });
    }
  }

  expression(): Expr {
    const cond = this.binary(0);
    if (this.peek().t === 'punct' && this.peek().v === '?') {
      this.i++;
      const a = this.expression();
      this.expect(':');
      const b = this.expression();
      return { kind: 'operation', op: '?:', operands: [cond, a, b], line: cond.line };
    }
    return cond;
  }

  private static readonly PRECEDENCE: Record<string, number> = { '||': 1, '&&': 2, '==': 3, '!=': 3, '<': 4, '>': 4, '<=': 4, '>=': 4, '+': 5, '-': 5, '*': 6, '/': 6, '%': 6 };

  private binary(min: number): Expr {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      const prec = t.t === 'punct' ? Parser.PRECEDENCE[t.v] : undefined;
      if (prec === undefined || prec <= min) return left;
      this.i++;
      const right = this.binary(prec);
      left = { kind: 'operation', op: t.v, operands: [left, right], line: left.line };
    }
  }

  private unary(): Expr {
    const t = this.peek();
    if (t.t === 'punct' && (t.v === '-' || t.v === '!')) {
      this.i++;
      return { kind: 'operation', op: t.v === '-' ? 'neg' : '!', operands: [this.unary()], line: t.line };
    }
    return this.postfix(this.primary());
  }

  private postfix(e: Expr): Expr {
    for (;;) {
      const t = this.peek();
      if (t.t === 'punct' && t.v === '.' && (this.peek(1).t === 'ident' || this.peek(1).t === 'number')) {
        this.i++;
        const key = this.next().v;
        e = e.kind === 'traversal' ? { ...e, path: [...e.path, key] } : { kind: 'operation', op: 'index', operands: [e, { kind: 'literal', value: key, line: t.line }], line: e.line };
        continue;
      }
      if (t.t === 'punct' && t.v === '[') {
        this.i++;
        this.skipNewlines();
        if (this.peek().v === '*') { this.i++; this.expect(']'); e = { kind: 'unsupported', text: 'a splat expression', line: t.line }; continue; }
        const index = this.expression();
        this.skipNewlines();
        this.expect(']');
        e = e.kind === 'traversal' ? { ...e, path: [...e.path, index] } : { kind: 'operation', op: 'index', operands: [e, index], line: e.line };
        continue;
      }
      return e;
    }
  }

  private primary(): Expr {
    const t = this.next();
    switch (t.t) {
      case 'number': return { kind: 'literal', value: Number(t.v), line: t.line };
      case 'string': case 'heredoc': return this.template(t);
      case 'ident': {
        if (t.v === 'true' || t.v === 'false') return { kind: 'literal', value: t.v === 'true', line: t.line };
        if (t.v === 'null') return { kind: 'literal', value: null, line: t.line };
        if (this.peek().t === 'punct' && this.peek().v === '(') {
          this.i++;
          const args: Expr[] = [];
          this.skipNewlines();
          while (!(this.peek().t === 'punct' && this.peek().v === ')')) {
            args.push(this.expression());
            this.skipNewlines();
            if (this.peek().v === ',' || this.peek().v === '...') this.i++;
            this.skipNewlines();
            if (this.peek().t === 'eof') throw new HclError('a function call is not closed with ")"', t.line);
          }
          this.i++;
          return { kind: 'call', name: t.v, args, line: t.line };
        }
        return { kind: 'traversal', root: t.v, path: [], line: t.line };
      }
      case 'punct':
        if (t.v === '(') { const e = this.expression(); this.skipNewlines(); this.expect(')'); return e; }
        if (t.v === '[') return this.collection(t, ']');
        if (t.v === '{') return this.collection(t, '}');
        break;
    }
    throw new HclError(`expected a value, found ${t.t === 'eof' ? 'the end of the file' : JSON.stringify(t.v)}`, t.line);
  }

  private collection(open: Tok, close: string): Expr {
    this.skipNewlines();
    if (this.peek().t === 'ident' && this.peek().v === 'for') {
      let depth = 1;
      while (depth > 0 && this.peek().t !== 'eof') { const t = this.next(); if (t.v === '[' || t.v === '{') depth++; if (t.v === ']' || t.v === '}') depth--; }
      return { kind: 'unsupported', text: 'a for expression', line: open.line };
    }
    const items: Expr[] = [];
    const entries: { key: Expr; value: Expr }[] = [];
    for (;;) {
      this.skipNewlines();
      if (this.peek().t === 'punct' && this.peek().v === close) { this.i++; break; }
      if (this.peek().t === 'eof') throw new HclError(`"${open.v}" is not closed with "${close}"`, open.line);
      if (close === ']') items.push(this.expression());
      else {
        const keyTok = this.peek();
        const key: Expr = keyTok.t === 'ident' && (this.peek(1).v === '=' || this.peek(1).v === ':')
          ? (this.i++, { kind: 'literal', value: keyTok.v, line: keyTok.line })
          : this.expression();
        const sep = this.next();
        if (sep.v !== '=' && sep.v !== ':') throw new HclError('expected "=" in an object', sep.line);
        entries.push({ key, value: this.expression() });
      }
      this.skipNewlines();
      if (this.peek().t === 'punct' && this.peek().v === ',') this.i++;
    }
    return close === ']' ? { kind: 'tuple', items, line: open.line } : { kind: 'object', entries, line: open.line };
  }

  private template(t: Tok): Expr {
    const parts = (t.parts ?? [t.v]).map((p) => {
      if (typeof p === 'string') return p;
      if (p.length === 1 && p[0].v === '%{') return { kind: 'unsupported', text: 'a template directive', line: t.line } as Expr;
      const sub = new Parser([...p, { t: 'eof', v: '', line: t.line }]);
      return sub.expression();
    });
    if (parts.length === 1 && typeof parts[0] === 'string') return { kind: 'literal', value: parts[0], line: t.line };
    return { kind: 'template', parts, line: t.line };
  }
}

/** How many nodes an expression has: the work of evaluating it once. */
export function exprSize(e: Expr): number {
  switch (e.kind) {
    case 'template': return e.parts.reduce((n: number, p) => n + (typeof p === 'string' ? 1 : exprSize(p)), 1);
    case 'tuple': return e.items.reduce((n, x) => n + exprSize(x), 1);
    case 'object': return e.entries.reduce((n, x) => n + exprSize(x.key) + exprSize(x.value), 1);
    case 'traversal': return e.path.reduce((n: number, p) => n + (typeof p === 'string' ? 1 : exprSize(p)), 1);
    case 'call': return e.args.reduce((n, x) => n + exprSize(x), 1);
    case 'operation': return e.operands.reduce((n, x) => n + exprSize(x), 1);
    default: return 1;
  }
}

/** The source text of an expression, for notes ("var.memory * 2"). */
export function exprText(e: Expr): string {
  switch (e.kind) {
    case 'literal': return typeof e.value === 'string' ? JSON.stringify(e.value) : String(e.value);
    case 'template': return `"${e.parts.map((p) => (typeof p === 'string' ? p : `\${${exprText(p)}}`)).join('')}"`;
    case 'tuple': return `[${e.items.map(exprText).join(', ')}]`;
    case 'object': return `{ ${e.entries.map((x) => `${exprText(x.key)} = ${exprText(x.value)}`).join(', ')} }`;
    case 'traversal': return e.root + e.path.map((p) => (typeof p === 'string' ? `.${p}` : `[${exprText(p)}]`)).join('');
    case 'call': return `${e.name}(${e.args.map(exprText).join(', ')})`;
    case 'operation':
      if (e.op === '?:') return `${exprText(e.operands[0])} ? ${exprText(e.operands[1])} : ${exprText(e.operands[2])}`;
      if (e.op === 'neg') return `-${exprText(e.operands[0])}`;
      if (e.op === '!') return `!${exprText(e.operands[0])}`;
      if (e.op === 'index') return `${exprText(e.operands[0])}[${exprText(e.operands[1])}]`;
      return `${exprText(e.operands[0])} ${e.op} ${exprText(e.operands[1])}`;
    case 'unsupported': return e.text;
  }
}
