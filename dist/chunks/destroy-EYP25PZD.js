import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  destroyTagged
} from "./chunk-GULAFQW7.js";
import "./chunk-KI4JSLVG.js";
import "./chunk-7WFD3UC7.js";
import "./chunk-J6PNY4N6.js";
import "./chunk-BHATZNAV.js";
import "./chunk-4G5IXWVH.js";
import "./chunk-6VYKP37K.js";
import "./chunk-5RNFVK3I.js";
export {
  destroyTagged
};
//# sourceMappingURL=destroy-EYP25PZD.js.map
