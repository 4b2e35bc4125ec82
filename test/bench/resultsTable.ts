/**
 * The table `npm run bench` keeps in RESULTS.md: the first Markdown table after `heading`. A new row goes
 * after the table's last row, so the sections written by hand around it stay where they are.
 */
export function appendRow(markdown: string, heading: string, cells: readonly string[]): string {
  const lines = markdown.split('\n');
  const at = lines.findIndex((line) => line.trim() === heading);
  if (at === -1) throw new Error(`RESULTS.md has no "${heading}" section`);
  const first = lines.findIndex((line, i) => i > at && line.startsWith('|'));
  if (first === -1) throw new Error(`the "${heading}" section has no table`);
  let last = first;
  while (lines[last + 1]?.startsWith('|')) last++;
  const row = `| ${cells.map((cell) => cell.replaceAll('|', '\\|')).join(' | ')} |`;
  return [...lines.slice(0, last + 1), row, ...lines.slice(last + 1)].join('\n');
}
