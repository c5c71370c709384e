// The HTML around the timeline page, for its two homes: the editor's panel (script by URL) and the
// standalone page of `hvmem simulate --html` (script and data inline). Both get a Content-Security-
// Policy that lets only the nonce'd script and style run; plan text never goes into this HTML.
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface Shell {
  nonce: string;
  title: string;
  /** extra CSP sources for images (the PNG export draws through data: URLs) */
  imgSrc: string;
  /** trusted markup placed after <main id="timeline">: the script elements */
  body: string;
}

export function shellHtml(s: Shell): string {
  const csp = `default-src 'none'; script-src 'nonce-${s.nonce}'; style-src 'nonce-${s.nonce}'; img-src ${s.imgSrc}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(s.title)}</title>
</head>
<body>
<main id="timeline"></main>
${s.body}
</body>
</html>
`;
}
