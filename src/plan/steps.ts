// The remote steps: shell scripts sent with SSM AWS-RunShellScript, in order.
// (First version; the full rendering is its own piece of work.)

import type { Deployment } from '../manifest/model.ts';
import type { RemoteStep } from './types.ts';

export interface StepOptions {
  secretNames: string[];
}

export async function renderSteps(
  _deployment: Deployment,
  _opts: StepOptions,
): Promise<RemoteStep[]> {
  return [];
}
