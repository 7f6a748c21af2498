import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  locateDeployment
} from "./chunk-Q3OIIG7E.js";
import {
  describeInstances
} from "./chunk-YMC7WO63.js";
import {
  abortable,
  backoff,
  byRegion,
  chunk
} from "./chunk-ZYUDR6UM.js";
import {
  TerminateInstancesCommand
} from "./chunk-QEWRRNT2.js";
import {
  DeployError,
  awsErrorCode,
  describeAwsError,
  isThrottlingError
} from "./chunk-4OVCB57H.js";

// src/destroy/terminate.ts
var TERMINATE_BATCH = 500;
async function requestTermination(ctx, ids) {
  const notFound = [];
  for (const batch of chunk(ids, TERMINATE_BATCH)) {
    try {
      await ctx.ec2.send(
        new TerminateInstancesCommand({ InstanceIds: batch }),
        abortable(ctx.signal)
      );
    } catch (err) {
      if (awsErrorCode(err) !== "InvalidInstanceID.NotFound") {
        throw new DeployError(`TerminateInstances failed: ${describeAwsError(err)}`);
      }
      if (batch.length === 1) {
        notFound.push(...batch);
        continue;
      }
      const half = Math.ceil(batch.length / 2);
      notFound.push(...await requestTermination(ctx, batch.slice(0, half)));
      notFound.push(...await requestTermination(ctx, batch.slice(half)));
    }
  }
  return notFound;
}
async function describeStates(ctx, ids) {
  const out = /* @__PURE__ */ new Map();
  if (ids.length === 0) return out;
  try {
    for (const i of await describeInstances(ctx.ec2, ids, ctx.signal)) {
      if (i.InstanceId) out.set(i.InstanceId, i.State?.Name ?? "unknown");
    }
  } catch (err) {
    if (awsErrorCode(err) !== "InvalidInstanceID.NotFound") throw err;
    if (ids.length === 1) return out;
    const half = Math.ceil(ids.length / 2);
    for (const part of [ids.slice(0, half), ids.slice(half)]) {
      for (const [k, v] of await describeStates(ctx, part)) out.set(k, v);
    }
  }
  return out;
}
var NOT_FOUND_STATE = "not found by EC2";
async function waitTerminated(ctx, ids, timeoutMs, refused = []) {
  const deadline = ctx.clock.now() + timeoutMs;
  const delays = backoff(ctx.poll);
  const remaining = new Map(ids.map((id) => [id, NOT_FOUND_STATE]));
  let unrequested = new Set(refused);
  for (; ; ) {
    let states;
    try {
      states = await describeStates(ctx, [...remaining.keys()]);
    } catch (err) {
      if (!isThrottlingError(err)) throw err;
    }
    for (const [id, st] of states ?? []) {
      if (st === "terminated") remaining.delete(id);
      else remaining.set(id, st);
    }
    if (remaining.size === 0 || ctx.clock.now() >= deadline) break;
    await ctx.clock.sleep(delays.next().value, ctx.signal);
    const again = [...unrequested].filter((id) => remaining.has(id));
    if (again.length > 0) unrequested = new Set(await requestTermination(ctx, again));
  }
  return {
    terminated: ids.filter((id) => !remaining.has(id)),
    remaining: [...remaining].map(([id, state]) => ({ id, state }))
  };
}

// src/destroy/destroy.ts
async function destroyTagged(ctx, regions, q, knownIds = {}) {
  return destroyLocated(ctx, await locateDeployment(ctx, q, { regions }), knownIds);
}
async function destroyLocated(ctx, located, knownIds = {}) {
  const result = {
    regions: [...located.regions],
    found: [...located.instances],
    terminated: [],
    remaining: []
  };
  const perRegion = await Promise.all(
    located.regions.map(async (region) => {
      const found = located.instances.filter((f) => f.region === region);
      const ids = [.../* @__PURE__ */ new Set([...found.map((f) => f.id), ...knownIds[region] ?? []])];
      if (ids.length === 0) return { terminated: [], remaining: [] };
      const waited = await terminateIn(ctx, region, ids);
      ctx.log.info(
        `${region}: ${waited.terminated.length} terminated` + (waited.remaining.length > 0 ? `, ${waited.remaining.length} not yet: ${waited.remaining.map((r) => `${r.id} (${r.state})`).join(", ")}` : "")
      );
      return waited;
    })
  );
  for (const r of perRegion) {
    result.terminated.push(...r.terminated);
    result.remaining.push(...r.remaining);
  }
  return result;
}
async function terminateInstances(ctx, instances) {
  const per = await Promise.all(
    [...byRegion(instances)].map(([region, ids]) => terminateIn(ctx, region, ids))
  );
  return {
    terminated: per.flatMap((p) => p.terminated),
    remaining: per.flatMap((p) => p.remaining)
  };
}
async function terminateIn(ctx, region, ids) {
  const tctx = {
    ec2: ctx.clientsFor(region).ec2,
    clock: ctx.clock,
    poll: ctx.poll,
    ...ctx.signal ? { signal: ctx.signal } : {}
  };
  ctx.log.info(
    `${region}: terminating ${ids.length} instance${ids.length === 1 ? "" : "s"}: ${ids.join(", ")}`
  );
  const refused = await requestTermination(tctx, ids);
  const waited = await waitTerminated(tctx, ids, ctx.timeoutMs, refused);
  return {
    terminated: waited.terminated,
    remaining: waited.remaining.map((r) => ({ ...r, region }))
  };
}

export {
  destroyTagged,
  destroyLocated,
  terminateInstances
};
//# sourceMappingURL=chunk-DE62AGDZ.js.map
