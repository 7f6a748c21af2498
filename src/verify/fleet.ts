// The verify phase: service states after delivery. An instance whose services are not all
// active drops out of the fleet.

import type { SSMClient } from '@aws-sdk/client-ssm';
import type { BackoffOptions, Clock } from '../aws/poll.ts';
import type { StepOutcome } from '../deliver/deliver.ts';
import type { Fleet } from '../deliver/fleet.ts';
import type { Log } from '../log.ts';
import { checkServices } from './services.ts';

export interface VerifyContext {
  clientsFor(region: string): { ssm: SSMClient };
  log: Log;
  clock: Clock;
  poll: BackoffOptions;
  signal?: AbortSignal;
}

/**
 * When the plan's services step ran and checked every service, its success on an instance is
 * the verification (it proved each unit active and settled, moments ago), so no command is
 * sent. Otherwise one check per region: a service still activating gets two more looks, two
 * seconds apart.
 */
export async function verifyFleet(
  ctx: VerifyContext,
  fleet: Fleet,
  deploymentId: string,
  services: readonly string[],
  outcomes: readonly StepOutcome[],
): Promise<void> {
  if (services.length === 0) {
    ctx.log.info('no services to verify');
    return;
  }
  const health = outcomes.find((o) => o.step.services !== undefined)?.step;
  if (health?.services && services.every((s) => health.services?.includes(s))) {
    for (const m of fleet.healthy()) {
      ctx.log.info(
        `${m.id} (${m.region}): ${services.map((s) => `${s} active`).join(', ')} (step ${health.id})`,
      );
    }
    return;
  }
  await Promise.all(
    [...fleet.healthyByRegion()].map(([region, members]) =>
      verifyRegion(
        ctx,
        fleet,
        region,
        members.map((m) => m.id),
        services,
        deploymentId,
      ),
    ),
  );
}

async function verifyRegion(
  ctx: VerifyContext,
  fleet: Fleet,
  region: string,
  start: string[],
  services: readonly string[],
  deploymentId: string,
): Promise<void> {
  let ids = start;
  for (let attempt = 1; ids.length > 0; attempt++) {
    const health = await checkServices(
      {
        ssm: ctx.clientsFor(region).ssm,
        clock: ctx.clock,
        poll: ctx.poll,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      },
      ids,
      services,
      `spot-deployer verify ${deploymentId}`,
    );
    const again: string[] = [];
    for (const [id, h] of health) {
      const transient = Object.values(h.services).some(
        (s) => s === 'activating' || s === 'reloading',
      );
      if (h.health === 'healthy')
        ctx.log.info(`${id} (${region}): ${services.map((s) => `${s} active`).join(', ')}`);
      else if (transient && attempt < 3) again.push(id);
      else {
        fleet.fail(id, 'verify', h.detail ?? 'services not healthy');
        ctx.log.warning(`${id} (${region}): ${h.detail ?? 'services not healthy'}`);
      }
    }
    ids = again;
    if (ids.length > 0) await ctx.clock.sleep(2000, ctx.signal);
  }
}
