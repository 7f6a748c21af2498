import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  locateDeployment
} from "./chunk-LXZS54HF.js";
import {
  _ep0,
  _mw0,
  command,
  describeInstances
} from "./chunk-NCEH4VHK.js";
import {
  backoff,
  byRegion,
  chunk
} from "./chunk-P4BHK4MN.js";
import {
  TerminateInstances$,
  abortable
} from "./chunk-UE23O574.js";
import {
  DeployError,
  awsErrorCode,
  describeAwsError,
  isThrottlingError
} from "./chunk-4OVCB57H.js";

// node_modules/@aws-sdk/client-ec2/dist-es/commands/TerminateInstancesCommand.js
var TerminateInstancesCommand = class extends command(_ep0, _mw0, "TerminateInstances", TerminateInstances$) {
};

// src/destroy/terminate.ts
var TERMINATE_BATCH = 500;
var reached = (state, goal) => state === "terminated" || goal === "shutting-down" && state === "shutting-down";
async function requestTermination(ctx, ids) {
  const out = { notFound: [], states: /* @__PURE__ */ new Map() };
  for (const batch of chunk(ids, TERMINATE_BATCH)) {
    try {
      const answer = await ctx.ec2.send(
        new TerminateInstancesCommand({ InstanceIds: batch }),
        abortable(ctx.signal)
      );
      for (const t of answer?.TerminatingInstances ?? []) {
        if (t.InstanceId && t.CurrentState?.Name) out.states.set(t.InstanceId, t.CurrentState.Name);
      }
    } catch (err) {
      if (awsErrorCode(err) !== "InvalidInstanceID.NotFound") {
        throw new DeployError(`TerminateInstances failed: ${describeAwsError(err)}`);
      }
      if (batch.length === 1) {
        out.notFound.push(...batch);
        continue;
      }
      const half = Math.ceil(batch.length / 2);
      for (const part of [batch.slice(0, half), batch.slice(half)]) {
        const r = await requestTermination(ctx, part);
        out.notFound.push(...r.notFound);
        for (const [k, v] of r.states) out.states.set(k, v);
      }
    }
  }
  return out;
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
async function waitTerminated(ctx, ids, timeoutMs, requested = {}, goal = "terminated") {
  const deadline = ctx.clock.now() + timeoutMs;
  const delays = backoff(ctx.poll);
  const remaining = new Map(ids.map((id) => [id, NOT_FOUND_STATE]));
  const seen = /* @__PURE__ */ new Map();
  const note = (states) => {
    for (const [id, st] of states) {
      if (!remaining.has(id)) continue;
      if (reached(st, goal)) {
        remaining.delete(id);
        seen.set(id, st);
      } else remaining.set(id, st);
    }
  };
  note(requested.states ?? []);
  let unrequested = new Set(requested.notFound ?? []);
  while (remaining.size > 0) {
    let states;
    try {
      states = await describeStates(ctx, [...remaining.keys()]);
    } catch (err) {
      if (!isThrottlingError(err)) throw err;
    }
    note(states ?? []);
    if (remaining.size === 0 || ctx.clock.now() >= deadline) break;
    await ctx.clock.sleep(delays.next().value, ctx.signal);
    const again = [...unrequested].filter((id) => remaining.has(id));
    if (again.length > 0) {
      const r = await requestTermination(ctx, again);
      unrequested = new Set(r.notFound);
      note(r.states);
    }
  }
  const shuttingDown = ids.filter((id) => seen.get(id) === "shutting-down");
  return {
    terminated: ids.filter((id) => !remaining.has(id)),
    ...shuttingDown.length > 0 ? { shuttingDown } : {},
    remaining: [...remaining].map(([id, state]) => ({ id, state }))
  };
}

// src/destroy/destroy.ts
function merge(per) {
  const shuttingDown = per.flatMap((p) => p.shuttingDown ?? []);
  return {
    terminated: per.flatMap((p) => p.terminated),
    ...shuttingDown.length > 0 ? { shuttingDown } : {},
    remaining: per.flatMap((p) => p.remaining)
  };
}
function terminatedText(r) {
  const down = r.shuttingDown ?? [];
  return `${r.terminated.length} terminated` + (down.length > 0 ? ` (${down.length} still shutting-down: ${down.join(", ")})` : "");
}
async function destroyTagged(ctx, regions, q, knownIds = {}) {
  return destroyLocated(ctx, await locateDeployment(ctx, q, { regions }), knownIds);
}
async function destroyLocated(ctx, located, knownIds = {}) {
  const perRegion = await Promise.all(
    located.regions.map(async (region) => {
      const found = located.instances.filter((f) => f.region === region);
      const ids = [.../* @__PURE__ */ new Set([...found.map((f) => f.id), ...knownIds[region] ?? []])];
      if (ids.length === 0) return { terminated: [], remaining: [] };
      const waited = await terminateIn(ctx, region, ids);
      ctx.log.info(
        `${region}: ${terminatedText(waited)}` + (waited.remaining.length > 0 ? `, ${waited.remaining.length} not yet: ${waited.remaining.map((r) => `${r.id} (${r.state})`).join(", ")}` : "")
      );
      return waited;
    })
  );
  return { regions: [...located.regions], found: [...located.instances], ...merge(perRegion) };
}
async function terminateInstances(ctx, instances) {
  return merge(
    await Promise.all(
      [...byRegion(instances)].map(([region, ids]) => terminateIn(ctx, region, ids))
    )
  );
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
  const requested = await requestTermination(tctx, ids);
  const waited = await waitTerminated(
    tctx,
    ids,
    ctx.timeoutMs,
    requested,
    ctx.goal ?? "terminated"
  );
  return { ...waited, remaining: waited.remaining.map((r) => ({ ...r, region })) };
}

export {
  terminatedText,
  destroyTagged,
  destroyLocated,
  terminateInstances
};
//# sourceMappingURL=chunk-VELJBD3Y.js.map
