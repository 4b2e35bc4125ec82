/**
 * WCAG 2 contrast of the text colours a card asks for, as Teams draws them. The palette is Teams' light
 * host config (adaptivecards-designer 2.4.4, hostConfigs/microsoft-teams-light.json): default container
 * #ffffff, emphasis #f9f8f7; its "good" (#92c353) and "warning" (#f8d22a) fail on both.
 */
const TEAMS_LIGHT: Record<string, string> = {
  default: '#252424',
  dark: '#252424',
  light: '#ffffff',
  accent: '#6264a7',
  good: '#92c353',
  warning: '#f8d22a',
  attention: '#c4314b',
};
const BACKGROUNDS = { default: '#ffffff', emphasis: '#f9f8f7' };
/** WCAG AA for ordinary text. */
export const AA = 4.5;

function luminance(hex: string): number {
  const [r = 0, g = 0, b = 0] = [1, 3, 5].map((at) => Number.parseInt(hex.slice(at, at + 2), 16) / 255);
  const linear = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

export function contrast(foreground: string, background: string): number {
  const [light, dark] = [luminance(foreground), luminance(background)].sort((a, b) => b - a);
  return ((light ?? 0) + 0.05) / ((dark ?? 0) + 0.05);
}

/** Every text colour in `card` that falls below AA on the container it sits in, as "colour on style". */
export function lowContrastColours(card: unknown, style: 'default' | 'emphasis' = 'default'): string[] {
  if (Array.isArray(card)) return card.flatMap((item) => lowContrastColours(item, style));
  if (typeof card !== 'object' || card === null) return [];
  const element = card as Record<string, unknown>;
  const here = element.style === 'emphasis' ? 'emphasis' : style;
  const found: string[] = [];
  if (typeof element.color === 'string') {
    const colour = TEAMS_LIGHT[element.color.toLowerCase()] ?? TEAMS_LIGHT.default ?? '';
    if (contrast(colour, BACKGROUNDS[here]) < AA) found.push(`${element.color} on ${here}`);
  }
  return [...found, ...Object.values(element).flatMap((value) => lowContrastColours(value, here))];
}
