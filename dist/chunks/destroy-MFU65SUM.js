import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  destroyTagged,
  terminateInstances
} from "./chunk-2HABILYQ.js";
import "./chunk-DTPRKKXX.js";
import "./chunk-PGOONENN.js";
import "./chunk-VHTXZ2YU.js";
import "./chunk-ZZ2SNOZL.js";
import "./chunk-26QGXXSG.js";
import "./chunk-2KBZCNNM.js";
import "./chunk-5UZIY2RH.js";
import "./chunk-CPITSMUT.js";
import "./chunk-JVXDG6VL.js";
import "./chunk-4G5IXWVH.js";
import "./chunk-DOESRUQL.js";
import "./chunk-5JFPBMIT.js";
import "./chunk-SLSPYRCZ.js";
export {
  destroyTagged,
  terminateInstances
};
//# sourceMappingURL=destroy-MFU65SUM.js.map
