import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  require_picomatch
} from "./chunk-PYZIEBHB.js";
import "./chunk-5RNFVK3I.js";
export default require_picomatch();
//# sourceMappingURL=picomatch-ZKNQGGDM.js.map
