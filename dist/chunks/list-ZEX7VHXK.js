import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  findManaged
} from "./chunk-NFFTSX2X.js";
import {
  summarize
} from "./chunk-XJLXGMQD.js";
import {
  estimateHourlyCost
} from "./chunk-KFOJTLTH.js";
import "./chunk-NCEH4VHK.js";
import {
  TAG
} from "./chunk-DFAL24WV.js";
import "./chunk-P4BHK4MN.js";
import "./chunk-UE23O574.js";
import "./chunk-XTVJNGXJ.js";
import "./chunk-4OVCB57H.js";
import "./chunk-5LWETDWB.js";
import "./chunk-DOESRUQL.js";
import "./chunk-RZQHOU5W.js";
import "./chunk-26QGXXSG.js";
import "./chunk-RLOAZQV4.js";
import "./chunk-5UZIY2RH.js";
import "./chunk-5JFPBMIT.js";
import "./chunk-SLSPYRCZ.js";

// src/commands/list.ts
async function listCommand(regions, host, progress) {
  const found = (await Promise.all(
    regions.map(async (region) => {
      const list = await findManaged(host.clientsFor(region).ec2, region, host.signal);
      progress?.searched(region, list.length);
      return list;
    })
  )).flat();
  const deployments = summarize(found, host.clock.now());
  await Promise.all(
    deployments.map(async (d) => {
      const mine = found.filter((f) => f.tags[TAG.deployment] === d.deploymentId);
      const cost = await estimateHourlyCost(
        (r) => host.clientsFor(r),
        mine.map((f) => ({
          region: f.region,
          type: f.instanceType,
          lifecycle: f.lifecycle,
          ...f.zone ? { zone: f.zone } : {}
        })),
        host.signal
      );
      if (cost.perHour !== void 0) d.hourlyCost = cost.perHour;
    })
  );
  return { regions: [...regions], deployments };
}
export {
  listCommand
};
//# sourceMappingURL=list-ZEX7VHXK.js.map
