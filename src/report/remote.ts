// The action's report of a command run on the instances (logs, exec): each instance's
// output in a collapsed group, the deployment-id output, and a table in the job summary.

import * as core from '../runner.ts';
import type { RemoteResult } from '../operate/remote.ts';
import { table, writeSummary } from './summary.ts';

export async function reportRemote(
  what: string,
  deploymentId: string,
  results: readonly RemoteResult[],
  columns: {
    title: (r: RemoteResult) => string;
    header: string[];
    row: (r: RemoteResult) => string[];
  },
): Promise<void> {
  for (const r of results) {
    await core.group(columns.title(r), async () => {
      if (r.stdout) core.info(r.stdout.trimEnd());
      if (r.stderr.trim()) core.info(r.stderr.trimEnd());
    });
  }
  core.setOutput('deployment-id', deploymentId);
  await writeSummary(
    [
      `## Spot ${what} \`${deploymentId}\``,
      '',
      table(
        ['instance', 'region', ...columns.header],
        results.map((r) => [r.instanceId, r.region, ...columns.row(r)]),
      ),
      '',
    ].join('\n'),
  );
}
