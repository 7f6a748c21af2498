// strategy recreate: terminate the previous set first, then launch. Nothing serves while
// the deploy runs, nor after it fails; two sets never run side by side.

import { launchHooks, type RedeployStrategy } from './strategy.ts';
import { retire } from './retire.ts';

export const recreate: RedeployStrategy = {
  name: 'recreate',
  async prepare(s) {
    if (s.found.length === 0) return { notes: [] };
    const line = await s.ctx.log.group('Terminate the previous instances (strategy recreate)', () =>
      retire(s.ctx, s.found, 'recreate'),
    );
    return { retiredFirst: true, notes: [line] };
  },
  hooks: launchHooks,
  retire: async () => [],
  serving: () => ({ records: [], notes: [] }),
};
