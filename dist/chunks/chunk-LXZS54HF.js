import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  describeInstances,
  findTagged
} from "./chunk-NCEH4VHK.js";
import {
  regionsToSearch
} from "./chunk-V2M23LJS.js";
import {
  backoff,
  chunk
} from "./chunk-P4BHK4MN.js";
import {
  DescribeInstanceInformation$,
  abortable,
  commonParams2 as commonParams
} from "./chunk-UE23O574.js";
import {
  DeployError,
  awsErrorCode,
  describeAwsError,
  isThrottlingError
} from "./chunk-4OVCB57H.js";
import {
  getEndpointPlugin,
  makeBuilder
} from "./chunk-RLOAZQV4.js";

// node_modules/@aws-sdk/client-ssm/dist-es/commandBuilder.js
var command = makeBuilder(commonParams, "AmazonSSM", "SSMClient", getEndpointPlugin);
var _ep0 = {};
var _mw0 = (Command, cs, config, o) => [];

// node_modules/@aws-sdk/client-ssm/dist-es/commands/DescribeInstanceInformationCommand.js
var DescribeInstanceInformationCommand = class extends command(_ep0, _mw0, "DescribeInstanceInformation", DescribeInstanceInformation$) {
};

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
    const byRegion = fleet.healthyByRegion();
    await Promise.all(
      [...byRegion].map(async ([region, members]) => {
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
var ONLINE_POLL_MAX_MS = 2e3;
var NOT_ONLINE_CAUSES = "likely causes: the instance profile lacks the AmazonSSMManagedInstanceCore policy, the instance has no outbound HTTPS to the SSM endpoints (no public IP, NAT gateway or VPC endpoints for ssm, ssmmessages and ec2messages), or the image has no SSM agent";
async function waitOnline(ctx, fleet, timeoutMs) {
  const started = ctx.clock.now();
  const deadline = started + timeoutMs;
  const waiting = new Set(fleet.healthy().map((m) => m.id));
  const delays = backoff({ ...ctx.poll, maxMs: Math.min(ctx.poll.maxMs, ONLINE_POLL_MAX_MS) });
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

export {
  command,
  _ep0,
  _mw0,
  GONE,
  observe,
  goneReason,
  waitRunning,
  onlineIds,
  waitOnline,
  survey,
  locateDeployment
};
//# sourceMappingURL=chunk-LXZS54HF.js.map
