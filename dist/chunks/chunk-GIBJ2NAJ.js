import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  _ep02 as _ep0,
  _mw02 as _mw0,
  command2 as command
} from "./chunk-2HABILYQ.js";
import {
  CancelCommand$,
  GetCommandInvocation$,
  ListCommandInvocations$,
  SendCommand$,
  abortable
} from "./chunk-DTPRKKXX.js";
import {
  backoff,
  chunk
} from "./chunk-PGOONENN.js";
import {
  DeployError,
  awsErrorCode,
  describeAwsError,
  isThrottlingError
} from "./chunk-CPITSMUT.js";
import {
  setOutput
} from "./chunk-6QLUEHOR.js";

// src/report/outputs.ts
function instanceRecord(i, health) {
  return {
    id: i.id,
    region: i.region,
    zone: i.zone ?? "",
    type: i.instanceType,
    lifecycle: i.lifecycle,
    state: i.state,
    "public-ip": i.publicIp ?? "",
    "private-ip": i.privateIp ?? "",
    health
  };
}
function setInstanceOutputs(deploymentId, records, regions) {
  setOutput("deployment-id", deploymentId);
  setOutput("instance-ids", JSON.stringify(records.map((r) => r.id)));
  setOutput(
    "public-ips",
    JSON.stringify(records.map((r) => r["public-ip"]).filter((ip) => ip !== ""))
  );
  setOutput(
    "private-ips",
    JSON.stringify(records.map((r) => r["private-ip"]).filter((ip) => ip !== ""))
  );
  setOutput("instances", JSON.stringify(records));
  setOutput("regions", JSON.stringify(regions));
}

// node_modules/@aws-sdk/client-ssm/dist-es/commands/CancelCommandCommand.js
var CancelCommandCommand = class extends command(_ep0, _mw0, "CancelCommand", CancelCommand$) {
};

// node_modules/@aws-sdk/client-ssm/dist-es/commands/GetCommandInvocationCommand.js
var GetCommandInvocationCommand = class extends command(_ep0, _mw0, "GetCommandInvocation", GetCommandInvocation$) {
};

// node_modules/@aws-sdk/client-ssm/dist-es/commands/ListCommandInvocationsCommand.js
var ListCommandInvocationsCommand = class extends command(_ep0, _mw0, "ListCommandInvocations", ListCommandInvocations$) {
};

// node_modules/@aws-sdk/client-ssm/dist-es/commands/SendCommandCommand.js
var SendCommandCommand = class extends command(_ep0, _mw0, "SendCommand", SendCommand$) {
};

