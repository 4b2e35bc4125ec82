/**
 * Something the person asked for cannot be done as asked. It carries a message key and its values (from
 * the locale files), so the one error handler can answer politely in the person's language. Nothing has
 * been saved when it is thrown.
 */
export class UserInputError extends Error {
  override name = 'UserInputError';
  constructor(
    readonly messageKey: string,
    readonly values: Readonly<Record<string, string | number>>,
  ) {
    super(messageKey);
  }
}

/** One problem with one field of a form, as a message key and its values, shown beside the field. */
export interface FieldError {
  key: string;
  values: Record<string, string | number>;
}
