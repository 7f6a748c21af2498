// Post-step cleanup (dist/cleanup/index.js, `post-if: always()`): when this job's deploy did
// not finish healthy (failed, cancelled, crashed), terminate every instance tagged with this
// run's id in the regions it launched in, plus every id it recorded, unless keep-failed.
// Instances are found by tags, so even a launch whose answer never arrived is cleaned up.

import * as core from './runner.ts';
import { errorMessage } from './diagnostics.ts';
import { STATE, parseLaunched, parseRunRecord } from './launch/state.ts';

export async function runCleanup(): Promise<void> {
  try {
    const run = parseRunRecord(core.getState(STATE.run));
    if (!run) {
      core.info('spot-deployer: nothing launched by this run; no cleanup needed.');
      return;
    }
    if (core.getState(STATE.result) === 'success') {
      core.info(
        `spot-deployer: the deploy of ${run.deploymentId} finished healthy; nothing to clean up.`,
      );
      return;
    }
    const launched = parseLaunched(core.getState(STATE.launched));
    const regions = [...new Set([...run.regions, ...Object.keys(launched)])];
    if (run.keepFailed) {
      const ids = Object.values(launched).flat();
      core.warning(
        `spot-deployer: the deploy of ${run.deploymentId} did not finish; keep-failed is set, so ` +
          `${ids.length > 0 ? `instances ${ids.join(', ')} are` : 'its instances are'} left running. ` +
          `Remove them with command: destroy.`,
      );
      return;
    }
    const [{ actionHost }, { destroyTagged }] = await Promise.all([
      import('./action-host.ts'),
      import('./destroy/destroy.ts'),
    ]);
    const host = actionHost();
    try {
      const res = await core.group(`Clean up run ${run.runId} of ${run.deploymentId}`, () =>
        destroyTagged(
          {
            clientsFor: host.clientsFor,
            log: { info: core.info, warning: core.warning, group: (_t, fn) => fn() },
            clock: host.clock,
            poll: host.poll.instances,
            timeoutMs: 300_000,
          },
          regions,
          { deploymentId: run.deploymentId, runId: run.runId },
          launched,
        ),
      );
      if (res.terminated.length === 0) {
        core.info(
          `spot-deployer: no instance of run ${run.runId} is left in ${regions.join(', ')}.`,
        );
      } else {
        core.info(
          `spot-deployer: the deploy did not finish; terminated ${res.terminated.length} instance${res.terminated.length === 1 ? '' : 's'} of run ${run.runId}: ${res.terminated.join(', ')}.`,
        );
      }
      if (res.remaining.length > 0) {
        core.setFailed(
          `spot-deployer: ${res.remaining.map((r) => `${r.id} (${r.region}, ${r.state})`).join(', ')} not terminated yet; run command: destroy`,
        );
      }
    } finally {
      host.close();
    }
  } catch (err) {
    core.setFailed(
      `spot-deployer cleanup failed: ${errorMessage(err)}; run command: destroy to remove what is left`,
    );
  }
}
