import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ACData from 'adaptivecards-templating';
import { cardsDir } from '../paths.js';

/** An expanded Adaptive Card, ready to attach to a message or return from Action.Execute. */
export interface Card {
  type: 'AdaptiveCard';
  [property: string]: unknown;
}

const templates = new Map<string, ACData.Template>();

/**
 * Expands `/cards/<name>.json` with `data`. Templates are read once: they are plain files a designer can
 * edit, and re-reading them on every message would put disk I/O on the hot path.
 */
export function expandTemplate(name: string, data: object): Card {
  let template = templates.get(name);
  if (template === undefined) {
    template = new ACData.Template(JSON.parse(readFileSync(join(cardsDir, `${name}.json`), 'utf8')));
    templates.set(name, template);
  }
  return withLiteralText(withoutEmptyNumbers(template.expand({ $root: data }))) as Card;
}

/**
 * Text as it was typed, for card text that Teams reads as Markdown (TextBlocks and facts). Its processor,
 * and the Playground's, takes "<new>" in "the <new> system logs me out" or "Mrs <name> was left" for an
 * HTML tag and drops it. Every angle bracket becomes its single-quote look-alike, as help's ‹placeholders›
 * do, rather than only those the Playground happens to treat as a tag ("<3" survives there): which ones a
 * client drops is its parser's business, and ‹ › read the same in all of them. Backslash escapes would keep
 * the very characters but show as "\<" in a client that does not take them. A Markdown link, "[the new
 * rota](https://…)", would show only its words and hide where it goes, in an anonymous comment too: a space
 * after "]" leaves it as typed text, its address in view (Huddle's own words never hold such links).
 */
const shownLiterally = (text: string) => text.replace(/</g, '‹').replace(/>/g, '›').replace(/\]\(/g, '] (');

/**
 * Applies `shownLiterally` to all a card shows as Markdown, here once rather than in each render function,
 * so no name, comment, action or title that someone typed can be missed. Inputs, choices and action data
 * are left alone: a form filled in from stored text must send back exactly that text, and the Playground
 * shows input labels and button titles as they are.
 */
function withLiteralText(node: unknown, isFact = false): unknown {
  if (Array.isArray(node)) return node.map((item) => withLiteralText(item, isFact));
  if (typeof node !== 'object' || node === null) return node;
  const record = node as Record<string, unknown>;
  const markdown = record.type === 'TextBlock' ? ['text'] : isFact ? ['title', 'value'] : [];
  return Object.fromEntries(
    Object.entries(record).map(([key, value]) => [
      key,
      typeof value === 'string' && markdown.includes(key)
        ? shownLiterally(value)
        : withLiteralText(value, record.type === 'FactSet' && key === 'facts'),
    ]),
  );
}

/**
 * Leaves out the `value` of a number input that has none: the template can only write `""`, and some
 * clients show that as 0, so an empty box (an objective's "Now", say) would look filled in.
 */
function withoutEmptyNumbers(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutEmptyNumbers);
  if (typeof node !== 'object' || node === null) return node;
  const entries = Object.entries(node).filter(
    ([key, value]) =>
      !(key === 'value' && value === '' && (node as { type?: unknown }).type === 'Input.Number'),
  );
  return Object.fromEntries(entries.map(([key, value]) => [key, withoutEmptyNumbers(value)]));
}
