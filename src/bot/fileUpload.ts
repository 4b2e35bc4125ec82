/**
 * Puts a file where Teams said to after the person allowed it (the `uploadUrl` of an accepted file consent
 * card: an upload session in their OneDrive). One PUT of the whole file, as Teams documents for files
 * this small. The answer is an outcome, not an exception: OneDrive saying no is something to tell the
 * person, not a bug.
 */
export type UploadOutcome = { ok: true } | { ok: false; reason: string };

const UPLOAD_TIMEOUT_MS = 10_000;

export async function uploadFile(uploadUrl: string, content: Uint8Array): Promise<UploadOutcome> {
  try {
    const response = await fetch(uploadUrl, {
      method: 'PUT',
      headers: { 'content-range': `bytes 0-${content.byteLength - 1}/${content.byteLength}` },
      body: content,
      signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
    });
    await response.body?.cancel();
    return response.ok ? { ok: true } : { ok: false, reason: `HTTP ${response.status}` };
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
    return { ok: false, reason: timedOut ? 'no answer in 10 s' : (error as Error).message };
  }
}

/**
 * Teams hands out https upload sessions; plain http is accepted only on this machine, where the tests'
 * stand-in for Teams listens. Anything else would let a forged consent make Huddle write elsewhere.
 */
export function isUploadUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (
      url.protocol === 'https:' ||
      (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname))
    );
  } catch {
    return false;
  }
}
