import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  loadOrThrow,
  validateCommand
} from "./chunk-X7VUQJNZ.js";
import "./chunk-73QRAMNX.js";
import "./chunk-BEC6WV65.js";
import "./chunk-C4HKCQZY.js";
import "./chunk-5LWETDWB.js";
import "./chunk-SLSPYRCZ.js";
export {
  loadOrThrow,
  validateCommand
};
//# sourceMappingURL=validate-RZSVUKYP.js.map
