import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  DESTROY_TIMEOUT_SECONDS,
  destroyCommand,
  manifestRegions,
  searchRegions
} from "./chunk-F54O7WJV.js";
import "./chunk-4DJKKYXP.js";
import "./chunk-2HABILYQ.js";
import "./chunk-DTPRKKXX.js";
import "./chunk-PGOONENN.js";
import "./chunk-VHTXZ2YU.js";
import "./chunk-ZZ2SNOZL.js";
import "./chunk-26QGXXSG.js";
import "./chunk-2KBZCNNM.js";
import "./chunk-5UZIY2RH.js";
import "./chunk-CPITSMUT.js";
import "./chunk-6QLUEHOR.js";
import "./chunk-MEXPPU4T.js";
import "./chunk-JVXDG6VL.js";
import "./chunk-TZFXLC47.js";
import "./chunk-3OWNIHIA.js";
import "./chunk-762IFG6K.js";
import "./chunk-4G5IXWVH.js";
import "./chunk-DOESRUQL.js";
import "./chunk-5JFPBMIT.js";
import "./chunk-SLSPYRCZ.js";
export {
  DESTROY_TIMEOUT_SECONDS,
  destroyCommand,
  manifestRegions,
  searchRegions
};
//# sourceMappingURL=destroy-ZANZ7M3P.js.map
