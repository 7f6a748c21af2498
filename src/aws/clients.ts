// One EC2 and one SSM client per region, created on first use. Throttling
// (RequestLimitExceeded, ThrottlingException) is retried by the SDK with bounded attempts;
// capacity errors are not retryable for the SDK and are handled by launch/ itself.
// Endpoints come from the standard environment (AWS_ENDPOINT_URL_EC2, AWS_ENDPOINT_URL_SSM).

import { EC2Client } from '@aws-sdk/client-ec2';
import { SSMClient } from '@aws-sdk/client-ssm';

export interface RegionClients {
  region: string;
  ec2: EC2Client;
  ssm: SSMClient;
}

/** Retry policy for every client: adaptive rate limiting, at most this many attempts per call. */
export const RETRY = { retryMode: 'adaptive', maxAttempts: 10 } as const;

export class Clients {
  readonly #byRegion = new Map<string, RegionClients>();

  for(region: string): RegionClients {
    let c = this.#byRegion.get(region);
    if (!c) {
      c = {
        region,
        ec2: new EC2Client({ region, ...RETRY }),
        ssm: new SSMClient({ region, ...RETRY }),
      };
      this.#byRegion.set(region, c);
    }
    return c;
  }

  /** Closes the HTTP agents so the process can exit. */
  close(): void {
    for (const c of this.#byRegion.values()) {
      c.ec2.destroy();
      c.ssm.destroy();
    }
    this.#byRegion.clear();
  }
}

/** Options for `client.send` that abort with `signal` (when there is one). */
export function abortable(signal: AbortSignal | undefined): { abortSignal?: AbortSignal } {
  return signal ? { abortSignal: signal } : {};
}
