import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  require_picomatch
} from "./chunk-MGZNPMRM.js";
import "./chunk-SLSPYRCZ.js";
export default require_picomatch();
//# sourceMappingURL=picomatch-MHIA4Z2B.js.map
