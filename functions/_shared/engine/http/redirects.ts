// Redirects of vendor requests, pure: fetch runs with redirect "manual" and the client asks here
// what a 3xx means. Only a redirect on the API's own origin is followed (each hop checked again,
// at most MAX_REDIRECTS), so the credentials a request carries never reach another origin.

/** Hops followed for one request before it fails. */
export const MAX_REDIRECTS = 5;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** The request to send after a redirect. */
export interface RedirectHop {
  url: string;
  method: string;
  /** false: the body is dropped (303, and 301/302 of a POST become a GET, as fetch does). */
  keepBody: boolean;
}

/** Why a redirect is not followed: the text of the request's error (no Location detail beyond its origin). */
export class RedirectRefused extends Error {}

export function isRedirect(status: number): boolean {
  return REDIRECT_STATUSES.has(status);
}

/**
 * The next hop of a redirect answer, or RedirectRefused when it leaves `origin` (the API's
 * origin: scheme, host and port), has no usable Location, or exceeds the hop limit. `hops` is the
 * number of redirects followed before this one.
 */
export function nextHop(
  init: {
    status: number;
    location: string | null;
    from: string;
    method: string;
    origin: string;
    hops: number;
  },
): RedirectHop {
  const { status, location, from, method, origin, hops } = init;
  if (location === null || location.trim() === "") {
    throw new RedirectRefused(`redirect ${status} without a Location header`);
  }
  let to: URL;
  try {
    to = new URL(location, from);
  } catch {
    throw new RedirectRefused(`redirect ${status} to an invalid Location`);
  }
  if (to.origin !== origin) {
    throw new RedirectRefused(
      `redirect ${status} to another origin (${to.protocol}//${to.host}) refused: the request's credentials are only sent to ${origin}`,
    );
  }
  if (hops >= MAX_REDIRECTS) {
    throw new RedirectRefused(`more than ${MAX_REDIRECTS} redirects: refused`);
  }
  const toGet = status === 303 || ((status === 301 || status === 302) && method === "POST");
  return { url: to.href, method: toGet && method !== "HEAD" ? "GET" : method, keepBody: !toGet };
}
