import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  COMMAND_POLL,
  POLL,
  backoff,
  chunk,
  groupBy,
  mapLimit,
  realClock
} from "./chunk-GIHDNEJT.js";
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
//# sourceMappingURL=poll-HCYDV36S.js.map
