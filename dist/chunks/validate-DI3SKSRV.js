import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  loadOrThrow,
  validateCommand
} from "./chunk-PKMFFGRQ.js";
import "./chunk-UFNSKX7B.js";
import "./chunk-762IFG6K.js";
import "./chunk-3OWNIHIA.js";
import "./chunk-4G5IXWVH.js";
import "./chunk-SLSPYRCZ.js";
export {
  loadOrThrow,
  validateCommand
};
//# sourceMappingURL=validate-DI3SKSRV.js.map
