import diagnosticsChannel from 'node:diagnostics_channel';

/** What claims the socket its request is written to. */
export interface SocketClaimant {
  readonly method: string;
  readonly path: string;
  /** Called with the socket, right before the request's first byte is written to it. */
  onSocket(socket: object): void;
}

/** The message undici publishes on `undici:client:sendHeaders`. */
interface SendHeadersMessage {
  readonly request: { readonly method?: unknown; readonly path?: unknown };
  readonly socket: object;
}

/** undici publishes this right before writing a request's headers to its socket. */
const SEND_HEADERS = 'undici:client:sendHeaders';

let holders = 0;
let expecting: SocketClaimant | undefined;

/**
 * undici calls a handler's `onRequestStart` and then, synchronously in the same function, publishes
 * `undici:client:sendHeaders` with the request and its socket. The claimant set in between is
 * the request being written; method and path are checked as well.
 */
function onSendHeaders(message: unknown): void {
  const claimant = expecting;
  expecting = undefined;
  if (claimant === undefined) return;
  const { request, socket } = message as SendHeadersMessage;
  if (request.method === claimant.method && request.path === claimant.path) claimant.onSocket(socket);
}

/**
 * Subscribes to undici's `sendHeaders` channel (once per process, however many collectors hold
 * it). Returns the release function; the last release unsubscribes.
 */
export function holdSocketLink(): () => void {
  if (holders++ === 0) diagnosticsChannel.subscribe(SEND_HEADERS, onSendHeaders);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--holders === 0) {
      diagnosticsChannel.unsubscribe(SEND_HEADERS, onSendHeaders);
      expecting = undefined;
    }
  };
}

/** Called from a handler's `onRequestStart`: the next `sendHeaders` message is for `claimant`. */
export function expectSocket(claimant: SocketClaimant): void {
  expecting = claimant;
}
