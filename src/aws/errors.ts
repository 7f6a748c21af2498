// Reading AWS errors: the SDK surfaces a service error's code as `name` (EC2's Query
// protocol puts it in <Code>, SSM's JSON protocol in __type).

import { ActionError, errorMessage } from '../diagnostics.ts';

/** EC2 error codes that mean "this pool has no room now": move on to the next pool. */
export const CAPACITY_CODES: ReadonlySet<string> = new Set([
  'InsufficientInstanceCapacity',
  'UnfulfillableCapacity',
  'MaxSpotInstanceCountExceeded',
  'SpotMaxPriceTooLow',
  'InsufficientCapacity',
  'InsufficientFreeAddressesInSubnet',
]);

export function awsErrorCode(err: unknown): string {
  if (typeof err === 'object' && err !== null) {
    const e = err as { Code?: unknown; code?: unknown; name?: unknown };
    for (const v of [e.Code, e.code, e.name]) {
      if (typeof v === 'string' && v !== '' && v !== 'Error') return v;
    }
  }
  return 'Error';
}

/** Codes AWS answers when a caller sends too many requests (EC2, SSM and the SDK's own). */
export const THROTTLING_CODES: ReadonlySet<string> = new Set([
  'RequestLimitExceeded',
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
]);

/** Still throttled after the SDK's retries: a poll can simply ask again at its next turn. */
export function isThrottlingError(err: unknown): boolean {
  return THROTTLING_CODES.has(awsErrorCode(err));
}

export function isCapacityError(err: unknown): boolean {
  return CAPACITY_CODES.has(awsErrorCode(err));
}

export function isAbortError(err: unknown): boolean {
  return (
    typeof err === 'object' &&
    err !== null &&
    ((err as { name?: unknown }).name === 'AbortError' ||
      (err as { code?: unknown }).code === 'ABORT_ERR')
  );
}

/** "Code: message" (or just the message when the code adds nothing). */
export function describeAwsError(err: unknown): string {
  const code = awsErrorCode(err);
  const msg = errorMessage(err);
  return code === 'Error' || msg.startsWith(code) ? msg : `${code}: ${msg}`;
}

/** A deploy, destroy or status that cannot complete; the message is for the user as it is
 * (an ActionError of kind `deploy`). */
export class DeployError extends ActionError {
  constructor(message: string) {
    super('deploy', message);
    this.name = 'DeployError';
  }
}
