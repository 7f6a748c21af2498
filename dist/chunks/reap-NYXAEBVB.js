import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  findManaged
} from "./chunk-NFFTSX2X.js";
import {
  destroyContext
} from "./chunk-E4CCD6IN.js";
import {
  destroyLocated
} from "./chunk-VELJBD3Y.js";
import {
  manifestRegions
} from "./chunk-KXLZV4D5.js";
import {
  table
} from "./chunk-FQMHTO7E.js";
import "./chunk-LXZS54HF.js";
import "./chunk-NCEH4VHK.js";
import {
  TAG
} from "./chunk-DFAL24WV.js";
import {
  octokitFor
} from "./chunk-TFPGGUJ2.js";
import {
  previewNumber
} from "./chunk-DPXUJE6X.js";
import "./chunk-V2M23LJS.js";
import "./chunk-P4BHK4MN.js";
import "./chunk-UE23O574.js";
import {
  fallbackRegion
} from "./chunk-QL5CQV3S.js";
import "./chunk-BEC6WV65.js";
import "./chunk-XTVJNGXJ.js";
import {
  DeployError
} from "./chunk-4OVCB57H.js";
import "./chunk-NIG5AYO3.js";
import "./chunk-5LWETDWB.js";
import "./chunk-DOESRUQL.js";
import "./chunk-RZQHOU5W.js";
import "./chunk-26QGXXSG.js";
import "./chunk-RLOAZQV4.js";
import "./chunk-5UZIY2RH.js";
import "./chunk-5JFPBMIT.js";
import "./chunk-SLSPYRCZ.js";

// src/github/pulls.ts
async function pullStates(token, repository, numbers, apiUrl) {
  const [owner = "", repo = ""] = repository.split("/");
  const octokit = await octokitFor(token, apiUrl);
  const out = /* @__PURE__ */ new Map();
  for (const pull_number of numbers) {
    try {
      const { data } = await octokit.rest.pulls.get({ owner, repo, pull_number });
      out.set(pull_number, data.state === "open" ? "open" : "closed");
    } catch (err) {
      if (err.status === 404) out.set(pull_number, "missing");
      else throw err;
    }
  }
  return out;
}

// src/commands/reap.ts
async function previews(host, regions, repository) {
  const found = (await Promise.all(regions.map((r) => findManaged(host.clientsFor(r).ec2, r, host.signal)))).flat();
  const byId = /* @__PURE__ */ new Map();
  for (const f of found) {
    const id = f.tags[TAG.deployment] ?? "";
    const pull = previewNumber(repository, id);
    if (pull === void 0) continue;
    const entry = byId.get(id) ?? { pull, instances: [] };
    entry.instances.push(f);
    byId.set(id, entry);
  }
  return byId;
}
async function reapCommand(inputs, host) {
  const { log } = host;
  const repository = host.env.GITHUB_REPOSITORY ?? "";
  if (!/^[^/]+\/[^/]+$/.test(repository))
    throw new DeployError("reap needs GITHUB_REPOSITORY (owner/repo)");
  if (inputs.githubToken === "")
    throw new DeployError("command 'reap' needs the input 'github-token'");
  host.mask(inputs.githubToken);
  const fromManifest = await manifestRegions(
    inputs.path,
    log,
    fallbackRegion(host.env, inputs.regions)
  );
  const regions = [.../* @__PURE__ */ new Set([...fromManifest, ...inputs.regions])];
  if (regions.length === 0) throw new DeployError("reap needs a manifest or the 'regions' input");
  const found = await previews(host, regions, repository);
  const states = await pullStates(
    inputs.githubToken,
    repository,
    [...found.values()].map((p) => p.pull),
    host.env.GITHUB_API_URL
  );
  const reaped = [];
  for (const [deploymentId, { pull, instances }] of found) {
    const state = states.get(pull) ?? "open";
    log.info(`${deploymentId}: pull request #${pull} is ${state}, ${instances.length} instance(s)`);
    if (state === "open") continue;
    const res = await destroyLocated(destroyContext(host, inputs.waitTerminated), {
      regions: [...new Set(instances.map((i) => i.region))],
      instances
    });
    reaped.push({ deploymentId, pull, state, terminated: res.terminated });
  }
  log.info(
    reaped.length === 0 ? `no preview of ${repository} to reap in ${regions.join(", ")}` : `reaped ${reaped.length} preview deployment(s)`
  );
  host.output("instance-ids", JSON.stringify(reaped.flatMap((r) => r.terminated)));
  await host.summary(
    [
      `## Spot reap \`${repository}\``,
      "",
      table(
        ["deployment", "pull request", "terminated"],
        reaped.map((r) => [r.deploymentId, `#${r.pull} (${r.state})`, String(r.terminated.length)])
      ),
      ""
    ].join("\n")
  );
  return reaped;
}
export {
  reapCommand
};
//# sourceMappingURL=reap-NYXAEBVB.js.map
