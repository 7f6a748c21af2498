import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  COMMAND_POLL,
  POLL,
  backoff,
  chunk,
  groupBy,
  mapLimit,
  realClock
} from "./chunk-7WFD3UC7.js";
import "./chunk-5RNFVK3I.js";
export {
  COMMAND_POLL,
  POLL,
  backoff,
  chunk,
  groupBy,
  mapLimit,
  realClock
};
//# sourceMappingURL=poll-VPH7SYU3.js.map
