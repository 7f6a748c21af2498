import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  DeployError,
  DescribeInstanceInformation$,
  DescribeInstances$,
  TerminateInstances$,
  abortable,
  awsErrorCode,
  backoff,
  byRegion,
  chunk,
  commonParams,
  commonParams2,
  describeAwsError,
  isThrottlingError,
  regionsToSearch
} from "./chunk-PVKND4AJ.js";
import {
  TAG
} from "./chunk-JVXDG6VL.js";
import {
  getEndpointPlugin,
  makeBuilder
} from "./chunk-LMDO35QD.js";

// node_modules/@aws-sdk/client-ec2/dist-es/commandBuilder.js
var command = makeBuilder(commonParams, "AmazonEC2", "EC2Client", getEndpointPlugin);
var _ep0 = {};
var _mw0 = (Command, cs, config, o) => [];

// node_modules/@aws-sdk/client-ec2/dist-es/commands/DescribeInstancesCommand.js
var DescribeInstancesCommand = class extends command(_ep0, _mw0, "DescribeInstances", DescribeInstances$) {
};

// node_modules/@aws-sdk/client-ec2/dist-es/commands/TerminateInstancesCommand.js
var TerminateInstancesCommand = class extends command(_ep0, _mw0, "TerminateInstances", TerminateInstances$) {
};

// node_modules/@aws-sdk/client-ssm/dist-es/commandBuilder.js
var command2 = makeBuilder(commonParams2, "AmazonSSM", "SSMClient", getEndpointPlugin);
var _ep02 = {};
var _mw02 = (Command, cs, config, o) => [];

// node_modules/@aws-sdk/client-ssm/dist-es/commands/DescribeInstanceInformationCommand.js
var DescribeInstanceInformationCommand = class extends command2(_ep02, _mw02, "DescribeInstanceInformation", DescribeInstanceInformation$) {
};

