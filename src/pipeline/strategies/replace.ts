// strategy replace (the default): launch a new set; once it is healthy, terminate the
// previous set, going on once EC2 has it shutting-down (no longer billed; shutting-down to
// terminated is EC2's own work). While the deploy runs, and after it fails, the previous set
// serves.

import { instanceRecord } from '../../report/outputs.ts';
import { previousSet, retire } from './retire.ts';
import { launchHooks, plural, type RedeployStrategy } from './strategy.ts';

export const replace: RedeployStrategy = {
  name: 'replace',
  prepare: async () => ({ notes: [] }),
  hooks: launchHooks,
  async retire(s, launched) {
    if (s.found.length === 0) return [];
    return [
      await s.ctx.log.group('Terminate the previous instances (strategy replace)', async () =>
        retire(s.ctx, await previousSet(s.ctx, launched), 'replace', 'shutting-down'),
      ),
    ];
  },
  serving: (s) => ({
    records: s.found.map((f) => instanceRecord(f, 'unknown')),
    notes:
      s.found.length > 0 ? [`replace: the previous ${plural(s.found.length)} keep serving`] : [],
  }),
};
