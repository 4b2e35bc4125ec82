/**
 * A request refused at the HTTP edge, before any turn runs: the caller sent something Huddle does not
 * accept (wrong encoding, too large, too slow, not an activity, off loopback in local mode, a bad token).
 * It carries what the caller is told; nothing in it comes from the request, so it is safe to send back.
 */
export class EdgeRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
  ) {
    super(`${code}: ${detail}`);
    this.name = 'EdgeRefusal';
  }

  body(): { error: string; message: string } {
    return { error: this.code, message: this.detail };
  }
}
