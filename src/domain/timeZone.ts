/** True for a time zone name this runtime knows (IANA, e.g. "Europe/London"); quiet hours depend on it. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
