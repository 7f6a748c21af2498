import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  loadOrThrow,
  validateCommand
} from "./chunk-6KKB7GI2.js";
import "./chunk-TZFXLC47.js";
import "./chunk-3OWNIHIA.js";
import "./chunk-762IFG6K.js";
import "./chunk-A4JNTSKT.js";
import "./chunk-SLSPYRCZ.js";
export {
  loadOrThrow,
  validateCommand
};
//# sourceMappingURL=validate-QEMVB5PL.js.map
