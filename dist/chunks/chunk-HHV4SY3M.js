import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  GONE,
  _ep0,
  _mw0,
  command
} from "./chunk-LXZS54HF.js";
import {
  describeInstances
} from "./chunk-NCEH4VHK.js";
import {
  backoff,
  chunk
} from "./chunk-P4BHK4MN.js";
import {
  CancelCommand$,
  GetCommandInvocation$,
  ListCommandInvocations$,
  SendCommand$,
  abortable
} from "./chunk-UE23O574.js";
import {
  DeployError,
  awsErrorCode,
  describeAwsError,
  isAbortError,
  isThrottlingError
} from "./chunk-4OVCB57H.js";

// node_modules/@aws-sdk/client-ssm/dist-es/commands/GetCommandInvocationCommand.js
var GetCommandInvocationCommand = class extends command(_ep0, _mw0, "GetCommandInvocation", GetCommandInvocation$) {
};

// node_modules/@aws-sdk/client-ssm/dist-es/commands/CancelCommandCommand.js
var CancelCommandCommand = class extends command(_ep0, _mw0, "CancelCommand", CancelCommand$) {
};

// node_modules/@aws-sdk/client-ssm/dist-es/commands/ListCommandInvocationsCommand.js
var ListCommandInvocationsCommand = class extends command(_ep0, _mw0, "ListCommandInvocations", ListCommandInvocations$) {
};

// node_modules/@aws-sdk/client-ssm/dist-es/commands/SendCommandCommand.js
var SendCommandCommand = class extends command(_ep0, _mw0, "SendCommand", SendCommand$) {
};

// node_modules/yocto-queue/index.js
var Node = class {
  value;
  next;
  constructor(value) {
    this.value = value;
  }
};
var Queue = class {
  #head;
  #tail;
  #size;
  constructor() {
    this.clear();
  }
  enqueue(value) {
    const node = new Node(value);
    if (this.#head) {
      this.#tail.next = node;
      this.#tail = node;
    } else {
      this.#head = node;
      this.#tail = node;
    }
    this.#size++;
  }
  dequeue() {
    const current = this.#head;
    if (!current) {
      return;
    }
    this.#head = this.#head.next;
    this.#size--;
    if (!this.#head) {
      this.#tail = void 0;
    }
    return current.value;
  }
  peek() {
    if (!this.#head) {
      return;
    }
    return this.#head.value;
  }
  clear() {
    this.#head = void 0;
    this.#tail = void 0;
    this.#size = 0;
  }
  get size() {
    return this.#size;
  }
  *[Symbol.iterator]() {
    let current = this.#head;
    while (current) {
      yield current.value;
      current = current.next;
    }
  }
  *drain() {
    while (this.#head) {
      yield this.dequeue();
    }
  }
};

// node_modules/p-limit/index.js
function pLimit(concurrency) {
  let rejectOnClear = false;
  if (typeof concurrency === "object") {
    ({ concurrency, rejectOnClear = false } = concurrency);
  }
  validateConcurrency(concurrency);
  if (typeof rejectOnClear !== "boolean") {
    throw new TypeError("Expected `rejectOnClear` to be a boolean");
  }
  const queue = new Queue();
  let activeCount = 0;
  const resumeNext = () => {
    if (activeCount < concurrency && queue.size > 0) {
      activeCount++;
      queue.dequeue().run();
    }
  };
  const next = () => {
    activeCount--;
    resumeNext();
  };
  const run = async (function_, resolve, arguments_) => {
    const result = (async () => function_(...arguments_))();
    resolve(result);
    try {
      await result;
    } catch {
    }
    next();
  };
  const enqueue = (function_, resolve, reject, arguments_) => {
    const queueItem = { reject };
    new Promise((internalResolve) => {
      queueItem.run = internalResolve;
      queue.enqueue(queueItem);
    }).then(run.bind(void 0, function_, resolve, arguments_));
    if (activeCount < concurrency) {
      resumeNext();
    }
  };
  const generator = (function_, ...arguments_) => new Promise((resolve, reject) => {
    enqueue(function_, resolve, reject, arguments_);
  });
  Object.defineProperties(generator, {
    activeCount: {
      get: () => activeCount
    },
    pendingCount: {
      get: () => queue.size
    },
    clearQueue: {
      value() {
        if (!rejectOnClear) {
          queue.clear();
          return;
        }
        const abortError = AbortSignal.abort().reason;
        while (queue.size > 0) {
          queue.dequeue().reject(abortError);
        }
      }
    },
    concurrency: {
      get: () => concurrency,
      set(newConcurrency) {
        validateConcurrency(newConcurrency);
        concurrency = newConcurrency;
        queueMicrotask(() => {
          while (activeCount < concurrency && queue.size > 0) {
            resumeNext();
          }
        });
      }
    },
    map: {
      async value(iterable, function_) {
        const promises = [];
        try {
          Array.from(iterable, (value, index) => {
            const promise = generator(function_, value, index);
            promises.push(promise);
            return promise;
          });
        } catch (error) {
          for (const promise of promises) {
            promise.catch(() => {
            });
          }
          throw error;
        }
        return Promise.all(promises);
      }
    }
  });
  return generator;
}
function validateConcurrency(concurrency) {
  if (!((Number.isInteger(concurrency) || concurrency === Number.POSITIVE_INFINITY) && concurrency > 0)) {
    throw new TypeError("Expected `concurrency` to be a number from 1 and up");
  }
}

