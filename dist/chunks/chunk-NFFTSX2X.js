import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  DescribeInstancesCommand,
  LIVE_STATES,
  toFound
} from "./chunk-NCEH4VHK.js";
import {
  TAG
} from "./chunk-DFAL24WV.js";
import {
  EC2Client,
  abortable
} from "./chunk-UE23O574.js";
import {
  createPaginator
} from "./chunk-RLOAZQV4.js";

// node_modules/@aws-sdk/client-ec2/dist-es/pagination/DescribeInstancesPaginator.js
var paginateDescribeInstances = createPaginator(EC2Client, DescribeInstancesCommand, "NextToken", "NextToken", "MaxResults");

// src/aws/managed.ts
async function findManaged(ec2, region, signal) {
  const out = [];
  const filters = [
    { Name: "tag-key", Values: [TAG.deployment] },
    { Name: "instance-state-name", Values: LIVE_STATES }
  ];
  const pages = paginateDescribeInstances(
    { client: ec2, pageSize: 1e3 },
    { Filters: filters },
    abortable(signal)
  );
  for await (const page of pages) {
    for (const i of (page.Reservations ?? []).flatMap((r) => r.Instances ?? [])) {
      const f = toFound(region, i);
      if (f.id && f.tags[TAG.deployment] && LIVE_STATES.includes(f.state)) out.push(f);
    }
  }
  return out;
}

export {
  findManaged
};
//# sourceMappingURL=chunk-NFFTSX2X.js.map
