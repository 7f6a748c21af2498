import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  loadOrThrow,
  validateCommand
} from "./chunk-VEQ3MLU7.js";
import "./chunk-TZFXLC47.js";
import "./chunk-3OWNIHIA.js";
import "./chunk-762IFG6K.js";
import "./chunk-4G5IXWVH.js";
import "./chunk-SLSPYRCZ.js";
export {
  loadOrThrow,
  validateCommand
};
//# sourceMappingURL=validate-ERVBBQDU.js.map