// src/deliver/commands.ts
var SEND_BATCH = 50;
var DELIVERY_TIMEOUT_SECONDS = 120;
var TERMINAL = /* @__PURE__ */ new Set(["Success", "Failed", "TimedOut", "Cancelled"]);
var SENDS_IN_FLIGHT = 8;
var REGISTRATION_GRACE_MS = 2e4;
var WHOLE_BATCH_RETRIES = 2;
var INSTANCE_CHECK_MS = 1e4;
var limiters = /* @__PURE__ */ new WeakMap();
function sendLimit(ssm) {
  let limit = limiters.get(ssm);
  if (!limit) {
    limit = pLimit(SENDS_IN_FLIGHT);
    limiters.set(ssm, limit);
  }
  return limit;
}
async function sendCommand(ctx, instanceIds, spec) {
  const res = await sendLimit(ctx.ssm)(() => sendCommandNow(ctx, instanceIds, spec));
  const id = res.Command?.CommandId;
  if (!id) throw new DeployError("SendCommand returned no command id");
  return id;
}
function sendCommandNow(ctx, instanceIds, spec) {
  return ctx.ssm.send(
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
}
async function goneInstances(ec2, ids, signal) {
  const out = /* @__PURE__ */ new Map();
  try {
    for (const i of await describeInstances(ec2, ids, signal)) {
      const state = i.State?.Name ?? "";
      if (i.InstanceId && GONE.has(state)) {
        const reason = i.StateReason?.Code ? `, ${i.StateReason.Code}` : "";
        out.set(i.InstanceId, `${state}${reason}`);
      }
    }
  } catch (err) {
    if (isAbortError(err)) throw err;
  }
  return out;
}
async function followCommand(ctx, commandId, instanceIds, timeoutSeconds) {
  const results = /* @__PURE__ */ new Map();
  const deadline = ctx.clock.now() + (timeoutSeconds + DELIVERY_TIMEOUT_SECONDS + 60) * 1e3;
  const delays = backoff(ctx.poll);
  let nextCheck = ctx.clock.now() + INSTANCE_CHECK_MS;
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
    if (ctx.ec2 && ctx.clock.now() >= nextCheck) {
      nextCheck = ctx.clock.now() + INSTANCE_CHECK_MS;
      const waiting = instanceIds.filter((id) => !results.has(id));
      for (const [id, state] of await goneInstances(ctx.ec2, waiting, ctx.signal)) {
        results.set(id, {
          instanceId: id,
          commandId,
          status: "Failed",
          statusDetails: `the instance left while the command ran (${state}); SSM would show it InProgress until its timeout`
        });
      }
    }
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
  const deadline = ctx.clock.now() + REGISTRATION_GRACE_MS;
  const parts = await Promise.all(
    chunk(instanceIds, SEND_BATCH).map((batch) => runBatch(ctx, batch, spec, deadline))
  );
  const out = /* @__PURE__ */ new Map();
  for (const p of parts) for (const [k, v] of p) out.set(k, v);
  return out;
}
async function runBatch(ctx, batch, spec, deadline) {
  const delays = backoff({ initialMs: 500, maxMs: 4e3, factor: 1.5 });
  let wholeRetries = 0;
  for (; ; ) {
    let commandId;
    try {
      commandId = await sendCommand(ctx, batch, spec);
    } catch (err) {
      if (awsErrorCode(err) !== "InvalidInstanceId") {
        throw new DeployError(`SendCommand failed: ${describeAwsError(err)}`);
      }
      if (batch.length > 1 && wholeRetries < WHOLE_BATCH_RETRIES && ctx.clock.now() < deadline) {
        wholeRetries++;
        await ctx.clock.sleep(delays.next().value, ctx.signal);
        continue;
      }
      if (batch.length > 1) {
        const half = Math.ceil(batch.length / 2);
        const halves = await Promise.all([
          runBatch(ctx, batch.slice(0, half), spec, deadline),
          runBatch(ctx, batch.slice(half), spec, deadline)
        ]);
        return new Map(halves.flatMap((h) => [...h]));
      }
      const gone = ctx.ec2 ? await goneInstances(ctx.ec2, batch, ctx.signal) : /* @__PURE__ */ new Map();
      if (ctx.clock.now() < deadline && gone.size === 0) {
        await ctx.clock.sleep(delays.next().value, ctx.signal);
        continue;
      }
      const id = batch[0] ?? "";
      const left = gone.get(id);
      return /* @__PURE__ */ new Map([
        [
          id,
          {
            instanceId: id,
            status: "Undeliverable",
            statusDetails: `SendCommand refused: ${describeAwsError(err)}` + (left ? ` (the instance is ${left})` : "")
          }
        ]
      ]);
    }
    return followCommand(ctx, commandId, batch, spec.timeoutSeconds);
  }
}
var MEANINGS = {
  pending: "the SSM agent has not taken the command yet",
  inprogress: "the command is still running",
  delayed: "the agent could not take the command yet and will try again",
  success: "the command ran and exited 0",
  failed: "the command ran and exited with an error (or its instance went away)",
  cancelling: "the command is being cancelled",
  cancelled: "the command was cancelled before it ended",
  canceled: "the command was cancelled before it ended",
  timedout: "the command did not end in time",
  deliverytimedout: "the agent did not take the command before its delivery timeout",
  executiontimedout: "the command ran past its execution timeout and was stopped",
  undeliverable: "SSM could not deliver the command: the instance is not (or no longer) managed, or its agent is unreachable",
  terminated: "SSM stopped the command because it reached its error limit on other instances",
  invalidplatform: "the document does not run on this operating system",
  accessdenied: "the instance's role may not run this document"
};
function statusMeaning(statusOrDetails) {
  return MEANINGS[statusOrDetails.replace(/[^a-z]/gi, "").toLowerCase()];
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

export {
  GetCommandInvocationCommand,
  SEND_BATCH,
  runCommand,
  statusMeaning,
  tail,
  failureDetail
};
//# sourceMappingURL=chunk-HHV4SY3M.js.map
