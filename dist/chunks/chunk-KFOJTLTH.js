import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  _ep0,
  _mw0,
  command
} from "./chunk-NCEH4VHK.js";
import {
  DescribeSpotPriceHistory$,
  abortable
} from "./chunk-UE23O574.js";
import {
  describeAwsError
} from "./chunk-4OVCB57H.js";

// node_modules/@aws-sdk/client-ec2/dist-es/commands/DescribeSpotPriceHistoryCommand.js
var DescribeSpotPriceHistoryCommand = class extends command(_ep0, _mw0, "DescribeSpotPriceHistory", DescribeSpotPriceHistory$) {
};

// src/report/cost.ts
async function estimateHourlyCost(clientsFor, instances, signal) {
  const notes = [];
  const spot = instances.filter((i) => i.lifecycle === "spot");
  const onDemand = instances.length - spot.length;
  if (onDemand > 0)
    notes.push(
      `${onDemand} on-demand instance${onDemand === 1 ? "" : "s"} not included (on-demand prices are not in the spot price history)`
    );
  const regions = [...new Set(spot.map((i) => i.region))];
  let perHour;
  let priced = 0;
  await Promise.all(
    regions.map(async (region) => {
      const types = [...new Set(spot.filter((i) => i.region === region).map((i) => i.type))];
      const latest = /* @__PURE__ */ new Map();
      try {
        const res = await clientsFor(region).ec2.send(
          new DescribeSpotPriceHistoryCommand({
            InstanceTypes: types,
            ProductDescriptions: ["Linux/UNIX"],
            StartTime: /* @__PURE__ */ new Date(),
            MaxResults: 1e3
          }),
          abortable(signal)
        );
        for (const p of res.SpotPriceHistory ?? []) {
          if (!p.InstanceType || !p.SpotPrice) continue;
          const zone = p.AvailabilityZone ?? "";
          const at = p.Timestamp ? new Date(p.Timestamp).getTime() : 0;
          const byZone = latest.get(p.InstanceType) ?? /* @__PURE__ */ new Map();
          const prev = byZone.get(zone);
          if (!prev || prev[0] < at) byZone.set(zone, [at, Number(p.SpotPrice)]);
          latest.set(p.InstanceType, byZone);
        }
      } catch (err) {
        notes.push(`${region}: no spot price history (${describeAwsError(err)})`);
        return;
      }
      for (const i of spot.filter((x) => x.region === region)) {
        const byZone = latest.get(i.type);
        const price = byZone ? byZone.get(i.zone ?? "") ?? [...byZone.values()][0] : void 0;
        if (!price || !Number.isFinite(price[1])) {
          notes.push(`${region}: no spot price for ${i.type}${i.zone ? ` in ${i.zone}` : ""}`);
          continue;
        }
        perHour = (perHour ?? 0) + price[1];
        priced++;
      }
    })
  );
  return { ...perHour !== void 0 ? { perHour } : {}, priced, notes };
}

export {
  estimateHourlyCost
};
//# sourceMappingURL=chunk-KFOJTLTH.js.map
