// Post-step cleanup: after a failed or cancelled deploy, terminate whatever that run
// launched (found by its run tag). Until deploy exists there is nothing to clean.

import * as core from '@actions/core';

export async function runCleanup(): Promise<void> {
  const launched = core.getState('launched');
  if (launched === '') {
    core.info('spot-deployer: nothing launched by this run; no cleanup needed.');
  }
}
