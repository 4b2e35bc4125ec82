import type { IncomingHttpHeaders } from 'node:http';
import { EdgeRefusal } from './edgeRefusal.js';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * Local mode authenticates nobody, so it must take only what a Teams client on this machine (Agents
 * Playground, a test) sends, never what a web page in the manager's browser can make it do: a page's
 * request carries an `Origin`, and a DNS-rebinding page reaches loopback under its own `Host` name.
 */
export function checkLocalHeaders(headers: IncomingHttpHeaders, port: number): void {
  if (headers.origin !== undefined) {
    throw new EdgeRefusal(403, 'origin_refused', 'local mode does not take requests from web pages');
  }
  const host = (headers.host ?? '').toLowerCase();
  const separator = host.lastIndexOf(':');
  const name = separator === -1 ? host : host.slice(0, separator);
  const hostPort = separator === -1 ? Number.NaN : Number(host.slice(separator + 1));
  if (!LOOPBACK_HOSTS.has(name) || hostPort !== port) {
    throw new EdgeRefusal(403, 'host_refused', `local mode answers only at 127.0.0.1:${port}`);
  }
}

/**
 * Replies go to the activity's `serviceUrl`; in local mode that must be a connector on this machine, or a
 * forged activity could have Huddle post what it holds (a comments list) to any address.
 */
export function checkLocalServiceUrl(serviceUrl: string): void {
  if (!LOOPBACK_HOSTS.has(hostnameOf(serviceUrl))) {
    throw new EdgeRefusal(400, 'service_url_refused', 'local mode replies only to a serviceUrl on loopback');
  }
}

function hostnameOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return '';
  }
}
