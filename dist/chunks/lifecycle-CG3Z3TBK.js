import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  LiveView,
  hostEnv,
  onTerminalHost,
  outputMode,
  outputsDocument,
  targetId
} from "./chunk-R4HL3CGN.js";
import "./chunk-63JJSYQO.js";
import "./chunk-XJLXGMQD.js";
import {
  inPhase
} from "./chunk-HCODADNL.js";
import "./chunk-SNYK7PHB.js";
import "./chunk-DFAL24WV.js";
import "./chunk-DPXUJE6X.js";
import "./chunk-P4BHK4MN.js";
import "./chunk-UE23O574.js";
import "./chunk-XTVJNGXJ.js";
import "./chunk-BY77YRZ3.js";
import {
  inputsOf
} from "./chunk-AOH4AXCE.js";
import "./chunk-4OVCB57H.js";
import "./chunk-A4JSAB4L.js";
import "./chunk-NIG5AYO3.js";
import "./chunk-5LWETDWB.js";
import "./chunk-DOESRUQL.js";
import "./chunk-RZQHOU5W.js";
import "./chunk-26QGXXSG.js";
import "./chunk-RLOAZQV4.js";
import "./chunk-5UZIY2RH.js";
import "./chunk-5JFPBMIT.js";
import "./chunk-SLSPYRCZ.js";

// src/terminal/lifecycle.ts
async function hosted(verb, args, io, run) {
  const id = await targetId(args);
  const inputs = await inputsOf(args, id, io.env);
  const live = new LiveView(io.out, outputMode(io.out, args.flags.json === true));
  const options = {
    io,
    live,
    title: `spot-deployer ${verb} ${id}`,
    env: await hostEnv(args.dir),
    ...args.flags.summary ? { summaryFile: args.flags.summary } : {}
  };
  return onTerminalHost(options, async (host) => {
    for (const value of Object.values(inputs.secrets)) host.mask(value);
    try {
      await run(inputs, host);
    } finally {
      live.finish(finalView(host));
      if (live.mode === "json")
        io.out.write(JSON.stringify(outputsDocument(host.outputs), null, 2) + "\n");
    }
    return 0;
  });
}
function finalView(host) {
  const state = host.view();
  const reported = host.outputs.get("instances");
  const instances = reported ? JSON.parse(reported) : state.instances;
  return { ...state, instances };
}
async function deployMain(args, io) {
  const { deployCommand } = await import("./deploy-247UL7U7.js");
  return hosted("deploy", args, io, deployCommand);
}
async function statusMain(args, io) {
  const { statusCommand } = await import("./status-U42S3C7F.js");
  return hosted(
    "status",
    args,
    io,
    (inputs, host) => inPhase(host, "find instances and check services", () => statusCommand(inputs, host))
  );
}
async function destroyMain(args, io) {
  const { destroyCommand } = await import("./destroy-7QUROQ5T.js");
  return hosted(
    "destroy",
    args,
    io,
    (inputs, host) => inPhase(host, "find and terminate instances", () => destroyCommand(inputs, host))
  );
}
export {
  deployMain,
  destroyMain,
  statusMain
};
//# sourceMappingURL=lifecycle-CG3Z3TBK.js.map
