/**
 * Text as it was typed, for anything Teams reads as Markdown: card TextBlocks and facts, and plain message
 * text too. Its processor, and the Playground's, takes "<new>" in "the <new> system logs me out" or "Mrs
 * <name> was left" for an HTML tag and drops it. Every angle bracket becomes its single-quote look-alike, as
 * help's ‹placeholders› do, rather than only those the Playground happens to treat as a tag ("<3" survives
 * there): which ones a client drops is its parser's business, and ‹ › read the same in all of them.
 * Backslash escapes would keep the very characters but show as "\<" in a client that does not take them. A
 * Markdown link, "[the new rota](https://…)", would show only its words and hide where it goes, in an
 * anonymous comment too: a space after "]" leaves it as typed text, its address in view (Huddle's own words
 * never hold such links, nor angle brackets, so applying this to a whole message changes only what was typed).
 */
export const shownLiterally = (text: string) =>
  text.replace(/</g, '‹').replace(/>/g, '›').replace(/\]\(/g, '] (');
