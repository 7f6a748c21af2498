import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  Clients,
  RETRY,
  abortable
} from "./chunk-KI4JSLVG.js";
import "./chunk-6VYKP37K.js";
import "./chunk-5RNFVK3I.js";
export {
  Clients,
  RETRY,
  abortable
};
//# sourceMappingURL=clients-YUIOHYCZ.js.map
