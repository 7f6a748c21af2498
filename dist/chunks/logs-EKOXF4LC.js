import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  manifestServices
} from "./chunk-IVI422JG.js";
import "./chunk-GYQ757SJ.js";
import {
  findTargets,
  logsScript,
  reportRemote,
  runRemote
} from "./chunk-XN4I4DHM.js";
import "./chunk-HHV4SY3M.js";
import "./chunk-ET7XX2IW.js";
import "./chunk-KXLZV4D5.js";
import "./chunk-FQMHTO7E.js";
import "./chunk-LXZS54HF.js";
import "./chunk-NCEH4VHK.js";
import "./chunk-DFAL24WV.js";
import "./chunk-DPXUJE6X.js";
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
import {
  parseDuration
} from "./chunk-A4JSAB4L.js";
import "./chunk-NIG5AYO3.js";
import "./chunk-5LWETDWB.js";
import "./chunk-DOESRUQL.js";
import "./chunk-RZQHOU5W.js";
import "./chunk-26QGXXSG.js";
import "./chunk-RLOAZQV4.js";
import "./chunk-5UZIY2RH.js";
import "./chunk-5JFPBMIT.js";
import "./chunk-SLSPYRCZ.js";

// src/commands/logs.ts
var NAME_THEM = "name the services (input service, or --service on the command line)";
async function servicesToRead(inputs, host) {
  if (inputs.services.length > 0) return inputs.services;
  const facts = await manifestServices(inputs.path, fallbackRegion(host.env, inputs.regions));
  if ("problem" in facts) {
    throw new DeployError(`no service to read: ${facts.problem}; ${NAME_THEM}`);
  }
  if (facts.services.length === 0) {
    throw new DeployError(
      `no service to read: the manifest at '${inputs.path}' starts none; ${NAME_THEM}`
    );
  }
  return facts.services;
}
async function logsCommand(inputs, host) {
  const services = await servicesToRead(inputs, host);
  const sinceSeconds = inputs.since ? parseDuration("since", inputs.since, "m") : void 0;
  const script = logsScript({
    services,
    lines: inputs.lines,
    ...sinceSeconds !== void 0 ? { sinceSeconds } : {},
    ...inputs.grep !== void 0 ? { grep: inputs.grep } : {}
  });
  const { deploymentId, instances } = await findTargets(inputs, host);
  const results = await runRemote(host, instances, {
    script,
    timeoutSeconds: 120,
    comment: `spot-deployer logs ${deploymentId}`
  });
  return { deploymentId, services, results };
}
var lineCount = (text) => text.trim() === "" ? 0 : text.trimEnd().split("\n").length;
async function logsAction(inputs, host) {
  const res = await logsCommand(inputs, host);
  await reportRemote(host, "logs", res.deploymentId, res.results, {
    title: (r) => `${r.instanceId} (${r.region}): ${lineCount(r.stdout)} lines`,
    header: ["lines", "status"],
    row: (r) => [String(lineCount(r.stdout)), r.status]
  });
  const failed = res.results.filter((r) => r.status !== "Success");
  host.log.info(
    `logs of ${res.services.join(", ")} from ${res.results.length} instance${res.results.length === 1 ? "" : "s"} of ${res.deploymentId}` + (failed.length > 0 ? `; ${failed.length} could not be read` : "")
  );
  for (const r of failed)
    host.log.warning(`${r.instanceId}: logs not read: ${r.status} ${r.detail ?? ""}`);
}
export {
  logsAction,
  logsCommand
};
//# sourceMappingURL=logs-EKOXF4LC.js.map
