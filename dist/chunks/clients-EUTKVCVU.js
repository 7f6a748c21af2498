import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  Clients,
  RETRY,
  abortable
} from "./chunk-DTPRKKXX.js";
import "./chunk-VHTXZ2YU.js";
import "./chunk-ZZ2SNOZL.js";
import "./chunk-26QGXXSG.js";
import "./chunk-2KBZCNNM.js";
import "./chunk-5UZIY2RH.js";
import "./chunk-DOESRUQL.js";
import "./chunk-5JFPBMIT.js";
import "./chunk-SLSPYRCZ.js";
export {
  Clients,
  RETRY,
  abortable
};
//# sourceMappingURL=clients-EUTKVCVU.js.map
