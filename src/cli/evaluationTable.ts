import type { Evaluation, LabelledComment, Prediction } from '../analysis/evaluation.js';

const figure = (value: number) => value.toFixed(2);

/**
 * The figures as `npm run eval:themes` has always printed them (its lines are unchanged), then the
 * safeguarding counts behind them, false alarms included.
 */
export function evaluationTable(result: Evaluation): string[] {
  const lines: string[] = [];
  const { themes, safeguarding: s } = result;
  if (themes === undefined) {
    lines.push('themes not scored: no comment has a theme label');
  } else {
    if (themes.labelled < result.comments) {
      lines.push(`themes scored on the ${themes.labelled} of ${result.comments} comments with a theme label`);
    }
    lines.push(`${'theme'.padEnd(24)}precision  recall  f1    support`);
    for (const t of themes.perTheme) {
      lines.push(
        `${t.theme.padEnd(24)}${figure(t.precision).padEnd(11)}${figure(t.recall).padEnd(8)}${figure(t.f1).padEnd(6)}${t.support}`,
      );
    }
    lines.push(`macro-F1 ${figure(themes.macroF1)}   accuracy ${figure(themes.accuracy)}`);
  }
  lines.push(
    `safeguarding precision ${figure(s.precision)} recall ${figure(s.recall)} (${s.support} disclosures)`,
    `  ${s.found} of ${s.support} disclosures flagged; ${s.falseAlarms} of ${s.others} other comments flagged (false-alarm rate ${figure(s.falseAlarmRate)})`,
    ...s.byKind.map(
      (k) =>
        `    ${k.kind}: ${k.falseAlarms} of ${k.others} flagged (false-alarm rate ${figure(k.falseAlarmRate)})`,
    ),
  );
  return lines;
}

const label = (theme: string | undefined, safeguarding: boolean) =>
  `${theme ?? '(no theme)'}${safeguarding ? '+SG' : ''}`;

/**
 * One line per misread comment, with its words: only ever printed when someone asks (`--errors`), since a
 * labelled file may hold real staff comments. Line breaks and control characters become spaces, so that a
 * comment can neither spread over the listing nor send escape codes to the terminal.
 */
export function misreadLines(misread: readonly { truth: LabelledComment; guess: Prediction }[]): string[] {
  return misread.map(
    ({ truth, guess }) =>
      `  line ${truth.line}: ${label(truth.theme, truth.safeguarding)} -> ${label(guess.theme, guess.safeguarding)}: ${oneLine(truth.text)}`,
  );
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const oneLine = (text: string) => text.replace(/[\s\u0000-\u001f\u007f-\u009f]+/g, ' ');
