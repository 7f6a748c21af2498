import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  COMMAND_POLL,
  POLL,
  backoff,
  byRegion,
  chunk,
  mapLimit,
  realClock
} from "./chunk-PGOONENN.js";
import "./chunk-SLSPYRCZ.js";
export {
  COMMAND_POLL,
  POLL,
  backoff,
  byRegion,
  chunk,
  mapLimit,
  realClock
};
//# sourceMappingURL=poll-FATXQG56.js.map
