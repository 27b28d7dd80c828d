/** A command-line or configuration mistake: the message is shown and the demo exits with code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