// src/deliver/commands.ts
var SEND_BATCH = 50;
var DELIVERY_TIMEOUT_SECONDS = 120;
var TERMINAL = /* @__PURE__ */ new Set(["Success", "Failed", "TimedOut", "Cancelled"]);
async function sendCommand(ctx, instanceIds, spec) {
  const res = await ctx.ssm.send(
    new SendCommandCommand({
      DocumentName: "AWS-RunShellScript",
      InstanceIds: [...instanceIds],
      Parameters: {
        commands: [spec.script],
        executionTimeout: [String(spec.timeoutSeconds)]
      },
      TimeoutSeconds: DELIVERY_TIMEOUT_SECONDS,
      Comment: spec.comment.slice(0, 100)
    }),
    abortable(ctx.signal)
  );
  const id = res.Command?.CommandId;
  if (!id) throw new DeployError("SendCommand returned no command id");
  return id;
}
async function followCommand(ctx, commandId, instanceIds, timeoutSeconds) {
  const results = /* @__PURE__ */ new Map();
  const deadline = ctx.clock.now() + (timeoutSeconds + DELIVERY_TIMEOUT_SECONDS + 60) * 1e3;
  const delays = backoff(ctx.poll);
  for (; ; ) {
    let NextToken;
    do {
      let page;
      try {
        page = await ctx.ssm.send(
          new ListCommandInvocationsCommand({
            CommandId: commandId,
            Details: true,
            MaxResults: 50,
            ...NextToken ? { NextToken } : {}
          }),
          abortable(ctx.signal)
        );
      } catch (err) {
        if (isThrottlingError(err)) break;
        throw err;
      }
      for (const inv of page.CommandInvocations ?? []) {
        if (!inv.InstanceId || !inv.Status || !TERMINAL.has(inv.Status)) continue;
        const plugin = inv.CommandPlugins?.[0];
        results.set(inv.InstanceId, {
          instanceId: inv.InstanceId,
          commandId,
          status: inv.Status,
          ...inv.StatusDetails ? { statusDetails: inv.StatusDetails } : {},
          ...plugin?.ResponseCode !== void 0 ? { responseCode: plugin.ResponseCode } : {},
          ...plugin?.Output !== void 0 ? { output: plugin.Output } : {}
        });
      }
      NextToken = page.NextToken;
    } while (NextToken);
    if (instanceIds.every((id) => results.has(id))) return results;
    if (ctx.clock.now() >= deadline) break;
    await ctx.clock.sleep(delays.next().value, ctx.signal);
  }
  const late = instanceIds.filter((id) => !results.has(id));
  try {
    await ctx.ssm.send(
      new CancelCommandCommand({ CommandId: commandId, InstanceIds: late }),
      abortable(ctx.signal)
    );
  } catch {
  }
  for (const id of late) {
    results.set(id, {
      instanceId: id,
      commandId,
      status: "TimedOut",
      statusDetails: `no result within ${timeoutSeconds + DELIVERY_TIMEOUT_SECONDS + 60} s`
    });
  }
  return results;
}
async function runCommand(ctx, instanceIds, spec) {
  const parts = await Promise.all(
    chunk(instanceIds, SEND_BATCH).map(async (batch) => {
      let commandId;
      try {
        commandId = await sendCommand(ctx, batch, spec);
      } catch (err) {
        if (awsErrorCode(err) === "InvalidInstanceId") {
          if (batch.length > 1) {
            const half = Math.ceil(batch.length / 2);
            const halves = await Promise.all([
              runCommand(ctx, batch.slice(0, half), spec),
              runCommand(ctx, batch.slice(half), spec)
            ]);
            return new Map(halves.flatMap((h) => [...h]));
          }
          return new Map(
            batch.map((id) => [
              id,
              {
                instanceId: id,
                status: "Undeliverable",
                statusDetails: `SendCommand refused: ${describeAwsError(err)}`
              }
            ])
          );
        }
        throw new DeployError(`SendCommand failed: ${describeAwsError(err)}`);
      }
      return followCommand(ctx, commandId, batch, spec.timeoutSeconds);
    })
  );
  const out = /* @__PURE__ */ new Map();
  for (const p of parts) for (const [k, v] of p) out.set(k, v);
  return out;
}
function tail(text, lines = 40) {
  const all = text.replace(/\n+$/, "").split("\n");
  return all.length <= lines ? all.join("\n") : ["\u2026", ...all.slice(-lines)].join("\n");
}
async function failureDetail(ctx, r, lines = 40) {
  if (!r.commandId) {
    return {
      stdoutTail: "",
      stderrTail: "",
      ...r.statusDetails ? { statusDetails: r.statusDetails } : {}
    };
  }
  try {
    const inv = await ctx.ssm.send(
      new GetCommandInvocationCommand({ CommandId: r.commandId, InstanceId: r.instanceId }),
      abortable(ctx.signal)
    );
    return {
      stdoutTail: tail(inv.StandardOutputContent ?? "", lines),
      stderrTail: tail(inv.StandardErrorContent ?? "", lines),
      ...inv.ResponseCode !== void 0 ? { responseCode: inv.ResponseCode } : {},
      ...inv.StatusDetails ?? r.statusDetails ? { statusDetails: inv.StatusDetails ?? r.statusDetails ?? "" } : {}
    };
  } catch (err) {
    return {
      stdoutTail: tail(r.output ?? "", lines),
      stderrTail: `(GetCommandInvocation failed: ${describeAwsError(err)})`
    };
  }
}

// src/verify/services.ts
var shellQuote = (s) => `'${s.replace(/'/g, `'\\''`)}'`;
function serviceCheckScript(services) {
  return [
    "#!/bin/bash",
    `for s in ${services.map(shellQuote).join(" ")}; do`,
    '  printf "%s=%s\\n" "$s" "$(systemctl is-active "$s.service" 2>/dev/null || true)"',
    "done"
  ].join("\n");
}
function parseServiceStates(output, services) {
  const out = {};
  for (const line of output.split("\n")) {
    const eq = line.indexOf("=");
    if (eq <= 0) continue;
    const name = line.slice(0, eq).trim();
    if (services.includes(name)) out[name] = line.slice(eq + 1).trim() || "unknown";
  }
  for (const s of services) out[s] ??= "unknown";
  return out;
}
function healthOf(r, services) {
  if (!r || r.status !== "Success") {
    return {
      health: "unknown",
      services: {},
      detail: `service check did not run: ${r ? r.status : "no result"}${r?.statusDetails ? ` (${r.statusDetails})` : ""}`
    };
  }
  const states = parseServiceStates(r.output ?? "", services);
  const bad = Object.entries(states).filter(([, st]) => st !== "active");
  return bad.length === 0 ? { health: "healthy", services: states } : {
    health: "unhealthy",
    services: states,
    detail: bad.map(([n, st]) => `service ${n} is ${st}`).join(", ")
  };
}
async function checkServices(ctx, instanceIds, services, comment) {
  const out = /* @__PURE__ */ new Map();
  if (services.length === 0) {
    for (const id of instanceIds) out.set(id, { health: "healthy", services: {} });
    return out;
  }
  if (instanceIds.length === 0) return out;
  const results = await runCommand(ctx, instanceIds, {
    script: serviceCheckScript(services),
    timeoutSeconds: 60,
    comment
  });
  for (const id of instanceIds) out.set(id, healthOf(results.get(id), services));
  return out;
}

export {
  SEND_BATCH,
  runCommand,
  failureDetail,
  instanceRecord,
  setInstanceOutputs,
  checkServices
};
//# sourceMappingURL=chunk-GIBJ2NAJ.js.map
