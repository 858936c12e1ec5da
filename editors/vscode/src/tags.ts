// Auto-closing of XML tags, which a language configuration cannot express
// (VS Code's built-in XML support does not close tags either). No `vscode`
// import: unit-tested with plain node.

const OPEN_TAG_AT_END = /<([A-Za-z_][\w.:-]*)(?:\s+[^<>]*?)?>$/;

/**
 * Given the text of a line before the cursor, just after a typed `>`, and
 * the text after the cursor, returns the closing tag to insert after the
 * cursor, or undefined: not after `</x>`, `<x/>`, `<?xml …?>`, `<!-- … -->`
 * or `<!DOCTYPE …>`, and not when the same closing tag already follows.
 */
export function closingTag(before: string, after: string): string | undefined {
  if (before.endsWith('/>')) return undefined;
  const m = OPEN_TAG_AT_END.exec(before);
  if (!m) return undefined;
  // Inside a comment the `<x>` is text.
  if (before.lastIndexOf('<!--') > before.lastIndexOf('-->')) return undefined;
  const close = `</${m[1]}>`;
  if (after.trimStart().startsWith(close)) return undefined;
  return close;
}
