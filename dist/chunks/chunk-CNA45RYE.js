import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  error,
  notice,
  warning
} from "./chunk-ZQI4S6B5.js";

// src/annotate.ts
function annotate(d) {
  const props = {
    file: d.file,
    ...d.line > 0 ? { startLine: d.line } : {},
    ...d.col > 0 ? { startColumn: d.col } : {}
  };
  if (d.severity === "error") error(d.message, props);
  else if (d.severity === "notice") notice(d.message, props);
  else warning(d.message, props);
}

export {
  annotate
};
//# sourceMappingURL=chunk-CNA45RYE.js.map
