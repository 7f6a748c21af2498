import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);

// src/cancellation.ts
async function withCancellation(log, fn) {
  const controller = new AbortController();
  const onSignal = (sig) => {
    if (controller.signal.aborted) {
      log.info(`received ${sig} again; still cleaning up`);
      return;
    }
    log.warning(`received ${sig}: cancelling, and terminating the instances this run launched`);
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    return await fn(controller.signal);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

export {
  withCancellation
};
//# sourceMappingURL=chunk-BY77YRZ3.js.map
