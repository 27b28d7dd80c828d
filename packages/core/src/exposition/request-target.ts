/**
 * The request target (`request.url`) as a URL, or undefined when it is not one. Node's HTTP
 * parser lets through targets that `new URL()` refuses (`GET //`, `GET //:x`): parsing them
 * unguarded threw ERR_INVALID_URL inside the request listener, which kills the host process.
 */
export function parseRequestTarget(target: string | undefined): URL | undefined {
  try {
    return new URL(target ?? '/', 'http://localhost');
  } catch {
    return undefined;
  }
}
