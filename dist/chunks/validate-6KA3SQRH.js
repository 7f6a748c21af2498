import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  loadOrThrow,
  validateCommand
} from "./chunk-2CUO46J6.js";
import "./chunk-5XESJCFS.js";
import "./chunk-INU4A3ZG.js";
import "./chunk-C4HKCQZY.js";
import "./chunk-5LWETDWB.js";
import "./chunk-SLSPYRCZ.js";
export {
  loadOrThrow,
  validateCommand
};
//# sourceMappingURL=validate-6KA3SQRH.js.map
