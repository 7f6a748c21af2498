import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  loadOrThrow,
  validateCommand
} from "./chunk-A4QO7SXI.js";
import "./chunk-2H3DWICU.js";
import "./chunk-3OWNIHIA.js";
import "./chunk-4G5IXWVH.js";
import "./chunk-SLSPYRCZ.js";
export {
  loadOrThrow,
  validateCommand
};
//# sourceMappingURL=validate-LJJ6VD6O.js.map
