import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  loadOrThrow,
  validateCommand
} from "./chunk-CKOWOM3Y.js";
import "./chunk-QL5CQV3S.js";
import "./chunk-BEC6WV65.js";
import "./chunk-NIG5AYO3.js";
import "./chunk-5LWETDWB.js";
import "./chunk-SLSPYRCZ.js";
export {
  loadOrThrow,
  validateCommand
};
//# sourceMappingURL=validate-TU5VMJS6.js.map
