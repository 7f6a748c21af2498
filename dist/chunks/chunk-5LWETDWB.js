import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);

// src/diagnostics.ts
function formatDiagnostic(d) {
  return `${d.file}:${d.line}:${d.col}: ${d.severity}: ${d.message}`;
}
var ActionError = class extends Error {
  kind;
  diagnostics;
  constructor(kind, message, diagnostics = []) {
    super(message);
    this.name = "ActionError";
    this.kind = kind;
    this.diagnostics = diagnostics;
  }
};
var UserError = class extends ActionError {
  constructor(message, diagnostics = []) {
    super("manifest", message, diagnostics);
    this.name = "UserError";
  }
};
function errorMessage(err) {
  return err instanceof Error ? err.message : String(err);
}

export {
  formatDiagnostic,
  ActionError,
  UserError,
  errorMessage
};
//# sourceMappingURL=chunk-5LWETDWB.js.map
