import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  loadOrThrow,
  validateCommand
} from "./chunk-4AJJHWQF.js";
import "./chunk-JRZGXVRJ.js";
import "./chunk-K2OHYL2R.js";
import "./chunk-3OWNIHIA.js";
import "./chunk-4G5IXWVH.js";
import "./chunk-SLSPYRCZ.js";
export {
  loadOrThrow,
  validateCommand
};
//# sourceMappingURL=validate-7LPZKEXE.js.map