// src/aws/instances.ts
var LIVE_STATES = ["pending", "running", "shutting-down", "stopping", "stopped"];
function tagFilters(q) {
  return [
    { Name: `tag:${TAG.deployment}`, Values: [q.deploymentId] },
    ...q.runId !== void 0 ? [{ Name: `tag:${TAG.run}`, Values: [q.runId] }] : [],
    { Name: "instance-state-name", Values: LIVE_STATES }
  ];
}
function toFound(region, i) {
  const tags = Object.fromEntries((i.Tags ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]));
  return {
    id: i.InstanceId ?? "",
    region,
    state: i.State?.Name ?? "unknown",
    instanceType: i.InstanceType ?? "",
    lifecycle: i.InstanceLifecycle === "spot" ? "spot" : "on-demand",
    ...i.Placement?.AvailabilityZone ? { zone: i.Placement.AvailabilityZone } : {},
    ...i.PublicIpAddress ? { publicIp: i.PublicIpAddress } : {},
    ...i.PrivateIpAddress ? { privateIp: i.PrivateIpAddress } : {},
    ...i.LaunchTime ? { launchTime: new Date(i.LaunchTime).toISOString() } : {},
    tags
  };
}
async function findTagged(ec2, region, q, signal) {
  const out = [];
  let NextToken;
  do {
    const page = await ec2.send(
      new DescribeInstancesCommand({
        Filters: tagFilters(q),
        MaxResults: 1e3,
        ...NextToken ? { NextToken } : {}
      }),
      abortable(signal)
    );
    for (const r of page.Reservations ?? []) {
      for (const i of r.Instances ?? []) {
        const f = toFound(region, i);
        if (!f.id || f.tags[TAG.deployment] !== q.deploymentId) continue;
        if (q.runId !== void 0 && f.tags[TAG.run] !== q.runId) continue;
        if (!LIVE_STATES.includes(f.state)) continue;
        out.push(f);
      }
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return out;
}
async function describeInstances(ec2, ids, signal) {
  const out = [];
  for (const batch of chunk(ids, 1e3)) {
    let NextToken;
    do {
      const page = await ec2.send(
        new DescribeInstancesCommand({ InstanceIds: batch, ...NextToken ? { NextToken } : {} }),
        abortable(signal)
      );
      for (const r of page.Reservations ?? []) out.push(...r.Instances ?? []);
      NextToken = page.NextToken;
    } while (NextToken);
  }
  return out;
}

// src/aws/locate.ts
async function survey(ctx, regions, q) {
  const per = await Promise.all(
    regions.map((r) => findTagged(ctx.clientsFor(r).ec2, r, q, ctx.signal))
  );
  return per.flat();
}
async function locateDeployment(ctx, q, where) {
  const first = regionsToSearch(where.regions);
  const none = {};
  const [restored, found] = await Promise.all([
    where.record ? where.record() : Promise.resolve(none),
    survey(ctx, first, q)
  ]);
  const regions = regionsToSearch(first, restored.record);
  const more = regions.filter((r) => !first.includes(r));
  const instances = more.length === 0 ? found : [...found, ...await survey(ctx, more, q)];
  return { regions, instances, warnings: restored.warning ? [restored.warning] : [] };
}

// src/deliver/wait.ts
var GONE = /* @__PURE__ */ new Set([
  "shutting-down",
  "terminated",
  "stopping",
  "stopped"
]);
function observe(m, i) {
  if (i.State?.Name) m.state = i.State.Name;
  if (i.Placement?.AvailabilityZone) m.zone = i.Placement.AvailabilityZone;
  if (i.PublicIpAddress) m.publicIp = i.PublicIpAddress;
  if (i.PrivateIpAddress) m.privateIp = i.PrivateIpAddress;
  if (i.SubnetId) m.subnetId = i.SubnetId;
}
function goneReason(m, i) {
  const code = i.StateReason?.Code ?? "";
  const msg = i.StateReason?.Message ?? "";
  const state = i.State?.Name ?? "gone";
  const spot = i.InstanceLifecycle === "spot" || m.lifecycle === "spot";
  if (/spot/i.test(code) || /spot/i.test(msg) || spot && code.startsWith("Server.")) {
    return `spot interruption: EC2 reclaimed the instance (${state}${code ? `, ${code}` : ""}${msg && msg !== code ? `: ${msg}` : ""})`;
  }
  return `instance is ${state}${code ? ` (${code}${msg && msg !== code ? `: ${msg}` : ""})` : ""}`;
}
function throttled(ctx, region, operation) {
  ctx.log.info(`${region}: ${operation} throttled; asking again at the next poll`);
}
async function waitRunning(ctx, fleet, timeoutMs) {
  const deadline = ctx.clock.now() + timeoutMs;
  const waiting = new Set(fleet.healthy().map((m) => m.id));
  const delays = backoff(ctx.poll);
  for (; ; ) {
    const byRegion2 = fleet.healthyByRegion();
    await Promise.all(
      [...byRegion2].map(async ([region, members]) => {
        const ids = members.filter((m) => waiting.has(m.id)).map((m) => m.id);
        if (ids.length === 0) return;
        let seen;
        try {
          seen = await describeInstances(ctx.clientsFor(region).ec2, ids, ctx.signal);
        } catch (err) {
          if (awsErrorCode(err) === "InvalidInstanceID.NotFound") return;
          if (isThrottlingError(err)) return throttled(ctx, region, "DescribeInstances");
          throw new DeployError(`${region}: DescribeInstances failed: ${describeAwsError(err)}`);
        }
        for (const i of seen) {
          const m = i.InstanceId ? fleet.get(i.InstanceId) : void 0;
          if (!m) continue;
          observe(m, i);
          if (m.state === "running") {
            waiting.delete(m.id);
            ctx.log.info(
              `${m.id} (${region}): running in ${m.zone ?? "?"}, ${m.privateIp ?? "no private IP"}` + (m.publicIp ? `, ${m.publicIp}` : "")
            );
          } else if (GONE.has(m.state)) {
            waiting.delete(m.id);
            fleet.fail(m.id, "launch", goneReason(m, i));
            ctx.log.warning(`${m.id} (${region}): ${m.failure?.cause ?? m.state}`);
          }
        }
      })
    );
    if (waiting.size === 0) return;
    if (ctx.clock.now() >= deadline) break;
    await ctx.clock.sleep(delays.next().value, ctx.signal);
  }
  for (const id of waiting) {
    fleet.fail(
      id,
      "launch",
      `not running after ${Math.round(timeoutMs / 1e3)} s (state ${fleet.get(id)?.state ?? "unknown"})`
    );
  }
}
async function onlineIds(ssm, ids, signal) {
  const online = /* @__PURE__ */ new Set();
  for (const batch of chunk(ids, 50)) {
    let NextToken;
    do {
      const page = await ssm.send(
        new DescribeInstanceInformationCommand({
          Filters: [{ Key: "InstanceIds", Values: batch }],
          MaxResults: 50,
          ...NextToken ? { NextToken } : {}
        }),
        abortable(signal)
      );
      for (const info of page.InstanceInformationList ?? []) {
        if (info.InstanceId && info.PingStatus === "Online") online.add(info.InstanceId);
      }
      NextToken = page.NextToken;
    } while (NextToken);
  }
  return online;
}
var NOT_ONLINE_CAUSES = "likely causes: the instance profile lacks the AmazonSSMManagedInstanceCore policy, the instance has no outbound HTTPS to the SSM endpoints (no public IP, NAT gateway or VPC endpoints for ssm, ssmmessages and ec2messages), or the image has no SSM agent";
async function waitOnline(ctx, fleet, timeoutMs) {
  const started = ctx.clock.now();
  const deadline = started + timeoutMs;
  const waiting = new Set(fleet.healthy().map((m) => m.id));
  const delays = backoff(ctx.poll);
  for (; ; ) {
    await Promise.all(
      [...fleet.healthyByRegion()].map(async ([region, members]) => {
        const ids = members.filter((m) => waiting.has(m.id)).map((m) => m.id);
        if (ids.length === 0) return;
        const { ec2, ssm } = ctx.clientsFor(region);
        const [online, seen] = await Promise.all([
          onlineIds(ssm, ids, ctx.signal).catch((err) => {
            if (isThrottlingError(err)) return void 0;
            throw new DeployError(
              `${region}: DescribeInstanceInformation failed: ${describeAwsError(err)}` + (awsErrorCode(err) === "AccessDeniedException" ? " (the deploying role needs ssm:DescribeInstanceInformation)" : "")
            );
          }),
          describeInstances(ec2, ids, ctx.signal).catch((err) => {
            if (awsErrorCode(err) === "InvalidInstanceID.NotFound") return [];
            if (isThrottlingError(err)) return void 0;
            throw new DeployError(`${region}: DescribeInstances failed: ${describeAwsError(err)}`);
          })
        ]);
        if (!online || !seen) {
          return throttled(
            ctx,
            region,
            !online ? "DescribeInstanceInformation" : "DescribeInstances"
          );
        }
        for (const i of seen) {
          const m = i.InstanceId ? fleet.get(i.InstanceId) : void 0;
          if (!m) continue;
          observe(m, i);
          if (GONE.has(m.state) && !online.has(m.id)) {
            waiting.delete(m.id);
            fleet.fail(m.id, "ssm-online", goneReason(m, i));
            ctx.log.warning(`${m.id} (${region}): ${m.failure?.cause ?? m.state}`);
          }
        }
        for (const id of online) {
          waiting.delete(id);
          ctx.log.info(
            `${id} (${region}): Online in SSM after ${((ctx.clock.now() - started) / 1e3).toFixed(1)} s`
          );
        }
      })
    );
    if (waiting.size === 0) return;
    if (ctx.clock.now() >= deadline) break;
    await ctx.clock.sleep(delays.next().value, ctx.signal);
  }
  for (const id of waiting) {
    fleet.fail(
      id,
      "ssm-online",
      `not Online in SSM after ${Math.round(timeoutMs / 1e3)} s; ${NOT_ONLINE_CAUSES}`
    );
  }
}

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
  command,
  _ep0,
  _mw0,
  command2,
  _ep02,
  _mw02,
  describeInstances,
  GONE,
  observe,
  goneReason,
  waitRunning,
  onlineIds,
  waitOnline,
  survey,
  locateDeployment,
  destroyTagged,
  destroyLocated,
  terminateInstances
};
//# sourceMappingURL=chunk-BQSIPHEI.js.map
