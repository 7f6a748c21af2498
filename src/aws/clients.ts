// One EC2 and one SSM client per region, created on first use. Throttling
// (RequestLimitExceeded, ThrottlingException) is retried by the SDK with bounded attempts and
// adaptive rate limiting. Capacity errors are HTTP 5xx on EC2 (server errors), which the
// SDK's standard retry would repeat as transient: the strategy below refuses to, so launch/
// moves to the next pool after one call.
// Endpoints come from the standard environment (AWS_ENDPOINT_URL_EC2, AWS_ENDPOINT_URL_SSM).

import { EC2Client } from '@aws-sdk/client-ec2';
import { SSMClient } from '@aws-sdk/client-ssm';
import { AdaptiveRetryStrategy } from '@smithy/core/retry';
import type {
  RetryErrorInfo,
  RetryStrategyV2,
  RetryToken,
  StandardRetryToken,
} from '@smithy/types';
import { awsErrorCode, CAPACITY_CODES } from './errors.ts';

export interface RegionClients {
  region: string;
  ec2: EC2Client;
  ssm: SSMClient;
}

/** Retry policy for every client: adaptive rate limiting, at most this many attempts per call. */
export const RETRY = { retryMode: 'adaptive', maxAttempts: 10 } as const;

/**
 * The SDK's adaptive strategy, except that an answer meaning "no capacity in this pool" is
 * final: the SDK would retry it as a 5xx (up to `maxAttempts` calls and seconds of backoff
 * per empty pool), where the launch wants the next pool at once.
 */
export class PoolAwareRetryStrategy implements RetryStrategyV2 {
  readonly mode = RETRY.retryMode;
  readonly #inner: AdaptiveRetryStrategy;

  constructor(maxAttempts: number = RETRY.maxAttempts) {
    this.#inner = new AdaptiveRetryStrategy(async () => maxAttempts);
  }

  acquireInitialRetryToken(scope: string): Promise<RetryToken> {
    return this.#inner.acquireInitialRetryToken(scope);
  }

  refreshRetryTokenForRetry(token: RetryToken, info: RetryErrorInfo): Promise<RetryToken> {
    if (info.error && CAPACITY_CODES.has(awsErrorCode(info.error))) {
      return Promise.reject(new Error(`${awsErrorCode(info.error)} is not retried`));
    }
    return this.#inner.refreshRetryTokenForRetry(token as StandardRetryToken, info);
  }

  recordSuccess(token: RetryToken): void {
    this.#inner.recordSuccess(token as StandardRetryToken);
  }
}

function clientConfig(region: string) {
  return { region, maxAttempts: RETRY.maxAttempts, retryStrategy: new PoolAwareRetryStrategy() };
}

export class Clients {
  readonly #byRegion = new Map<string, RegionClients>();

  for(region: string): RegionClients {
    let c = this.#byRegion.get(region);
    if (!c) {
      c = {
        region,
        ec2: new EC2Client(clientConfig(region)),
        ssm: new SSMClient(clientConfig(region)),
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

/** The region the SDK's chain resolves (AWS_REGION, the profile's region), or undefined. */
export async function chainRegion(): Promise<string | undefined> {
  const client = new EC2Client({});
  try {
    return await client.config.region();
  } catch {
    return undefined;
  } finally {
    client.destroy();
  }
}

/** Options for `client.send` that abort with `signal` (when there is one). */
export function abortable(signal: AbortSignal | undefined): { abortSignal?: AbortSignal } {
  return signal ? { abortSignal: signal } : {};
}
