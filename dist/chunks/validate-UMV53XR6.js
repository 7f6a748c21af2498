import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  loadOrThrow,
  validateCommand
} from "./chunk-B5JB5UGE.js";
import "./chunk-A7VA35VJ.js";
import "./chunk-BEC6WV65.js";
import "./chunk-NIG5AYO3.js";
import "./chunk-5LWETDWB.js";
import "./chunk-SLSPYRCZ.js";
export {
  loadOrThrow,
  validateCommand
};
//# sourceMappingURL=validate-UMV53XR6.js.map
