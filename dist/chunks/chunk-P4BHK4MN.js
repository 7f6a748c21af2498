import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);

// src/aws/poll.ts
import { setTimeout as delay } from "node:timers/promises";
var realClock = {
  now: () => Date.now(),
  sleep: async (ms, signal) => {
    await delay(ms, void 0, signal ? { signal } : {});
  }
};
var POLL = { initialMs: 500, maxMs: 5e3, factor: 1.5 };
var COMMAND_POLL = { initialMs: 150, maxMs: 4e3, factor: 1.4 };
function* backoff(o = POLL) {
  let ms = o.initialMs;
  for (; ; ) {
    yield Math.round(ms);
    ms = Math.min(o.maxMs, ms * o.factor);
  }
}
function chunk(items, size) {
  const out = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
function byRegion(items) {
  const out = /* @__PURE__ */ new Map();
  for (const i of items) {
    const list = out.get(i.region);
    if (list) list.push(i.id);
    else out.set(i.region, [i.id]);
  }
  return out;
}
async function mapLimit(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export {
  realClock,
  POLL,
  COMMAND_POLL,
  backoff,
  chunk,
  byRegion,
  mapLimit
};
//# sourceMappingURL=chunk-P4BHK4MN.js.map
