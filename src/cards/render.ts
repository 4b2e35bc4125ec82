import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ACData from 'adaptivecards-templating';
import { cardsDir } from '../paths.js';
import { shownLiterally } from './literalText.js';

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
