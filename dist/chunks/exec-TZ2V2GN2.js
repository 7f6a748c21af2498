import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  execScript,
  findTargets,
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
import "./chunk-QL5CQV3S.js";
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

// src/commands/exec.ts
var EXEC_TIMEOUT_SECONDS = 3600;
async function execCommand(inputs, host, onTargets) {
  const script = execScript(inputs.argv);
  const { deploymentId, instances } = await findTargets(inputs, host);
  onTargets?.(instances);
  const results = await runRemote(host, instances, {
    script,
    timeoutSeconds: EXEC_TIMEOUT_SECONDS,
    comment: `spot-deployer exec ${deploymentId}`
  });
  const failed = results.filter((r) => r.status !== "Success" || (r.exitCode ?? -1) !== 0);
  return { deploymentId, instances, results, failed };
}
function describeResult(r) {
  return `${r.instanceId} (${r.region}): ${r.status}, exit ${r.exitCode ?? "-"}${r.detail ? ` (${r.detail})` : ""}`;
}
async function execAction(inputs, host) {
  if (inputs.run.trim() === "") throw new DeployError("command 'exec' needs the input 'run'");
  const res = await execCommand({ ...inputs, argv: ["bash", "-c", inputs.run] }, host);
  await reportRemote(host, "exec", res.deploymentId, res.results, {
    title: describeResult,
    header: ["status", "exit"],
    row: (r) => [r.status, String(r.exitCode ?? "-")]
  });
  if (res.failed.length > 0) {
    throw new DeployError(
      `the command failed on ${res.failed.length} of ${res.results.length} instances: ` + res.failed.map(describeResult).join("; ")
    );
  }
  host.log.info(
    `the command succeeded on ${res.results.length} instance${res.results.length === 1 ? "" : "s"}`
  );
}
export {
  EXEC_TIMEOUT_SECONDS,
  describeResult,
  execAction,
  execCommand
};
//# sourceMappingURL=exec-TZ2V2GN2.js.map
