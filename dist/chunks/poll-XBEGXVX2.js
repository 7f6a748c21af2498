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
import "./chunk-SLSPYRCZ.js";
export {
  COMMAND_POLL,
  POLL,
  backoff,
  chunk,
  groupBy,
  mapLimit,
  realClock
};
//# sourceMappingURL=poll-XBEGXVX2.js.map
