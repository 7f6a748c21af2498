// The instances of one deploy and what became of each: every phase works on the healthy
// ones; an instance that fails a phase drops out with its cause, and the min-healthy policy
// decides whether the deploy goes on.

import type { MinHealthy } from '../inputs.ts';
import type { LaunchedInstance } from '../launch/launch.ts';

export interface Member extends LaunchedInstance {
  /** EC2 state as last seen. */
  state: string;
  publicIp?: string;
  privateIp?: string;
  /** Set when the instance dropped out: the phase (or step id) and why. */
  failure?: { phase: string; cause: string };
}

export class Fleet {
  readonly members: Member[];

  constructor(launched: readonly LaunchedInstance[]) {
    this.members = launched.map((i) => ({ ...i, state: 'pending' }));
  }

  healthy(): Member[] {
    return this.members.filter((m) => !m.failure);
  }

  failed(): Member[] {
    return this.members.filter((m) => m.failure);
  }

  get(id: string): Member | undefined {
    return this.members.find((m) => m.id === id);
  }

  /** The first failure of an instance is the one reported; later ones are ignored. */
  fail(id: string, phase: string, cause: string): void {
    const m = this.get(id);
    if (m && !m.failure) m.failure = { phase, cause };
  }

  /** Healthy members grouped by region, in launch order. */
  healthyByRegion(): Map<string, Member[]> {
    const out = new Map<string, Member[]>();
    for (const m of this.healthy()) {
      const list = out.get(m.region);
      if (list) list.push(m);
      else out.set(m.region, [m]);
    }
    return out;
  }
}

/** How many instances must stay healthy out of `total` planned (a percentage rounds up). */
export function minHealthyCount(spec: MinHealthy, total: number): number {
  switch (spec.kind) {
    case 'all':
      return total;
    case 'count':
      return spec.n;
    case 'percent':
      return Math.max(1, Math.ceil((spec.p / 100) * total));
  }
}
