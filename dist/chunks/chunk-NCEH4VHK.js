import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  TAG
} from "./chunk-DFAL24WV.js";
import {
  chunk
} from "./chunk-P4BHK4MN.js";
import {
  DescribeInstances$,
  abortable,
  commonParams
} from "./chunk-UE23O574.js";
import {
  getEndpointPlugin,
  makeBuilder
} from "./chunk-RLOAZQV4.js";

// node_modules/@aws-sdk/client-ec2/dist-es/commandBuilder.js
var command = makeBuilder(commonParams, "AmazonEC2", "EC2Client", getEndpointPlugin);
var _ep0 = {};
var _mw0 = (Command, cs, config, o) => [];

// node_modules/@aws-sdk/client-ec2/dist-es/commands/DescribeInstancesCommand.js
var DescribeInstancesCommand = class extends command(_ep0, _mw0, "DescribeInstances", DescribeInstances$) {
};

// src/aws/instances.ts
var LIVE_STATES = ["pending", "running", "shutting-down", "stopping", "stopped"];
function tagFilters(q) {
  return [
    { Name: `tag:${TAG.deployment}`, Values: [q.deploymentId] },
    ...q.runId !== void 0 ? [{ Name: `tag:${TAG.run}`, Values: [q.runId] }] : [],
    { Name: "instance-state-name", Values: [...q.states ?? LIVE_STATES] }
  ];
}
function transitionTime(reason) {
  const m = /\((\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) GMT\)/.exec(reason ?? "");
  return m ? `${m[1]}T${m[2]}Z` : void 0;
}
function toFound(region, i) {
  const tags = Object.fromEntries((i.Tags ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]));
  const stateTime = transitionTime(i.StateTransitionReason);
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
    ...i.StateReason?.Code ? { stateReason: i.StateReason.Code } : {},
    ...stateTime ? { stateTime } : {},
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
        if (!(q.states ?? LIVE_STATES).includes(f.state)) continue;
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

export {
  command,
  _ep0,
  _mw0,
  DescribeInstancesCommand,
  LIVE_STATES,
  toFound,
  findTagged,
  describeInstances
};
//# sourceMappingURL=chunk-NCEH4VHK.js.map
