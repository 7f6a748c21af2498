// The action's report of a command run on the instances (logs, exec): each instance's
// output in a collapsed group, the deployment-id output, and a table in the job summary.

import type { Host } from '../host.ts';
import { table } from '../report/summary.ts';
import type { RemoteResult } from './remote.ts';

export async function reportRemote(
  host: Pick<Host, 'log' | 'output' | 'summary'>,
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
    await host.log.group(columns.title(r), async () => {
      if (r.stdout) host.log.info(r.stdout.trimEnd());
      if (r.stderr.trim()) host.log.info(r.stderr.trimEnd());
    });
  }
  host.output('deployment-id', deploymentId);
  await host.summary(
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
