import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  config_schema_default,
  deployment_schema_default
} from "./chunk-BEC6WV65.js";
import {
  ENV_NAME,
  PACKAGE_NAME,
  SCRIPT_NAME,
  durationSeconds,
  envNameProblem,
  octalMode,
  scalarString,
  unitNameProblem
} from "./chunk-NIG5AYO3.js";
import {
  __commonJS,
  __require,
  __toESM
} from "./chunk-SLSPYRCZ.js";

// node_modules/yaml/dist/nodes/identity.js
var require_identity = __commonJS({
  "node_modules/yaml/dist/nodes/identity.js"(exports) {
    "use strict";
    var ALIAS = /* @__PURE__ */ Symbol.for("yaml.alias");
    var DOC = /* @__PURE__ */ Symbol.for("yaml.document");
    var MAP = /* @__PURE__ */ Symbol.for("yaml.map");
    var PAIR = /* @__PURE__ */ Symbol.for("yaml.pair");
    var SCALAR = /* @__PURE__ */ Symbol.for("yaml.scalar");
    var SEQ = /* @__PURE__ */ Symbol.for("yaml.seq");
    var NODE_TYPE = /* @__PURE__ */ Symbol.for("yaml.node.type");
    var isAlias2 = (node) => !!node && typeof node === "object" && node[NODE_TYPE] === ALIAS;
    var isDocument = (node) => !!node && typeof node === "object" && node[NODE_TYPE] === DOC;
    var isMap2 = (node) => !!node && typeof node === "object" && node[NODE_TYPE] === MAP;
    var isPair2 = (node) => !!node && typeof node === "object" && node[NODE_TYPE] === PAIR;
    var isScalar2 = (node) => !!node && typeof node === "object" && node[NODE_TYPE] === SCALAR;
    var isSeq2 = (node) => !!node && typeof node === "object" && node[NODE_TYPE] === SEQ;
    function isCollection(node) {
      if (node && typeof node === "object")
        switch (node[NODE_TYPE]) {
          case MAP:
          case SEQ:
            return true;
        }
      return false;
    }
    function isNode2(node) {
      if (node && typeof node === "object")
        switch (node[NODE_TYPE]) {
          case ALIAS:
          case MAP:
          case SCALAR:
          case SEQ:
            return true;
        }
      return false;
    }
    var hasAnchor = (node) => (isScalar2(node) || isCollection(node)) && !!node.anchor;
    exports.ALIAS = ALIAS;
    exports.DOC = DOC;
    exports.MAP = MAP;
    exports.NODE_TYPE = NODE_TYPE;
    exports.PAIR = PAIR;
    exports.SCALAR = SCALAR;
    exports.SEQ = SEQ;
    exports.hasAnchor = hasAnchor;
    exports.isAlias = isAlias2;
    exports.isCollection = isCollection;
    exports.isDocument = isDocument;
    exports.isMap = isMap2;
    exports.isNode = isNode2;
    exports.isPair = isPair2;
    exports.isScalar = isScalar2;
    exports.isSeq = isSeq2;
  }
});

// node_modules/yaml/dist/visit.js
var require_visit = __commonJS({
  "node_modules/yaml/dist/visit.js"(exports) {
    "use strict";
    var identity = require_identity();
    var BREAK = /* @__PURE__ */ Symbol("break visit");
    var SKIP = /* @__PURE__ */ Symbol("skip children");
    var REMOVE = /* @__PURE__ */ Symbol("remove node");
    function visit2(node, visitor) {
      const visitor_ = initVisitor(visitor);
      if (identity.isDocument(node)) {
        const cd = visit_(null, node.contents, visitor_, Object.freeze([node]));
        if (cd === REMOVE)
          node.contents = null;
      } else
        visit_(null, node, visitor_, Object.freeze([]));
    }
    visit2.BREAK = BREAK;
    visit2.SKIP = SKIP;
    visit2.REMOVE = REMOVE;
    function visit_(key, node, visitor, path) {
      const ctrl = callVisitor(key, node, visitor, path);
      if (identity.isNode(ctrl) || identity.isPair(ctrl)) {
        replaceNode(key, path, ctrl);
        return visit_(key, ctrl, visitor, path);
      }
      if (typeof ctrl !== "symbol") {
        if (identity.isCollection(node)) {
          path = Object.freeze(path.concat(node));
          for (let i = 0; i < node.items.length; ++i) {
            const ci = visit_(i, node.items[i], visitor, path);
            if (typeof ci === "number")
              i = ci - 1;
            else if (ci === BREAK)
              return BREAK;
            else if (ci === REMOVE) {
              node.items.splice(i, 1);
              i -= 1;
            }
          }
        } else if (identity.isPair(node)) {
          path = Object.freeze(path.concat(node));
          const ck = visit_("key", node.key, visitor, path);
          if (ck === BREAK)
            return BREAK;
          else if (ck === REMOVE)
            node.key = null;
          const cv = visit_("value", node.value, visitor, path);
          if (cv === BREAK)
            return BREAK;
          else if (cv === REMOVE)
            node.value = null;
        }
      }
      return ctrl;
    }
    async function visitAsync(node, visitor) {
      const visitor_ = initVisitor(visitor);
      if (identity.isDocument(node)) {
        const cd = await visitAsync_(null, node.contents, visitor_, Object.freeze([node]));
        if (cd === REMOVE)
          node.contents = null;
      } else
        await visitAsync_(null, node, visitor_, Object.freeze([]));
    }
    visitAsync.BREAK = BREAK;
    visitAsync.SKIP = SKIP;
    visitAsync.REMOVE = REMOVE;
    async function visitAsync_(key, node, visitor, path) {
      const ctrl = await callVisitor(key, node, visitor, path);
      if (identity.isNode(ctrl) || identity.isPair(ctrl)) {
        replaceNode(key, path, ctrl);
        return visitAsync_(key, ctrl, visitor, path);
      }
      if (typeof ctrl !== "symbol") {
        if (identity.isCollection(node)) {
          path = Object.freeze(path.concat(node));
          for (let i = 0; i < node.items.length; ++i) {
            const ci = await visitAsync_(i, node.items[i], visitor, path);
            if (typeof ci === "number")
              i = ci - 1;
            else if (ci === BREAK)
              return BREAK;
            else if (ci === REMOVE) {
              node.items.splice(i, 1);
              i -= 1;
            }
          }
        } else if (identity.isPair(node)) {
          path = Object.freeze(path.concat(node));
          const ck = await visitAsync_("key", node.key, visitor, path);
          if (ck === BREAK)
            return BREAK;
          else if (ck === REMOVE)
            node.key = null;
          const cv = await visitAsync_("value", node.value, visitor, path);
          if (cv === BREAK)
            return BREAK;
          else if (cv === REMOVE)
            node.value = null;
        }
      }
      return ctrl;
    }
    function initVisitor(visitor) {
      if (typeof visitor === "object" && (visitor.Collection || visitor.Node || visitor.Value)) {
        return Object.assign({
          Alias: visitor.Node,
          Map: visitor.Node,
          Scalar: visitor.Node,
          Seq: visitor.Node
        }, visitor.Value && {
          Map: visitor.Value,
          Scalar: visitor.Value,
          Seq: visitor.Value
        }, visitor.Collection && {
          Map: visitor.Collection,
          Seq: visitor.Collection
        }, visitor);
      }
      return visitor;
    }
    function callVisitor(key, node, visitor, path) {
      if (typeof visitor === "function")
        return visitor(key, node, path);
      if (identity.isMap(node))
        return visitor.Map?.(key, node, path);
      if (identity.isSeq(node))
        return visitor.Seq?.(key, node, path);
      if (identity.isPair(node))
        return visitor.Pair?.(key, node, path);
      if (identity.isScalar(node))
        return visitor.Scalar?.(key, node, path);
      if (identity.isAlias(node))
        return visitor.Alias?.(key, node, path);
      return void 0;
    }
    function replaceNode(key, path, node) {
      const parent = path[path.length - 1];
      if (identity.isCollection(parent)) {
        parent.items[key] = node;
      } else if (identity.isPair(parent)) {
        if (key === "key")
          parent.key = node;
        else
          parent.value = node;
      } else if (identity.isDocument(parent)) {
        parent.contents = node;
      } else {
        const pt = identity.isAlias(parent) ? "alias" : "scalar";
        throw new Error(`Cannot replace node with ${pt} parent`);
      }
    }
    exports.visit = visit2;
    exports.visitAsync = visitAsync;
  }
});

// node_modules/yaml/dist/doc/directives.js
var require_directives = __commonJS({
  "node_modules/yaml/dist/doc/directives.js"(exports) {
    "use strict";
    var identity = require_identity();
    var visit2 = require_visit();
    var escapeChars = {
      "!": "%21",
      ",": "%2C",
      "[": "%5B",
      "]": "%5D",
      "{": "%7B",
      "}": "%7D"
    };
    var escapeTagName = (tn) => tn.replace(/[!,[\]{}]/g, (ch) => escapeChars[ch]);
    var Directives = class _Directives {
      constructor(yaml, tags) {
        this.docStart = null;
        this.docEnd = false;
        this.yaml = Object.assign({}, _Directives.defaultYaml, yaml);
        this.tags = Object.assign({}, _Directives.defaultTags, tags);
      }
      clone() {
        const copy = new _Directives(this.yaml, this.tags);
        copy.docStart = this.docStart;
        return copy;
      }
      /**
       * During parsing, get a Directives instance for the current document and
       * update the stream state according to the current version's spec.
       */
      atDocument() {
        const res = new _Directives(this.yaml, this.tags);
        switch (this.yaml.version) {
          case "1.1":
            this.atNextDocument = true;
            break;
          case "1.2":
            this.atNextDocument = false;
            this.yaml = {
              explicit: _Directives.defaultYaml.explicit,
              version: "1.2"
            };
            this.tags = Object.assign({}, _Directives.defaultTags);
            break;
        }
        return res;
      }
      /**
       * @param onError - May be called even if the action was successful
       * @returns `true` on success
       */
      add(line, onError) {
        if (this.atNextDocument) {
          this.yaml = { explicit: _Directives.defaultYaml.explicit, version: "1.1" };
          this.tags = Object.assign({}, _Directives.defaultTags);
          this.atNextDocument = false;
        }
        const parts = line.trim().split(/[ \t]+/);
        const name = parts.shift();
        switch (name) {
          case "%TAG": {
            if (parts.length !== 2) {
              onError(0, "%TAG directive should contain exactly two parts");
              if (parts.length < 2)
                return false;
            }
            const [handle, prefix] = parts;
            this.tags[handle] = prefix;
            return true;
          }
          case "%YAML": {
            this.yaml.explicit = true;
            if (parts.length !== 1) {
              onError(0, "%YAML directive should contain exactly one part");
              return false;
            }
            const [version] = parts;
            if (version === "1.1" || version === "1.2") {
              this.yaml.version = version;
              return true;
            } else {
              const isValid = /^\d+\.\d+$/.test(version);
              onError(6, `Unsupported YAML version ${version}`, isValid);
              return false;
            }
          }
          default:
            onError(0, `Unknown directive ${name}`, true);
            return false;
        }
      }
      /**
       * Resolves a tag, matching handles to those defined in %TAG directives.
       *
       * @returns Resolved tag, which may also be the non-specific tag `'!'` or a
       *   `'!local'` tag, or `null` if unresolvable.
       */
      tagName(source, onError) {
        if (source === "!")
          return "!";
        if (source[0] !== "!") {
          onError(`Not a valid tag: ${source}`);
          return null;
        }
        if (source[1] === "<") {
          const verbatim = source.slice(2, -1);
          if (verbatim === "!" || verbatim === "!!") {
            onError(`Verbatim tags aren't resolved, so ${source} is invalid.`);
            return null;
          }
          if (source[source.length - 1] !== ">")
            onError("Verbatim tags must end with a >");
          return verbatim;
        }
        const [, handle, suffix] = source.match(/^(.*!)([^!]*)$/s);
        if (!suffix)
          onError(`The ${source} tag has no suffix`);
        const prefix = this.tags[handle];
        if (prefix) {
          try {
            return prefix + decodeURIComponent(suffix);
          } catch (error) {
            onError(String(error));
            return null;
          }
        }
        if (handle === "!")
          return source;
        onError(`Could not resolve tag: ${source}`);
        return null;
      }
      /**
       * Given a fully resolved tag, returns its printable string form,
       * taking into account current tag prefixes and defaults.
       */
      tagString(tag) {
        for (const [handle, prefix] of Object.entries(this.tags)) {
          if (tag.startsWith(prefix))
            return handle + escapeTagName(tag.substring(prefix.length));
        }
        return tag[0] === "!" ? tag : `!<${tag}>`;
      }
      toString(doc) {
        const lines = this.yaml.explicit ? [`%YAML ${this.yaml.version || "1.2"}`] : [];
        const tagEntries = Object.entries(this.tags);
        let tagNames;
        if (doc && tagEntries.length > 0 && identity.isNode(doc.contents)) {
          const tags = {};
          visit2.visit(doc.contents, (_key, node) => {
            if (identity.isNode(node) && node.tag)
              tags[node.tag] = true;
          });
          tagNames = Object.keys(tags);
        } else
          tagNames = [];
        for (const [handle, prefix] of tagEntries) {
          if (handle === "!!" && prefix === "tag:yaml.org,2002:")
            continue;
          if (!doc || tagNames.some((tn) => tn.startsWith(prefix)))
            lines.push(`%TAG ${handle} ${prefix}`);
        }
        return lines.join("\n");
      }
    };
    Directives.defaultYaml = { explicit: false, version: "1.2" };
    Directives.defaultTags = { "!!": "tag:yaml.org,2002:" };
    exports.Directives = Directives;
  }
});

// node_modules/yaml/dist/doc/anchors.js
var require_anchors = __commonJS({
  "node_modules/yaml/dist/doc/anchors.js"(exports) {
    "use strict";
    var identity = require_identity();
    var visit2 = require_visit();
    function anchorIsValid(anchor) {
      if (/[\x00-\x19\s,[\]{}]/.test(anchor)) {
        const sa = JSON.stringify(anchor);
        const msg = `Anchor must not contain whitespace or control characters: ${sa}`;
        throw new Error(msg);
      }
      return true;
    }
    function anchorNames(root) {
      const anchors = /* @__PURE__ */ new Set();
      visit2.visit(root, {
        Value(_key, node) {
          if (node.anchor)
            anchors.add(node.anchor);
        }
      });
      return anchors;
    }
    function findNewAnchor(prefix, exclude) {
      for (let i = 1; true; ++i) {
        const name = `${prefix}${i}`;
        if (!exclude.has(name))
          return name;
      }
    }
    function createNodeAnchors(doc, prefix) {
      const aliasObjects = [];
      const sourceObjects = /* @__PURE__ */ new Map();
      let prevAnchors = null;
      return {
        onAnchor: (source) => {
          aliasObjects.push(source);
          prevAnchors ?? (prevAnchors = anchorNames(doc));
          const anchor = findNewAnchor(prefix, prevAnchors);
          prevAnchors.add(anchor);
          return anchor;
        },
        /**
         * With circular references, the source node is only resolved after all
         * of its child nodes are. This is why anchors are set only after all of
         * the nodes have been created.
         */
        setAnchors: () => {
          for (const source of aliasObjects) {
            const ref = sourceObjects.get(source);
            if (typeof ref === "object" && ref.anchor && (identity.isScalar(ref.node) || identity.isCollection(ref.node))) {
              ref.node.anchor = ref.anchor;
            } else {
              const error = new Error("Failed to resolve repeated object (this should not happen)");
              error.source = source;
              throw error;
            }
          }
        },
        sourceObjects
      };
    }
    exports.anchorIsValid = anchorIsValid;
    exports.anchorNames = anchorNames;
    exports.createNodeAnchors = createNodeAnchors;
    exports.findNewAnchor = findNewAnchor;
  }
});

// node_modules/yaml/dist/doc/applyReviver.js
var require_applyReviver = __commonJS({
  "node_modules/yaml/dist/doc/applyReviver.js"(exports) {
    "use strict";
    function applyReviver(reviver, obj, key, val) {
      if (val && typeof val === "object") {
        if (Array.isArray(val)) {
          for (let i = 0, len = val.length; i < len; ++i) {
            const v0 = val[i];
            const v1 = applyReviver(reviver, val, String(i), v0);
            if (v1 === void 0)
              delete val[i];
            else if (v1 !== v0)
              val[i] = v1;
          }
        } else if (val instanceof Map) {
          for (const k of Array.from(val.keys())) {
            const v0 = val.get(k);
            const v1 = applyReviver(reviver, val, k, v0);
            if (v1 === void 0)
              val.delete(k);
            else if (v1 !== v0)
              val.set(k, v1);
          }
        } else if (val instanceof Set) {
          for (const v0 of Array.from(val)) {
            const v1 = applyReviver(reviver, val, v0, v0);
            if (v1 === void 0)
              val.delete(v0);
            else if (v1 !== v0) {
              val.delete(v0);
              val.add(v1);
            }
          }
        } else {
          for (const [k, v0] of Object.entries(val)) {
            const v1 = applyReviver(reviver, val, k, v0);
            if (v1 === void 0)
              delete val[k];
            else if (v1 !== v0)
              val[k] = v1;
          }
        }
      }
      return reviver.call(obj, key, val);
    }
    exports.applyReviver = applyReviver;
  }
});

// node_modules/yaml/dist/nodes/toJS.js
var require_toJS = __commonJS({
  "node_modules/yaml/dist/nodes/toJS.js"(exports) {
    "use strict";
    var identity = require_identity();
    function toJS(value, arg, ctx) {
      if (Array.isArray(value))
        return value.map((v, i) => toJS(v, String(i), ctx));
      if (value && typeof value.toJSON === "function") {
        if (!ctx || !identity.hasAnchor(value))
          return value.toJSON(arg, ctx);
        const data = { aliasCount: 0, count: 1, res: void 0 };
        ctx.anchors.set(value, data);
        ctx.onCreate = (res2) => {
          data.res = res2;
          delete ctx.onCreate;
        };
        const res = value.toJSON(arg, ctx);
        if (ctx.onCreate)
          ctx.onCreate(res);
        return res;
      }
      if (typeof value === "bigint" && !ctx?.keep)
        return Number(value);
      return value;
    }
    exports.toJS = toJS;
  }
});

// node_modules/yaml/dist/nodes/Node.js
var require_Node = __commonJS({
  "node_modules/yaml/dist/nodes/Node.js"(exports) {
    "use strict";
    var applyReviver = require_applyReviver();
    var identity = require_identity();
    var toJS = require_toJS();
    var NodeBase = class {
      constructor(type) {
        Object.defineProperty(this, identity.NODE_TYPE, { value: type });
      }
      /** Create a copy of this node.  */
      clone() {
        const copy = Object.create(Object.getPrototypeOf(this), Object.getOwnPropertyDescriptors(this));
        if (this.range)
          copy.range = this.range.slice();
        return copy;
      }
      /** A plain JavaScript representation of this node. */
      toJS(doc, { mapAsMap, maxAliasCount, onAnchor, reviver } = {}) {
        if (!identity.isDocument(doc))
          throw new TypeError("A document argument is required");
        const ctx = {
          anchors: /* @__PURE__ */ new Map(),
          doc,
          keep: true,
          mapAsMap: mapAsMap === true,
          mapKeyWarned: false,
          maxAliasCount: typeof maxAliasCount === "number" ? maxAliasCount : 100
        };
        const res = toJS.toJS(this, "", ctx);
        if (typeof onAnchor === "function")
          for (const { count, res: res2 } of ctx.anchors.values())
            onAnchor(res2, count);
        return typeof reviver === "function" ? applyReviver.applyReviver(reviver, { "": res }, "", res) : res;
      }
    };
    exports.NodeBase = NodeBase;
  }
});

// node_modules/yaml/dist/nodes/Alias.js
var require_Alias = __commonJS({
  "node_modules/yaml/dist/nodes/Alias.js"(exports) {
    "use strict";
    var anchors = require_anchors();
    var visit2 = require_visit();
    var identity = require_identity();
    var Node = require_Node();
    var toJS = require_toJS();
    var Alias = class extends Node.NodeBase {
      constructor(source) {
        super(identity.ALIAS);
        this.source = source;
        Object.defineProperty(this, "tag", {
          set() {
            throw new Error("Alias nodes cannot have tags");
          }
        });
      }
      /**
       * Resolve the value of this alias within `doc`, finding the last
       * instance of the `source` anchor before this node.
       */
      resolve(doc, ctx) {
        if (ctx?.maxAliasCount === 0)
          throw new ReferenceError("Alias resolution is disabled");
        let nodes;
        if (ctx?.aliasResolveCache) {
          nodes = ctx.aliasResolveCache;
        } else {
          nodes = [];
          visit2.visit(doc, {
            Node: (_key, node) => {
              if (identity.isAlias(node) || identity.hasAnchor(node))
                nodes.push(node);
            }
          });
          if (ctx)
            ctx.aliasResolveCache = nodes;
        }
        let found = void 0;
        for (const node of nodes) {
          if (node === this)
            break;
          if (node.anchor === this.source)
            found = node;
        }
        if (found && ctx) {
          const { anchors: anchors2, doc: doc2, maxAliasCount } = ctx;
          let data = anchors2.get(found);
          if (!data) {
            toJS.toJS(found, null, ctx);
            data = anchors2.get(found);
          }
          if (data?.res === void 0) {
            const msg = "This should not happen: Alias anchor was not resolved?";
            throw new ReferenceError(msg);
          }
          if (maxAliasCount >= 0) {
            data.count += 1;
            if (data.aliasCount === 0)
              data.aliasCount = getAliasCount(doc2, found, anchors2);
            if (data.count * data.aliasCount > maxAliasCount) {
              const msg = "Excessive alias count indicates a resource exhaustion attack";
              throw new ReferenceError(msg);
            }
          }
        }
        return found;
      }
      toJSON(_arg, ctx) {
        if (!ctx)
          return { source: this.source };
        const source = this.resolve(ctx.doc, ctx);
        if (!source) {
          const msg = `Unresolved alias (the anchor must be set before the alias): ${this.source}`;
          throw new ReferenceError(msg);
        }
        return ctx.anchors.get(source).res;
      }
      toString(ctx, _onComment, _onChompKeep) {
        const src = `*${this.source}`;
        if (ctx) {
          anchors.anchorIsValid(this.source);
          if (ctx.options.verifyAliasOrder && !ctx.anchors.has(this.source)) {
            const msg = `Unresolved alias (the anchor must be set before the alias): ${this.source}`;
            throw new Error(msg);
          }
          if (ctx.implicitKey)
            return `${src} `;
        }
        return src;
      }
    };
    function getAliasCount(doc, node, anchors2) {
      if (identity.isAlias(node)) {
        const source = node.resolve(doc);
        const anchor = anchors2 && source && anchors2.get(source);
        return anchor ? anchor.count * anchor.aliasCount : 0;
      } else if (identity.isCollection(node)) {
        let count = 0;
        for (const item of node.items) {
          const c = getAliasCount(doc, item, anchors2);
          if (c > count)
            count = c;
        }
        return count;
      } else if (identity.isPair(node)) {
        const kc = getAliasCount(doc, node.key, anchors2);
        const vc = getAliasCount(doc, node.value, anchors2);
        return Math.max(kc, vc);
      }
      return 1;
    }
    exports.Alias = Alias;
  }
});

// node_modules/yaml/dist/nodes/Scalar.js
var require_Scalar = __commonJS({
  "node_modules/yaml/dist/nodes/Scalar.js"(exports) {
    "use strict";
    var identity = require_identity();
    var Node = require_Node();
    var toJS = require_toJS();
    var isScalarValue = (value) => !value || typeof value !== "function" && typeof value !== "object";
    var Scalar = class extends Node.NodeBase {
      constructor(value) {
        super(identity.SCALAR);
        this.value = value;
      }
      toJSON(arg, ctx) {
        return ctx?.keep ? this.value : toJS.toJS(this.value, arg, ctx);
      }
      toString() {
        return String(this.value);
      }
    };
    Scalar.BLOCK_FOLDED = "BLOCK_FOLDED";
    Scalar.BLOCK_LITERAL = "BLOCK_LITERAL";
    Scalar.PLAIN = "PLAIN";
    Scalar.QUOTE_DOUBLE = "QUOTE_DOUBLE";
    Scalar.QUOTE_SINGLE = "QUOTE_SINGLE";
    exports.Scalar = Scalar;
    exports.isScalarValue = isScalarValue;
  }
});

// node_modules/yaml/dist/doc/createNode.js
var require_createNode = __commonJS({
  "node_modules/yaml/dist/doc/createNode.js"(exports) {
    "use strict";
    var Alias = require_Alias();
    var identity = require_identity();
    var Scalar = require_Scalar();
    var defaultTagPrefix = "tag:yaml.org,2002:";
    function findTagObject(value, tagName, tags) {
      if (tagName) {
        const match = tags.filter((t) => t.tag === tagName);
        const tagObj = match.find((t) => !t.format) ?? match[0];
        if (!tagObj)
          throw new Error(`Tag ${tagName} not found`);
        return tagObj;
      }
      return tags.find((t) => t.identify?.(value) && !t.format);
    }
    function createNode(value, tagName, ctx) {
      if (identity.isDocument(value))
        value = value.contents;
      if (identity.isNode(value))
        return value;
      if (identity.isPair(value)) {
        const map = ctx.schema[identity.MAP].createNode?.(ctx.schema, null, ctx);
        map.items.push(value);
        return map;
      }
      if (value instanceof String || value instanceof Number || value instanceof Boolean || typeof BigInt !== "undefined" && value instanceof BigInt) {
        value = value.valueOf();
      }
      const { aliasDuplicateObjects, onAnchor, onTagObj, schema, sourceObjects } = ctx;
      let ref = void 0;
      if (aliasDuplicateObjects && value && typeof value === "object") {
        ref = sourceObjects.get(value);
        if (ref) {
          ref.anchor ?? (ref.anchor = onAnchor(value));
          return new Alias.Alias(ref.anchor);
        } else {
          ref = { anchor: null, node: null };
          sourceObjects.set(value, ref);
        }
      }
      if (tagName?.startsWith("!!"))
        tagName = defaultTagPrefix + tagName.slice(2);
      let tagObj = findTagObject(value, tagName, schema.tags);
      if (!tagObj) {
        if (value && typeof value.toJSON === "function") {
          value = value.toJSON();
        }
        if (!value || typeof value !== "object") {
          const node2 = new Scalar.Scalar(value);
          if (ref)
            ref.node = node2;
          return node2;
        }
        tagObj = value instanceof Map ? schema[identity.MAP] : Symbol.iterator in Object(value) ? schema[identity.SEQ] : schema[identity.MAP];
      }
      if (onTagObj) {
        onTagObj(tagObj);
        delete ctx.onTagObj;
      }
      const node = tagObj?.createNode ? tagObj.createNode(ctx.schema, value, ctx) : typeof tagObj?.nodeClass?.from === "function" ? tagObj.nodeClass.from(ctx.schema, value, ctx) : new Scalar.Scalar(value);
      if (tagName)
        node.tag = tagName;
      else if (!tagObj.default)
        node.tag = tagObj.tag;
      if (ref)
        ref.node = node;
      return node;
    }
    exports.createNode = createNode;
  }
});

// node_modules/yaml/dist/nodes/Collection.js
var require_Collection = __commonJS({
  "node_modules/yaml/dist/nodes/Collection.js"(exports) {
    "use strict";
    var createNode = require_createNode();
    var identity = require_identity();
    var Node = require_Node();
    function collectionFromPath(schema, path, value) {
      let v = value;
      for (let i = path.length - 1; i >= 0; --i) {
        const k = path[i];
        if (typeof k === "number" && Number.isInteger(k) && k >= 0) {
          const a = [];
          a[k] = v;
          v = a;
        } else {
          v = /* @__PURE__ */ new Map([[k, v]]);
        }
      }
      return createNode.createNode(v, void 0, {
        aliasDuplicateObjects: false,
        keepUndefined: false,
        onAnchor: () => {
          throw new Error("This should not happen, please report a bug.");
        },
        schema,
        sourceObjects: /* @__PURE__ */ new Map()
      });
    }
    var isEmptyPath = (path) => path == null || typeof path === "object" && !!path[Symbol.iterator]().next().done;
    var Collection = class extends Node.NodeBase {
      constructor(type, schema) {
        super(type);
        Object.defineProperty(this, "schema", {
          value: schema,
          configurable: true,
          enumerable: false,
          writable: true
        });
      }
      /**
       * Create a copy of this collection.
       *
       * @param schema - If defined, overwrites the original's schema
       */
      clone(schema) {
        const copy = Object.create(Object.getPrototypeOf(this), Object.getOwnPropertyDescriptors(this));
        if (schema)
          copy.schema = schema;
        copy.items = copy.items.map((it) => identity.isNode(it) || identity.isPair(it) ? it.clone(schema) : it);
        if (this.range)
          copy.range = this.range.slice();
        return copy;
      }
      /**
       * Adds a value to the collection. For `!!map` and `!!omap` the value must
       * be a Pair instance or a `{ key, value }` object, which may not have a key
       * that already exists in the map.
       */
      addIn(path, value) {
        if (isEmptyPath(path))
          this.add(value);
        else {
          const [key, ...rest] = path;
          const node = this.get(key, true);
          if (identity.isCollection(node))
            node.addIn(rest, value);
          else if (node === void 0 && this.schema)
            this.set(key, collectionFromPath(this.schema, rest, value));
          else
            throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
        }
      }
      /**
       * Removes a value from the collection.
       * @returns `true` if the item was found and removed.
       */
      deleteIn(path) {
        const [key, ...rest] = path;
        if (rest.length === 0)
          return this.delete(key);
        const node = this.get(key, true);
        if (identity.isCollection(node))
          return node.deleteIn(rest);
        else
          throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
      }
      /**
       * Returns item at `key`, or `undefined` if not found. By default unwraps
       * scalar values from their surrounding node; to disable set `keepScalar` to
       * `true` (collections are always returned intact).
       */
      getIn(path, keepScalar) {
        const [key, ...rest] = path;
        const node = this.get(key, true);
        if (rest.length === 0)
          return !keepScalar && identity.isScalar(node) ? node.value : node;
        else
          return identity.isCollection(node) ? node.getIn(rest, keepScalar) : void 0;
      }
      hasAllNullValues(allowScalar) {
        return this.items.every((node) => {
          if (!identity.isPair(node))
            return false;
          const n = node.value;
          return n == null || allowScalar && identity.isScalar(n) && n.value == null && !n.commentBefore && !n.comment && !n.tag;
        });
      }
      /**
       * Checks if the collection includes a value with the key `key`.
       */
      hasIn(path) {
        const [key, ...rest] = path;
        if (rest.length === 0)
          return this.has(key);
        const node = this.get(key, true);
        return identity.isCollection(node) ? node.hasIn(rest) : false;
      }
      /**
       * Sets a value in this collection. For `!!set`, `value` needs to be a
       * boolean to add/remove the item from the set.
       */
      setIn(path, value) {
        const [key, ...rest] = path;
        if (rest.length === 0) {
          this.set(key, value);
        } else {
          const node = this.get(key, true);
          if (identity.isCollection(node))
            node.setIn(rest, value);
          else if (node === void 0 && this.schema)
            this.set(key, collectionFromPath(this.schema, rest, value));
          else
            throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
        }
      }
    };
    exports.Collection = Collection;
    exports.collectionFromPath = collectionFromPath;
    exports.isEmptyPath = isEmptyPath;
  }
});

// node_modules/yaml/dist/stringify/stringifyComment.js
var require_stringifyComment = __commonJS({
  "node_modules/yaml/dist/stringify/stringifyComment.js"(exports) {
    "use strict";
    var stringifyComment = (str2) => str2.replace(/^(?!$)(?: $)?/gm, "#");
    function indentComment(comment, indent) {
      if (/^\n+$/.test(comment))
        return comment.substring(1);
      return indent ? comment.replace(/^(?! *$)/gm, indent) : comment;
    }
    var lineComment = (str2, indent, comment) => str2.endsWith("\n") ? indentComment(comment, indent) : comment.includes("\n") ? "\n" + indentComment(comment, indent) : (str2.endsWith(" ") ? "" : " ") + comment;
    exports.indentComment = indentComment;
    exports.lineComment = lineComment;
    exports.stringifyComment = stringifyComment;
  }
});

// node_modules/yaml/dist/stringify/foldFlowLines.js
var require_foldFlowLines = __commonJS({
  "node_modules/yaml/dist/stringify/foldFlowLines.js"(exports) {
    "use strict";
    var FOLD_FLOW = "flow";
    var FOLD_BLOCK = "block";
    var FOLD_QUOTED = "quoted";
    function foldFlowLines(text, indent, mode = "flow", { indentAtStart, lineWidth = 80, minContentWidth = 20, onFold, onOverflow } = {}) {
      if (!lineWidth || lineWidth < 0)
        return text;
      if (lineWidth < minContentWidth)
        minContentWidth = 0;
      const endStep = Math.max(1 + minContentWidth, 1 + lineWidth - indent.length);
      if (text.length <= endStep)
        return text;
      const folds = [];
      const escapedFolds = {};
      let end = lineWidth - indent.length;
      if (typeof indentAtStart === "number") {
        if (indentAtStart > lineWidth - Math.max(2, minContentWidth))
          folds.push(0);
        else
          end = lineWidth - indentAtStart;
      }
      let split = void 0;
      let prev = void 0;
      let overflow = false;
      let i = -1;
      let escStart = -1;
      let escEnd = -1;
      if (mode === FOLD_BLOCK) {
        i = consumeMoreIndentedLines(text, i, indent.length);
        if (i !== -1)
          end = i + endStep;
      }
      for (let ch; ch = text[i += 1]; ) {
        if (mode === FOLD_QUOTED && ch === "\\") {
          escStart = i;
          switch (text[i + 1]) {
            case "x":
              i += 3;
              break;
            case "u":
              i += 5;
              break;
            case "U":
              i += 9;
              break;
            default:
              i += 1;
          }
          escEnd = i;
        }
        if (ch === "\n") {
          if (mode === FOLD_BLOCK)
            i = consumeMoreIndentedLines(text, i, indent.length);
          end = i + indent.length + endStep;
          split = void 0;
        } else {
          if (ch === " " && prev && prev !== " " && prev !== "\n" && prev !== "	") {
            const next = text[i + 1];
            if (next && next !== " " && next !== "\n" && next !== "	")
              split = i;
          }
          if (i >= end) {
            if (split) {
              folds.push(split);
              end = split + endStep;
              split = void 0;
            } else if (mode === FOLD_QUOTED) {
              while (prev === " " || prev === "	") {
                prev = ch;
                ch = text[i += 1];
                overflow = true;
              }
              const j = i > escEnd + 1 ? i - 2 : escStart - 1;
              if (escapedFolds[j])
                return text;
              folds.push(j);
              escapedFolds[j] = true;
              end = j + endStep;
              split = void 0;
            } else {
              overflow = true;
            }
          }
        }
        prev = ch;
      }
      if (overflow && onOverflow)
        onOverflow();
      if (folds.length === 0)
        return text;
      if (onFold)
        onFold();
      let res = text.slice(0, folds[0]);
      for (let i2 = 0; i2 < folds.length; ++i2) {
        const fold = folds[i2];
        const end2 = folds[i2 + 1] || text.length;
        if (fold === 0)
          res = `
${indent}${text.slice(0, end2)}`;
        else {
          if (mode === FOLD_QUOTED && escapedFolds[fold])
            res += `${text[fold]}\\`;
          res += `
${indent}${text.slice(fold + 1, end2)}`;
        }
      }
      return res;
    }
    function consumeMoreIndentedLines(text, i, indent) {
      let end = i;
      let start = i + 1;
      let ch = text[start];
      while (ch === " " || ch === "	") {
        if (i < start + indent) {
          ch = text[++i];
        } else {
          do {
            ch = text[++i];
          } while (ch && ch !== "\n");
          end = i;
          start = i + 1;
          ch = text[start];
        }
      }
      return end;
    }
    exports.FOLD_BLOCK = FOLD_BLOCK;
    exports.FOLD_FLOW = FOLD_FLOW;
    exports.FOLD_QUOTED = FOLD_QUOTED;
    exports.foldFlowLines = foldFlowLines;
  }
});

// node_modules/yaml/dist/stringify/stringifyString.js
var require_stringifyString = __commonJS({
  "node_modules/yaml/dist/stringify/stringifyString.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    var foldFlowLines = require_foldFlowLines();
    var getFoldOptions = (ctx, isBlock) => ({
      indentAtStart: isBlock ? ctx.indent.length : ctx.indentAtStart,
      lineWidth: ctx.options.lineWidth,
      minContentWidth: ctx.options.minContentWidth
    });
    var containsDocumentMarker = (str2) => /^(%|---|\.\.\.)/m.test(str2);
    function lineLengthOverLimit(str2, lineWidth, indentLength) {
      if (!lineWidth || lineWidth < 0)
        return false;
      const limit = lineWidth - indentLength;
      const strLen = str2.length;
      if (strLen <= limit)
        return false;
      for (let i = 0, start = 0; i < strLen; ++i) {
        if (str2[i] === "\n") {
          if (i - start > limit)
            return true;
          start = i + 1;
          if (strLen - start <= limit)
            return false;
        }
      }
      return true;
    }
    function doubleQuotedString(value, ctx) {
      const json = JSON.stringify(value);
      if (ctx.options.doubleQuotedAsJSON)
        return json;
      const { implicitKey } = ctx;
      const minMultiLineLength = ctx.options.doubleQuotedMinMultiLineLength;
      const indent = ctx.indent || (containsDocumentMarker(value) ? "  " : "");
      let str2 = "";
      let start = 0;
      for (let i = 0, ch = json[i]; ch; ch = json[++i]) {
        if (ch === " " && json[i + 1] === "\\" && json[i + 2] === "n") {
          str2 += json.slice(start, i) + "\\ ";
          i += 1;
          start = i;
          ch = "\\";
        }
        if (ch === "\\")
          switch (json[i + 1]) {
            case "u":
              {
                str2 += json.slice(start, i);
                const code = json.substr(i + 2, 4);
                switch (code) {
                  case "0000":
                    str2 += "\\0";
                    break;
                  case "0007":
                    str2 += "\\a";
                    break;
                  case "000b":
                    str2 += "\\v";
                    break;
                  case "001b":
                    str2 += "\\e";
                    break;
                  case "0085":
                    str2 += "\\N";
                    break;
                  case "00a0":
                    str2 += "\\_";
                    break;
                  case "2028":
                    str2 += "\\L";
                    break;
                  case "2029":
                    str2 += "\\P";
                    break;
                  default:
                    if (code.substr(0, 2) === "00")
                      str2 += "\\x" + code.substr(2);
                    else
                      str2 += json.substr(i, 6);
                }
                i += 5;
                start = i + 1;
              }
              break;
            case "n":
              if (implicitKey || json[i + 2] === '"' || json.length < minMultiLineLength) {
                i += 1;
              } else {
                str2 += json.slice(start, i) + "\n\n";
                while (json[i + 2] === "\\" && json[i + 3] === "n" && json[i + 4] !== '"') {
                  str2 += "\n";
                  i += 2;
                }
                str2 += indent;
                if (json[i + 2] === " ")
                  str2 += "\\";
                i += 1;
                start = i + 1;
              }
              break;
            default:
              i += 1;
          }
      }
      str2 = start ? str2 + json.slice(start) : json;
      return implicitKey ? str2 : foldFlowLines.foldFlowLines(str2, indent, foldFlowLines.FOLD_QUOTED, getFoldOptions(ctx, false));
    }
    function singleQuotedString(value, ctx) {
      if (ctx.options.singleQuote === false || ctx.implicitKey && value.includes("\n") || /[ \t]\n|\n[ \t]/.test(value))
        return doubleQuotedString(value, ctx);
      const indent = ctx.indent || (containsDocumentMarker(value) ? "  " : "");
      const res = "'" + value.replace(/'/g, "''").replace(/\n+/g, `$&
${indent}`) + "'";
      return ctx.implicitKey ? res : foldFlowLines.foldFlowLines(res, indent, foldFlowLines.FOLD_FLOW, getFoldOptions(ctx, false));
    }
    function quotedString(value, ctx) {
      const { singleQuote } = ctx.options;
      let qs;
      if (singleQuote === false)
        qs = doubleQuotedString;
      else {
        const hasDouble = value.includes('"');
        const hasSingle = value.includes("'");
        if (hasDouble && !hasSingle)
          qs = singleQuotedString;
        else if (hasSingle && !hasDouble)
          qs = doubleQuotedString;
        else
          qs = singleQuote ? singleQuotedString : doubleQuotedString;
      }
      return qs(value, ctx);
    }
    var blockEndNewlines;
    try {
      blockEndNewlines = new RegExp("(^|(?<!\n))\n+(?!\n|$)", "g");
    } catch {
      blockEndNewlines = /\n+(?!\n|$)/g;
    }
    function blockString({ comment, type, value }, ctx, onComment, onChompKeep) {
      const { blockQuote, commentString, lineWidth } = ctx.options;
      if (!blockQuote || /\n[\t ]+$/.test(value)) {
        return quotedString(value, ctx);
      }
      const indent = ctx.indent || (ctx.forceBlockIndent || containsDocumentMarker(value) ? "  " : "");
      const literal = blockQuote === "literal" ? true : blockQuote === "folded" || type === Scalar.Scalar.BLOCK_FOLDED ? false : type === Scalar.Scalar.BLOCK_LITERAL ? true : !lineLengthOverLimit(value, lineWidth, indent.length);
      if (!value)
        return literal ? "|\n" : ">\n";
      let chomp;
      let endStart;
      for (endStart = value.length; endStart > 0; --endStart) {
        const ch = value[endStart - 1];
        if (ch !== "\n" && ch !== "	" && ch !== " ")
          break;
      }
      let end = value.substring(endStart);
      const endNlPos = end.indexOf("\n");
      if (endNlPos === -1) {
        chomp = "-";
      } else if (value === end || endNlPos !== end.length - 1) {
        chomp = "+";
        if (onChompKeep)
          onChompKeep();
      } else {
        chomp = "";
      }
      if (end) {
        value = value.slice(0, -end.length);
        if (end[end.length - 1] === "\n")
          end = end.slice(0, -1);
        end = end.replace(blockEndNewlines, `$&${indent}`);
      }
      let startWithSpace = false;
      let startEnd;
      let startNlPos = -1;
      for (startEnd = 0; startEnd < value.length; ++startEnd) {
        const ch = value[startEnd];
        if (ch === " ")
          startWithSpace = true;
        else if (ch === "\n")
          startNlPos = startEnd;
        else
          break;
      }
      let start = value.substring(0, startNlPos < startEnd ? startNlPos + 1 : startEnd);
      if (start) {
        value = value.substring(start.length);
        start = start.replace(/\n+/g, `$&${indent}`);
      }
      const indentSize = indent ? "2" : "1";
      let header = (startWithSpace ? indentSize : "") + chomp;
      if (comment) {
        header += " " + commentString(comment.replace(/ ?[\r\n]+/g, " "));
        if (onComment)
          onComment();
      }
      if (!literal) {
        const foldedValue = value.replace(/\n+/g, "\n$&").replace(/(?:^|\n)([\t ].*)(?:([\n\t ]*)\n(?![\n\t ]))?/g, "$1$2").replace(/\n+/g, `$&${indent}`);
        let literalFallback = false;
        const foldOptions = getFoldOptions(ctx, true);
        if (blockQuote !== "folded" && type !== Scalar.Scalar.BLOCK_FOLDED) {
          foldOptions.onOverflow = () => {
            literalFallback = true;
          };
        }
        const body = foldFlowLines.foldFlowLines(`${start}${foldedValue}${end}`, indent, foldFlowLines.FOLD_BLOCK, foldOptions);
        if (!literalFallback)
          return `>${header}
${indent}${body}`;
      }
      value = value.replace(/\n+/g, `$&${indent}`);
      return `|${header}
${indent}${start}${value}${end}`;
    }
    function plainString(item, ctx, onComment, onChompKeep) {
      const { type, value } = item;
      const { actualString, implicitKey, indent, indentStep, inFlow } = ctx;
      if (implicitKey && value.includes("\n") || inFlow && /[[\]{},]/.test(value)) {
        return quotedString(value, ctx);
      }
      if (/^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/.test(value)) {
        return implicitKey || inFlow || !value.includes("\n") ? quotedString(value, ctx) : blockString(item, ctx, onComment, onChompKeep);
      }
      if (!implicitKey && !inFlow && type !== Scalar.Scalar.PLAIN && value.includes("\n")) {
        return blockString(item, ctx, onComment, onChompKeep);
      }
      if (containsDocumentMarker(value)) {
        if (indent === "") {
          ctx.forceBlockIndent = true;
          return blockString(item, ctx, onComment, onChompKeep);
        } else if (implicitKey && indent === indentStep) {
          return quotedString(value, ctx);
        }
      }
      const str2 = value.replace(/\n+/g, `$&
${indent}`);
      if (actualString) {
        const test = (tag) => tag.default && tag.tag !== "tag:yaml.org,2002:str" && tag.test?.test(str2);
        const { compat, tags } = ctx.doc.schema;
        if (tags.some(test) || compat?.some(test))
          return quotedString(value, ctx);
      }
      return implicitKey ? str2 : foldFlowLines.foldFlowLines(str2, indent, foldFlowLines.FOLD_FLOW, getFoldOptions(ctx, false));
    }
    function stringifyString(item, ctx, onComment, onChompKeep) {
      const { implicitKey, inFlow } = ctx;
      const ss = typeof item.value === "string" ? item : Object.assign({}, item, { value: String(item.value) });
      let { type } = item;
      if (type !== Scalar.Scalar.QUOTE_DOUBLE) {
        if (/[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u.test(ss.value))
          type = Scalar.Scalar.QUOTE_DOUBLE;
      }
      const _stringify = (_type) => {
        switch (_type) {
          case Scalar.Scalar.BLOCK_FOLDED:
          case Scalar.Scalar.BLOCK_LITERAL:
            return implicitKey || inFlow ? quotedString(ss.value, ctx) : blockString(ss, ctx, onComment, onChompKeep);
          case Scalar.Scalar.QUOTE_DOUBLE:
            return doubleQuotedString(ss.value, ctx);
          case Scalar.Scalar.QUOTE_SINGLE:
            return singleQuotedString(ss.value, ctx);
          case Scalar.Scalar.PLAIN:
            return plainString(ss, ctx, onComment, onChompKeep);
          default:
            return null;
        }
      };
      let res = _stringify(type);
      if (res === null) {
        const { defaultKeyType, defaultStringType } = ctx.options;
        const t = implicitKey && defaultKeyType || defaultStringType;
        res = _stringify(t);
        if (res === null)
          throw new Error(`Unsupported default string type ${t}`);
      }
      return res;
    }
    exports.stringifyString = stringifyString;
  }
});

// node_modules/yaml/dist/stringify/stringify.js
var require_stringify = __commonJS({
  "node_modules/yaml/dist/stringify/stringify.js"(exports) {
    "use strict";
    var anchors = require_anchors();
    var identity = require_identity();
    var stringifyComment = require_stringifyComment();
    var stringifyString = require_stringifyString();
    function createStringifyContext(doc, options) {
      const opt = Object.assign({
        blockQuote: true,
        commentString: stringifyComment.stringifyComment,
        defaultKeyType: null,
        defaultStringType: "PLAIN",
        directives: null,
        doubleQuotedAsJSON: false,
        doubleQuotedMinMultiLineLength: 40,
        falseStr: "false",
        flowCollectionPadding: true,
        indentSeq: true,
        lineWidth: 80,
        minContentWidth: 20,
        nullStr: "null",
        simpleKeys: false,
        singleQuote: null,
        trailingComma: false,
        trueStr: "true",
        verifyAliasOrder: true
      }, doc.schema.toStringOptions, options);
      let inFlow;
      switch (opt.collectionStyle) {
        case "block":
          inFlow = false;
          break;
        case "flow":
          inFlow = true;
          break;
        default:
          inFlow = null;
      }
      return {
        anchors: /* @__PURE__ */ new Set(),
        doc,
        flowCollectionPadding: opt.flowCollectionPadding ? " " : "",
        indent: "",
        indentStep: typeof opt.indent === "number" ? " ".repeat(opt.indent) : "  ",
        inFlow,
        options: opt
      };
    }
    function getTagObject(tags, item) {
      if (item.tag) {
        const match = tags.filter((t) => t.tag === item.tag);
        if (match.length > 0)
          return match.find((t) => t.format === item.format) ?? match[0];
      }
      let tagObj = void 0;
      let obj;
      if (identity.isScalar(item)) {
        obj = item.value;
        let match = tags.filter((t) => t.identify?.(obj));
        if (match.length > 1) {
          const testMatch = match.filter((t) => t.test);
          if (testMatch.length > 0)
            match = testMatch;
        }
        tagObj = match.find((t) => t.format === item.format) ?? match.find((t) => !t.format);
      } else {
        obj = item;
        tagObj = tags.find((t) => t.nodeClass && obj instanceof t.nodeClass);
      }
      if (!tagObj) {
        const name = obj?.constructor?.name ?? (obj === null ? "null" : typeof obj);
        throw new Error(`Tag not resolved for ${name} value`);
      }
      return tagObj;
    }
    function stringifyProps(node, tagObj, { anchors: anchors$1, doc }) {
      if (!doc.directives)
        return "";
      const props = [];
      const anchor = (identity.isScalar(node) || identity.isCollection(node)) && node.anchor;
      if (anchor && anchors.anchorIsValid(anchor)) {
        anchors$1.add(anchor);
        props.push(`&${anchor}`);
      }
      const tag = node.tag ?? (tagObj.default ? null : tagObj.tag);
      if (tag)
        props.push(doc.directives.tagString(tag));
      return props.join(" ");
    }
    function stringify(item, ctx, onComment, onChompKeep) {
      if (identity.isPair(item))
        return item.toString(ctx, onComment, onChompKeep);
      if (identity.isAlias(item)) {
        if (ctx.doc.directives)
          return item.toString(ctx);
        if (ctx.resolvedAliases?.has(item)) {
          throw new TypeError(`Cannot stringify circular structure without alias nodes`);
        } else {
          if (ctx.resolvedAliases)
            ctx.resolvedAliases.add(item);
          else
            ctx.resolvedAliases = /* @__PURE__ */ new Set([item]);
          item = item.resolve(ctx.doc);
        }
      }
      let tagObj = void 0;
      const node = identity.isNode(item) ? item : ctx.doc.createNode(item, { onTagObj: (o) => tagObj = o });
      tagObj ?? (tagObj = getTagObject(ctx.doc.schema.tags, node));
      const props = stringifyProps(node, tagObj, ctx);
      if (props.length > 0)
        ctx.indentAtStart = (ctx.indentAtStart ?? 0) + props.length + 1;
      const str2 = typeof tagObj.stringify === "function" ? tagObj.stringify(node, ctx, onComment, onChompKeep) : identity.isScalar(node) ? stringifyString.stringifyString(node, ctx, onComment, onChompKeep) : node.toString(ctx, onComment, onChompKeep);
      if (!props)
        return str2;
      return identity.isScalar(node) || str2[0] === "{" || str2[0] === "[" ? `${props} ${str2}` : `${props}
${ctx.indent}${str2}`;
    }
    exports.createStringifyContext = createStringifyContext;
    exports.stringify = stringify;
  }
});

// node_modules/yaml/dist/stringify/stringifyPair.js
var require_stringifyPair = __commonJS({
  "node_modules/yaml/dist/stringify/stringifyPair.js"(exports) {
    "use strict";
    var identity = require_identity();
    var Scalar = require_Scalar();
    var stringify = require_stringify();
    var stringifyComment = require_stringifyComment();
    function stringifyPair({ key, value }, ctx, onComment, onChompKeep) {
      const { allNullValues, doc, indent, indentStep, options: { commentString, indentSeq, simpleKeys } } = ctx;
      let keyComment = identity.isNode(key) && key.comment || null;
      if (simpleKeys) {
        if (keyComment) {
          throw new Error("With simple keys, key nodes cannot have comments");
        }
        if (identity.isCollection(key) || !identity.isNode(key) && typeof key === "object") {
          const msg = "With simple keys, collection cannot be used as a key value";
          throw new Error(msg);
        }
      }
      let explicitKey = !simpleKeys && (!key || keyComment && value == null && !ctx.inFlow || identity.isCollection(key) || (identity.isScalar(key) ? key.type === Scalar.Scalar.BLOCK_FOLDED || key.type === Scalar.Scalar.BLOCK_LITERAL : typeof key === "object"));
      ctx = Object.assign({}, ctx, {
        allNullValues: false,
        implicitKey: !explicitKey && (simpleKeys || !allNullValues),
        indent: indent + indentStep
      });
      let keyCommentDone = false;
      let chompKeep = false;
      let str2 = stringify.stringify(key, ctx, () => keyCommentDone = true, () => chompKeep = true);
      if (!explicitKey && !ctx.inFlow && str2.length > 1024) {
        if (simpleKeys)
          throw new Error("With simple keys, single line scalar must not span more than 1024 characters");
        explicitKey = true;
      }
      if (ctx.inFlow) {
        if (allNullValues || value == null) {
          if (keyCommentDone && onComment)
            onComment();
          return str2 === "" ? "?" : explicitKey ? `? ${str2}` : str2;
        }
      } else if (allNullValues && !simpleKeys || value == null && explicitKey) {
        str2 = `? ${str2}`;
        if (keyComment && !keyCommentDone) {
          str2 += stringifyComment.lineComment(str2, ctx.indent, commentString(keyComment));
        } else if (chompKeep && onChompKeep)
          onChompKeep();
        return str2;
      }
      if (keyCommentDone)
        keyComment = null;
      if (explicitKey) {
        if (keyComment)
          str2 += stringifyComment.lineComment(str2, ctx.indent, commentString(keyComment));
        str2 = `? ${str2}
${indent}:`;
      } else {
        str2 = `${str2}:`;
        if (keyComment)
          str2 += stringifyComment.lineComment(str2, ctx.indent, commentString(keyComment));
      }
      let vsb, vcb, valueComment;
      if (identity.isNode(value)) {
        vsb = !!value.spaceBefore;
        vcb = value.commentBefore;
        valueComment = value.comment;
      } else {
        vsb = false;
        vcb = null;
        valueComment = null;
        if (value && typeof value === "object")
          value = doc.createNode(value);
      }
      ctx.implicitKey = false;
      if (!explicitKey && !keyComment && identity.isScalar(value))
        ctx.indentAtStart = str2.length + 1;
      chompKeep = false;
      if (!indentSeq && indentStep.length >= 2 && !ctx.inFlow && !explicitKey && identity.isSeq(value) && !value.flow && !value.tag && !value.anchor) {
        ctx.indent = ctx.indent.substring(2);
      }
      let valueCommentDone = false;
      const valueStr = stringify.stringify(value, ctx, () => valueCommentDone = true, () => chompKeep = true);
      let ws = " ";
      if (keyComment || vsb || vcb) {
        ws = vsb ? "\n" : "";
        if (vcb) {
          const cs = commentString(vcb);
          ws += `
${stringifyComment.indentComment(cs, ctx.indent)}`;
        }
        if (valueStr === "" && !ctx.inFlow) {
          if (ws === "\n" && valueComment)
            ws = "\n\n";
        } else {
          ws += `
${ctx.indent}`;
        }
      } else if (!explicitKey && identity.isCollection(value)) {
        const vs0 = valueStr[0];
        const nl0 = valueStr.indexOf("\n");
        const hasNewline = nl0 !== -1;
        const flow = ctx.inFlow ?? value.flow ?? value.items.length === 0;
        if (hasNewline || !flow) {
          let hasPropsLine = false;
          if (hasNewline && (vs0 === "&" || vs0 === "!")) {
            let sp0 = valueStr.indexOf(" ");
            if (vs0 === "&" && sp0 !== -1 && sp0 < nl0 && valueStr[sp0 + 1] === "!") {
              sp0 = valueStr.indexOf(" ", sp0 + 1);
            }
            if (sp0 === -1 || nl0 < sp0)
              hasPropsLine = true;
          }
          if (!hasPropsLine)
            ws = `
${ctx.indent}`;
        }
      } else if (valueStr === "" || valueStr[0] === "\n") {
        ws = "";
      }
      str2 += ws + valueStr;
      if (ctx.inFlow) {
        if (valueCommentDone && onComment)
          onComment();
      } else if (valueComment && !valueCommentDone) {
        str2 += stringifyComment.lineComment(str2, ctx.indent, commentString(valueComment));
      } else if (chompKeep && onChompKeep) {
        onChompKeep();
      }
      return str2;
    }
    exports.stringifyPair = stringifyPair;
  }
});

// node_modules/yaml/dist/log.js
var require_log = __commonJS({
  "node_modules/yaml/dist/log.js"(exports) {
    "use strict";
    var node_process = __require("process");
    function debug(logLevel, ...messages) {
      if (logLevel === "debug")
        console.log(...messages);
    }
    function warn(logLevel, warning) {
      if (logLevel === "debug" || logLevel === "warn") {
        if (typeof node_process.emitWarning === "function")
          node_process.emitWarning(warning);
        else
          console.warn(warning);
      }
    }
    exports.debug = debug;
    exports.warn = warn;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/merge.js
var require_merge = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/merge.js"(exports) {
    "use strict";
    var identity = require_identity();
    var Scalar = require_Scalar();
    var MERGE_KEY = "<<";
    var merge = {
      identify: (value) => value === MERGE_KEY || typeof value === "symbol" && value.description === MERGE_KEY,
      default: "key",
      tag: "tag:yaml.org,2002:merge",
      test: /^<<$/,
      resolve: () => Object.assign(new Scalar.Scalar(Symbol(MERGE_KEY)), {
        addToJSMap: addMergeToJSMap
      }),
      stringify: () => MERGE_KEY
    };
    var isMergeKey = (ctx, key) => (merge.identify(key) || identity.isScalar(key) && (!key.type || key.type === Scalar.Scalar.PLAIN) && merge.identify(key.value)) && ctx?.doc.schema.tags.some((tag) => tag.tag === merge.tag && tag.default);
    function addMergeToJSMap(ctx, map, value) {
      const source = resolveAliasValue(ctx, value);
      if (identity.isSeq(source))
        for (const it of source.items)
          mergeValue(ctx, map, it);
      else if (Array.isArray(source))
        for (const it of source)
          mergeValue(ctx, map, it);
      else
        mergeValue(ctx, map, source);
    }
    function mergeValue(ctx, map, value) {
      const source = resolveAliasValue(ctx, value);
      if (!identity.isMap(source))
        throw new Error("Merge sources must be maps or map aliases");
      const srcMap = source.toJSON(null, ctx, Map);
      for (const [key, value2] of srcMap) {
        if (map instanceof Map) {
          if (!map.has(key))
            map.set(key, value2);
        } else if (map instanceof Set) {
          map.add(key);
        } else if (!Object.prototype.hasOwnProperty.call(map, key)) {
          Object.defineProperty(map, key, {
            value: value2,
            writable: true,
            enumerable: true,
            configurable: true
          });
        }
      }
      return map;
    }
    function resolveAliasValue(ctx, value) {
      return ctx && identity.isAlias(value) ? value.resolve(ctx.doc, ctx) : value;
    }
    exports.addMergeToJSMap = addMergeToJSMap;
    exports.isMergeKey = isMergeKey;
    exports.merge = merge;
  }
});

// node_modules/yaml/dist/nodes/addPairToJSMap.js
var require_addPairToJSMap = __commonJS({
  "node_modules/yaml/dist/nodes/addPairToJSMap.js"(exports) {
    "use strict";
    var log = require_log();
    var merge = require_merge();
    var stringify = require_stringify();
    var identity = require_identity();
    var toJS = require_toJS();
    function addPairToJSMap(ctx, map, { key, value }) {
      if (identity.isNode(key) && key.addToJSMap)
        key.addToJSMap(ctx, map, value);
      else if (merge.isMergeKey(ctx, key))
        merge.addMergeToJSMap(ctx, map, value);
      else {
        const jsKey = toJS.toJS(key, "", ctx);
        if (map instanceof Map) {
          map.set(jsKey, toJS.toJS(value, jsKey, ctx));
        } else if (map instanceof Set) {
          map.add(jsKey);
        } else {
          const stringKey = stringifyKey(key, jsKey, ctx);
          const jsValue = toJS.toJS(value, stringKey, ctx);
          if (stringKey in map)
            Object.defineProperty(map, stringKey, {
              value: jsValue,
              writable: true,
              enumerable: true,
              configurable: true
            });
          else
            map[stringKey] = jsValue;
        }
      }
      return map;
    }
    function stringifyKey(key, jsKey, ctx) {
      if (jsKey === null)
        return "";
      if (typeof jsKey !== "object")
        return String(jsKey);
      if (identity.isNode(key) && ctx?.doc) {
        const strCtx = stringify.createStringifyContext(ctx.doc, {});
        strCtx.anchors = /* @__PURE__ */ new Set();
        for (const node of ctx.anchors.keys())
          strCtx.anchors.add(node.anchor);
        strCtx.inFlow = true;
        strCtx.inStringifyKey = true;
        const strKey = key.toString(strCtx);
        if (!ctx.mapKeyWarned) {
          let jsonStr = JSON.stringify(strKey);
          if (jsonStr.length > 40)
            jsonStr = jsonStr.substring(0, 36) + '..."';
          log.warn(ctx.doc.options.logLevel, `Keys with collection values will be stringified due to JS Object restrictions: ${jsonStr}. Set mapAsMap: true to use object keys.`);
          ctx.mapKeyWarned = true;
        }
        return strKey;
      }
      return JSON.stringify(jsKey);
    }
    exports.addPairToJSMap = addPairToJSMap;
  }
});

// node_modules/yaml/dist/nodes/Pair.js
var require_Pair = __commonJS({
  "node_modules/yaml/dist/nodes/Pair.js"(exports) {
    "use strict";
    var createNode = require_createNode();
    var stringifyPair = require_stringifyPair();
    var addPairToJSMap = require_addPairToJSMap();
    var identity = require_identity();
    function createPair(key, value, ctx) {
      const k = createNode.createNode(key, void 0, ctx);
      const v = createNode.createNode(value, void 0, ctx);
      return new Pair(k, v);
    }
    var Pair = class _Pair {
      constructor(key, value = null) {
        Object.defineProperty(this, identity.NODE_TYPE, { value: identity.PAIR });
        this.key = key;
        this.value = value;
      }
      clone(schema) {
        let { key, value } = this;
        if (identity.isNode(key))
          key = key.clone(schema);
        if (identity.isNode(value))
          value = value.clone(schema);
        return new _Pair(key, value);
      }
      toJSON(_, ctx) {
        const pair = ctx?.mapAsMap ? /* @__PURE__ */ new Map() : {};
        return addPairToJSMap.addPairToJSMap(ctx, pair, this);
      }
      toString(ctx, onComment, onChompKeep) {
        return ctx?.doc ? stringifyPair.stringifyPair(this, ctx, onComment, onChompKeep) : JSON.stringify(this);
      }
    };
    exports.Pair = Pair;
    exports.createPair = createPair;
  }
});

// node_modules/yaml/dist/stringify/stringifyCollection.js
var require_stringifyCollection = __commonJS({
  "node_modules/yaml/dist/stringify/stringifyCollection.js"(exports) {
    "use strict";
    var identity = require_identity();
    var stringify = require_stringify();
    var stringifyComment = require_stringifyComment();
    function stringifyCollection(collection, ctx, options) {
      const flow = ctx.inFlow ?? collection.flow;
      const stringify2 = flow ? stringifyFlowCollection : stringifyBlockCollection;
      return stringify2(collection, ctx, options);
    }
    function stringifyBlockCollection({ comment, items }, ctx, { blockItemPrefix, flowChars, itemIndent, onChompKeep, onComment }) {
      const { indent, options: { commentString } } = ctx;
      const itemCtx = Object.assign({}, ctx, { indent: itemIndent, type: null });
      let chompKeep = false;
      const lines = [];
      for (let i = 0; i < items.length; ++i) {
        const item = items[i];
        let comment2 = null;
        if (identity.isNode(item)) {
          if (!chompKeep && item.spaceBefore)
            lines.push("");
          addCommentBefore(ctx, lines, item.commentBefore, chompKeep);
          if (item.comment)
            comment2 = item.comment;
        } else if (identity.isPair(item)) {
          const ik = identity.isNode(item.key) ? item.key : null;
          if (ik) {
            if (!chompKeep && ik.spaceBefore)
              lines.push("");
            addCommentBefore(ctx, lines, ik.commentBefore, chompKeep);
          }
        }
        chompKeep = false;
        let str3 = stringify.stringify(item, itemCtx, () => comment2 = null, () => chompKeep = true);
        if (comment2)
          str3 += stringifyComment.lineComment(str3, itemIndent, commentString(comment2));
        if (chompKeep && comment2)
          chompKeep = false;
        lines.push(blockItemPrefix + str3);
      }
      let str2;
      if (lines.length === 0) {
        str2 = flowChars.start + flowChars.end;
      } else {
        str2 = lines[0];
        for (let i = 1; i < lines.length; ++i) {
          const line = lines[i];
          str2 += line ? `
${indent}${line}` : "\n";
        }
      }
      if (comment) {
        str2 += "\n" + stringifyComment.indentComment(commentString(comment), indent);
        if (onComment)
          onComment();
      } else if (chompKeep && onChompKeep)
        onChompKeep();
      return str2;
    }
    function stringifyFlowCollection({ items }, ctx, { flowChars, itemIndent }) {
      const { indent, indentStep, flowCollectionPadding: fcPadding, options: { commentString } } = ctx;
      itemIndent += indentStep;
      const itemCtx = Object.assign({}, ctx, {
        indent: itemIndent,
        inFlow: true,
        type: null
      });
      let reqNewline = false;
      let linesAtValue = 0;
      const lines = [];
      for (let i = 0; i < items.length; ++i) {
        const item = items[i];
        let comment = null;
        if (identity.isNode(item)) {
          if (item.spaceBefore)
            lines.push("");
          addCommentBefore(ctx, lines, item.commentBefore, false);
          if (item.comment)
            comment = item.comment;
        } else if (identity.isPair(item)) {
          const ik = identity.isNode(item.key) ? item.key : null;
          if (ik) {
            if (ik.spaceBefore)
              lines.push("");
            addCommentBefore(ctx, lines, ik.commentBefore, false);
            if (ik.comment)
              reqNewline = true;
          }
          const iv = identity.isNode(item.value) ? item.value : null;
          if (iv) {
            if (iv.comment)
              comment = iv.comment;
            if (iv.commentBefore)
              reqNewline = true;
          } else if (item.value == null && ik?.comment) {
            comment = ik.comment;
          }
        }
        if (comment)
          reqNewline = true;
        let str2 = stringify.stringify(item, itemCtx, () => comment = null);
        reqNewline || (reqNewline = lines.length > linesAtValue || str2.includes("\n"));
        if (i < items.length - 1) {
          str2 += ",";
        } else if (ctx.options.trailingComma) {
          if (ctx.options.lineWidth > 0) {
            reqNewline || (reqNewline = lines.reduce((sum, line) => sum + line.length + 2, 2) + (str2.length + 2) > ctx.options.lineWidth);
          }
          if (reqNewline) {
            str2 += ",";
          }
        }
        if (comment)
          str2 += stringifyComment.lineComment(str2, itemIndent, commentString(comment));
        lines.push(str2);
        linesAtValue = lines.length;
      }
      const { start, end } = flowChars;
      if (lines.length === 0) {
        return start + end;
      } else {
        if (!reqNewline) {
          const len = lines.reduce((sum, line) => sum + line.length + 2, 2);
          reqNewline = ctx.options.lineWidth > 0 && len > ctx.options.lineWidth;
        }
        if (reqNewline) {
          let str2 = start;
          for (const line of lines)
            str2 += line ? `
${indentStep}${indent}${line}` : "\n";
          return `${str2}
${indent}${end}`;
        } else {
          return `${start}${fcPadding}${lines.join(" ")}${fcPadding}${end}`;
        }
      }
    }
    function addCommentBefore({ indent, options: { commentString } }, lines, comment, chompKeep) {
      if (comment && chompKeep)
        comment = comment.replace(/^\n+/, "");
      if (comment) {
        const ic = stringifyComment.indentComment(commentString(comment), indent);
        lines.push(ic.trimStart());
      }
    }
    exports.stringifyCollection = stringifyCollection;
  }
});

// node_modules/yaml/dist/nodes/YAMLMap.js
var require_YAMLMap = __commonJS({
  "node_modules/yaml/dist/nodes/YAMLMap.js"(exports) {
    "use strict";
    var stringifyCollection = require_stringifyCollection();
    var addPairToJSMap = require_addPairToJSMap();
    var Collection = require_Collection();
    var identity = require_identity();
    var Pair = require_Pair();
    var Scalar = require_Scalar();
    function findPair(items, key) {
      const k = identity.isScalar(key) ? key.value : key;
      for (const it of items) {
        if (identity.isPair(it)) {
          if (it.key === key || it.key === k)
            return it;
          if (identity.isScalar(it.key) && it.key.value === k)
            return it;
        }
      }
      return void 0;
    }
    var YAMLMap = class extends Collection.Collection {
      static get tagName() {
        return "tag:yaml.org,2002:map";
      }
      constructor(schema) {
        super(identity.MAP, schema);
        this.items = [];
      }
      /**
       * A generic collection parsing method that can be extended
       * to other node classes that inherit from YAMLMap
       */
      static from(schema, obj, ctx) {
        const { keepUndefined, replacer } = ctx;
        const map = new this(schema);
        const add = (key, value) => {
          if (typeof replacer === "function")
            value = replacer.call(obj, key, value);
          else if (Array.isArray(replacer) && !replacer.includes(key))
            return;
          if (value !== void 0 || keepUndefined)
            map.items.push(Pair.createPair(key, value, ctx));
        };
        if (obj instanceof Map) {
          for (const [key, value] of obj)
            add(key, value);
        } else if (obj && typeof obj === "object") {
          for (const key of Object.keys(obj))
            add(key, obj[key]);
        }
        if (typeof schema.sortMapEntries === "function") {
          map.items.sort(schema.sortMapEntries);
        }
        return map;
      }
      /**
       * Adds a value to the collection.
       *
       * @param overwrite - If not set `true`, using a key that is already in the
       *   collection will throw. Otherwise, overwrites the previous value.
       */
      add(pair, overwrite) {
        let _pair;
        if (identity.isPair(pair))
          _pair = pair;
        else if (!pair || typeof pair !== "object" || !("key" in pair)) {
          _pair = new Pair.Pair(pair, pair?.value);
        } else
          _pair = new Pair.Pair(pair.key, pair.value);
        const prev = findPair(this.items, _pair.key);
        const sortEntries = this.schema?.sortMapEntries;
        if (prev) {
          if (!overwrite)
            throw new Error(`Key ${_pair.key} already set`);
          if (identity.isScalar(prev.value) && Scalar.isScalarValue(_pair.value))
            prev.value.value = _pair.value;
          else
            prev.value = _pair.value;
        } else if (sortEntries) {
          const i = this.items.findIndex((item) => sortEntries(_pair, item) < 0);
          if (i === -1)
            this.items.push(_pair);
          else
            this.items.splice(i, 0, _pair);
        } else {
          this.items.push(_pair);
        }
      }
      delete(key) {
        const it = findPair(this.items, key);
        if (!it)
          return false;
        const del = this.items.splice(this.items.indexOf(it), 1);
        return del.length > 0;
      }
      get(key, keepScalar) {
        const it = findPair(this.items, key);
        const node = it?.value;
        return (!keepScalar && identity.isScalar(node) ? node.value : node) ?? void 0;
      }
      has(key) {
        return !!findPair(this.items, key);
      }
      set(key, value) {
        this.add(new Pair.Pair(key, value), true);
      }
      /**
       * @param ctx - Conversion context, originally set in Document#toJS()
       * @param {Class} Type - If set, forces the returned collection type
       * @returns Instance of Type, Map, or Object
       */
      toJSON(_, ctx, Type) {
        const map = Type ? new Type() : ctx?.mapAsMap ? /* @__PURE__ */ new Map() : {};
        if (ctx?.onCreate)
          ctx.onCreate(map);
        for (const item of this.items)
          addPairToJSMap.addPairToJSMap(ctx, map, item);
        return map;
      }
      toString(ctx, onComment, onChompKeep) {
        if (!ctx)
          return JSON.stringify(this);
        for (const item of this.items) {
          if (!identity.isPair(item))
            throw new Error(`Map items must all be pairs; found ${JSON.stringify(item)} instead`);
        }
        if (!ctx.allNullValues && this.hasAllNullValues(false))
          ctx = Object.assign({}, ctx, { allNullValues: true });
        return stringifyCollection.stringifyCollection(this, ctx, {
          blockItemPrefix: "",
          flowChars: { start: "{", end: "}" },
          itemIndent: ctx.indent || "",
          onChompKeep,
          onComment
        });
      }
    };
    exports.YAMLMap = YAMLMap;
    exports.findPair = findPair;
  }
});

// node_modules/yaml/dist/schema/common/map.js
var require_map = __commonJS({
  "node_modules/yaml/dist/schema/common/map.js"(exports) {
    "use strict";
    var identity = require_identity();
    var YAMLMap = require_YAMLMap();
    var map = {
      collection: "map",
      default: true,
      nodeClass: YAMLMap.YAMLMap,
      tag: "tag:yaml.org,2002:map",
      resolve(map2, onError) {
        if (!identity.isMap(map2))
          onError("Expected a mapping for this tag");
        return map2;
      },
      createNode: (schema, obj, ctx) => YAMLMap.YAMLMap.from(schema, obj, ctx)
    };
    exports.map = map;
  }
});

// node_modules/yaml/dist/nodes/YAMLSeq.js
var require_YAMLSeq = __commonJS({
  "node_modules/yaml/dist/nodes/YAMLSeq.js"(exports) {
    "use strict";
    var createNode = require_createNode();
    var stringifyCollection = require_stringifyCollection();
    var Collection = require_Collection();
    var identity = require_identity();
    var Scalar = require_Scalar();
    var toJS = require_toJS();
    var YAMLSeq = class extends Collection.Collection {
      static get tagName() {
        return "tag:yaml.org,2002:seq";
      }
      constructor(schema) {
        super(identity.SEQ, schema);
        this.items = [];
      }
      add(value) {
        this.items.push(value);
      }
      /**
       * Removes a value from the collection.
       *
       * `key` must contain a representation of an integer for this to succeed.
       * It may be wrapped in a `Scalar`.
       *
       * @returns `true` if the item was found and removed.
       */
      delete(key) {
        const idx = asItemIndex(key);
        if (typeof idx !== "number")
          return false;
        const del = this.items.splice(idx, 1);
        return del.length > 0;
      }
      get(key, keepScalar) {
        const idx = asItemIndex(key);
        if (typeof idx !== "number")
          return void 0;
        const it = this.items[idx];
        return !keepScalar && identity.isScalar(it) ? it.value : it;
      }
      /**
       * Checks if the collection includes a value with the key `key`.
       *
       * `key` must contain a representation of an integer for this to succeed.
       * It may be wrapped in a `Scalar`.
       */
      has(key) {
        const idx = asItemIndex(key);
        return typeof idx === "number" && idx < this.items.length;
      }
      /**
       * Sets a value in this collection. For `!!set`, `value` needs to be a
       * boolean to add/remove the item from the set.
       *
       * If `key` does not contain a representation of an integer, this will throw.
       * It may be wrapped in a `Scalar`.
       */
      set(key, value) {
        const idx = asItemIndex(key);
        if (typeof idx !== "number")
          throw new Error(`Expected a valid index, not ${key}.`);
        const prev = this.items[idx];
        if (identity.isScalar(prev) && Scalar.isScalarValue(value))
          prev.value = value;
        else
          this.items[idx] = value;
      }
      toJSON(_, ctx) {
        const seq = [];
        if (ctx?.onCreate)
          ctx.onCreate(seq);
        let i = 0;
        for (const item of this.items)
          seq.push(toJS.toJS(item, String(i++), ctx));
        return seq;
      }
      toString(ctx, onComment, onChompKeep) {
        if (!ctx)
          return JSON.stringify(this);
        return stringifyCollection.stringifyCollection(this, ctx, {
          blockItemPrefix: "- ",
          flowChars: { start: "[", end: "]" },
          itemIndent: (ctx.indent || "") + "  ",
          onChompKeep,
          onComment
        });
      }
      static from(schema, obj, ctx) {
        const { replacer } = ctx;
        const seq = new this(schema);
        if (obj && Symbol.iterator in Object(obj)) {
          let i = 0;
          for (let it of obj) {
            if (typeof replacer === "function") {
              const key = obj instanceof Set ? it : String(i++);
              it = replacer.call(obj, key, it);
            }
            seq.items.push(createNode.createNode(it, void 0, ctx));
          }
        }
        return seq;
      }
    };
    function asItemIndex(key) {
      let idx = identity.isScalar(key) ? key.value : key;
      if (idx && typeof idx === "string")
        idx = Number(idx);
      return typeof idx === "number" && Number.isInteger(idx) && idx >= 0 ? idx : null;
    }
    exports.YAMLSeq = YAMLSeq;
  }
});

// node_modules/yaml/dist/schema/common/seq.js
var require_seq = __commonJS({
  "node_modules/yaml/dist/schema/common/seq.js"(exports) {
    "use strict";
    var identity = require_identity();
    var YAMLSeq = require_YAMLSeq();
    var seq = {
      collection: "seq",
      default: true,
      nodeClass: YAMLSeq.YAMLSeq,
      tag: "tag:yaml.org,2002:seq",
      resolve(seq2, onError) {
        if (!identity.isSeq(seq2))
          onError("Expected a sequence for this tag");
        return seq2;
      },
      createNode: (schema, obj, ctx) => YAMLSeq.YAMLSeq.from(schema, obj, ctx)
    };
    exports.seq = seq;
  }
});

// node_modules/yaml/dist/schema/common/string.js
var require_string = __commonJS({
  "node_modules/yaml/dist/schema/common/string.js"(exports) {
    "use strict";
    var stringifyString = require_stringifyString();
    var string = {
      identify: (value) => typeof value === "string",
      default: true,
      tag: "tag:yaml.org,2002:str",
      resolve: (str2) => str2,
      stringify(item, ctx, onComment, onChompKeep) {
        ctx = Object.assign({ actualString: true }, ctx);
        return stringifyString.stringifyString(item, ctx, onComment, onChompKeep);
      }
    };
    exports.string = string;
  }
});

// node_modules/yaml/dist/schema/common/null.js
var require_null = __commonJS({
  "node_modules/yaml/dist/schema/common/null.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    var nullTag = {
      identify: (value) => value == null,
      createNode: () => new Scalar.Scalar(null),
      default: true,
      tag: "tag:yaml.org,2002:null",
      test: /^(?:~|[Nn]ull|NULL)?$/,
      resolve: () => new Scalar.Scalar(null),
      stringify: ({ source }, ctx) => typeof source === "string" && nullTag.test.test(source) ? source : ctx.options.nullStr
    };
    exports.nullTag = nullTag;
  }
});

// node_modules/yaml/dist/schema/core/bool.js
var require_bool = __commonJS({
  "node_modules/yaml/dist/schema/core/bool.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    var boolTag = {
      identify: (value) => typeof value === "boolean",
      default: true,
      tag: "tag:yaml.org,2002:bool",
      test: /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
      resolve: (str2) => new Scalar.Scalar(str2[0] === "t" || str2[0] === "T"),
      stringify({ source, value }, ctx) {
        if (source && boolTag.test.test(source)) {
          const sv = source[0] === "t" || source[0] === "T";
          if (value === sv)
            return source;
        }
        return value ? ctx.options.trueStr : ctx.options.falseStr;
      }
    };
    exports.boolTag = boolTag;
  }
});

// node_modules/yaml/dist/stringify/stringifyNumber.js
var require_stringifyNumber = __commonJS({
  "node_modules/yaml/dist/stringify/stringifyNumber.js"(exports) {
    "use strict";
    function stringifyNumber({ format, minFractionDigits, tag, value }) {
      if (typeof value === "bigint")
        return String(value);
      const num = typeof value === "number" ? value : Number(value);
      if (!isFinite(num))
        return isNaN(num) ? ".nan" : num < 0 ? "-.inf" : ".inf";
      let n = Object.is(value, -0) ? "-0" : JSON.stringify(value);
      if (!format && minFractionDigits && (!tag || tag === "tag:yaml.org,2002:float") && /^-?\d/.test(n) && !n.includes("e")) {
        let i = n.indexOf(".");
        if (i < 0) {
          i = n.length;
          n += ".";
        }
        let d = minFractionDigits - (n.length - i - 1);
        while (d-- > 0)
          n += "0";
      }
      return n;
    }
    exports.stringifyNumber = stringifyNumber;
  }
});

// node_modules/yaml/dist/schema/core/float.js
var require_float = __commonJS({
  "node_modules/yaml/dist/schema/core/float.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    var stringifyNumber = require_stringifyNumber();
    var floatNaN = {
      identify: (value) => typeof value === "number",
      default: true,
      tag: "tag:yaml.org,2002:float",
      test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
      resolve: (str2) => str2.slice(-3).toLowerCase() === "nan" ? NaN : str2[0] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY,
      stringify: stringifyNumber.stringifyNumber
    };
    var floatExp = {
      identify: (value) => typeof value === "number",
      default: true,
      tag: "tag:yaml.org,2002:float",
      format: "EXP",
      test: /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
      resolve: (str2) => parseFloat(str2),
      stringify(node) {
        const num = Number(node.value);
        return isFinite(num) ? num.toExponential() : stringifyNumber.stringifyNumber(node);
      }
    };
    var float = {
      identify: (value) => typeof value === "number",
      default: true,
      tag: "tag:yaml.org,2002:float",
      test: /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
      resolve(str2) {
        const node = new Scalar.Scalar(parseFloat(str2));
        const dot = str2.indexOf(".");
        if (dot !== -1 && str2[str2.length - 1] === "0")
          node.minFractionDigits = str2.length - dot - 1;
        return node;
      },
      stringify: stringifyNumber.stringifyNumber
    };
    exports.float = float;
    exports.floatExp = floatExp;
    exports.floatNaN = floatNaN;
  }
});

// node_modules/yaml/dist/schema/core/int.js
var require_int = __commonJS({
  "node_modules/yaml/dist/schema/core/int.js"(exports) {
    "use strict";
    var stringifyNumber = require_stringifyNumber();
    var intIdentify = (value) => typeof value === "bigint" || Number.isInteger(value);
    var intResolve = (str2, offset, radix, { intAsBigInt }) => intAsBigInt ? BigInt(str2) : parseInt(str2.substring(offset), radix);
    function intStringify(node, radix, prefix) {
      const { value } = node;
      if (intIdentify(value) && value >= 0)
        return prefix + value.toString(radix);
      return stringifyNumber.stringifyNumber(node);
    }
    var intOct = {
      identify: (value) => intIdentify(value) && value >= 0,
      default: true,
      tag: "tag:yaml.org,2002:int",
      format: "OCT",
      test: /^0o[0-7]+$/,
      resolve: (str2, _onError, opt) => intResolve(str2, 2, 8, opt),
      stringify: (node) => intStringify(node, 8, "0o")
    };
    var int2 = {
      identify: intIdentify,
      default: true,
      tag: "tag:yaml.org,2002:int",
      test: /^[-+]?[0-9]+$/,
      resolve: (str2, _onError, opt) => intResolve(str2, 0, 10, opt),
      stringify: stringifyNumber.stringifyNumber
    };
    var intHex = {
      identify: (value) => intIdentify(value) && value >= 0,
      default: true,
      tag: "tag:yaml.org,2002:int",
      format: "HEX",
      test: /^0x[0-9a-fA-F]+$/,
      resolve: (str2, _onError, opt) => intResolve(str2, 2, 16, opt),
      stringify: (node) => intStringify(node, 16, "0x")
    };
    exports.int = int2;
    exports.intHex = intHex;
    exports.intOct = intOct;
  }
});

// node_modules/yaml/dist/schema/core/schema.js
var require_schema = __commonJS({
  "node_modules/yaml/dist/schema/core/schema.js"(exports) {
    "use strict";
    var map = require_map();
    var _null = require_null();
    var seq = require_seq();
    var string = require_string();
    var bool2 = require_bool();
    var float = require_float();
    var int2 = require_int();
    var schema = [
      map.map,
      seq.seq,
      string.string,
      _null.nullTag,
      bool2.boolTag,
      int2.intOct,
      int2.int,
      int2.intHex,
      float.floatNaN,
      float.floatExp,
      float.float
    ];
    exports.schema = schema;
  }
});

// node_modules/yaml/dist/schema/json/schema.js
var require_schema2 = __commonJS({
  "node_modules/yaml/dist/schema/json/schema.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    var map = require_map();
    var seq = require_seq();
    function intIdentify(value) {
      return typeof value === "bigint" || Number.isInteger(value);
    }
    var stringifyJSON = ({ value }) => JSON.stringify(value);
    var jsonScalars = [
      {
        identify: (value) => typeof value === "string",
        default: true,
        tag: "tag:yaml.org,2002:str",
        resolve: (str2) => str2,
        stringify: stringifyJSON
      },
      {
        identify: (value) => value == null,
        createNode: () => new Scalar.Scalar(null),
        default: true,
        tag: "tag:yaml.org,2002:null",
        test: /^null$/,
        resolve: () => null,
        stringify: stringifyJSON
      },
      {
        identify: (value) => typeof value === "boolean",
        default: true,
        tag: "tag:yaml.org,2002:bool",
        test: /^true$|^false$/,
        resolve: (str2) => str2 === "true",
        stringify: stringifyJSON
      },
      {
        identify: intIdentify,
        default: true,
        tag: "tag:yaml.org,2002:int",
        test: /^-?(?:0|[1-9][0-9]*)$/,
        resolve: (str2, _onError, { intAsBigInt }) => intAsBigInt ? BigInt(str2) : parseInt(str2, 10),
        stringify: ({ value }) => intIdentify(value) ? value.toString() : JSON.stringify(value)
      },
      {
        identify: (value) => typeof value === "number",
        default: true,
        tag: "tag:yaml.org,2002:float",
        test: /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?$/,
        resolve: (str2) => parseFloat(str2),
        stringify: stringifyJSON
      }
    ];
    var jsonError = {
      default: true,
      tag: "",
      test: /^/,
      resolve(str2, onError) {
        onError(`Unresolved plain scalar ${JSON.stringify(str2)}`);
        return str2;
      }
    };
    var schema = [map.map, seq.seq].concat(jsonScalars, jsonError);
    exports.schema = schema;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/binary.js
var require_binary = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/binary.js"(exports) {
    "use strict";
    var node_buffer = __require("buffer");
    var Scalar = require_Scalar();
    var stringifyString = require_stringifyString();
    var binary = {
      identify: (value) => value instanceof Uint8Array,
      // Buffer inherits from Uint8Array
      default: false,
      tag: "tag:yaml.org,2002:binary",
      /**
       * Returns a Buffer in node and an Uint8Array in browsers
       *
       * To use the resulting buffer as an image, you'll want to do something like:
       *
       *   const blob = new Blob([buffer], { type: 'image/jpeg' })
       *   document.querySelector('#photo').src = URL.createObjectURL(blob)
       */
      resolve(src, onError) {
        if (typeof node_buffer.Buffer === "function") {
          return node_buffer.Buffer.from(src, "base64");
        } else if (typeof atob === "function") {
          const str2 = atob(src.replace(/[\n\r]/g, ""));
          const buffer = new Uint8Array(str2.length);
          for (let i = 0; i < str2.length; ++i)
            buffer[i] = str2.charCodeAt(i);
          return buffer;
        } else {
          onError("This environment does not support reading binary tags; either Buffer or atob is required");
          return src;
        }
      },
      stringify({ comment, type, value }, ctx, onComment, onChompKeep) {
        if (!value)
          return "";
        const buf = value;
        let str2;
        if (typeof node_buffer.Buffer === "function") {
          str2 = buf instanceof node_buffer.Buffer ? buf.toString("base64") : node_buffer.Buffer.from(buf.buffer).toString("base64");
        } else if (typeof btoa === "function") {
          let s = "";
          for (let i = 0; i < buf.length; ++i)
            s += String.fromCharCode(buf[i]);
          str2 = btoa(s);
        } else {
          throw new Error("This environment does not support writing binary tags; either Buffer or btoa is required");
        }
        type ?? (type = Scalar.Scalar.BLOCK_LITERAL);
        if (type !== Scalar.Scalar.QUOTE_DOUBLE) {
          const lineWidth = Math.max(ctx.options.lineWidth - ctx.indent.length, ctx.options.minContentWidth);
          const n = Math.ceil(str2.length / lineWidth);
          const lines = new Array(n);
          for (let i = 0, o = 0; i < n; ++i, o += lineWidth) {
            lines[i] = str2.substr(o, lineWidth);
          }
          str2 = lines.join(type === Scalar.Scalar.BLOCK_LITERAL ? "\n" : " ");
        }
        return stringifyString.stringifyString({ comment, type, value: str2 }, ctx, onComment, onChompKeep);
      }
    };
    exports.binary = binary;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/pairs.js
var require_pairs = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/pairs.js"(exports) {
    "use strict";
    var identity = require_identity();
    var Pair = require_Pair();
    var Scalar = require_Scalar();
    var YAMLSeq = require_YAMLSeq();
    function resolvePairs(seq, onError) {
      if (identity.isSeq(seq)) {
        for (let i = 0; i < seq.items.length; ++i) {
          let item = seq.items[i];
          if (identity.isPair(item))
            continue;
          else if (identity.isMap(item)) {
            if (item.items.length > 1)
              onError("Each pair must have its own sequence indicator");
            const pair = item.items[0] || new Pair.Pair(new Scalar.Scalar(null));
            if (item.commentBefore)
              pair.key.commentBefore = pair.key.commentBefore ? `${item.commentBefore}
${pair.key.commentBefore}` : item.commentBefore;
            if (item.comment) {
              const cn = pair.value ?? pair.key;
              cn.comment = cn.comment ? `${item.comment}
${cn.comment}` : item.comment;
            }
            item = pair;
          }
          seq.items[i] = identity.isPair(item) ? item : new Pair.Pair(item);
        }
      } else
        onError("Expected a sequence for this tag");
      return seq;
    }
    function createPairs(schema, iterable, ctx) {
      const { replacer } = ctx;
      const pairs2 = new YAMLSeq.YAMLSeq(schema);
      pairs2.tag = "tag:yaml.org,2002:pairs";
      let i = 0;
      if (iterable && Symbol.iterator in Object(iterable))
        for (let it of iterable) {
          if (typeof replacer === "function")
            it = replacer.call(iterable, String(i++), it);
          let key, value;
          if (Array.isArray(it)) {
            if (it.length === 2) {
              key = it[0];
              value = it[1];
            } else
              throw new TypeError(`Expected [key, value] tuple: ${it}`);
          } else if (it && it instanceof Object) {
            const keys = Object.keys(it);
            if (keys.length === 1) {
              key = keys[0];
              value = it[key];
            } else {
              throw new TypeError(`Expected tuple with one key, not ${keys.length} keys`);
            }
          } else {
            key = it;
          }
          pairs2.items.push(Pair.createPair(key, value, ctx));
        }
      return pairs2;
    }
    var pairs = {
      collection: "seq",
      default: false,
      tag: "tag:yaml.org,2002:pairs",
      resolve: resolvePairs,
      createNode: createPairs
    };
    exports.createPairs = createPairs;
    exports.pairs = pairs;
    exports.resolvePairs = resolvePairs;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/omap.js
var require_omap = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/omap.js"(exports) {
    "use strict";
    var identity = require_identity();
    var toJS = require_toJS();
    var YAMLMap = require_YAMLMap();
    var YAMLSeq = require_YAMLSeq();
    var pairs = require_pairs();
    var YAMLOMap = class _YAMLOMap extends YAMLSeq.YAMLSeq {
      constructor() {
        super();
        this.add = YAMLMap.YAMLMap.prototype.add.bind(this);
        this.delete = YAMLMap.YAMLMap.prototype.delete.bind(this);
        this.get = YAMLMap.YAMLMap.prototype.get.bind(this);
        this.has = YAMLMap.YAMLMap.prototype.has.bind(this);
        this.set = YAMLMap.YAMLMap.prototype.set.bind(this);
        this.tag = _YAMLOMap.tag;
      }
      /**
       * If `ctx` is given, the return type is actually `Map<unknown, unknown>`,
       * but TypeScript won't allow widening the signature of a child method.
       */
      toJSON(_, ctx) {
        if (!ctx)
          return super.toJSON(_);
        const map = /* @__PURE__ */ new Map();
        if (ctx?.onCreate)
          ctx.onCreate(map);
        for (const pair of this.items) {
          let key, value;
          if (identity.isPair(pair)) {
            key = toJS.toJS(pair.key, "", ctx);
            value = toJS.toJS(pair.value, key, ctx);
          } else {
            key = toJS.toJS(pair, "", ctx);
          }
          if (map.has(key))
            throw new Error("Ordered maps must not include duplicate keys");
          map.set(key, value);
        }
        return map;
      }
      static from(schema, iterable, ctx) {
        const pairs$1 = pairs.createPairs(schema, iterable, ctx);
        const omap2 = new this();
        omap2.items = pairs$1.items;
        return omap2;
      }
    };
    YAMLOMap.tag = "tag:yaml.org,2002:omap";
    var omap = {
      collection: "seq",
      identify: (value) => value instanceof Map,
      nodeClass: YAMLOMap,
      default: false,
      tag: "tag:yaml.org,2002:omap",
      resolve(seq, onError) {
        const pairs$1 = pairs.resolvePairs(seq, onError);
        const seenKeys = [];
        for (const { key } of pairs$1.items) {
          if (identity.isScalar(key)) {
            if (seenKeys.includes(key.value)) {
              onError(`Ordered maps must not include duplicate keys: ${key.value}`);
            } else {
              seenKeys.push(key.value);
            }
          }
        }
        return Object.assign(new YAMLOMap(), pairs$1);
      },
      createNode: (schema, iterable, ctx) => YAMLOMap.from(schema, iterable, ctx)
    };
    exports.YAMLOMap = YAMLOMap;
    exports.omap = omap;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/bool.js
var require_bool2 = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/bool.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    function boolStringify({ value, source }, ctx) {
      const boolObj = value ? trueTag : falseTag;
      if (source && boolObj.test.test(source))
        return source;
      return value ? ctx.options.trueStr : ctx.options.falseStr;
    }
    var trueTag = {
      identify: (value) => value === true,
      default: true,
      tag: "tag:yaml.org,2002:bool",
      test: /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/,
      resolve: () => new Scalar.Scalar(true),
      stringify: boolStringify
    };
    var falseTag = {
      identify: (value) => value === false,
      default: true,
      tag: "tag:yaml.org,2002:bool",
      test: /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/,
      resolve: () => new Scalar.Scalar(false),
      stringify: boolStringify
    };
    exports.falseTag = falseTag;
    exports.trueTag = trueTag;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/float.js
var require_float2 = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/float.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    var stringifyNumber = require_stringifyNumber();
    var floatNaN = {
      identify: (value) => typeof value === "number",
      default: true,
      tag: "tag:yaml.org,2002:float",
      test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
      resolve: (str2) => str2.slice(-3).toLowerCase() === "nan" ? NaN : str2[0] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY,
      stringify: stringifyNumber.stringifyNumber
    };
    var floatExp = {
      identify: (value) => typeof value === "number",
      default: true,
      tag: "tag:yaml.org,2002:float",
      format: "EXP",
      test: /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
      resolve: (str2) => parseFloat(str2.replace(/_/g, "")),
      stringify(node) {
        const num = Number(node.value);
        return isFinite(num) ? num.toExponential() : stringifyNumber.stringifyNumber(node);
      }
    };
    var float = {
      identify: (value) => typeof value === "number",
      default: true,
      tag: "tag:yaml.org,2002:float",
      test: /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/,
      resolve(str2) {
        const node = new Scalar.Scalar(parseFloat(str2.replace(/_/g, "")));
        const dot = str2.indexOf(".");
        if (dot !== -1) {
          const f = str2.substring(dot + 1).replace(/_/g, "");
          if (f[f.length - 1] === "0")
            node.minFractionDigits = f.length;
        }
        return node;
      },
      stringify: stringifyNumber.stringifyNumber
    };
    exports.float = float;
    exports.floatExp = floatExp;
    exports.floatNaN = floatNaN;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/int.js
var require_int2 = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/int.js"(exports) {
    "use strict";
    var stringifyNumber = require_stringifyNumber();
    var intIdentify = (value) => typeof value === "bigint" || Number.isInteger(value);
    function intResolve(str2, offset, radix, { intAsBigInt }) {
      const sign = str2[0];
      if (sign === "-" || sign === "+")
        offset += 1;
      str2 = str2.substring(offset).replace(/_/g, "");
      if (intAsBigInt) {
        switch (radix) {
          case 2:
            str2 = `0b${str2}`;
            break;
          case 8:
            str2 = `0o${str2}`;
            break;
          case 16:
            str2 = `0x${str2}`;
            break;
        }
        const n2 = BigInt(str2);
        return sign === "-" ? BigInt(-1) * n2 : n2;
      }
      const n = parseInt(str2, radix);
      return sign === "-" ? -1 * n : n;
    }
    function intStringify(node, radix, prefix) {
      const { value } = node;
      if (intIdentify(value)) {
        const str2 = value.toString(radix);
        return value < 0 ? "-" + prefix + str2.substr(1) : prefix + str2;
      }
      return stringifyNumber.stringifyNumber(node);
    }
    var intBin = {
      identify: intIdentify,
      default: true,
      tag: "tag:yaml.org,2002:int",
      format: "BIN",
      test: /^[-+]?0b[0-1_]+$/,
      resolve: (str2, _onError, opt) => intResolve(str2, 2, 2, opt),
      stringify: (node) => intStringify(node, 2, "0b")
    };
    var intOct = {
      identify: intIdentify,
      default: true,
      tag: "tag:yaml.org,2002:int",
      format: "OCT",
      test: /^[-+]?0[0-7_]+$/,
      resolve: (str2, _onError, opt) => intResolve(str2, 1, 8, opt),
      stringify: (node) => intStringify(node, 8, "0")
    };
    var int2 = {
      identify: intIdentify,
      default: true,
      tag: "tag:yaml.org,2002:int",
      test: /^[-+]?[0-9][0-9_]*$/,
      resolve: (str2, _onError, opt) => intResolve(str2, 0, 10, opt),
      stringify: stringifyNumber.stringifyNumber
    };
    var intHex = {
      identify: intIdentify,
      default: true,
      tag: "tag:yaml.org,2002:int",
      format: "HEX",
      test: /^[-+]?0x[0-9a-fA-F_]+$/,
      resolve: (str2, _onError, opt) => intResolve(str2, 2, 16, opt),
      stringify: (node) => intStringify(node, 16, "0x")
    };
    exports.int = int2;
    exports.intBin = intBin;
    exports.intHex = intHex;
    exports.intOct = intOct;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/set.js
var require_set = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/set.js"(exports) {
    "use strict";
    var identity = require_identity();
    var Pair = require_Pair();
    var YAMLMap = require_YAMLMap();
    var YAMLSet = class _YAMLSet extends YAMLMap.YAMLMap {
      constructor(schema) {
        super(schema);
        this.tag = _YAMLSet.tag;
      }
      add(key) {
        let pair;
        if (identity.isPair(key))
          pair = key;
        else if (key && typeof key === "object" && "key" in key && "value" in key && key.value === null)
          pair = new Pair.Pair(key.key, null);
        else
          pair = new Pair.Pair(key, null);
        const prev = YAMLMap.findPair(this.items, pair.key);
        if (!prev)
          this.items.push(pair);
      }
      /**
       * If `keepPair` is `true`, returns the Pair matching `key`.
       * Otherwise, returns the value of that Pair's key.
       */
      get(key, keepPair) {
        const pair = YAMLMap.findPair(this.items, key);
        return !keepPair && identity.isPair(pair) ? identity.isScalar(pair.key) ? pair.key.value : pair.key : pair;
      }
      set(key, value) {
        if (typeof value !== "boolean")
          throw new Error(`Expected boolean value for set(key, value) in a YAML set, not ${typeof value}`);
        const prev = YAMLMap.findPair(this.items, key);
        if (prev && !value) {
          this.items.splice(this.items.indexOf(prev), 1);
        } else if (!prev && value) {
          this.items.push(new Pair.Pair(key));
        }
      }
      toJSON(_, ctx) {
        return super.toJSON(_, ctx, Set);
      }
      toString(ctx, onComment, onChompKeep) {
        if (!ctx)
          return JSON.stringify(this);
        if (this.hasAllNullValues(true))
          return super.toString(Object.assign({}, ctx, { allNullValues: true }), onComment, onChompKeep);
        else
          throw new Error("Set items must all have null values");
      }
      static from(schema, iterable, ctx) {
        const { replacer } = ctx;
        const set2 = new this(schema);
        if (iterable && Symbol.iterator in Object(iterable))
          for (let value of iterable) {
            if (typeof replacer === "function")
              value = replacer.call(iterable, value, value);
            set2.items.push(Pair.createPair(value, null, ctx));
          }
        return set2;
      }
    };
    YAMLSet.tag = "tag:yaml.org,2002:set";
    var set = {
      collection: "map",
      identify: (value) => value instanceof Set,
      nodeClass: YAMLSet,
      default: false,
      tag: "tag:yaml.org,2002:set",
      createNode: (schema, iterable, ctx) => YAMLSet.from(schema, iterable, ctx),
      resolve(map, onError) {
        if (identity.isMap(map)) {
          if (map.hasAllNullValues(true))
            return Object.assign(new YAMLSet(), map);
          else
            onError("Set items must all have null values");
        } else
          onError("Expected a mapping for this tag");
        return map;
      }
    };
    exports.YAMLSet = YAMLSet;
    exports.set = set;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/timestamp.js
var require_timestamp = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/timestamp.js"(exports) {
    "use strict";
    var stringifyNumber = require_stringifyNumber();
    function parseSexagesimal(str2, asBigInt) {
      const sign = str2[0];
      const parts = sign === "-" || sign === "+" ? str2.substring(1) : str2;
      const num = (n) => asBigInt ? BigInt(n) : Number(n);
      const res = parts.replace(/_/g, "").split(":").reduce((res2, p) => res2 * num(60) + num(p), num(0));
      return sign === "-" ? num(-1) * res : res;
    }
    function stringifySexagesimal(node) {
      let { value } = node;
      let num = (n) => n;
      if (typeof value === "bigint")
        num = (n) => BigInt(n);
      else if (isNaN(value) || !isFinite(value))
        return stringifyNumber.stringifyNumber(node);
      let sign = "";
      if (value < 0) {
        sign = "-";
        value *= num(-1);
      }
      const _60 = num(60);
      const parts = [value % _60];
      if (value < 60) {
        parts.unshift(0);
      } else {
        value = (value - parts[0]) / _60;
        parts.unshift(value % _60);
        if (value >= 60) {
          value = (value - parts[0]) / _60;
          parts.unshift(value);
        }
      }
      return sign + parts.map((n) => String(n).padStart(2, "0")).join(":").replace(/000000\d*$/, "");
    }
    var intTime = {
      identify: (value) => typeof value === "bigint" || Number.isInteger(value),
      default: true,
      tag: "tag:yaml.org,2002:int",
      format: "TIME",
      test: /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+$/,
      resolve: (str2, _onError, { intAsBigInt }) => parseSexagesimal(str2, intAsBigInt),
      stringify: stringifySexagesimal
    };
    var floatTime = {
      identify: (value) => typeof value === "number",
      default: true,
      tag: "tag:yaml.org,2002:float",
      format: "TIME",
      test: /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$/,
      resolve: (str2) => parseSexagesimal(str2, false),
      stringify: stringifySexagesimal
    };
    var timestamp = {
      identify: (value) => value instanceof Date,
      default: true,
      tag: "tag:yaml.org,2002:timestamp",
      // If the time zone is omitted, the timestamp is assumed to be specified in UTC. The time part
      // may be omitted altogether, resulting in a date format. In such a case, the time part is
      // assumed to be 00:00:00Z (start of day, UTC).
      test: RegExp("^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:t|T|[ \\t]+)([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2}(\\.[0-9]+)?)(?:[ \\t]*(Z|[-+][012]?[0-9](?::[0-9]{2})?))?)?$"),
      resolve(str2) {
        const match = str2.match(timestamp.test);
        if (!match)
          throw new Error("!!timestamp expects a date, starting with yyyy-mm-dd");
        const [, year, month, day, hour, minute, second] = match.map(Number);
        const millisec = match[7] ? Number((match[7] + "00").substr(1, 3)) : 0;
        let date = Date.UTC(year, month - 1, day, hour || 0, minute || 0, second || 0, millisec);
        const tz = match[8];
        if (tz && tz !== "Z") {
          let d = parseSexagesimal(tz, false);
          if (Math.abs(d) < 30)
            d *= 60;
          date -= 6e4 * d;
        }
        return new Date(date);
      },
      stringify: ({ value }) => value?.toISOString().replace(/(T00:00:00)?\.000Z$/, "") ?? ""
    };
    exports.floatTime = floatTime;
    exports.intTime = intTime;
    exports.timestamp = timestamp;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/schema.js
var require_schema3 = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/schema.js"(exports) {
    "use strict";
    var map = require_map();
    var _null = require_null();
    var seq = require_seq();
    var string = require_string();
    var binary = require_binary();
    var bool2 = require_bool2();
    var float = require_float2();
    var int2 = require_int2();
    var merge = require_merge();
    var omap = require_omap();
    var pairs = require_pairs();
    var set = require_set();
    var timestamp = require_timestamp();
    var schema = [
      map.map,
      seq.seq,
      string.string,
      _null.nullTag,
      bool2.trueTag,
      bool2.falseTag,
      int2.intBin,
      int2.intOct,
      int2.int,
      int2.intHex,
      float.floatNaN,
      float.floatExp,
      float.float,
      binary.binary,
      merge.merge,
      omap.omap,
      pairs.pairs,
      set.set,
      timestamp.intTime,
      timestamp.floatTime,
      timestamp.timestamp
    ];
    exports.schema = schema;
  }
});

// node_modules/yaml/dist/schema/tags.js
var require_tags = __commonJS({
  "node_modules/yaml/dist/schema/tags.js"(exports) {
    "use strict";
    var map = require_map();
    var _null = require_null();
    var seq = require_seq();
    var string = require_string();
    var bool2 = require_bool();
    var float = require_float();
    var int2 = require_int();
    var schema = require_schema();
    var schema$1 = require_schema2();
    var binary = require_binary();
    var merge = require_merge();
    var omap = require_omap();
    var pairs = require_pairs();
    var schema$2 = require_schema3();
    var set = require_set();
    var timestamp = require_timestamp();
    var schemas = /* @__PURE__ */ new Map([
      ["core", schema.schema],
      ["failsafe", [map.map, seq.seq, string.string]],
      ["json", schema$1.schema],
      ["yaml11", schema$2.schema],
      ["yaml-1.1", schema$2.schema]
    ]);
    var tagsByName = {
      binary: binary.binary,
      bool: bool2.boolTag,
      float: float.float,
      floatExp: float.floatExp,
      floatNaN: float.floatNaN,
      floatTime: timestamp.floatTime,
      int: int2.int,
      intHex: int2.intHex,
      intOct: int2.intOct,
      intTime: timestamp.intTime,
      map: map.map,
      merge: merge.merge,
      null: _null.nullTag,
      omap: omap.omap,
      pairs: pairs.pairs,
      seq: seq.seq,
      set: set.set,
      timestamp: timestamp.timestamp
    };
    var coreKnownTags = {
      "tag:yaml.org,2002:binary": binary.binary,
      "tag:yaml.org,2002:merge": merge.merge,
      "tag:yaml.org,2002:omap": omap.omap,
      "tag:yaml.org,2002:pairs": pairs.pairs,
      "tag:yaml.org,2002:set": set.set,
      "tag:yaml.org,2002:timestamp": timestamp.timestamp
    };
    function getTags(customTags, schemaName, addMergeTag) {
      const schemaTags = schemas.get(schemaName);
      if (schemaTags && !customTags) {
        return addMergeTag && !schemaTags.includes(merge.merge) ? schemaTags.concat(merge.merge) : schemaTags.slice();
      }
      let tags = schemaTags;
      if (!tags) {
        if (Array.isArray(customTags))
          tags = [];
        else {
          const keys = Array.from(schemas.keys()).filter((key) => key !== "yaml11").map((key) => JSON.stringify(key)).join(", ");
          throw new Error(`Unknown schema "${schemaName}"; use one of ${keys} or define customTags array`);
        }
      }
      if (Array.isArray(customTags)) {
        for (const tag of customTags)
          tags = tags.concat(tag);
      } else if (typeof customTags === "function") {
        tags = customTags(tags.slice());
      }
      if (addMergeTag)
        tags = tags.concat(merge.merge);
      return tags.reduce((tags2, tag) => {
        const tagObj = typeof tag === "string" ? tagsByName[tag] : tag;
        if (!tagObj) {
          const tagName = JSON.stringify(tag);
          const keys = Object.keys(tagsByName).map((key) => JSON.stringify(key)).join(", ");
          throw new Error(`Unknown custom tag ${tagName}; use one of ${keys}`);
        }
        if (!tags2.includes(tagObj))
          tags2.push(tagObj);
        return tags2;
      }, []);
    }
    exports.coreKnownTags = coreKnownTags;
    exports.getTags = getTags;
  }
});

// node_modules/yaml/dist/schema/Schema.js
var require_Schema = __commonJS({
  "node_modules/yaml/dist/schema/Schema.js"(exports) {
    "use strict";
    var identity = require_identity();
    var map = require_map();
    var seq = require_seq();
    var string = require_string();
    var tags = require_tags();
    var sortMapEntriesByKey = (a, b) => a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
    var Schema = class _Schema {
      constructor({ compat, customTags, merge, resolveKnownTags, schema, sortMapEntries, toStringDefaults }) {
        this.compat = Array.isArray(compat) ? tags.getTags(compat, "compat") : compat ? tags.getTags(null, compat) : null;
        this.name = typeof schema === "string" && schema || "core";
        this.knownTags = resolveKnownTags ? tags.coreKnownTags : {};
        this.tags = tags.getTags(customTags, this.name, merge);
        this.toStringOptions = toStringDefaults ?? null;
        Object.defineProperty(this, identity.MAP, { value: map.map });
        Object.defineProperty(this, identity.SCALAR, { value: string.string });
        Object.defineProperty(this, identity.SEQ, { value: seq.seq });
        this.sortMapEntries = typeof sortMapEntries === "function" ? sortMapEntries : sortMapEntries === true ? sortMapEntriesByKey : null;
      }
      clone() {
        const copy = Object.create(_Schema.prototype, Object.getOwnPropertyDescriptors(this));
        copy.tags = this.tags.slice();
        return copy;
      }
    };
    exports.Schema = Schema;
  }
});

// node_modules/yaml/dist/stringify/stringifyDocument.js
var require_stringifyDocument = __commonJS({
  "node_modules/yaml/dist/stringify/stringifyDocument.js"(exports) {
    "use strict";
    var identity = require_identity();
    var stringify = require_stringify();
    var stringifyComment = require_stringifyComment();
    function stringifyDocument(doc, options) {
      const lines = [];
      let hasDirectives = options.directives === true;
      if (options.directives !== false && doc.directives) {
        const dir = doc.directives.toString(doc);
        if (dir) {
          lines.push(dir);
          hasDirectives = true;
        } else if (doc.directives.docStart)
          hasDirectives = true;
      }
      if (hasDirectives)
        lines.push("---");
      const ctx = stringify.createStringifyContext(doc, options);
      const { commentString } = ctx.options;
      if (doc.commentBefore) {
        if (lines.length !== 1)
          lines.unshift("");
        const cs = commentString(doc.commentBefore);
        lines.unshift(stringifyComment.indentComment(cs, ""));
      }
      let chompKeep = false;
      let contentComment = null;
      if (doc.contents) {
        if (identity.isNode(doc.contents)) {
          if (doc.contents.spaceBefore && hasDirectives)
            lines.push("");
          if (doc.contents.commentBefore) {
            const cs = commentString(doc.contents.commentBefore);
            lines.push(stringifyComment.indentComment(cs, ""));
          }
          ctx.forceBlockIndent = !!doc.comment;
          contentComment = doc.contents.comment;
        }
        const onChompKeep = contentComment ? void 0 : () => chompKeep = true;
        let body = stringify.stringify(doc.contents, ctx, () => contentComment = null, onChompKeep);
        if (contentComment)
          body += stringifyComment.lineComment(body, "", commentString(contentComment));
        if ((body[0] === "|" || body[0] === ">") && lines[lines.length - 1] === "---") {
          lines[lines.length - 1] = `--- ${body}`;
        } else
          lines.push(body);
      } else {
        lines.push(stringify.stringify(doc.contents, ctx));
      }
      if (doc.directives?.docEnd) {
        if (doc.comment) {
          const cs = commentString(doc.comment);
          if (cs.includes("\n")) {
            lines.push("...");
            lines.push(stringifyComment.indentComment(cs, ""));
          } else {
            lines.push(`... ${cs}`);
          }
        } else {
          lines.push("...");
        }
      } else {
        let dc = doc.comment;
        if (dc && chompKeep)
          dc = dc.replace(/^\n+/, "");
        if (dc) {
          if ((!chompKeep || contentComment) && lines[lines.length - 1] !== "")
            lines.push("");
          lines.push(stringifyComment.indentComment(commentString(dc), ""));
        }
      }
      return lines.join("\n") + "\n";
    }
    exports.stringifyDocument = stringifyDocument;
  }
});

// node_modules/yaml/dist/doc/Document.js
var require_Document = __commonJS({
  "node_modules/yaml/dist/doc/Document.js"(exports) {
    "use strict";
    var Alias = require_Alias();
    var Collection = require_Collection();
    var identity = require_identity();
    var Pair = require_Pair();
    var toJS = require_toJS();
    var Schema = require_Schema();
    var stringifyDocument = require_stringifyDocument();
    var anchors = require_anchors();
    var applyReviver = require_applyReviver();
    var createNode = require_createNode();
    var directives = require_directives();
    var Document = class _Document {
      constructor(value, replacer, options) {
        this.commentBefore = null;
        this.comment = null;
        this.errors = [];
        this.warnings = [];
        Object.defineProperty(this, identity.NODE_TYPE, { value: identity.DOC });
        let _replacer = null;
        if (typeof replacer === "function" || Array.isArray(replacer)) {
          _replacer = replacer;
        } else if (options === void 0 && replacer) {
          options = replacer;
          replacer = void 0;
        }
        const opt = Object.assign({
          intAsBigInt: false,
          keepSourceTokens: false,
          logLevel: "warn",
          prettyErrors: true,
          strict: true,
          stringKeys: false,
          uniqueKeys: true,
          version: "1.2"
        }, options);
        this.options = opt;
        let { version } = opt;
        if (options?._directives) {
          this.directives = options._directives.atDocument();
          if (this.directives.yaml.explicit)
            version = this.directives.yaml.version;
        } else
          this.directives = new directives.Directives({ version });
        this.setSchema(version, options);
        this.contents = value === void 0 ? null : this.createNode(value, _replacer, options);
      }
      /**
       * Create a deep copy of this Document and its contents.
       *
       * Custom Node values that inherit from `Object` still refer to their original instances.
       */
      clone() {
        const copy = Object.create(_Document.prototype, {
          [identity.NODE_TYPE]: { value: identity.DOC }
        });
        copy.commentBefore = this.commentBefore;
        copy.comment = this.comment;
        copy.errors = this.errors.slice();
        copy.warnings = this.warnings.slice();
        copy.options = Object.assign({}, this.options);
        if (this.directives)
          copy.directives = this.directives.clone();
        copy.schema = this.schema.clone();
        copy.contents = identity.isNode(this.contents) ? this.contents.clone(copy.schema) : this.contents;
        if (this.range)
          copy.range = this.range.slice();
        return copy;
      }
      /** Adds a value to the document. */
      add(value) {
        if (assertCollection(this.contents))
          this.contents.add(value);
      }
      /** Adds a value to the document. */
      addIn(path, value) {
        if (assertCollection(this.contents))
          this.contents.addIn(path, value);
      }
      /**
       * Create a new `Alias` node, ensuring that the target `node` has the required anchor.
       *
       * If `node` already has an anchor, `name` is ignored.
       * Otherwise, the `node.anchor` value will be set to `name`,
       * or if an anchor with that name is already present in the document,
       * `name` will be used as a prefix for a new unique anchor.
       * If `name` is undefined, the generated anchor will use 'a' as a prefix.
       */
      createAlias(node, name) {
        if (!node.anchor) {
          const prev = anchors.anchorNames(this);
          node.anchor = // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
          !name || prev.has(name) ? anchors.findNewAnchor(name || "a", prev) : name;
        }
        return new Alias.Alias(node.anchor);
      }
      createNode(value, replacer, options) {
        let _replacer = void 0;
        if (typeof replacer === "function") {
          value = replacer.call({ "": value }, "", value);
          _replacer = replacer;
        } else if (Array.isArray(replacer)) {
          const keyToStr = (v) => typeof v === "number" || v instanceof String || v instanceof Number;
          const asStr = replacer.filter(keyToStr).map(String);
          if (asStr.length > 0)
            replacer = replacer.concat(asStr);
          _replacer = replacer;
        } else if (options === void 0 && replacer) {
          options = replacer;
          replacer = void 0;
        }
        const { aliasDuplicateObjects, anchorPrefix, flow, keepUndefined, onTagObj, tag } = options ?? {};
        const { onAnchor, setAnchors, sourceObjects } = anchors.createNodeAnchors(
          this,
          // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
          anchorPrefix || "a"
        );
        const ctx = {
          aliasDuplicateObjects: aliasDuplicateObjects ?? true,
          keepUndefined: keepUndefined ?? false,
          onAnchor,
          onTagObj,
          replacer: _replacer,
          schema: this.schema,
          sourceObjects
        };
        const node = createNode.createNode(value, tag, ctx);
        if (flow && identity.isCollection(node))
          node.flow = true;
        setAnchors();
        return node;
      }
      /**
       * Convert a key and a value into a `Pair` using the current schema,
       * recursively wrapping all values as `Scalar` or `Collection` nodes.
       */
      createPair(key, value, options = {}) {
        const k = this.createNode(key, null, options);
        const v = this.createNode(value, null, options);
        return new Pair.Pair(k, v);
      }
      /**
       * Removes a value from the document.
       * @returns `true` if the item was found and removed.
       */
      delete(key) {
        return assertCollection(this.contents) ? this.contents.delete(key) : false;
      }
      /**
       * Removes a value from the document.
       * @returns `true` if the item was found and removed.
       */
      deleteIn(path) {
        if (Collection.isEmptyPath(path)) {
          if (this.contents == null)
            return false;
          this.contents = null;
          return true;
        }
        return assertCollection(this.contents) ? this.contents.deleteIn(path) : false;
      }
      /**
       * Returns item at `key`, or `undefined` if not found. By default unwraps
       * scalar values from their surrounding node; to disable set `keepScalar` to
       * `true` (collections are always returned intact).
       */
      get(key, keepScalar) {
        return identity.isCollection(this.contents) ? this.contents.get(key, keepScalar) : void 0;
      }
      /**
       * Returns item at `path`, or `undefined` if not found. By default unwraps
       * scalar values from their surrounding node; to disable set `keepScalar` to
       * `true` (collections are always returned intact).
       */
      getIn(path, keepScalar) {
        if (Collection.isEmptyPath(path))
          return !keepScalar && identity.isScalar(this.contents) ? this.contents.value : this.contents;
        return identity.isCollection(this.contents) ? this.contents.getIn(path, keepScalar) : void 0;
      }
      /**
       * Checks if the document includes a value with the key `key`.
       */
      has(key) {
        return identity.isCollection(this.contents) ? this.contents.has(key) : false;
      }
      /**
       * Checks if the document includes a value at `path`.
       */
      hasIn(path) {
        if (Collection.isEmptyPath(path))
          return this.contents !== void 0;
        return identity.isCollection(this.contents) ? this.contents.hasIn(path) : false;
      }
      /**
       * Sets a value in this document. For `!!set`, `value` needs to be a
       * boolean to add/remove the item from the set.
       */
      set(key, value) {
        if (this.contents == null) {
          this.contents = Collection.collectionFromPath(this.schema, [key], value);
        } else if (assertCollection(this.contents)) {
          this.contents.set(key, value);
        }
      }
      /**
       * Sets a value in this document. For `!!set`, `value` needs to be a
       * boolean to add/remove the item from the set.
       */
      setIn(path, value) {
        if (Collection.isEmptyPath(path)) {
          this.contents = value;
        } else if (this.contents == null) {
          this.contents = Collection.collectionFromPath(this.schema, Array.from(path), value);
        } else if (assertCollection(this.contents)) {
          this.contents.setIn(path, value);
        }
      }
      /**
       * Change the YAML version and schema used by the document.
       * A `null` version disables support for directives, explicit tags, anchors, and aliases.
       * It also requires the `schema` option to be given as a `Schema` instance value.
       *
       * Overrides all previously set schema options.
       */
      setSchema(version, options = {}) {
        if (typeof version === "number")
          version = String(version);
        let opt;
        switch (version) {
          case "1.1":
            if (this.directives)
              this.directives.yaml.version = "1.1";
            else
              this.directives = new directives.Directives({ version: "1.1" });
            opt = { resolveKnownTags: false, schema: "yaml-1.1" };
            break;
          case "1.2":
          case "next":
            if (this.directives)
              this.directives.yaml.version = version;
            else
              this.directives = new directives.Directives({ version });
            opt = { resolveKnownTags: true, schema: "core" };
            break;
          case null:
            if (this.directives)
              delete this.directives;
            opt = null;
            break;
          default: {
            const sv = JSON.stringify(version);
            throw new Error(`Expected '1.1', '1.2' or null as first argument, but found: ${sv}`);
          }
        }
        if (options.schema instanceof Object)
          this.schema = options.schema;
        else if (opt)
          this.schema = new Schema.Schema(Object.assign(opt, options));
        else
          throw new Error(`With a null YAML version, the { schema: Schema } option is required`);
      }
      // json & jsonArg are only used from toJSON()
      toJS({ json, jsonArg, mapAsMap, maxAliasCount, onAnchor, reviver } = {}) {
        const ctx = {
          anchors: /* @__PURE__ */ new Map(),
          doc: this,
          keep: !json,
          mapAsMap: mapAsMap === true,
          mapKeyWarned: false,
          maxAliasCount: typeof maxAliasCount === "number" ? maxAliasCount : 100
        };
        const res = toJS.toJS(this.contents, jsonArg ?? "", ctx);
        if (typeof onAnchor === "function")
          for (const { count, res: res2 } of ctx.anchors.values())
            onAnchor(res2, count);
        return typeof reviver === "function" ? applyReviver.applyReviver(reviver, { "": res }, "", res) : res;
      }
      /**
       * A JSON representation of the document `contents`.
       *
       * @param jsonArg Used by `JSON.stringify` to indicate the array index or
       *   property name.
       */
      toJSON(jsonArg, onAnchor) {
        return this.toJS({ json: true, jsonArg, mapAsMap: false, onAnchor });
      }
      /** A YAML representation of the document. */
      toString(options = {}) {
        if (this.errors.length > 0)
          throw new Error("Document with errors cannot be stringified");
        if ("indent" in options && (!Number.isInteger(options.indent) || Number(options.indent) <= 0)) {
          const s = JSON.stringify(options.indent);
          throw new Error(`"indent" option must be a positive integer, not ${s}`);
        }
        return stringifyDocument.stringifyDocument(this, options);
      }
    };
    function assertCollection(contents) {
      if (identity.isCollection(contents))
        return true;
      throw new Error("Expected a YAML collection as document contents");
    }
    exports.Document = Document;
  }
});

// node_modules/yaml/dist/errors.js
var require_errors = __commonJS({
  "node_modules/yaml/dist/errors.js"(exports) {
    "use strict";
    var YAMLError = class extends Error {
      constructor(name, pos, code, message) {
        super();
        this.name = name;
        this.code = code;
        this.message = message;
        this.pos = pos;
      }
    };
    var YAMLParseError = class extends YAMLError {
      constructor(pos, code, message) {
        super("YAMLParseError", pos, code, message);
      }
    };
    var YAMLWarning = class extends YAMLError {
      constructor(pos, code, message) {
        super("YAMLWarning", pos, code, message);
      }
    };
    var prettifyError = (src, lc) => (error) => {
      if (error.pos[0] === -1)
        return;
      error.linePos = error.pos.map((pos) => lc.linePos(pos));
      const { line, col } = error.linePos[0];
      error.message += ` at line ${line}, column ${col}`;
      let ci = col - 1;
      let lineStr = src.substring(lc.lineStarts[line - 1], lc.lineStarts[line]).replace(/[\n\r]+$/, "");
      if (ci >= 60 && lineStr.length > 80) {
        const trimStart = Math.min(ci - 39, lineStr.length - 79);
        lineStr = "\u2026" + lineStr.substring(trimStart);
        ci -= trimStart - 1;
      }
      if (lineStr.length > 80)
        lineStr = lineStr.substring(0, 79) + "\u2026";
      if (line > 1 && /^ *$/.test(lineStr.substring(0, ci))) {
        let prev = src.substring(lc.lineStarts[line - 2], lc.lineStarts[line - 1]);
        if (prev.length > 80)
          prev = prev.substring(0, 79) + "\u2026\n";
        lineStr = prev + lineStr;
      }
      if (/[^ ]/.test(lineStr)) {
        let count = 1;
        const end = error.linePos[1];
        if (end?.line === line && end.col > col) {
          count = Math.max(1, Math.min(end.col - col, 80 - ci));
        }
        const pointer = " ".repeat(ci) + "^".repeat(count);
        error.message += `:

${lineStr}
${pointer}
`;
      }
    };
    exports.YAMLError = YAMLError;
    exports.YAMLParseError = YAMLParseError;
    exports.YAMLWarning = YAMLWarning;
    exports.prettifyError = prettifyError;
  }
});

// node_modules/yaml/dist/compose/resolve-props.js
var require_resolve_props = __commonJS({
  "node_modules/yaml/dist/compose/resolve-props.js"(exports) {
    "use strict";
    function resolveProps(tokens, { flow, indicator, next, offset, onError, parentIndent, startOnNewline }) {
      let spaceBefore = false;
      let atNewline = startOnNewline;
      let hasSpace = startOnNewline;
      let comment = "";
      let commentSep = "";
      let hasNewline = false;
      let reqSpace = false;
      let tab = null;
      let anchor = null;
      let tag = null;
      let newlineAfterProp = null;
      let comma = null;
      let found = null;
      let start = null;
      for (const token of tokens) {
        if (reqSpace) {
          if (token.type !== "space" && token.type !== "newline" && token.type !== "comma")
            onError(token.offset, "MISSING_CHAR", "Tags and anchors must be separated from the next token by white space");
          reqSpace = false;
        }
        if (tab) {
          if (atNewline && token.type !== "comment" && token.type !== "newline") {
            onError(tab, "TAB_AS_INDENT", "Tabs are not allowed as indentation");
          }
          tab = null;
        }
        switch (token.type) {
          case "space":
            if (!flow && (indicator !== "doc-start" || next?.type !== "flow-collection") && token.source.includes("	")) {
              tab = token;
            }
            hasSpace = true;
            break;
          case "comment": {
            if (!hasSpace)
              onError(token, "MISSING_CHAR", "Comments must be separated from other tokens by white space characters");
            const cb = token.source.substring(1) || " ";
            if (!comment)
              comment = cb;
            else
              comment += commentSep + cb;
            commentSep = "";
            atNewline = false;
            break;
          }
          case "newline":
            if (atNewline) {
              if (comment)
                comment += token.source;
              else if (!found || indicator !== "seq-item-ind")
                spaceBefore = true;
            } else
              commentSep += token.source;
            atNewline = true;
            hasNewline = true;
            if (anchor || tag)
              newlineAfterProp = token;
            hasSpace = true;
            break;
          case "anchor":
            if (anchor)
              onError(token, "MULTIPLE_ANCHORS", "A node can have at most one anchor");
            if (token.source.endsWith(":"))
              onError(token.offset + token.source.length - 1, "BAD_ALIAS", "Anchor ending in : is ambiguous", true);
            anchor = token;
            start ?? (start = token.offset);
            atNewline = false;
            hasSpace = false;
            reqSpace = true;
            break;
          case "tag": {
            if (tag)
              onError(token, "MULTIPLE_TAGS", "A node can have at most one tag");
            tag = token;
            start ?? (start = token.offset);
            atNewline = false;
            hasSpace = false;
            reqSpace = true;
            break;
          }
          case indicator:
            if (anchor || tag)
              onError(token, "BAD_PROP_ORDER", `Anchors and tags must be after the ${token.source} indicator`);
            if (found)
              onError(token, "UNEXPECTED_TOKEN", `Unexpected ${token.source} in ${flow ?? "collection"}`);
            found = token;
            atNewline = indicator === "seq-item-ind" || indicator === "explicit-key-ind";
            hasSpace = false;
            break;
          case "comma":
            if (flow) {
              if (comma)
                onError(token, "UNEXPECTED_TOKEN", `Unexpected , in ${flow}`);
              comma = token;
              atNewline = false;
              hasSpace = false;
              break;
            }
          // else fallthrough
          default:
            onError(token, "UNEXPECTED_TOKEN", `Unexpected ${token.type} token`);
            atNewline = false;
            hasSpace = false;
        }
      }
      const last = tokens[tokens.length - 1];
      const end = last ? last.offset + last.source.length : offset;
      if (reqSpace && next && next.type !== "space" && next.type !== "newline" && next.type !== "comma" && (next.type !== "scalar" || next.source !== "")) {
        onError(next.offset, "MISSING_CHAR", "Tags and anchors must be separated from the next token by white space");
      }
      if (tab && (atNewline && tab.indent <= parentIndent || next?.type === "block-map" || next?.type === "block-seq"))
        onError(tab, "TAB_AS_INDENT", "Tabs are not allowed as indentation");
      return {
        comma,
        found,
        spaceBefore,
        comment,
        hasNewline,
        anchor,
        tag,
        newlineAfterProp,
        end,
        start: start ?? end
      };
    }
    exports.resolveProps = resolveProps;
  }
});

// node_modules/yaml/dist/compose/util-contains-newline.js
var require_util_contains_newline = __commonJS({
  "node_modules/yaml/dist/compose/util-contains-newline.js"(exports) {
    "use strict";
    function containsNewline(key) {
      if (!key)
        return null;
      switch (key.type) {
        case "alias":
        case "scalar":
        case "double-quoted-scalar":
        case "single-quoted-scalar":
          if (key.source.includes("\n"))
            return true;
          if (key.end) {
            for (const st of key.end)
              if (st.type === "newline")
                return true;
          }
          return false;
        case "flow-collection":
          for (const it of key.items) {
            for (const st of it.start)
              if (st.type === "newline")
                return true;
            if (it.sep) {
              for (const st of it.sep)
                if (st.type === "newline")
                  return true;
            }
            if (containsNewline(it.key) || containsNewline(it.value))
              return true;
          }
          return false;
        default:
          return true;
      }
    }
    exports.containsNewline = containsNewline;
  }
});

// node_modules/yaml/dist/compose/util-flow-indent-check.js
var require_util_flow_indent_check = __commonJS({
  "node_modules/yaml/dist/compose/util-flow-indent-check.js"(exports) {
    "use strict";
    var utilContainsNewline = require_util_contains_newline();
    function flowIndentCheck(indent, fc, onError) {
      if (fc?.type === "flow-collection") {
        const end = fc.end[0];
        if (end.indent === indent && (end.source === "]" || end.source === "}") && utilContainsNewline.containsNewline(fc)) {
          const msg = "Flow end indicator should be more indented than parent";
          onError(end, "BAD_INDENT", msg, true);
        }
      }
    }
    exports.flowIndentCheck = flowIndentCheck;
  }
});

// node_modules/yaml/dist/compose/util-map-includes.js
var require_util_map_includes = __commonJS({
  "node_modules/yaml/dist/compose/util-map-includes.js"(exports) {
    "use strict";
    var identity = require_identity();
    function mapIncludes(ctx, items, search) {
      const { uniqueKeys } = ctx.options;
      if (uniqueKeys === false)
        return false;
      const isEqual = typeof uniqueKeys === "function" ? uniqueKeys : (a, b) => a === b || identity.isScalar(a) && identity.isScalar(b) && a.value === b.value;
      return items.some((pair) => isEqual(pair.key, search));
    }
    exports.mapIncludes = mapIncludes;
  }
});

// node_modules/yaml/dist/compose/resolve-block-map.js
var require_resolve_block_map = __commonJS({
  "node_modules/yaml/dist/compose/resolve-block-map.js"(exports) {
    "use strict";
    var Pair = require_Pair();
    var YAMLMap = require_YAMLMap();
    var resolveProps = require_resolve_props();
    var utilContainsNewline = require_util_contains_newline();
    var utilFlowIndentCheck = require_util_flow_indent_check();
    var utilMapIncludes = require_util_map_includes();
    var startColMsg = "All mapping items must start at the same column";
    function resolveBlockMap({ composeNode, composeEmptyNode }, ctx, bm, onError, tag) {
      const NodeClass = tag?.nodeClass ?? YAMLMap.YAMLMap;
      const map = new NodeClass(ctx.schema);
      if (ctx.atRoot)
        ctx.atRoot = false;
      let offset = bm.offset;
      let commentEnd = null;
      for (const collItem of bm.items) {
        const { start, key, sep: sep3, value } = collItem;
        const keyProps = resolveProps.resolveProps(start, {
          indicator: "explicit-key-ind",
          next: key ?? sep3?.[0],
          offset,
          onError,
          parentIndent: bm.indent,
          startOnNewline: true
        });
        const implicitKey = !keyProps.found;
        if (implicitKey) {
          if (key) {
            if (key.type === "block-seq")
              onError(offset, "BLOCK_AS_IMPLICIT_KEY", "A block sequence may not be used as an implicit map key");
            else if ("indent" in key && key.indent !== bm.indent)
              onError(offset, "BAD_INDENT", startColMsg);
          }
          if (!keyProps.anchor && !keyProps.tag && !sep3) {
            commentEnd = keyProps.end;
            if (keyProps.comment) {
              if (map.comment)
                map.comment += "\n" + keyProps.comment;
              else
                map.comment = keyProps.comment;
            }
            continue;
          }
          if (keyProps.newlineAfterProp || utilContainsNewline.containsNewline(key)) {
            onError(key ?? start[start.length - 1], "MULTILINE_IMPLICIT_KEY", "Implicit keys need to be on a single line");
          }
        } else if (keyProps.found?.indent !== bm.indent) {
          onError(offset, "BAD_INDENT", startColMsg);
        }
        ctx.atKey = true;
        const keyStart = keyProps.end;
        const keyNode = key ? composeNode(ctx, key, keyProps, onError) : composeEmptyNode(ctx, keyStart, start, null, keyProps, onError);
        if (ctx.schema.compat)
          utilFlowIndentCheck.flowIndentCheck(bm.indent, key, onError);
        ctx.atKey = false;
        if (utilMapIncludes.mapIncludes(ctx, map.items, keyNode))
          onError(keyStart, "DUPLICATE_KEY", "Map keys must be unique");
        const valueProps = resolveProps.resolveProps(sep3 ?? [], {
          indicator: "map-value-ind",
          next: value,
          offset: keyNode.range[2],
          onError,
          parentIndent: bm.indent,
          startOnNewline: !key || key.type === "block-scalar"
        });
        offset = valueProps.end;
        if (valueProps.found) {
          if (implicitKey) {
            if (value?.type === "block-map" && !valueProps.hasNewline)
              onError(offset, "BLOCK_AS_IMPLICIT_KEY", "Nested mappings are not allowed in compact mappings");
            if (ctx.options.strict && keyProps.start < valueProps.found.offset - 1024)
              onError(keyNode.range, "KEY_OVER_1024_CHARS", "The : indicator must be at most 1024 chars after the start of an implicit block mapping key");
          }
          const valueNode = value ? composeNode(ctx, value, valueProps, onError) : composeEmptyNode(ctx, offset, sep3, null, valueProps, onError);
          if (ctx.schema.compat)
            utilFlowIndentCheck.flowIndentCheck(bm.indent, value, onError);
          offset = valueNode.range[2];
          const pair = new Pair.Pair(keyNode, valueNode);
          if (ctx.options.keepSourceTokens)
            pair.srcToken = collItem;
          map.items.push(pair);
        } else {
          if (implicitKey)
            onError(keyNode.range, "MISSING_CHAR", "Implicit map keys need to be followed by map values");
          if (valueProps.comment) {
            if (keyNode.comment)
              keyNode.comment += "\n" + valueProps.comment;
            else
              keyNode.comment = valueProps.comment;
          }
          const pair = new Pair.Pair(keyNode);
          if (ctx.options.keepSourceTokens)
            pair.srcToken = collItem;
          map.items.push(pair);
        }
      }
      if (commentEnd && commentEnd < offset)
        onError(commentEnd, "IMPOSSIBLE", "Map comment with trailing content");
      map.range = [bm.offset, offset, commentEnd ?? offset];
      return map;
    }
    exports.resolveBlockMap = resolveBlockMap;
  }
});

// node_modules/yaml/dist/compose/resolve-block-seq.js
var require_resolve_block_seq = __commonJS({
  "node_modules/yaml/dist/compose/resolve-block-seq.js"(exports) {
    "use strict";
    var YAMLSeq = require_YAMLSeq();
    var resolveProps = require_resolve_props();
    var utilFlowIndentCheck = require_util_flow_indent_check();
    function resolveBlockSeq({ composeNode, composeEmptyNode }, ctx, bs, onError, tag) {
      const NodeClass = tag?.nodeClass ?? YAMLSeq.YAMLSeq;
      const seq = new NodeClass(ctx.schema);
      if (ctx.atRoot)
        ctx.atRoot = false;
      if (ctx.atKey)
        ctx.atKey = false;
      let offset = bs.offset;
      let commentEnd = null;
      for (const { start, value } of bs.items) {
        const props = resolveProps.resolveProps(start, {
          indicator: "seq-item-ind",
          next: value,
          offset,
          onError,
          parentIndent: bs.indent,
          startOnNewline: true
        });
        if (!props.found) {
          if (props.anchor || props.tag || value) {
            if (value?.type === "block-seq")
              onError(props.end, "BAD_INDENT", "All sequence items must start at the same column");
            else
              onError(offset, "MISSING_CHAR", "Sequence item without - indicator");
          } else {
            commentEnd = props.end;
            if (props.comment)
              seq.comment = props.comment;
            continue;
          }
        }
        const node = value ? composeNode(ctx, value, props, onError) : composeEmptyNode(ctx, props.end, start, null, props, onError);
        if (ctx.schema.compat)
          utilFlowIndentCheck.flowIndentCheck(bs.indent, value, onError);
        offset = node.range[2];
        seq.items.push(node);
      }
      seq.range = [bs.offset, offset, commentEnd ?? offset];
      return seq;
    }
    exports.resolveBlockSeq = resolveBlockSeq;
  }
});

// node_modules/yaml/dist/compose/resolve-end.js
var require_resolve_end = __commonJS({
  "node_modules/yaml/dist/compose/resolve-end.js"(exports) {
    "use strict";
    function resolveEnd(end, offset, reqSpace, onError) {
      let comment = "";
      if (end) {
        let hasSpace = false;
        let sep3 = "";
        for (const token of end) {
          const { source, type } = token;
          switch (type) {
            case "space":
              hasSpace = true;
              break;
            case "comment": {
              if (reqSpace && !hasSpace)
                onError(token, "MISSING_CHAR", "Comments must be separated from other tokens by white space characters");
              const cb = source.substring(1) || " ";
              if (!comment)
                comment = cb;
              else
                comment += sep3 + cb;
              sep3 = "";
              break;
            }
            case "newline":
              if (comment)
                sep3 += source;
              hasSpace = true;
              break;
            default:
              onError(token, "UNEXPECTED_TOKEN", `Unexpected ${type} at node end`);
          }
          offset += source.length;
        }
      }
      return { comment, offset };
    }
    exports.resolveEnd = resolveEnd;
  }
});

// node_modules/yaml/dist/compose/resolve-flow-collection.js
var require_resolve_flow_collection = __commonJS({
  "node_modules/yaml/dist/compose/resolve-flow-collection.js"(exports) {
    "use strict";
    var identity = require_identity();
    var Pair = require_Pair();
    var YAMLMap = require_YAMLMap();
    var YAMLSeq = require_YAMLSeq();
    var resolveEnd = require_resolve_end();
    var resolveProps = require_resolve_props();
    var utilContainsNewline = require_util_contains_newline();
    var utilMapIncludes = require_util_map_includes();
    var blockMsg = "Block collections are not allowed within flow collections";
    var isBlock = (token) => token && (token.type === "block-map" || token.type === "block-seq");
    function resolveFlowCollection({ composeNode, composeEmptyNode }, ctx, fc, onError, tag) {
      const isMap2 = fc.start.source === "{";
      const fcName = isMap2 ? "flow map" : "flow sequence";
      const NodeClass = tag?.nodeClass ?? (isMap2 ? YAMLMap.YAMLMap : YAMLSeq.YAMLSeq);
      const coll = new NodeClass(ctx.schema);
      coll.flow = true;
      const atRoot = ctx.atRoot;
      if (atRoot)
        ctx.atRoot = false;
      if (ctx.atKey)
        ctx.atKey = false;
      let offset = fc.offset + fc.start.source.length;
      for (let i = 0; i < fc.items.length; ++i) {
        const collItem = fc.items[i];
        const { start, key, sep: sep3, value } = collItem;
        const props = resolveProps.resolveProps(start, {
          flow: fcName,
          indicator: "explicit-key-ind",
          next: key ?? sep3?.[0],
          offset,
          onError,
          parentIndent: fc.indent,
          startOnNewline: false
        });
        if (!props.found) {
          if (!props.anchor && !props.tag && !sep3 && !value) {
            if (i === 0 && props.comma)
              onError(props.comma, "UNEXPECTED_TOKEN", `Unexpected , in ${fcName}`);
            else if (i < fc.items.length - 1)
              onError(props.start, "UNEXPECTED_TOKEN", `Unexpected empty item in ${fcName}`);
            if (props.comment) {
              if (coll.comment)
                coll.comment += "\n" + props.comment;
              else
                coll.comment = props.comment;
            }
            offset = props.end;
            continue;
          }
          if (!isMap2 && ctx.options.strict && utilContainsNewline.containsNewline(key))
            onError(
              key,
              // checked by containsNewline()
              "MULTILINE_IMPLICIT_KEY",
              "Implicit keys of flow sequence pairs need to be on a single line"
            );
        }
        if (i === 0) {
          if (props.comma)
            onError(props.comma, "UNEXPECTED_TOKEN", `Unexpected , in ${fcName}`);
        } else {
          if (!props.comma)
            onError(props.start, "MISSING_CHAR", `Missing , between ${fcName} items`);
          if (props.comment) {
            let prevItemComment = "";
            loop: for (const st of start) {
              switch (st.type) {
                case "comma":
                case "space":
                  break;
                case "comment":
                  prevItemComment = st.source.substring(1);
                  break loop;
                default:
                  break loop;
              }
            }
            if (prevItemComment) {
              let prev = coll.items[coll.items.length - 1];
              if (identity.isPair(prev))
                prev = prev.value ?? prev.key;
              if (prev.comment)
                prev.comment += "\n" + prevItemComment;
              else
                prev.comment = prevItemComment;
              props.comment = props.comment.substring(prevItemComment.length + 1);
            }
          }
        }
        if (!isMap2 && !sep3 && !props.found) {
          const valueNode = value ? composeNode(ctx, value, props, onError) : composeEmptyNode(ctx, props.end, sep3, null, props, onError);
          coll.items.push(valueNode);
          offset = valueNode.range[2];
          if (isBlock(value))
            onError(valueNode.range, "BLOCK_IN_FLOW", blockMsg);
        } else {
          ctx.atKey = true;
          const keyStart = props.end;
          const keyNode = key ? composeNode(ctx, key, props, onError) : composeEmptyNode(ctx, keyStart, start, null, props, onError);
          if (isBlock(key))
            onError(keyNode.range, "BLOCK_IN_FLOW", blockMsg);
          ctx.atKey = false;
          const valueProps = resolveProps.resolveProps(sep3 ?? [], {
            flow: fcName,
            indicator: "map-value-ind",
            next: value,
            offset: keyNode.range[2],
            onError,
            parentIndent: fc.indent,
            startOnNewline: false
          });
          if (valueProps.found) {
            if (!isMap2 && !props.found && ctx.options.strict) {
              if (sep3)
                for (const st of sep3) {
                  if (st === valueProps.found)
                    break;
                  if (st.type === "newline") {
                    onError(st, "MULTILINE_IMPLICIT_KEY", "Implicit keys of flow sequence pairs need to be on a single line");
                    break;
                  }
                }
              if (props.start < valueProps.found.offset - 1024)
                onError(valueProps.found, "KEY_OVER_1024_CHARS", "The : indicator must be at most 1024 chars after the start of an implicit flow sequence key");
            }
          } else if (value) {
            if ("source" in value && value.source?.[0] === ":")
              onError(value, "MISSING_CHAR", `Missing space after : in ${fcName}`);
            else
              onError(valueProps.start, "MISSING_CHAR", `Missing , or : between ${fcName} items`);
          }
          const valueNode = value ? composeNode(ctx, value, valueProps, onError) : valueProps.found ? composeEmptyNode(ctx, valueProps.end, sep3, null, valueProps, onError) : null;
          if (valueNode) {
            if (isBlock(value))
              onError(valueNode.range, "BLOCK_IN_FLOW", blockMsg);
          } else if (valueProps.comment) {
            if (keyNode.comment)
              keyNode.comment += "\n" + valueProps.comment;
            else
              keyNode.comment = valueProps.comment;
          }
          const pair = new Pair.Pair(keyNode, valueNode);
          if (ctx.options.keepSourceTokens)
            pair.srcToken = collItem;
          if (isMap2) {
            const map = coll;
            if (utilMapIncludes.mapIncludes(ctx, map.items, keyNode))
              onError(keyStart, "DUPLICATE_KEY", "Map keys must be unique");
            map.items.push(pair);
          } else {
            const map = new YAMLMap.YAMLMap(ctx.schema);
            map.flow = true;
            map.items.push(pair);
            const endRange = (valueNode ?? keyNode).range;
            map.range = [keyNode.range[0], endRange[1], endRange[2]];
            coll.items.push(map);
          }
          offset = valueNode ? valueNode.range[2] : valueProps.end;
        }
      }
      const expectedEnd = isMap2 ? "}" : "]";
      const [ce, ...ee] = fc.end;
      let cePos = offset;
      if (ce?.source === expectedEnd)
        cePos = ce.offset + ce.source.length;
      else {
        const name = fcName[0].toUpperCase() + fcName.substring(1);
        const msg = atRoot ? `${name} must end with a ${expectedEnd}` : `${name} in block collection must be sufficiently indented and end with a ${expectedEnd}`;
        onError(offset, atRoot ? "MISSING_CHAR" : "BAD_INDENT", msg);
        if (ce && ce.source.length !== 1)
          ee.unshift(ce);
      }
      if (ee.length > 0) {
        const end = resolveEnd.resolveEnd(ee, cePos, ctx.options.strict, onError);
        if (end.comment) {
          if (coll.comment)
            coll.comment += "\n" + end.comment;
          else
            coll.comment = end.comment;
        }
        coll.range = [fc.offset, cePos, end.offset];
      } else {
        coll.range = [fc.offset, cePos, cePos];
      }
      return coll;
    }
    exports.resolveFlowCollection = resolveFlowCollection;
  }
});

// node_modules/yaml/dist/compose/compose-collection.js
var require_compose_collection = __commonJS({
  "node_modules/yaml/dist/compose/compose-collection.js"(exports) {
    "use strict";
    var identity = require_identity();
    var Scalar = require_Scalar();
    var YAMLMap = require_YAMLMap();
    var YAMLSeq = require_YAMLSeq();
    var resolveBlockMap = require_resolve_block_map();
    var resolveBlockSeq = require_resolve_block_seq();
    var resolveFlowCollection = require_resolve_flow_collection();
    function resolveCollection(CN, ctx, token, onError, tagName, tag) {
      const coll = token.type === "block-map" ? resolveBlockMap.resolveBlockMap(CN, ctx, token, onError, tag) : token.type === "block-seq" ? resolveBlockSeq.resolveBlockSeq(CN, ctx, token, onError, tag) : resolveFlowCollection.resolveFlowCollection(CN, ctx, token, onError, tag);
      const Coll = coll.constructor;
      if (tagName === "!" || tagName === Coll.tagName) {
        coll.tag = Coll.tagName;
        return coll;
      }
      if (tagName)
        coll.tag = tagName;
      return coll;
    }
    function composeCollection(CN, ctx, token, props, onError) {
      const tagToken = props.tag;
      const tagName = !tagToken ? null : ctx.directives.tagName(tagToken.source, (msg) => onError(tagToken, "TAG_RESOLVE_FAILED", msg));
      if (token.type === "block-seq") {
        const { anchor, newlineAfterProp: nl } = props;
        const lastProp = anchor && tagToken ? anchor.offset > tagToken.offset ? anchor : tagToken : anchor ?? tagToken;
        if (lastProp && (!nl || nl.offset < lastProp.offset)) {
          const message = "Missing newline after block sequence props";
          onError(lastProp, "MISSING_CHAR", message);
        }
      }
      const expType = token.type === "block-map" ? "map" : token.type === "block-seq" ? "seq" : token.start.source === "{" ? "map" : "seq";
      if (!tagToken || !tagName || tagName === "!" || tagName === YAMLMap.YAMLMap.tagName && expType === "map" || tagName === YAMLSeq.YAMLSeq.tagName && expType === "seq") {
        return resolveCollection(CN, ctx, token, onError, tagName);
      }
      let tag = ctx.schema.tags.find((t) => t.tag === tagName && t.collection === expType);
      if (!tag) {
        const kt = ctx.schema.knownTags[tagName];
        if (kt?.collection === expType) {
          ctx.schema.tags.push(Object.assign({}, kt, { default: false }));
          tag = kt;
        } else {
          if (kt) {
            onError(tagToken, "BAD_COLLECTION_TYPE", `${kt.tag} used for ${expType} collection, but expects ${kt.collection ?? "scalar"}`, true);
          } else {
            onError(tagToken, "TAG_RESOLVE_FAILED", `Unresolved tag: ${tagName}`, true);
          }
          return resolveCollection(CN, ctx, token, onError, tagName);
        }
      }
      const coll = resolveCollection(CN, ctx, token, onError, tagName, tag);
      const res = tag.resolve?.(coll, (msg) => onError(tagToken, "TAG_RESOLVE_FAILED", msg), ctx.options) ?? coll;
      const node = identity.isNode(res) ? res : new Scalar.Scalar(res);
      node.range = coll.range;
      node.tag = tagName;
      if (tag?.format)
        node.format = tag.format;
      return node;
    }
    exports.composeCollection = composeCollection;
  }
});

// node_modules/yaml/dist/compose/resolve-block-scalar.js
var require_resolve_block_scalar = __commonJS({
  "node_modules/yaml/dist/compose/resolve-block-scalar.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    function resolveBlockScalar(ctx, scalar2, onError) {
      const start = scalar2.offset;
      const header = parseBlockScalarHeader(scalar2, ctx.options.strict, onError);
      if (!header)
        return { value: "", type: null, comment: "", range: [start, start, start] };
      const type = header.mode === ">" ? Scalar.Scalar.BLOCK_FOLDED : Scalar.Scalar.BLOCK_LITERAL;
      const lines = scalar2.source ? splitLines(scalar2.source) : [];
      let chompStart = lines.length;
      for (let i = lines.length - 1; i >= 0; --i) {
        const content = lines[i][1];
        if (content === "" || content === "\r")
          chompStart = i;
        else
          break;
      }
      if (chompStart === 0) {
        const value2 = header.chomp === "+" && lines.length > 0 ? "\n".repeat(Math.max(1, lines.length - 1)) : "";
        let end2 = start + header.length;
        if (scalar2.source)
          end2 += scalar2.source.length;
        return { value: value2, type, comment: header.comment, range: [start, end2, end2] };
      }
      let trimIndent = scalar2.indent + header.indent;
      let offset = scalar2.offset + header.length;
      let contentStart = 0;
      for (let i = 0; i < chompStart; ++i) {
        const [indent, content] = lines[i];
        if (content === "" || content === "\r") {
          if (header.indent === 0 && indent.length > trimIndent)
            trimIndent = indent.length;
        } else {
          if (indent.length < trimIndent) {
            const message = "Block scalars with more-indented leading empty lines must use an explicit indentation indicator";
            onError(offset + indent.length, "MISSING_CHAR", message);
          }
          if (header.indent === 0)
            trimIndent = indent.length;
          contentStart = i;
          if (trimIndent === 0 && !ctx.atRoot) {
            const message = "Block scalar values in collections must be indented";
            onError(offset, "BAD_INDENT", message);
          }
          break;
        }
        offset += indent.length + content.length + 1;
      }
      for (let i = lines.length - 1; i >= chompStart; --i) {
        if (lines[i][0].length > trimIndent)
          chompStart = i + 1;
      }
      let value = "";
      let sep3 = "";
      let prevMoreIndented = false;
      for (let i = 0; i < contentStart; ++i)
        value += lines[i][0].slice(trimIndent) + "\n";
      for (let i = contentStart; i < chompStart; ++i) {
        let [indent, content] = lines[i];
        offset += indent.length + content.length + 1;
        const crlf = content[content.length - 1] === "\r";
        if (crlf)
          content = content.slice(0, -1);
        if (content && indent.length < trimIndent) {
          const src = header.indent ? "explicit indentation indicator" : "first line";
          const message = `Block scalar lines must not be less indented than their ${src}`;
          onError(offset - content.length - (crlf ? 2 : 1), "BAD_INDENT", message);
          indent = "";
        }
        if (type === Scalar.Scalar.BLOCK_LITERAL) {
          value += sep3 + indent.slice(trimIndent) + content;
          sep3 = "\n";
        } else if (indent.length > trimIndent || content[0] === "	") {
          if (sep3 === " ")
            sep3 = "\n";
          else if (!prevMoreIndented && sep3 === "\n")
            sep3 = "\n\n";
          value += sep3 + indent.slice(trimIndent) + content;
          sep3 = "\n";
          prevMoreIndented = true;
        } else if (content === "") {
          if (sep3 === "\n")
            value += "\n";
          else
            sep3 = "\n";
        } else {
          value += sep3 + content;
          sep3 = " ";
          prevMoreIndented = false;
        }
      }
      switch (header.chomp) {
        case "-":
          break;
        case "+":
          for (let i = chompStart; i < lines.length; ++i)
            value += "\n" + lines[i][0].slice(trimIndent);
          if (value[value.length - 1] !== "\n")
            value += "\n";
          break;
        default:
          value += "\n";
      }
      const end = start + header.length + scalar2.source.length;
      return { value, type, comment: header.comment, range: [start, end, end] };
    }
    function parseBlockScalarHeader({ offset, props }, strict, onError) {
      if (props[0].type !== "block-scalar-header") {
        onError(props[0], "IMPOSSIBLE", "Block scalar header not found");
        return null;
      }
      const { source } = props[0];
      const mode = source[0];
      let indent = 0;
      let chomp = "";
      let error = -1;
      for (let i = 1; i < source.length; ++i) {
        const ch = source[i];
        if (!chomp && (ch === "-" || ch === "+"))
          chomp = ch;
        else {
          const n = Number(ch);
          if (!indent && n)
            indent = n;
          else if (error === -1)
            error = offset + i;
        }
      }
      if (error !== -1)
        onError(error, "UNEXPECTED_TOKEN", `Block scalar header includes extra characters: ${source}`);
      let hasSpace = false;
      let comment = "";
      let length = source.length;
      for (let i = 1; i < props.length; ++i) {
        const token = props[i];
        switch (token.type) {
          case "space":
            hasSpace = true;
          // fallthrough
          case "newline":
            length += token.source.length;
            break;
          case "comment":
            if (strict && !hasSpace) {
              const message = "Comments must be separated from other tokens by white space characters";
              onError(token, "MISSING_CHAR", message);
            }
            length += token.source.length;
            comment = token.source.substring(1);
            break;
          case "error":
            onError(token, "UNEXPECTED_TOKEN", token.message);
            length += token.source.length;
            break;
          /* istanbul ignore next should not happen */
          default: {
            const message = `Unexpected token in block scalar header: ${token.type}`;
            onError(token, "UNEXPECTED_TOKEN", message);
            const ts = token.source;
            if (ts && typeof ts === "string")
              length += ts.length;
          }
        }
      }
      return { mode, indent, chomp, comment, length };
    }
    function splitLines(source) {
      const split = source.split(/\n( *)/);
      const first = split[0];
      const m = first.match(/^( *)/);
      const line0 = m?.[1] ? [m[1], first.slice(m[1].length)] : ["", first];
      const lines = [line0];
      for (let i = 1; i < split.length; i += 2)
        lines.push([split[i], split[i + 1]]);
      return lines;
    }
    exports.resolveBlockScalar = resolveBlockScalar;
  }
});

// node_modules/yaml/dist/compose/resolve-flow-scalar.js
var require_resolve_flow_scalar = __commonJS({
  "node_modules/yaml/dist/compose/resolve-flow-scalar.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    var resolveEnd = require_resolve_end();
    function resolveFlowScalar(scalar2, strict, onError) {
      const { offset, type, source, end } = scalar2;
      let _type;
      let value;
      const _onError = (rel, code, msg) => onError(offset + rel, code, msg);
      switch (type) {
        case "scalar":
          _type = Scalar.Scalar.PLAIN;
          value = plainValue(source, _onError);
          break;
        case "single-quoted-scalar":
          _type = Scalar.Scalar.QUOTE_SINGLE;
          value = singleQuotedValue(source, _onError);
          break;
        case "double-quoted-scalar":
          _type = Scalar.Scalar.QUOTE_DOUBLE;
          value = doubleQuotedValue(source, _onError);
          break;
        /* istanbul ignore next should not happen */
        default:
          onError(scalar2, "UNEXPECTED_TOKEN", `Expected a flow scalar value, but found: ${type}`);
          return {
            value: "",
            type: null,
            comment: "",
            range: [offset, offset + source.length, offset + source.length]
          };
      }
      const valueEnd = offset + source.length;
      const re = resolveEnd.resolveEnd(end, valueEnd, strict, onError);
      return {
        value,
        type: _type,
        comment: re.comment,
        range: [offset, valueEnd, re.offset]
      };
    }
    function plainValue(source, onError) {
      let badChar = "";
      switch (source[0]) {
        /* istanbul ignore next should not happen */
        case "	":
          badChar = "a tab character";
          break;
        case ",":
          badChar = "flow indicator character ,";
          break;
        case "%":
          badChar = "directive indicator character %";
          break;
        case "|":
        case ">": {
          badChar = `block scalar indicator ${source[0]}`;
          break;
        }
        case "@":
        case "`": {
          badChar = `reserved character ${source[0]}`;
          break;
        }
      }
      if (badChar)
        onError(0, "BAD_SCALAR_START", `Plain value cannot start with ${badChar}`);
      return unfoldLines(source);
    }
    function singleQuotedValue(source, onError) {
      if (source[source.length - 1] !== "'" || source.length === 1)
        onError(source.length, "MISSING_CHAR", "Missing closing 'quote");
      return unfoldLines(source.slice(1, -1)).replace(/''/g, "'");
    }
    function unfoldLines(source) {
      const line = /(.*?)\r?\n/sy;
      let match = line.exec(source);
      if (!match)
        return source;
      let trimEnd, trimBoth;
      try {
        trimEnd = new RegExp("(?<![ 	])[ 	]+$");
        trimBoth = new RegExp("^[ 	]+|(?<![ 	])[ 	]+$", "g");
      } catch {
        trimEnd = /[ \t]+$/;
        trimBoth = /^[ \t]+|[ \t]+$/g;
      }
      let res = match[1].replace(trimEnd, "");
      let sep3 = " ";
      let pos = line.lastIndex;
      while (match = line.exec(source)) {
        const lm = match[1].replace(trimBoth, "");
        if (lm === "") {
          if (sep3 === "\n")
            res += sep3;
          else
            sep3 = "\n";
        } else {
          res += sep3 + lm;
          sep3 = " ";
        }
        pos = line.lastIndex;
      }
      const last = /[ \t]*(.*)/sy;
      last.lastIndex = pos;
      match = last.exec(source);
      return res + sep3 + (match?.[1] ?? "");
    }
    function doubleQuotedValue(source, onError) {
      let res = "";
      for (let i = 1; i < source.length - 1; ++i) {
        const ch = source[i];
        if (ch === "\r" && source[i + 1] === "\n")
          continue;
        if (ch === "\n") {
          const { fold, offset } = foldNewline(source, i);
          res += fold;
          i = offset;
        } else if (ch === "\\") {
          let next = source[++i];
          const cc = escapeCodes[next];
          if (cc)
            res += cc;
          else if (next === "\n") {
            next = source[i + 1];
            while (next === " " || next === "	")
              next = source[++i + 1];
          } else if (next === "\r" && source[i + 1] === "\n") {
            next = source[++i + 1];
            while (next === " " || next === "	")
              next = source[++i + 1];
          } else if (next === "x" || next === "u" || next === "U") {
            const length = next === "x" ? 2 : next === "u" ? 4 : 8;
            res += parseCharCode(source, i + 1, length, onError);
            i += length;
          } else {
            const raw = source.substr(i - 1, 2);
            onError(i - 1, "BAD_DQ_ESCAPE", `Invalid escape sequence ${raw}`);
            res += raw;
          }
        } else if (ch === " " || ch === "	") {
          const wsStart = i;
          let next = source[i + 1];
          while (next === " " || next === "	")
            next = source[++i + 1];
          if (next !== "\n" && !(next === "\r" && source[i + 2] === "\n"))
            res += i > wsStart ? source.slice(wsStart, i + 1) : ch;
        } else {
          res += ch;
        }
      }
      if (source[source.length - 1] !== '"' || source.length === 1)
        onError(source.length, "MISSING_CHAR", 'Missing closing "quote');
      return res;
    }
    function foldNewline(source, offset) {
      let fold = "";
      let ch = source[offset + 1];
      while (ch === " " || ch === "	" || ch === "\n" || ch === "\r") {
        if (ch === "\r" && source[offset + 2] !== "\n")
          break;
        if (ch === "\n")
          fold += "\n";
        offset += 1;
        ch = source[offset + 1];
      }
      if (!fold)
        fold = " ";
      return { fold, offset };
    }
    var escapeCodes = {
      "0": "\0",
      // null character
      a: "\x07",
      // bell character
      b: "\b",
      // backspace
      e: "\x1B",
      // escape character
      f: "\f",
      // form feed
      n: "\n",
      // line feed
      r: "\r",
      // carriage return
      t: "	",
      // horizontal tab
      v: "\v",
      // vertical tab
      N: "\x85",
      // Unicode next line
      _: "\xA0",
      // Unicode non-breaking space
      L: "\u2028",
      // Unicode line separator
      P: "\u2029",
      // Unicode paragraph separator
      " ": " ",
      '"': '"',
      "/": "/",
      "\\": "\\",
      "	": "	"
    };
    function parseCharCode(source, offset, length, onError) {
      const cc = source.substr(offset, length);
      const ok = cc.length === length && /^[0-9a-fA-F]+$/.test(cc);
      const code = ok ? parseInt(cc, 16) : NaN;
      try {
        return String.fromCodePoint(code);
      } catch {
        const raw = source.substr(offset - 2, length + 2);
        onError(offset - 2, "BAD_DQ_ESCAPE", `Invalid escape sequence ${raw}`);
        return raw;
      }
    }
    exports.resolveFlowScalar = resolveFlowScalar;
  }
});

// node_modules/yaml/dist/compose/compose-scalar.js
var require_compose_scalar = __commonJS({
  "node_modules/yaml/dist/compose/compose-scalar.js"(exports) {
    "use strict";
    var identity = require_identity();
    var Scalar = require_Scalar();
    var resolveBlockScalar = require_resolve_block_scalar();
    var resolveFlowScalar = require_resolve_flow_scalar();
    function composeScalar(ctx, token, tagToken, onError) {
      const { value, type, comment, range } = token.type === "block-scalar" ? resolveBlockScalar.resolveBlockScalar(ctx, token, onError) : resolveFlowScalar.resolveFlowScalar(token, ctx.options.strict, onError);
      const tagName = tagToken ? ctx.directives.tagName(tagToken.source, (msg) => onError(tagToken, "TAG_RESOLVE_FAILED", msg)) : null;
      let tag;
      if (ctx.options.stringKeys && ctx.atKey) {
        tag = ctx.schema[identity.SCALAR];
      } else if (tagName)
        tag = findScalarTagByName(ctx.schema, value, tagName, tagToken, onError);
      else if (token.type === "scalar")
        tag = findScalarTagByTest(ctx, value, token, onError);
      else
        tag = ctx.schema[identity.SCALAR];
      let scalar2;
      try {
        const res = tag.resolve(value, (msg) => onError(tagToken ?? token, "TAG_RESOLVE_FAILED", msg), ctx.options);
        scalar2 = identity.isScalar(res) ? res : new Scalar.Scalar(res);
      } catch (error) {
        const msg = error instanceof Error ? error.message : String(error);
        onError(tagToken ?? token, "TAG_RESOLVE_FAILED", msg);
        scalar2 = new Scalar.Scalar(value);
      }
      scalar2.range = range;
      scalar2.source = value;
      if (type)
        scalar2.type = type;
      if (tagName)
        scalar2.tag = tagName;
      if (tag.format)
        scalar2.format = tag.format;
      if (comment)
        scalar2.comment = comment;
      return scalar2;
    }
    function findScalarTagByName(schema, value, tagName, tagToken, onError) {
      if (tagName === "!")
        return schema[identity.SCALAR];
      const matchWithTest = [];
      for (const tag of schema.tags) {
        if (!tag.collection && tag.tag === tagName) {
          if (tag.default && tag.test)
            matchWithTest.push(tag);
          else
            return tag;
        }
      }
      for (const tag of matchWithTest)
        if (tag.test?.test(value))
          return tag;
      const kt = schema.knownTags[tagName];
      if (kt && !kt.collection) {
        schema.tags.push(Object.assign({}, kt, { default: false, test: void 0 }));
        return kt;
      }
      onError(tagToken, "TAG_RESOLVE_FAILED", `Unresolved tag: ${tagName}`, tagName !== "tag:yaml.org,2002:str");
      return schema[identity.SCALAR];
    }
    function findScalarTagByTest({ atKey, directives, schema }, value, token, onError) {
      const tag = schema.tags.find((tag2) => (tag2.default === true || atKey && tag2.default === "key") && tag2.test?.test(value)) || schema[identity.SCALAR];
      if (schema.compat) {
        const compat = schema.compat.find((tag2) => tag2.default && tag2.test?.test(value)) ?? schema[identity.SCALAR];
        if (tag.tag !== compat.tag) {
          const ts = directives.tagString(tag.tag);
          const cs = directives.tagString(compat.tag);
          const msg = `Value may be parsed as either ${ts} or ${cs}`;
          onError(token, "TAG_RESOLVE_FAILED", msg, true);
        }
      }
      return tag;
    }
    exports.composeScalar = composeScalar;
  }
});

// node_modules/yaml/dist/compose/util-empty-scalar-position.js
var require_util_empty_scalar_position = __commonJS({
  "node_modules/yaml/dist/compose/util-empty-scalar-position.js"(exports) {
    "use strict";
    function emptyScalarPosition(offset, before, pos) {
      if (before) {
        pos ?? (pos = before.length);
        for (let i = pos - 1; i >= 0; --i) {
          let st = before[i];
          switch (st.type) {
            case "space":
            case "comment":
            case "newline":
              offset -= st.source.length;
              continue;
          }
          st = before[++i];
          while (st?.type === "space") {
            offset += st.source.length;
            st = before[++i];
          }
          break;
        }
      }
      return offset;
    }
    exports.emptyScalarPosition = emptyScalarPosition;
  }
});

// node_modules/yaml/dist/compose/compose-node.js
var require_compose_node = __commonJS({
  "node_modules/yaml/dist/compose/compose-node.js"(exports) {
    "use strict";
    var Alias = require_Alias();
    var identity = require_identity();
    var composeCollection = require_compose_collection();
    var composeScalar = require_compose_scalar();
    var resolveEnd = require_resolve_end();
    var utilEmptyScalarPosition = require_util_empty_scalar_position();
    var CN = { composeNode, composeEmptyNode };
    function composeNode(ctx, token, props, onError) {
      const atKey = ctx.atKey;
      const { spaceBefore, comment, anchor, tag } = props;
      let node;
      let isSrcToken = true;
      switch (token.type) {
        case "alias":
          node = composeAlias(ctx, token, onError);
          if (anchor || tag)
            onError(token, "ALIAS_PROPS", "An alias node must not specify any properties");
          break;
        case "scalar":
        case "single-quoted-scalar":
        case "double-quoted-scalar":
        case "block-scalar":
          node = composeScalar.composeScalar(ctx, token, tag, onError);
          if (anchor)
            node.anchor = anchor.source.substring(1);
          break;
        case "block-map":
        case "block-seq":
        case "flow-collection":
          try {
            node = composeCollection.composeCollection(CN, ctx, token, props, onError);
            if (anchor)
              node.anchor = anchor.source.substring(1);
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            onError(token, "RESOURCE_EXHAUSTION", message);
          }
          break;
        default: {
          const message = token.type === "error" ? token.message : `Unsupported token (type: ${token.type})`;
          onError(token, "UNEXPECTED_TOKEN", message);
          isSrcToken = false;
        }
      }
      node ?? (node = composeEmptyNode(ctx, token.offset, void 0, null, props, onError));
      if (anchor && node.anchor === "")
        onError(anchor, "BAD_ALIAS", "Anchor cannot be an empty string");
      if (atKey && ctx.options.stringKeys && (!identity.isScalar(node) || typeof node.value !== "string" || node.tag && node.tag !== "tag:yaml.org,2002:str")) {
        const msg = "With stringKeys, all keys must be strings";
        onError(tag ?? token, "NON_STRING_KEY", msg);
      }
      if (spaceBefore)
        node.spaceBefore = true;
      if (comment) {
        if (token.type === "scalar" && token.source === "")
          node.comment = comment;
        else
          node.commentBefore = comment;
      }
      if (ctx.options.keepSourceTokens && isSrcToken)
        node.srcToken = token;
      return node;
    }
    function composeEmptyNode(ctx, offset, before, pos, { spaceBefore, comment, anchor, tag, end }, onError) {
      const token = {
        type: "scalar",
        offset: utilEmptyScalarPosition.emptyScalarPosition(offset, before, pos),
        indent: -1,
        source: ""
      };
      const node = composeScalar.composeScalar(ctx, token, tag, onError);
      if (anchor) {
        node.anchor = anchor.source.substring(1);
        if (node.anchor === "")
          onError(anchor, "BAD_ALIAS", "Anchor cannot be an empty string");
      }
      if (spaceBefore)
        node.spaceBefore = true;
      if (comment) {
        node.comment = comment;
        node.range[2] = end;
      }
      return node;
    }
    function composeAlias({ options }, { offset, source, end }, onError) {
      const alias = new Alias.Alias(source.substring(1));
      if (alias.source === "")
        onError(offset, "BAD_ALIAS", "Alias cannot be an empty string");
      if (alias.source.endsWith(":"))
        onError(offset + source.length - 1, "BAD_ALIAS", "Alias ending in : is ambiguous", true);
      const valueEnd = offset + source.length;
      const re = resolveEnd.resolveEnd(end, valueEnd, options.strict, onError);
      alias.range = [offset, valueEnd, re.offset];
      if (re.comment)
        alias.comment = re.comment;
      return alias;
    }
    exports.composeEmptyNode = composeEmptyNode;
    exports.composeNode = composeNode;
  }
});

// node_modules/yaml/dist/compose/compose-doc.js
var require_compose_doc = __commonJS({
  "node_modules/yaml/dist/compose/compose-doc.js"(exports) {
    "use strict";
    var Document = require_Document();
    var composeNode = require_compose_node();
    var resolveEnd = require_resolve_end();
    var resolveProps = require_resolve_props();
    function composeDoc(options, directives, { offset, start, value, end }, onError) {
      const opts = Object.assign({ _directives: directives }, options);
      const doc = new Document.Document(void 0, opts);
      const ctx = {
        atKey: false,
        atRoot: true,
        directives: doc.directives,
        options: doc.options,
        schema: doc.schema
      };
      const props = resolveProps.resolveProps(start, {
        indicator: "doc-start",
        next: value ?? end?.[0],
        offset,
        onError,
        parentIndent: 0,
        startOnNewline: true
      });
      if (props.found) {
        doc.directives.docStart = true;
        if (value && (value.type === "block-map" || value.type === "block-seq") && !props.hasNewline)
          onError(props.end, "MISSING_CHAR", "Block collection cannot start on same line with directives-end marker");
      }
      doc.contents = value ? composeNode.composeNode(ctx, value, props, onError) : composeNode.composeEmptyNode(ctx, props.end, start, null, props, onError);
      const contentEnd = doc.contents.range[2];
      const re = resolveEnd.resolveEnd(end, contentEnd, false, onError);
      if (re.comment)
        doc.comment = re.comment;
      doc.range = [offset, contentEnd, re.offset];
      return doc;
    }
    exports.composeDoc = composeDoc;
  }
});

// node_modules/yaml/dist/compose/composer.js
var require_composer = __commonJS({
  "node_modules/yaml/dist/compose/composer.js"(exports) {
    "use strict";
    var node_process = __require("process");
    var directives = require_directives();
    var Document = require_Document();
    var errors = require_errors();
    var identity = require_identity();
    var composeDoc = require_compose_doc();
    var resolveEnd = require_resolve_end();
    function getErrorPos(src) {
      if (typeof src === "number")
        return [src, src + 1];
      if (Array.isArray(src))
        return src.length === 2 ? src : [src[0], src[1]];
      const { offset, source } = src;
      return [offset, offset + (typeof source === "string" ? source.length : 1)];
    }
    function parsePrelude(prelude) {
      let comment = "";
      let atComment = false;
      let afterEmptyLine = false;
      for (let i = 0; i < prelude.length; ++i) {
        const source = prelude[i];
        switch (source[0]) {
          case "#":
            comment += (comment === "" ? "" : afterEmptyLine ? "\n\n" : "\n") + (source.substring(1) || " ");
            atComment = true;
            afterEmptyLine = false;
            break;
          case "%":
            if (prelude[i + 1]?.[0] !== "#")
              i += 1;
            atComment = false;
            break;
          default:
            if (!atComment)
              afterEmptyLine = true;
            atComment = false;
        }
      }
      return { comment, afterEmptyLine };
    }
    var Composer = class {
      constructor(options = {}) {
        this.doc = null;
        this.atDirectives = false;
        this.prelude = [];
        this.errors = [];
        this.warnings = [];
        this.onError = (source, code, message, warning) => {
          const pos = getErrorPos(source);
          if (warning)
            this.warnings.push(new errors.YAMLWarning(pos, code, message));
          else
            this.errors.push(new errors.YAMLParseError(pos, code, message));
        };
        this.directives = new directives.Directives({ version: options.version || "1.2" });
        this.options = options;
      }
      decorate(doc, afterDoc) {
        const { comment, afterEmptyLine } = parsePrelude(this.prelude);
        if (comment) {
          const dc = doc.contents;
          if (afterDoc) {
            doc.comment = doc.comment ? `${doc.comment}
${comment}` : comment;
          } else if (afterEmptyLine || doc.directives.docStart || !dc) {
            doc.commentBefore = comment;
          } else if (identity.isCollection(dc) && !dc.flow && dc.items.length > 0) {
            let it = dc.items[0];
            if (identity.isPair(it))
              it = it.key;
            const cb = it.commentBefore;
            it.commentBefore = cb ? `${comment}
${cb}` : comment;
          } else {
            const cb = dc.commentBefore;
            dc.commentBefore = cb ? `${comment}
${cb}` : comment;
          }
        }
        if (afterDoc) {
          for (let i = 0; i < this.errors.length; ++i)
            doc.errors.push(this.errors[i]);
          for (let i = 0; i < this.warnings.length; ++i)
            doc.warnings.push(this.warnings[i]);
        } else {
          doc.errors = this.errors;
          doc.warnings = this.warnings;
        }
        this.prelude = [];
        this.errors = [];
        this.warnings = [];
      }
      /**
       * Current stream status information.
       *
       * Mostly useful at the end of input for an empty stream.
       */
      streamInfo() {
        return {
          comment: parsePrelude(this.prelude).comment,
          directives: this.directives,
          errors: this.errors,
          warnings: this.warnings
        };
      }
      /**
       * Compose tokens into documents.
       *
       * @param forceDoc - If the stream contains no document, still emit a final document including any comments and directives that would be applied to a subsequent document.
       * @param endOffset - Should be set if `forceDoc` is also set, to set the document range end and to indicate errors correctly.
       */
      *compose(tokens, forceDoc = false, endOffset = -1) {
        for (const token of tokens)
          yield* this.next(token);
        yield* this.end(forceDoc, endOffset);
      }
      /** Advance the composer by one CST token. */
      *next(token) {
        if (node_process.env.LOG_STREAM)
          console.dir(token, { depth: null });
        switch (token.type) {
          case "directive":
            this.directives.add(token.source, (offset, message, warning) => {
              const pos = getErrorPos(token);
              pos[0] += offset;
              this.onError(pos, "BAD_DIRECTIVE", message, warning);
            });
            this.prelude.push(token.source);
            this.atDirectives = true;
            break;
          case "document": {
            const doc = composeDoc.composeDoc(this.options, this.directives, token, this.onError);
            if (this.atDirectives && !doc.directives.docStart)
              this.onError(token, "MISSING_CHAR", "Missing directives-end/doc-start indicator line");
            this.decorate(doc, false);
            if (this.doc)
              yield this.doc;
            this.doc = doc;
            this.atDirectives = false;
            break;
          }
          case "byte-order-mark":
          case "space":
            break;
          case "comment":
          case "newline":
            this.prelude.push(token.source);
            break;
          case "error": {
            const msg = token.source ? `${token.message}: ${JSON.stringify(token.source)}` : token.message;
            const error = new errors.YAMLParseError(getErrorPos(token), "UNEXPECTED_TOKEN", msg);
            if (this.atDirectives || !this.doc)
              this.errors.push(error);
            else
              this.doc.errors.push(error);
            break;
          }
          case "doc-end": {
            if (!this.doc) {
              const msg = "Unexpected doc-end without preceding document";
              this.errors.push(new errors.YAMLParseError(getErrorPos(token), "UNEXPECTED_TOKEN", msg));
              break;
            }
            this.doc.directives.docEnd = true;
            const end = resolveEnd.resolveEnd(token.end, token.offset + token.source.length, this.doc.options.strict, this.onError);
            this.decorate(this.doc, true);
            if (end.comment) {
              const dc = this.doc.comment;
              this.doc.comment = dc ? `${dc}
${end.comment}` : end.comment;
            }
            this.doc.range[2] = end.offset;
            break;
          }
          default:
            this.errors.push(new errors.YAMLParseError(getErrorPos(token), "UNEXPECTED_TOKEN", `Unsupported token ${token.type}`));
        }
      }
      /**
       * Call at end of input to yield any remaining document.
       *
       * @param forceDoc - If the stream contains no document, still emit a final document including any comments and directives that would be applied to a subsequent document.
       * @param endOffset - Should be set if `forceDoc` is also set, to set the document range end and to indicate errors correctly.
       */
      *end(forceDoc = false, endOffset = -1) {
        if (this.doc) {
          this.decorate(this.doc, true);
          yield this.doc;
          this.doc = null;
        } else if (forceDoc) {
          const opts = Object.assign({ _directives: this.directives }, this.options);
          const doc = new Document.Document(void 0, opts);
          if (this.atDirectives)
            this.onError(endOffset, "MISSING_CHAR", "Missing directives-end indicator line");
          doc.range = [0, endOffset, endOffset];
          this.decorate(doc, false);
          yield doc;
        }
      }
    };
    exports.Composer = Composer;
  }
});

// node_modules/yaml/dist/parse/cst-scalar.js
var require_cst_scalar = __commonJS({
  "node_modules/yaml/dist/parse/cst-scalar.js"(exports) {
    "use strict";
    var resolveBlockScalar = require_resolve_block_scalar();
    var resolveFlowScalar = require_resolve_flow_scalar();
    var errors = require_errors();
    var stringifyString = require_stringifyString();
    function resolveAsScalar(token, strict = true, onError) {
      if (token) {
        const _onError = (pos, code, message) => {
          const offset = typeof pos === "number" ? pos : Array.isArray(pos) ? pos[0] : pos.offset;
          if (onError)
            onError(offset, code, message);
          else
            throw new errors.YAMLParseError([offset, offset + 1], code, message);
        };
        switch (token.type) {
          case "scalar":
          case "single-quoted-scalar":
          case "double-quoted-scalar":
            return resolveFlowScalar.resolveFlowScalar(token, strict, _onError);
          case "block-scalar":
            return resolveBlockScalar.resolveBlockScalar({ options: { strict } }, token, _onError);
        }
      }
      return null;
    }
    function createScalarToken(value, context) {
      const { implicitKey = false, indent, inFlow = false, offset = -1, type = "PLAIN" } = context;
      const source = stringifyString.stringifyString({ type, value }, {
        implicitKey,
        indent: indent > 0 ? " ".repeat(indent) : "",
        inFlow,
        options: { blockQuote: true, lineWidth: -1 }
      });
      const end = context.end ?? [
        { type: "newline", offset: -1, indent, source: "\n" }
      ];
      switch (source[0]) {
        case "|":
        case ">": {
          const he = source.indexOf("\n");
          const head = source.substring(0, he);
          const body = source.substring(he + 1) + "\n";
          const props = [
            { type: "block-scalar-header", offset, indent, source: head }
          ];
          if (!addEndtoBlockProps(props, end))
            props.push({ type: "newline", offset: -1, indent, source: "\n" });
          return { type: "block-scalar", offset, indent, props, source: body };
        }
        case '"':
          return { type: "double-quoted-scalar", offset, indent, source, end };
        case "'":
          return { type: "single-quoted-scalar", offset, indent, source, end };
        default:
          return { type: "scalar", offset, indent, source, end };
      }
    }
    function setScalarValue(token, value, context = {}) {
      let { afterKey = false, implicitKey = false, inFlow = false, type } = context;
      let indent = "indent" in token ? token.indent : null;
      if (afterKey && typeof indent === "number")
        indent += 2;
      if (!type)
        switch (token.type) {
          case "single-quoted-scalar":
            type = "QUOTE_SINGLE";
            break;
          case "double-quoted-scalar":
            type = "QUOTE_DOUBLE";
            break;
          case "block-scalar": {
            const header = token.props[0];
            if (header.type !== "block-scalar-header")
              throw new Error("Invalid block scalar header");
            type = header.source[0] === ">" ? "BLOCK_FOLDED" : "BLOCK_LITERAL";
            break;
          }
          default:
            type = "PLAIN";
        }
      const source = stringifyString.stringifyString({ type, value }, {
        implicitKey: implicitKey || indent === null,
        indent: indent !== null && indent > 0 ? " ".repeat(indent) : "",
        inFlow,
        options: { blockQuote: true, lineWidth: -1 }
      });
      switch (source[0]) {
        case "|":
        case ">":
          setBlockScalarValue(token, source);
          break;
        case '"':
          setFlowScalarValue(token, source, "double-quoted-scalar");
          break;
        case "'":
          setFlowScalarValue(token, source, "single-quoted-scalar");
          break;
        default:
          setFlowScalarValue(token, source, "scalar");
      }
    }
    function setBlockScalarValue(token, source) {
      const he = source.indexOf("\n");
      const head = source.substring(0, he);
      const body = source.substring(he + 1) + "\n";
      if (token.type === "block-scalar") {
        const header = token.props[0];
        if (header.type !== "block-scalar-header")
          throw new Error("Invalid block scalar header");
        header.source = head;
        token.source = body;
      } else {
        const { offset } = token;
        const indent = "indent" in token ? token.indent : -1;
        const props = [
          { type: "block-scalar-header", offset, indent, source: head }
        ];
        if (!addEndtoBlockProps(props, "end" in token ? token.end : void 0))
          props.push({ type: "newline", offset: -1, indent, source: "\n" });
        for (const key of Object.keys(token))
          if (key !== "type" && key !== "offset")
            delete token[key];
        Object.assign(token, { type: "block-scalar", indent, props, source: body });
      }
    }
    function addEndtoBlockProps(props, end) {
      if (end)
        for (const st of end)
          switch (st.type) {
            case "space":
            case "comment":
              props.push(st);
              break;
            case "newline":
              props.push(st);
              return true;
          }
      return false;
    }
    function setFlowScalarValue(token, source, type) {
      switch (token.type) {
        case "scalar":
        case "double-quoted-scalar":
        case "single-quoted-scalar":
          token.type = type;
          token.source = source;
          break;
        case "block-scalar": {
          const end = token.props.slice(1);
          let oa = source.length;
          if (token.props[0].type === "block-scalar-header")
            oa -= token.props[0].source.length;
          for (const tok of end)
            tok.offset += oa;
          delete token.props;
          Object.assign(token, { type, source, end });
          break;
        }
        case "block-map":
        case "block-seq": {
          const offset = token.offset + source.length;
          const nl = { type: "newline", offset, indent: token.indent, source: "\n" };
          delete token.items;
          Object.assign(token, { type, source, end: [nl] });
          break;
        }
        default: {
          const indent = "indent" in token ? token.indent : -1;
          const end = "end" in token && Array.isArray(token.end) ? token.end.filter((st) => st.type === "space" || st.type === "comment" || st.type === "newline") : [];
          for (const key of Object.keys(token))
            if (key !== "type" && key !== "offset")
              delete token[key];
          Object.assign(token, { type, indent, source, end });
        }
      }
    }
    exports.createScalarToken = createScalarToken;
    exports.resolveAsScalar = resolveAsScalar;
    exports.setScalarValue = setScalarValue;
  }
});

// node_modules/yaml/dist/parse/cst-stringify.js
var require_cst_stringify = __commonJS({
  "node_modules/yaml/dist/parse/cst-stringify.js"(exports) {
    "use strict";
    var stringify = (cst) => "type" in cst ? stringifyToken(cst) : stringifyItem(cst);
    function stringifyToken(token) {
      switch (token.type) {
        case "block-scalar": {
          let res = "";
          for (const tok of token.props)
            res += stringifyToken(tok);
          return res + token.source;
        }
        case "block-map":
        case "block-seq": {
          let res = "";
          for (const item of token.items)
            res += stringifyItem(item);
          return res;
        }
        case "flow-collection": {
          let res = token.start.source;
          for (const item of token.items)
            res += stringifyItem(item);
          for (const st of token.end)
            res += st.source;
          return res;
        }
        case "document": {
          let res = stringifyItem(token);
          if (token.end)
            for (const st of token.end)
              res += st.source;
          return res;
        }
        default: {
          let res = token.source;
          if ("end" in token && token.end)
            for (const st of token.end)
              res += st.source;
          return res;
        }
      }
    }
    function stringifyItem({ start, key, sep: sep3, value }) {
      let res = "";
      for (const st of start)
        res += st.source;
      if (key)
        res += stringifyToken(key);
      if (sep3)
        for (const st of sep3)
          res += st.source;
      if (value)
        res += stringifyToken(value);
      return res;
    }
    exports.stringify = stringify;
  }
});

// node_modules/yaml/dist/parse/cst-visit.js
var require_cst_visit = __commonJS({
  "node_modules/yaml/dist/parse/cst-visit.js"(exports) {
    "use strict";
    var BREAK = /* @__PURE__ */ Symbol("break visit");
    var SKIP = /* @__PURE__ */ Symbol("skip children");
    var REMOVE = /* @__PURE__ */ Symbol("remove item");
    function visit2(cst, visitor) {
      if ("type" in cst && cst.type === "document")
        cst = { start: cst.start, value: cst.value };
      _visit(Object.freeze([]), cst, visitor);
    }
    visit2.BREAK = BREAK;
    visit2.SKIP = SKIP;
    visit2.REMOVE = REMOVE;
    visit2.itemAtPath = (cst, path) => {
      let item = cst;
      for (const [field, index] of path) {
        const tok = item?.[field];
        if (tok && "items" in tok) {
          item = tok.items[index];
        } else
          return void 0;
      }
      return item;
    };
    visit2.parentCollection = (cst, path) => {
      const parent = visit2.itemAtPath(cst, path.slice(0, -1));
      const field = path[path.length - 1][0];
      const coll = parent?.[field];
      if (coll && "items" in coll)
        return coll;
      throw new Error("Parent collection not found");
    };
    function _visit(path, item, visitor) {
      let ctrl = visitor(item, path);
      if (typeof ctrl === "symbol")
        return ctrl;
      for (const field of ["key", "value"]) {
        const token = item[field];
        if (token && "items" in token) {
          for (let i = 0; i < token.items.length; ++i) {
            const ci = _visit(Object.freeze(path.concat([[field, i]])), token.items[i], visitor);
            if (typeof ci === "number")
              i = ci - 1;
            else if (ci === BREAK)
              return BREAK;
            else if (ci === REMOVE) {
              token.items.splice(i, 1);
              i -= 1;
            }
          }
          if (typeof ctrl === "function" && field === "key")
            ctrl = ctrl(item, path);
        }
      }
      return typeof ctrl === "function" ? ctrl(item, path) : ctrl;
    }
    exports.visit = visit2;
  }
});

// node_modules/yaml/dist/parse/cst.js
var require_cst = __commonJS({
  "node_modules/yaml/dist/parse/cst.js"(exports) {
    "use strict";
    var cstScalar = require_cst_scalar();
    var cstStringify = require_cst_stringify();
    var cstVisit = require_cst_visit();
    var BOM = "\uFEFF";
    var DOCUMENT = "";
    var FLOW_END = "";
    var SCALAR = "";
    var isCollection = (token) => !!token && "items" in token;
    var isScalar2 = (token) => !!token && (token.type === "scalar" || token.type === "single-quoted-scalar" || token.type === "double-quoted-scalar" || token.type === "block-scalar");
    function prettyToken(token) {
      switch (token) {
        case BOM:
          return "<BOM>";
        case DOCUMENT:
          return "<DOC>";
        case FLOW_END:
          return "<FLOW_END>";
        case SCALAR:
          return "<SCALAR>";
        default:
          return JSON.stringify(token);
      }
    }
    function tokenType(source) {
      switch (source) {
        case BOM:
          return "byte-order-mark";
        case DOCUMENT:
          return "doc-mode";
        case FLOW_END:
          return "flow-error-end";
        case SCALAR:
          return "scalar";
        case "---":
          return "doc-start";
        case "...":
          return "doc-end";
        case "":
        case "\n":
        case "\r\n":
          return "newline";
        case "-":
          return "seq-item-ind";
        case "?":
          return "explicit-key-ind";
        case ":":
          return "map-value-ind";
        case "{":
          return "flow-map-start";
        case "}":
          return "flow-map-end";
        case "[":
          return "flow-seq-start";
        case "]":
          return "flow-seq-end";
        case ",":
          return "comma";
      }
      switch (source[0]) {
        case " ":
        case "	":
          return "space";
        case "#":
          return "comment";
        case "%":
          return "directive-line";
        case "*":
          return "alias";
        case "&":
          return "anchor";
        case "!":
          return "tag";
        case "'":
          return "single-quoted-scalar";
        case '"':
          return "double-quoted-scalar";
        case "|":
        case ">":
          return "block-scalar-header";
      }
      return null;
    }
    exports.createScalarToken = cstScalar.createScalarToken;
    exports.resolveAsScalar = cstScalar.resolveAsScalar;
    exports.setScalarValue = cstScalar.setScalarValue;
    exports.stringify = cstStringify.stringify;
    exports.visit = cstVisit.visit;
    exports.BOM = BOM;
    exports.DOCUMENT = DOCUMENT;
    exports.FLOW_END = FLOW_END;
    exports.SCALAR = SCALAR;
    exports.isCollection = isCollection;
    exports.isScalar = isScalar2;
    exports.prettyToken = prettyToken;
    exports.tokenType = tokenType;
  }
});

// node_modules/yaml/dist/parse/lexer.js
var require_lexer = __commonJS({
  "node_modules/yaml/dist/parse/lexer.js"(exports) {
    "use strict";
    var cst = require_cst();
    function isEmpty(ch) {
      switch (ch) {
        case void 0:
        case " ":
        case "\n":
        case "\r":
        case "	":
          return true;
        default:
          return false;
      }
    }
    var hexDigits = new Set("0123456789ABCDEFabcdef");
    var tagChars = new Set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-#;/?:@&=+$_.!~*'()");
    var flowIndicatorChars = new Set(",[]{}");
    var invalidAnchorChars = new Set(" ,[]{}\n\r	");
    var isNotAnchorChar = (ch) => !ch || invalidAnchorChars.has(ch);
    var Lexer = class {
      constructor() {
        this.atEnd = false;
        this.blockScalarIndent = -1;
        this.blockScalarKeep = false;
        this.buffer = "";
        this.flowKey = false;
        this.flowLevel = 0;
        this.indentNext = 0;
        this.indentValue = 0;
        this.lineEndPos = null;
        this.next = null;
        this.pos = 0;
      }
      /**
       * Generate YAML tokens from the `source` string. If `incomplete`,
       * a part of the last line may be left as a buffer for the next call.
       *
       * @returns A generator of lexical tokens
       */
      *lex(source, incomplete = false) {
        if (source) {
          if (typeof source !== "string")
            throw TypeError("source is not a string");
          this.buffer = this.buffer ? this.buffer + source : source;
          this.lineEndPos = null;
        }
        this.atEnd = !incomplete;
        let next = this.next ?? "stream";
        while (next && (incomplete || this.hasChars(1)))
          next = yield* this.parseNext(next);
      }
      atLineEnd() {
        let i = this.pos;
        let ch = this.buffer[i];
        while (ch === " " || ch === "	")
          ch = this.buffer[++i];
        if (!ch || ch === "#" || ch === "\n")
          return true;
        if (ch === "\r")
          return this.buffer[i + 1] === "\n";
        return false;
      }
      charAt(n) {
        return this.buffer[this.pos + n];
      }
      continueScalar(offset) {
        let ch = this.buffer[offset];
        if (this.indentNext > 0) {
          let indent = 0;
          while (ch === " ")
            ch = this.buffer[++indent + offset];
          if (ch === "\r") {
            const next = this.buffer[indent + offset + 1];
            if (next === "\n" || !next && !this.atEnd)
              return offset + indent + 1;
          }
          return ch === "\n" || indent >= this.indentNext || !ch && !this.atEnd ? offset + indent : -1;
        }
        if (ch === "-" || ch === ".") {
          const dt = this.buffer.substr(offset, 3);
          if ((dt === "---" || dt === "...") && isEmpty(this.buffer[offset + 3]))
            return -1;
        }
        return offset;
      }
      getLine() {
        let end = this.lineEndPos;
        if (typeof end !== "number" || end !== -1 && end < this.pos) {
          end = this.buffer.indexOf("\n", this.pos);
          this.lineEndPos = end;
        }
        if (end === -1)
          return this.atEnd ? this.buffer.substring(this.pos) : null;
        if (this.buffer[end - 1] === "\r")
          end -= 1;
        return this.buffer.substring(this.pos, end);
      }
      hasChars(n) {
        return this.pos + n <= this.buffer.length;
      }
      setNext(state) {
        this.buffer = this.buffer.substring(this.pos);
        this.pos = 0;
        this.lineEndPos = null;
        this.next = state;
        return null;
      }
      peek(n) {
        return this.buffer.substr(this.pos, n);
      }
      *parseNext(next) {
        switch (next) {
          case "stream":
            return yield* this.parseStream();
          case "line-start":
            return yield* this.parseLineStart();
          case "block-start":
            return yield* this.parseBlockStart();
          case "doc":
            return yield* this.parseDocument();
          case "flow":
            return yield* this.parseFlowCollection();
          case "quoted-scalar":
            return yield* this.parseQuotedScalar();
          case "block-scalar":
            return yield* this.parseBlockScalar();
          case "plain-scalar":
            return yield* this.parsePlainScalar();
        }
      }
      *parseStream() {
        let line = this.getLine();
        if (line === null)
          return this.setNext("stream");
        if (line[0] === cst.BOM) {
          yield* this.pushCount(1);
          line = line.substring(1);
        }
        if (line[0] === "%") {
          let dirEnd = line.length;
          let cs = line.indexOf("#");
          while (cs !== -1) {
            const ch = line[cs - 1];
            if (ch === " " || ch === "	") {
              dirEnd = cs - 1;
              break;
            } else {
              cs = line.indexOf("#", cs + 1);
            }
          }
          while (true) {
            const ch = line[dirEnd - 1];
            if (ch === " " || ch === "	")
              dirEnd -= 1;
            else
              break;
          }
          const n = (yield* this.pushCount(dirEnd)) + (yield* this.pushSpaces(true));
          yield* this.pushCount(line.length - n);
          this.pushNewline();
          return "stream";
        }
        if (this.atLineEnd()) {
          const sp = yield* this.pushSpaces(true);
          yield* this.pushCount(line.length - sp);
          yield* this.pushNewline();
          return "stream";
        }
        yield cst.DOCUMENT;
        return yield* this.parseLineStart();
      }
      *parseLineStart() {
        const ch = this.charAt(0);
        if (!ch && !this.atEnd)
          return this.setNext("line-start");
        if (ch === "-" || ch === ".") {
          if (!this.atEnd && !this.hasChars(4))
            return this.setNext("line-start");
          const s = this.peek(3);
          if ((s === "---" || s === "...") && isEmpty(this.charAt(3))) {
            yield* this.pushCount(3);
            this.indentValue = 0;
            this.indentNext = 0;
            return s === "---" ? "doc" : "stream";
          }
        }
        this.indentValue = yield* this.pushSpaces(false);
        if (this.indentNext > this.indentValue && !isEmpty(this.charAt(1)))
          this.indentNext = this.indentValue;
        return yield* this.parseBlockStart();
      }
      *parseBlockStart() {
        const [ch0, ch1] = this.peek(2);
        if (!ch1 && !this.atEnd)
          return this.setNext("block-start");
        if ((ch0 === "-" || ch0 === "?" || ch0 === ":") && isEmpty(ch1)) {
          const n = (yield* this.pushCount(1)) + (yield* this.pushSpaces(true));
          this.indentNext = this.indentValue + 1;
          this.indentValue += n;
          return "block-start";
        }
        return "doc";
      }
      *parseDocument() {
        yield* this.pushSpaces(true);
        const line = this.getLine();
        if (line === null)
          return this.setNext("doc");
        let n = yield* this.pushIndicators();
        switch (line[n]) {
          case "#":
            yield* this.pushCount(line.length - n);
          // fallthrough
          case void 0:
            yield* this.pushNewline();
            return yield* this.parseLineStart();
          case "{":
          case "[":
            yield* this.pushCount(1);
            this.flowKey = false;
            this.flowLevel = 1;
            return "flow";
          case "}":
          case "]":
            yield* this.pushCount(1);
            return "doc";
          case "*":
            yield* this.pushUntil(isNotAnchorChar);
            return "doc";
          case '"':
          case "'":
            return yield* this.parseQuotedScalar();
          case "|":
          case ">":
            n += yield* this.parseBlockScalarHeader();
            n += yield* this.pushSpaces(true);
            yield* this.pushCount(line.length - n);
            yield* this.pushNewline();
            return yield* this.parseBlockScalar();
          default:
            return yield* this.parsePlainScalar();
        }
      }
      *parseFlowCollection() {
        let nl, sp;
        let indent = -1;
        do {
          nl = yield* this.pushNewline();
          if (nl > 0) {
            sp = yield* this.pushSpaces(false);
            this.indentValue = indent = sp;
          } else {
            sp = 0;
          }
          sp += yield* this.pushSpaces(true);
        } while (nl + sp > 0);
        const line = this.getLine();
        if (line === null)
          return this.setNext("flow");
        if (indent !== -1 && indent < this.indentNext && line[0] !== "#" || indent === 0 && (line.startsWith("---") || line.startsWith("...")) && isEmpty(line[3])) {
          const atFlowEndMarker = indent === this.indentNext - 1 && this.flowLevel === 1 && (line[0] === "]" || line[0] === "}");
          if (!atFlowEndMarker) {
            this.flowLevel = 0;
            yield cst.FLOW_END;
            return yield* this.parseLineStart();
          }
        }
        let n = 0;
        while (line[n] === ",") {
          n += yield* this.pushCount(1);
          n += yield* this.pushSpaces(true);
          this.flowKey = false;
        }
        n += yield* this.pushIndicators();
        switch (line[n]) {
          case void 0:
            return "flow";
          case "#":
            yield* this.pushCount(line.length - n);
            return "flow";
          case "{":
          case "[":
            yield* this.pushCount(1);
            this.flowKey = false;
            this.flowLevel += 1;
            return "flow";
          case "}":
          case "]":
            yield* this.pushCount(1);
            this.flowKey = true;
            this.flowLevel -= 1;
            return this.flowLevel ? "flow" : "doc";
          case "*":
            yield* this.pushUntil(isNotAnchorChar);
            return "flow";
          case '"':
          case "'":
            this.flowKey = true;
            return yield* this.parseQuotedScalar();
          case ":": {
            const next = this.charAt(1);
            if (this.flowKey || isEmpty(next) || next === ",") {
              this.flowKey = false;
              yield* this.pushCount(1);
              yield* this.pushSpaces(true);
              return "flow";
            }
          }
          // fallthrough
          default:
            this.flowKey = false;
            return yield* this.parsePlainScalar();
        }
      }
      *parseQuotedScalar() {
        const quote = this.charAt(0);
        let end = this.buffer.indexOf(quote, this.pos + 1);
        if (quote === "'") {
          while (end !== -1 && this.buffer[end + 1] === "'")
            end = this.buffer.indexOf("'", end + 2);
        } else {
          while (end !== -1) {
            let n = 0;
            while (this.buffer[end - 1 - n] === "\\")
              n += 1;
            if (n % 2 === 0)
              break;
            end = this.buffer.indexOf('"', end + 1);
          }
        }
        const qb = this.buffer.substring(0, end);
        let nl = qb.indexOf("\n", this.pos);
        if (nl !== -1) {
          while (nl !== -1) {
            const cs = this.continueScalar(nl + 1);
            if (cs === -1)
              break;
            nl = qb.indexOf("\n", cs);
          }
          if (nl !== -1) {
            end = nl - (qb[nl - 1] === "\r" ? 2 : 1);
          }
        }
        if (end === -1) {
          if (!this.atEnd)
            return this.setNext("quoted-scalar");
          end = this.buffer.length;
        }
        yield* this.pushToIndex(end + 1, false);
        return this.flowLevel ? "flow" : "doc";
      }
      *parseBlockScalarHeader() {
        this.blockScalarIndent = -1;
        this.blockScalarKeep = false;
        let i = this.pos;
        while (true) {
          const ch = this.buffer[++i];
          if (ch === "+")
            this.blockScalarKeep = true;
          else if (ch > "0" && ch <= "9")
            this.blockScalarIndent = Number(ch) - 1;
          else if (ch !== "-")
            break;
        }
        return yield* this.pushUntil((ch) => isEmpty(ch) || ch === "#");
      }
      *parseBlockScalar() {
        let nl = this.pos - 1;
        let indent = 0;
        let ch;
        loop: for (let i2 = this.pos; ch = this.buffer[i2]; ++i2) {
          switch (ch) {
            case " ":
              indent += 1;
              break;
            case "\n":
              nl = i2;
              indent = 0;
              break;
            case "\r": {
              const next = this.buffer[i2 + 1];
              if (!next && !this.atEnd)
                return this.setNext("block-scalar");
              if (next === "\n")
                break;
            }
            // fallthrough
            default:
              break loop;
          }
        }
        if (!ch && !this.atEnd)
          return this.setNext("block-scalar");
        if (indent >= this.indentNext) {
          if (this.blockScalarIndent === -1)
            this.indentNext = indent;
          else {
            this.indentNext = this.blockScalarIndent + (this.indentNext === 0 ? 1 : this.indentNext);
          }
          do {
            const cs = this.continueScalar(nl + 1);
            if (cs === -1)
              break;
            nl = this.buffer.indexOf("\n", cs);
          } while (nl !== -1);
          if (nl === -1) {
            if (!this.atEnd)
              return this.setNext("block-scalar");
            nl = this.buffer.length;
          }
        }
        let i = nl + 1;
        ch = this.buffer[i];
        while (ch === " ")
          ch = this.buffer[++i];
        if (ch === "	") {
          while (ch === "	" || ch === " " || ch === "\r" || ch === "\n")
            ch = this.buffer[++i];
          nl = i - 1;
        } else if (!this.blockScalarKeep) {
          do {
            let i2 = nl - 1;
            let ch2 = this.buffer[i2];
            if (ch2 === "\r")
              ch2 = this.buffer[--i2];
            const lastChar = i2;
            while (ch2 === " ")
              ch2 = this.buffer[--i2];
            if (ch2 === "\n" && i2 >= this.pos && i2 + 1 + indent > lastChar)
              nl = i2;
            else
              break;
          } while (true);
        }
        yield cst.SCALAR;
        yield* this.pushToIndex(nl + 1, true);
        return yield* this.parseLineStart();
      }
      *parsePlainScalar() {
        const inFlow = this.flowLevel > 0;
        let end = this.pos - 1;
        let i = this.pos - 1;
        let ch;
        while (ch = this.buffer[++i]) {
          if (ch === ":") {
            const next = this.buffer[i + 1];
            if (isEmpty(next) || inFlow && flowIndicatorChars.has(next))
              break;
            end = i;
          } else if (isEmpty(ch)) {
            let next = this.buffer[i + 1];
            if (ch === "\r") {
              if (next === "\n") {
                i += 1;
                ch = "\n";
                next = this.buffer[i + 1];
              } else
                end = i;
            }
            if (next === "#" || inFlow && flowIndicatorChars.has(next))
              break;
            if (ch === "\n") {
              const cs = this.continueScalar(i + 1);
              if (cs === -1)
                break;
              i = Math.max(i, cs - 2);
            }
          } else {
            if (inFlow && flowIndicatorChars.has(ch))
              break;
            end = i;
          }
        }
        if (!ch && !this.atEnd)
          return this.setNext("plain-scalar");
        yield cst.SCALAR;
        yield* this.pushToIndex(end + 1, true);
        return inFlow ? "flow" : "doc";
      }
      *pushCount(n) {
        if (n > 0) {
          yield this.buffer.substr(this.pos, n);
          this.pos += n;
          return n;
        }
        return 0;
      }
      *pushToIndex(i, allowEmpty) {
        const s = this.buffer.slice(this.pos, i);
        if (s) {
          yield s;
          this.pos += s.length;
          return s.length;
        } else if (allowEmpty)
          yield "";
        return 0;
      }
      *pushIndicators() {
        let n = 0;
        loop: while (true) {
          switch (this.charAt(0)) {
            case "!":
              n += yield* this.pushTag();
              n += yield* this.pushSpaces(true);
              continue loop;
            case "&":
              n += yield* this.pushUntil(isNotAnchorChar);
              n += yield* this.pushSpaces(true);
              continue loop;
            case "-":
            // this is an error
            case "?":
            // this is an error outside flow collections
            case ":": {
              const inFlow = this.flowLevel > 0;
              const ch1 = this.charAt(1);
              if (isEmpty(ch1) || inFlow && flowIndicatorChars.has(ch1)) {
                if (!inFlow)
                  this.indentNext = this.indentValue + 1;
                else if (this.flowKey)
                  this.flowKey = false;
                n += yield* this.pushCount(1);
                n += yield* this.pushSpaces(true);
                continue loop;
              }
            }
          }
          break loop;
        }
        return n;
      }
      *pushTag() {
        if (this.charAt(1) === "<") {
          let i = this.pos + 2;
          let ch = this.buffer[i];
          while (!isEmpty(ch) && ch !== ">")
            ch = this.buffer[++i];
          return yield* this.pushToIndex(ch === ">" ? i + 1 : i, false);
        } else {
          let i = this.pos + 1;
          let ch = this.buffer[i];
          while (ch) {
            if (tagChars.has(ch))
              ch = this.buffer[++i];
            else if (ch === "%" && hexDigits.has(this.buffer[i + 1]) && hexDigits.has(this.buffer[i + 2])) {
              ch = this.buffer[i += 3];
            } else
              break;
          }
          return yield* this.pushToIndex(i, false);
        }
      }
      *pushNewline() {
        const ch = this.buffer[this.pos];
        if (ch === "\n")
          return yield* this.pushCount(1);
        else if (ch === "\r" && this.charAt(1) === "\n")
          return yield* this.pushCount(2);
        else
          return 0;
      }
      *pushSpaces(allowTabs) {
        let i = this.pos - 1;
        let ch;
        do {
          ch = this.buffer[++i];
        } while (ch === " " || allowTabs && ch === "	");
        const n = i - this.pos;
        if (n > 0) {
          yield this.buffer.substr(this.pos, n);
          this.pos = i;
        }
        return n;
      }
      *pushUntil(test) {
        let i = this.pos;
        let ch = this.buffer[i];
        while (!test(ch))
          ch = this.buffer[++i];
        return yield* this.pushToIndex(i, false);
      }
    };
    exports.Lexer = Lexer;
  }
});

// node_modules/yaml/dist/parse/line-counter.js
var require_line_counter = __commonJS({
  "node_modules/yaml/dist/parse/line-counter.js"(exports) {
    "use strict";
    var LineCounter2 = class {
      constructor() {
        this.lineStarts = [];
        this.addNewLine = (offset) => this.lineStarts.push(offset);
        this.linePos = (offset) => {
          let low = 0;
          let high = this.lineStarts.length;
          while (low < high) {
            const mid = low + high >> 1;
            if (this.lineStarts[mid] < offset)
              low = mid + 1;
            else
              high = mid;
          }
          if (this.lineStarts[low] === offset)
            return { line: low + 1, col: 1 };
          if (low === 0)
            return { line: 0, col: offset };
          const start = this.lineStarts[low - 1];
          return { line: low, col: offset - start + 1 };
        };
      }
    };
    exports.LineCounter = LineCounter2;
  }
});

// node_modules/yaml/dist/parse/parser.js
var require_parser = __commonJS({
  "node_modules/yaml/dist/parse/parser.js"(exports) {
    "use strict";
    var node_process = __require("process");
    var cst = require_cst();
    var lexer = require_lexer();
    function includesToken(list2, type) {
      for (let i = 0; i < list2.length; ++i)
        if (list2[i].type === type)
          return true;
      return false;
    }
    function findNonEmptyIndex(list2) {
      for (let i = 0; i < list2.length; ++i) {
        switch (list2[i].type) {
          case "space":
          case "comment":
          case "newline":
            break;
          default:
            return i;
        }
      }
      return -1;
    }
    function isFlowToken(token) {
      switch (token?.type) {
        case "alias":
        case "scalar":
        case "single-quoted-scalar":
        case "double-quoted-scalar":
        case "flow-collection":
          return true;
        default:
          return false;
      }
    }
    function getPrevProps(parent) {
      switch (parent.type) {
        case "document":
          return parent.start;
        case "block-map": {
          const it = parent.items[parent.items.length - 1];
          return it.sep ?? it.start;
        }
        case "block-seq":
          return parent.items[parent.items.length - 1].start;
        /* istanbul ignore next should not happen */
        default:
          return [];
      }
    }
    function getFirstKeyStartProps(prev) {
      if (prev.length === 0)
        return [];
      let i = prev.length;
      loop: while (--i >= 0) {
        switch (prev[i].type) {
          case "doc-start":
          case "explicit-key-ind":
          case "map-value-ind":
          case "seq-item-ind":
          case "newline":
            break loop;
        }
      }
      while (prev[++i]?.type === "space") {
      }
      return prev.splice(i, prev.length);
    }
    function arrayPushArray(target, source) {
      if (source.length < 1e5)
        Array.prototype.push.apply(target, source);
      else
        for (let i = 0; i < source.length; ++i)
          target.push(source[i]);
    }
    function fixFlowSeqItems(fc) {
      if (fc.start.type === "flow-seq-start") {
        for (const it of fc.items) {
          if (it.sep && !it.value && !includesToken(it.start, "explicit-key-ind") && !includesToken(it.sep, "map-value-ind")) {
            if (it.key)
              it.value = it.key;
            delete it.key;
            if (isFlowToken(it.value)) {
              if (it.value.end)
                arrayPushArray(it.value.end, it.sep);
              else
                it.value.end = it.sep;
            } else
              arrayPushArray(it.start, it.sep);
            delete it.sep;
          }
        }
      }
    }
    var Parser = class {
      /**
       * @param onNewLine - If defined, called separately with the start position of
       *   each new line (in `parse()`, including the start of input).
       */
      constructor(onNewLine) {
        this.atNewLine = true;
        this.atScalar = false;
        this.indent = 0;
        this.offset = 0;
        this.onKeyLine = false;
        this.stack = [];
        this.source = "";
        this.type = "";
        this.lexer = new lexer.Lexer();
        this.onNewLine = onNewLine;
      }
      /**
       * Parse `source` as a YAML stream.
       * If `incomplete`, a part of the last line may be left as a buffer for the next call.
       *
       * Errors are not thrown, but yielded as `{ type: 'error', message }` tokens.
       *
       * @returns A generator of tokens representing each directive, document, and other structure.
       */
      *parse(source, incomplete = false) {
        if (this.onNewLine && this.offset === 0)
          this.onNewLine(0);
        for (const lexeme of this.lexer.lex(source, incomplete))
          yield* this.next(lexeme);
        if (!incomplete)
          yield* this.end();
      }
      /**
       * Advance the parser by the `source` of one lexical token.
       */
      *next(source) {
        this.source = source;
        if (node_process.env.LOG_TOKENS)
          console.log("|", cst.prettyToken(source));
        if (this.atScalar) {
          this.atScalar = false;
          yield* this.step();
          this.offset += source.length;
          return;
        }
        const type = cst.tokenType(source);
        if (!type) {
          const message = `Not a YAML token: ${source}`;
          yield* this.pop({ type: "error", offset: this.offset, message, source });
          this.offset += source.length;
        } else if (type === "scalar") {
          this.atNewLine = false;
          this.atScalar = true;
          this.type = "scalar";
        } else {
          this.type = type;
          yield* this.step();
          switch (type) {
            case "newline":
              this.atNewLine = true;
              this.indent = 0;
              if (this.onNewLine)
                this.onNewLine(this.offset + source.length);
              break;
            case "space":
              if (this.atNewLine && source[0] === " ")
                this.indent += source.length;
              break;
            case "explicit-key-ind":
            case "map-value-ind":
            case "seq-item-ind":
              if (this.atNewLine)
                this.indent += source.length;
              break;
            case "doc-mode":
            case "flow-error-end":
              return;
            default:
              this.atNewLine = false;
          }
          this.offset += source.length;
        }
      }
      /** Call at end of input to push out any remaining constructions */
      *end() {
        while (this.stack.length > 0)
          yield* this.pop();
      }
      get sourceToken() {
        const st = {
          type: this.type,
          offset: this.offset,
          indent: this.indent,
          source: this.source
        };
        return st;
      }
      *step() {
        const top = this.peek(1);
        if (this.type === "doc-end" && top?.type !== "doc-end") {
          while (this.stack.length > 0)
            yield* this.pop();
          this.stack.push({
            type: "doc-end",
            offset: this.offset,
            source: this.source
          });
          return;
        }
        if (!top)
          return yield* this.stream();
        switch (top.type) {
          case "document":
            return yield* this.document(top);
          case "alias":
          case "scalar":
          case "single-quoted-scalar":
          case "double-quoted-scalar":
            return yield* this.scalar(top);
          case "block-scalar":
            return yield* this.blockScalar(top);
          case "block-map":
            return yield* this.blockMap(top);
          case "block-seq":
            return yield* this.blockSequence(top);
          case "flow-collection":
            return yield* this.flowCollection(top);
          case "doc-end":
            return yield* this.documentEnd(top);
        }
        yield* this.pop();
      }
      peek(n) {
        return this.stack[this.stack.length - n];
      }
      *pop(error) {
        const token = error ?? this.stack.pop();
        if (!token) {
          const message = "Tried to pop an empty stack";
          yield { type: "error", offset: this.offset, source: "", message };
        } else if (this.stack.length === 0) {
          yield token;
        } else {
          const top = this.peek(1);
          if (token.type === "block-scalar") {
            token.indent = "indent" in top ? top.indent : 0;
          } else if (token.type === "flow-collection" && top.type === "document") {
            token.indent = 0;
          }
          if (token.type === "flow-collection")
            fixFlowSeqItems(token);
          switch (top.type) {
            case "document":
              top.value = token;
              break;
            case "block-scalar":
              top.props.push(token);
              break;
            case "block-map": {
              const it = top.items[top.items.length - 1];
              if (it.value) {
                top.items.push({ start: [], key: token, sep: [] });
                this.onKeyLine = true;
                return;
              } else if (it.sep) {
                it.value = token;
              } else {
                Object.assign(it, { key: token, sep: [] });
                this.onKeyLine = !it.explicitKey;
                return;
              }
              break;
            }
            case "block-seq": {
              const it = top.items[top.items.length - 1];
              if (it.value)
                top.items.push({ start: [], value: token });
              else
                it.value = token;
              break;
            }
            case "flow-collection": {
              const it = top.items[top.items.length - 1];
              if (!it || it.value)
                top.items.push({ start: [], key: token, sep: [] });
              else if (it.sep)
                it.value = token;
              else
                Object.assign(it, { key: token, sep: [] });
              return;
            }
            /* istanbul ignore next should not happen */
            default:
              yield* this.pop();
              yield* this.pop(token);
          }
          if ((top.type === "document" || top.type === "block-map" || top.type === "block-seq") && (token.type === "block-map" || token.type === "block-seq")) {
            const last = token.items[token.items.length - 1];
            if (last && !last.sep && !last.value && last.start.length > 0 && findNonEmptyIndex(last.start) === -1 && (token.indent === 0 || last.start.every((st) => st.type !== "comment" || st.indent < token.indent))) {
              if (top.type === "document")
                top.end = last.start;
              else
                top.items.push({ start: last.start });
              token.items.splice(-1, 1);
            }
          }
        }
      }
      *stream() {
        switch (this.type) {
          case "directive-line":
            yield { type: "directive", offset: this.offset, source: this.source };
            return;
          case "byte-order-mark":
          case "space":
          case "comment":
          case "newline":
            yield this.sourceToken;
            return;
          case "doc-mode":
          case "doc-start": {
            const doc = {
              type: "document",
              offset: this.offset,
              start: []
            };
            if (this.type === "doc-start")
              doc.start.push(this.sourceToken);
            this.stack.push(doc);
            return;
          }
        }
        yield {
          type: "error",
          offset: this.offset,
          message: `Unexpected ${this.type} token in YAML stream`,
          source: this.source
        };
      }
      *document(doc) {
        if (doc.value)
          return yield* this.lineEnd(doc);
        switch (this.type) {
          case "doc-start": {
            if (findNonEmptyIndex(doc.start) !== -1) {
              yield* this.pop();
              yield* this.step();
            } else
              doc.start.push(this.sourceToken);
            return;
          }
          case "anchor":
          case "tag":
          case "space":
          case "comment":
          case "newline":
            doc.start.push(this.sourceToken);
            return;
        }
        const bv = this.startBlockValue(doc);
        if (bv)
          this.stack.push(bv);
        else {
          yield {
            type: "error",
            offset: this.offset,
            message: `Unexpected ${this.type} token in YAML document`,
            source: this.source
          };
        }
      }
      *scalar(scalar2) {
        if (this.type === "map-value-ind") {
          const prev = getPrevProps(this.peek(2));
          const start = getFirstKeyStartProps(prev);
          let sep3;
          if (scalar2.end) {
            sep3 = scalar2.end;
            sep3.push(this.sourceToken);
            delete scalar2.end;
          } else
            sep3 = [this.sourceToken];
          const map = {
            type: "block-map",
            offset: scalar2.offset,
            indent: scalar2.indent,
            items: [{ start, key: scalar2, sep: sep3 }]
          };
          this.onKeyLine = true;
          this.stack[this.stack.length - 1] = map;
        } else
          yield* this.lineEnd(scalar2);
      }
      *blockScalar(scalar2) {
        switch (this.type) {
          case "space":
          case "comment":
          case "newline":
            scalar2.props.push(this.sourceToken);
            return;
          case "scalar":
            scalar2.source = this.source;
            this.atNewLine = true;
            this.indent = 0;
            if (this.onNewLine) {
              let nl = this.source.indexOf("\n") + 1;
              while (nl !== 0) {
                this.onNewLine(this.offset + nl);
                nl = this.source.indexOf("\n", nl) + 1;
              }
            }
            yield* this.pop();
            break;
          /* istanbul ignore next should not happen */
          default:
            yield* this.pop();
            yield* this.step();
        }
      }
      *blockMap(map) {
        const it = map.items[map.items.length - 1];
        switch (this.type) {
          case "newline":
            this.onKeyLine = false;
            if (it.value) {
              const end = "end" in it.value ? it.value.end : void 0;
              const last = Array.isArray(end) ? end[end.length - 1] : void 0;
              if (last?.type === "comment")
                end?.push(this.sourceToken);
              else
                map.items.push({ start: [this.sourceToken] });
            } else if (it.sep) {
              it.sep.push(this.sourceToken);
            } else {
              it.start.push(this.sourceToken);
            }
            return;
          case "space":
          case "comment":
            if (it.value) {
              map.items.push({ start: [this.sourceToken] });
            } else if (it.sep) {
              it.sep.push(this.sourceToken);
            } else {
              if (this.atIndentedComment(it.start, map.indent)) {
                const prev = map.items[map.items.length - 2];
                const end = prev?.value?.end;
                if (Array.isArray(end)) {
                  arrayPushArray(end, it.start);
                  end.push(this.sourceToken);
                  map.items.pop();
                  return;
                }
              }
              it.start.push(this.sourceToken);
            }
            return;
        }
        if (this.indent >= map.indent) {
          const atMapIndent = !this.onKeyLine && this.indent === map.indent;
          const atNextItem = atMapIndent && (it.sep || it.explicitKey) && this.type !== "seq-item-ind";
          let start = [];
          if (atNextItem && it.sep && !it.value) {
            const nl = [];
            for (let i = 0; i < it.sep.length; ++i) {
              const st = it.sep[i];
              switch (st.type) {
                case "newline":
                  nl.push(i);
                  break;
                case "space":
                  break;
                case "comment":
                  if (st.indent > map.indent)
                    nl.length = 0;
                  break;
                default:
                  nl.length = 0;
              }
            }
            if (nl.length >= 2)
              start = it.sep.splice(nl[1]);
          }
          switch (this.type) {
            case "anchor":
            case "tag":
              if (atNextItem || it.value) {
                start.push(this.sourceToken);
                map.items.push({ start });
                this.onKeyLine = true;
              } else if (it.sep) {
                it.sep.push(this.sourceToken);
              } else {
                it.start.push(this.sourceToken);
              }
              return;
            case "explicit-key-ind":
              if (!it.sep && !it.explicitKey) {
                it.start.push(this.sourceToken);
                it.explicitKey = true;
              } else if (atNextItem || it.value) {
                start.push(this.sourceToken);
                map.items.push({ start, explicitKey: true });
              } else {
                this.stack.push({
                  type: "block-map",
                  offset: this.offset,
                  indent: this.indent,
                  items: [{ start: [this.sourceToken], explicitKey: true }]
                });
              }
              this.onKeyLine = true;
              return;
            case "map-value-ind":
              if (it.explicitKey) {
                if (!it.sep) {
                  if (includesToken(it.start, "newline")) {
                    Object.assign(it, { key: null, sep: [this.sourceToken] });
                  } else {
                    const start2 = getFirstKeyStartProps(it.start);
                    this.stack.push({
                      type: "block-map",
                      offset: this.offset,
                      indent: this.indent,
                      items: [{ start: start2, key: null, sep: [this.sourceToken] }]
                    });
                  }
                } else if (it.value) {
                  map.items.push({ start: [], key: null, sep: [this.sourceToken] });
                } else if (includesToken(it.sep, "map-value-ind")) {
                  this.stack.push({
                    type: "block-map",
                    offset: this.offset,
                    indent: this.indent,
                    items: [{ start, key: null, sep: [this.sourceToken] }]
                  });
                } else if (isFlowToken(it.key) && !includesToken(it.sep, "newline")) {
                  const start2 = getFirstKeyStartProps(it.start);
                  const key = it.key;
                  const sep3 = it.sep;
                  sep3.push(this.sourceToken);
                  delete it.key;
                  delete it.sep;
                  this.stack.push({
                    type: "block-map",
                    offset: this.offset,
                    indent: this.indent,
                    items: [{ start: start2, key, sep: sep3 }]
                  });
                } else if (start.length > 0) {
                  it.sep = it.sep.concat(start, this.sourceToken);
                } else {
                  it.sep.push(this.sourceToken);
                }
              } else {
                if (!it.sep) {
                  Object.assign(it, { key: null, sep: [this.sourceToken] });
                } else if (it.value || atNextItem) {
                  map.items.push({ start, key: null, sep: [this.sourceToken] });
                } else if (includesToken(it.sep, "map-value-ind")) {
                  this.stack.push({
                    type: "block-map",
                    offset: this.offset,
                    indent: this.indent,
                    items: [{ start: [], key: null, sep: [this.sourceToken] }]
                  });
                } else {
                  it.sep.push(this.sourceToken);
                }
              }
              this.onKeyLine = true;
              return;
            case "alias":
            case "scalar":
            case "single-quoted-scalar":
            case "double-quoted-scalar": {
              const fs = this.flowScalar(this.type);
              if (atNextItem || it.value) {
                map.items.push({ start, key: fs, sep: [] });
                this.onKeyLine = true;
              } else if (it.sep) {
                this.stack.push(fs);
              } else {
                Object.assign(it, { key: fs, sep: [] });
                this.onKeyLine = true;
              }
              return;
            }
            default: {
              const bv = this.startBlockValue(map);
              if (bv) {
                if (bv.type === "block-seq") {
                  if (!it.explicitKey && it.sep && !includesToken(it.sep, "newline")) {
                    yield* this.pop({
                      type: "error",
                      offset: this.offset,
                      message: "Unexpected block-seq-ind on same line with key",
                      source: this.source
                    });
                    return;
                  }
                } else if (atMapIndent) {
                  map.items.push({ start });
                }
                this.stack.push(bv);
                return;
              }
            }
          }
        }
        yield* this.pop();
        yield* this.step();
      }
      *blockSequence(seq) {
        const it = seq.items[seq.items.length - 1];
        switch (this.type) {
          case "newline":
            if (it.value) {
              const end = "end" in it.value ? it.value.end : void 0;
              const last = Array.isArray(end) ? end[end.length - 1] : void 0;
              if (last?.type === "comment")
                end?.push(this.sourceToken);
              else
                seq.items.push({ start: [this.sourceToken] });
            } else
              it.start.push(this.sourceToken);
            return;
          case "space":
          case "comment":
            if (it.value)
              seq.items.push({ start: [this.sourceToken] });
            else {
              if (this.atIndentedComment(it.start, seq.indent)) {
                const prev = seq.items[seq.items.length - 2];
                const end = prev?.value?.end;
                if (Array.isArray(end)) {
                  arrayPushArray(end, it.start);
                  end.push(this.sourceToken);
                  seq.items.pop();
                  return;
                }
              }
              it.start.push(this.sourceToken);
            }
            return;
          case "anchor":
          case "tag":
            if (it.value || this.indent <= seq.indent)
              break;
            it.start.push(this.sourceToken);
            return;
          case "seq-item-ind":
            if (this.indent !== seq.indent)
              break;
            if (it.value || includesToken(it.start, "seq-item-ind"))
              seq.items.push({ start: [this.sourceToken] });
            else
              it.start.push(this.sourceToken);
            return;
        }
        if (this.indent > seq.indent) {
          const bv = this.startBlockValue(seq);
          if (bv) {
            this.stack.push(bv);
            return;
          }
        }
        yield* this.pop();
        yield* this.step();
      }
      *flowCollection(fc) {
        const it = fc.items[fc.items.length - 1];
        if (this.type === "flow-error-end") {
          let top;
          do {
            yield* this.pop();
            top = this.peek(1);
          } while (top?.type === "flow-collection");
        } else if (fc.end.length === 0) {
          switch (this.type) {
            case "comma":
            case "explicit-key-ind":
              if (!it || it.sep)
                fc.items.push({ start: [this.sourceToken] });
              else
                it.start.push(this.sourceToken);
              return;
            case "map-value-ind":
              if (!it || it.value)
                fc.items.push({ start: [], key: null, sep: [this.sourceToken] });
              else if (it.sep)
                it.sep.push(this.sourceToken);
              else
                Object.assign(it, { key: null, sep: [this.sourceToken] });
              return;
            case "space":
            case "comment":
            case "newline":
            case "anchor":
            case "tag":
              if (!it || it.value)
                fc.items.push({ start: [this.sourceToken] });
              else if (it.sep)
                it.sep.push(this.sourceToken);
              else
                it.start.push(this.sourceToken);
              return;
            case "alias":
            case "scalar":
            case "single-quoted-scalar":
            case "double-quoted-scalar": {
              const fs = this.flowScalar(this.type);
              if (!it || it.value)
                fc.items.push({ start: [], key: fs, sep: [] });
              else if (it.sep)
                this.stack.push(fs);
              else
                Object.assign(it, { key: fs, sep: [] });
              return;
            }
            case "flow-map-end":
            case "flow-seq-end":
              fc.end.push(this.sourceToken);
              return;
          }
          const bv = this.startBlockValue(fc);
          if (bv)
            this.stack.push(bv);
          else {
            yield* this.pop();
            yield* this.step();
          }
        } else {
          const parent = this.peek(2);
          if (parent.type === "block-map" && (this.type === "map-value-ind" && parent.indent === fc.indent || this.type === "newline" && !parent.items[parent.items.length - 1].sep)) {
            yield* this.pop();
            yield* this.step();
          } else if (this.type === "map-value-ind" && parent.type !== "flow-collection") {
            const prev = getPrevProps(parent);
            const start = getFirstKeyStartProps(prev);
            fixFlowSeqItems(fc);
            const sep3 = fc.end.splice(1, fc.end.length);
            sep3.push(this.sourceToken);
            const map = {
              type: "block-map",
              offset: fc.offset,
              indent: fc.indent,
              items: [{ start, key: fc, sep: sep3 }]
            };
            this.onKeyLine = true;
            this.stack[this.stack.length - 1] = map;
          } else {
            yield* this.lineEnd(fc);
          }
        }
      }
      flowScalar(type) {
        if (this.onNewLine) {
          let nl = this.source.indexOf("\n") + 1;
          while (nl !== 0) {
            this.onNewLine(this.offset + nl);
            nl = this.source.indexOf("\n", nl) + 1;
          }
        }
        return {
          type,
          offset: this.offset,
          indent: this.indent,
          source: this.source
        };
      }
      startBlockValue(parent) {
        switch (this.type) {
          case "alias":
          case "scalar":
          case "single-quoted-scalar":
          case "double-quoted-scalar":
            return this.flowScalar(this.type);
          case "block-scalar-header":
            return {
              type: "block-scalar",
              offset: this.offset,
              indent: this.indent,
              props: [this.sourceToken],
              source: ""
            };
          case "flow-map-start":
          case "flow-seq-start":
            return {
              type: "flow-collection",
              offset: this.offset,
              indent: this.indent,
              start: this.sourceToken,
              items: [],
              end: []
            };
          case "seq-item-ind":
            return {
              type: "block-seq",
              offset: this.offset,
              indent: this.indent,
              items: [{ start: [this.sourceToken] }]
            };
          case "explicit-key-ind": {
            this.onKeyLine = true;
            const prev = getPrevProps(parent);
            const start = getFirstKeyStartProps(prev);
            start.push(this.sourceToken);
            return {
              type: "block-map",
              offset: this.offset,
              indent: this.indent,
              items: [{ start, explicitKey: true }]
            };
          }
          case "map-value-ind": {
            this.onKeyLine = true;
            const prev = getPrevProps(parent);
            const start = getFirstKeyStartProps(prev);
            return {
              type: "block-map",
              offset: this.offset,
              indent: this.indent,
              items: [{ start, key: null, sep: [this.sourceToken] }]
            };
          }
        }
        return null;
      }
      atIndentedComment(start, indent) {
        if (this.type !== "comment")
          return false;
        if (this.indent <= indent)
          return false;
        return start.every((st) => st.type === "newline" || st.type === "space");
      }
      *documentEnd(docEnd) {
        if (this.type !== "doc-mode") {
          if (docEnd.end)
            docEnd.end.push(this.sourceToken);
          else
            docEnd.end = [this.sourceToken];
          if (this.type === "newline")
            yield* this.pop();
        }
      }
      *lineEnd(token) {
        switch (this.type) {
          case "comma":
          case "doc-start":
          case "doc-end":
          case "flow-seq-end":
          case "flow-map-end":
          case "map-value-ind":
            yield* this.pop();
            yield* this.step();
            break;
          case "newline":
            this.onKeyLine = false;
          // fallthrough
          case "space":
          case "comment":
          default:
            if (token.end)
              token.end.push(this.sourceToken);
            else
              token.end = [this.sourceToken];
            if (this.type === "newline")
              yield* this.pop();
        }
      }
    };
    exports.Parser = Parser;
  }
});

// node_modules/yaml/dist/public-api.js
var require_public_api = __commonJS({
  "node_modules/yaml/dist/public-api.js"(exports) {
    "use strict";
    var composer = require_composer();
    var Document = require_Document();
    var errors = require_errors();
    var log = require_log();
    var identity = require_identity();
    var lineCounter = require_line_counter();
    var parser = require_parser();
    function parseOptions(options) {
      const prettyErrors = options.prettyErrors !== false;
      const lineCounter$1 = options.lineCounter || prettyErrors && new lineCounter.LineCounter() || null;
      return { lineCounter: lineCounter$1, prettyErrors };
    }
    function parseAllDocuments2(source, options = {}) {
      const { lineCounter: lineCounter2, prettyErrors } = parseOptions(options);
      const parser$1 = new parser.Parser(lineCounter2?.addNewLine);
      const composer$1 = new composer.Composer(options);
      const docs = Array.from(composer$1.compose(parser$1.parse(source)));
      if (prettyErrors && lineCounter2)
        for (const doc of docs) {
          doc.errors.forEach(errors.prettifyError(source, lineCounter2));
          doc.warnings.forEach(errors.prettifyError(source, lineCounter2));
        }
      if (docs.length > 0)
        return docs;
      return Object.assign([], { empty: true }, composer$1.streamInfo());
    }
    function parseDocument(source, options = {}) {
      const { lineCounter: lineCounter2, prettyErrors } = parseOptions(options);
      const parser$1 = new parser.Parser(lineCounter2?.addNewLine);
      const composer$1 = new composer.Composer(options);
      let doc = null;
      for (const _doc of composer$1.compose(parser$1.parse(source), true, source.length)) {
        if (!doc)
          doc = _doc;
        else if (doc.options.logLevel !== "silent") {
          doc.errors.push(new errors.YAMLParseError(_doc.range.slice(0, 2), "MULTIPLE_DOCS", "Source contains multiple documents; please use YAML.parseAllDocuments()"));
          break;
        }
      }
      if (prettyErrors && lineCounter2) {
        doc.errors.forEach(errors.prettifyError(source, lineCounter2));
        doc.warnings.forEach(errors.prettifyError(source, lineCounter2));
      }
      return doc;
    }
    function parse(src, reviver, options) {
      let _reviver = void 0;
      if (typeof reviver === "function") {
        _reviver = reviver;
      } else if (options === void 0 && reviver && typeof reviver === "object") {
        options = reviver;
      }
      const doc = parseDocument(src, options);
      if (!doc)
        return null;
      doc.warnings.forEach((warning) => log.warn(doc.options.logLevel, warning));
      if (doc.errors.length > 0) {
        if (doc.options.logLevel !== "silent")
          throw doc.errors[0];
        else
          doc.errors = [];
      }
      return doc.toJS(Object.assign({ reviver: _reviver }, options));
    }
    function stringify(value, replacer, options) {
      let _replacer = null;
      if (typeof replacer === "function" || Array.isArray(replacer)) {
        _replacer = replacer;
      } else if (options === void 0 && replacer) {
        options = replacer;
      }
      if (typeof options === "string")
        options = options.length;
      if (typeof options === "number") {
        const indent = Math.round(options);
        options = indent < 1 ? void 0 : indent > 8 ? { indent: 8 } : { indent };
      }
      if (value === void 0) {
        const { keepUndefined } = options ?? replacer ?? {};
        if (!keepUndefined)
          return void 0;
      }
      if (identity.isDocument(value) && !_replacer)
        return value.toString(options);
      return new Document.Document(value, _replacer, options).toString(options);
    }
    exports.parse = parse;
    exports.parseAllDocuments = parseAllDocuments2;
    exports.parseDocument = parseDocument;
    exports.stringify = stringify;
  }
});

// node_modules/yaml/dist/index.js
var require_dist = __commonJS({
  "node_modules/yaml/dist/index.js"(exports) {
    "use strict";
    var composer = require_composer();
    var Document = require_Document();
    var Schema = require_Schema();
    var errors = require_errors();
    var Alias = require_Alias();
    var identity = require_identity();
    var Pair = require_Pair();
    var Scalar = require_Scalar();
    var YAMLMap = require_YAMLMap();
    var YAMLSeq = require_YAMLSeq();
    var cst = require_cst();
    var lexer = require_lexer();
    var lineCounter = require_line_counter();
    var parser = require_parser();
    var publicApi = require_public_api();
    var visit2 = require_visit();
    exports.Composer = composer.Composer;
    exports.Document = Document.Document;
    exports.Schema = Schema.Schema;
    exports.YAMLError = errors.YAMLError;
    exports.YAMLParseError = errors.YAMLParseError;
    exports.YAMLWarning = errors.YAMLWarning;
    exports.Alias = Alias.Alias;
    exports.isAlias = identity.isAlias;
    exports.isCollection = identity.isCollection;
    exports.isDocument = identity.isDocument;
    exports.isMap = identity.isMap;
    exports.isNode = identity.isNode;
    exports.isPair = identity.isPair;
    exports.isScalar = identity.isScalar;
    exports.isSeq = identity.isSeq;
    exports.Pair = Pair.Pair;
    exports.Scalar = Scalar.Scalar;
    exports.YAMLMap = YAMLMap.YAMLMap;
    exports.YAMLSeq = YAMLSeq.YAMLSeq;
    exports.CST = cst;
    exports.Lexer = lexer.Lexer;
    exports.LineCounter = lineCounter.LineCounter;
    exports.Parser = parser.Parser;
    exports.parse = publicApi.parse;
    exports.parseAllDocuments = publicApi.parseAllDocuments;
    exports.parseDocument = publicApi.parseDocument;
    exports.stringify = publicApi.stringify;
    exports.visit = visit2.visit;
    exports.visitAsync = visit2.visitAsync;
  }
});

// src/validate/load.ts
import { realpath as realpath3 } from "node:fs/promises";
import { join as join6 } from "node:path";

// src/validate/convention.ts
import { join as join4, posix as posix2 } from "node:path";

// src/discover/convention.ts
import { readdir } from "node:fs/promises";
import { dirname, join as join2, relative as relative2, sep } from "node:path";

// src/discover/discover.ts
import { realpath, stat } from "node:fs/promises";
import { join } from "node:path";

// src/manifest/paths.ts
import { isAbsolute, relative } from "node:path";
function inside(parent, child) {
  const r = relative(parent, child);
  return r === "" || !r.startsWith("..") && !isAbsolute(r);
}

// src/discover/discover.ts
var SPOT_DIR = ".spot";
var CONVENTION_DIR = "deployment";
var MAIN_SCRIPTS = ["setup.sh", "init.sh"];
async function kind(p) {
  try {
    const st = await stat(p);
    return st.isFile() ? "file" : st.isDirectory() ? "dir" : "other";
  } catch {
    return void 0;
  }
}
function problem(file, message) {
  return { file, line: 0, col: 0, severity: "error", message };
}
async function staysInside(root, p) {
  try {
    return inside(await realpath(root), await realpath(p));
  } catch {
    return false;
  }
}
async function incompleteSpot(spot, hasConfig, hasDeployment) {
  const missing = [];
  const hints = [];
  for (const [name, present] of [
    ["config.yaml", hasConfig],
    ["deployment.yaml", hasDeployment]
  ]) {
    if (present) continue;
    missing.push(name);
    const yml = name.replace(/\.yaml$/, ".yml");
    if (await kind(join(spot, yml)) === "file")
      hints.push(`rename .spot/${yml} to .spot/${name}`);
  }
  return problem(
    SPOT_DIR,
    `.spot/ needs config.yaml and deployment.yaml; ${missing.join(" and ")} ${missing.length === 1 ? "is" : "are"} missing` + (hints.length > 0 ? ` (${hints.join("; ")})` : "")
  );
}
async function mainScript(conv) {
  for (const m of MAIN_SCRIPTS) if (await kind(join(conv, m)) === "file") return m;
  return void 0;
}
async function conventionFound(root, conv, hasSpotConfig) {
  if (!await staysInside(root, conv)) {
    return {
      diagnostics: [
        problem(CONVENTION_DIR, "deployment is a symbolic link that leads outside the repository")
      ]
    };
  }
  let configFile;
  if (hasSpotConfig) configFile = `${SPOT_DIR}/config.yaml`;
  else if (await kind(join(root, "config.yaml")) === "file") configFile = "config.yaml";
  return {
    found: {
      layout: "convention",
      baseDir: conv,
      baseRel: CONVENTION_DIR,
      ...configFile !== void 0 ? { configFile } : {}
    },
    diagnostics: []
  };
}
async function discover(root) {
  const rootKind = await kind(root);
  if (rootKind === void 0) return { diagnostics: [problem(".", `directory ${root} not found`)] };
  if (rootKind !== "dir") return { diagnostics: [problem(".", `${root} is not a directory`)] };
  const spot = join(root, SPOT_DIR);
  const conv = join(root, CONVENTION_DIR);
  const spotIsDir = await kind(spot) === "dir";
  const hasConfig = spotIsDir && await kind(join(spot, "config.yaml")) === "file";
  const hasDeployment = spotIsDir && await kind(join(spot, "deployment.yaml")) === "file";
  const convIsDir = await kind(conv) === "dir";
  const main = convIsDir ? await mainScript(conv) : void 0;
  if (hasConfig && hasDeployment) {
    if (!await staysInside(root, spot)) {
      return {
        diagnostics: [
          problem(SPOT_DIR, ".spot is a symbolic link that leads outside the repository")
        ]
      };
    }
    return {
      found: {
        layout: "spot",
        baseDir: spot,
        baseRel: SPOT_DIR,
        configFile: `${SPOT_DIR}/config.yaml`,
        deploymentFile: `${SPOT_DIR}/deployment.yaml`
      },
      diagnostics: []
    };
  }
  if (main !== void 0) return conventionFound(root, conv, hasConfig);
  if (spotIsDir) return { diagnostics: [await incompleteSpot(spot, hasConfig, hasDeployment)] };
  if (convIsDir) {
    return {
      diagnostics: [
        problem(
          CONVENTION_DIR,
          `deployment/ has neither ${MAIN_SCRIPTS.join(" nor ")}, which the convention layout runs first; add one, or run 'spot-deployer generate' to create a .spot/ instead`
        )
      ]
    };
  }
  const tree = await kind(join(root, "instance-files")) === "dir" ? ` instance-files/ is here: as with the original tool, it is delivered once a deployment/ with a setup.sh (which may do nothing) sits beside it.` : "";
  return {
    diagnostics: [
      problem(
        ".",
        `no deployment found in ${root}: looked for .spot/config.yaml with .spot/deployment.yaml, and for deployment/setup.sh or deployment/init.sh.${tree} Run 'spot-deployer generate' to create a .spot/ to start from`
      )
    ]
  };
}

// src/discover/convention.ts
var MARKER_PACKAGES = [
  ["requirements.txt", ["python3", "python3-pip"]],
  ["package.json", ["nodejs", "npm"]],
  ["Gemfile", ["ruby", "bundler"]],
  ["go.mod", ["golang"]],
  ["Cargo.toml", ["cargo"]],
  ["docker-compose.yml", ["docker.io", "docker-compose"]],
  ["docker-compose.yaml", ["docker.io", "docker-compose"]]
];
var CONVENTION_UPLOADS = [
  { source: "configs/", destination: "/opt/configs", mode: "0644" },
  { source: "files/", destination: "/opt/files", mode: "0644" },
  { source: "secrets/", destination: "/opt/secrets", mode: "0600" },
  { source: ".env", destination: "/opt/deployment/.env", mode: "0600" }
];
var CONVENTION_ROOT_DESTINATION = "/opt/deployment";
var CONVENTION_ROOT_EXCLUDE = [".env", "secrets", "secrets/**"];
var GENERATED_FILES_UPLOAD = {
  source: "../files/",
  destination: "/opt/uploaded_files",
  mode: "0644"
};
var INSTANCE_FILES_DIR = "instance-files";
async function entries(dir) {
  try {
    const list2 = await readdir(dir, { withFileTypes: true });
    return list2.map((e) => ({
      name: e.name,
      isFile: e.isFile() || e.isSymbolicLink(),
      isDir: e.isDirectory()
    })).sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  } catch {
    return [];
  }
}
var isFileIn = (list2, name) => list2.some((e) => e.name === name && e.isFile);
var isDirIn = (list2, name) => list2.some((e) => e.name === name && e.isDir);
var ADDITIONAL_COMMANDS = "../additional_commands.sh";
async function scripts(baseDir, top, beside) {
  const main = MAIN_SCRIPTS.find((m) => isFileIn(top, m));
  const found = main ? [main] : [];
  const ignoredMains = main ? MAIN_SCRIPTS.filter((m) => m !== main && isFileIn(top, m)) : [];
  for (const e of await entries(join2(baseDir, "scripts"))) {
    if (e.isFile && e.name.endsWith(".sh") && !e.name.startsWith(".") && !e.name.endsWith("~")) {
      found.push(`scripts/${e.name}`);
    }
  }
  for (const extra of ["install.sh", "start.sh"]) if (isFileIn(top, extra)) found.push(extra);
  if (isFileIn(beside, ADDITIONAL_COMMANDS.slice(3))) found.push(ADDITIONAL_COMMANDS);
  return { scripts: found, ignoredMains };
}
async function units(baseDir, top) {
  const found = [];
  for (const dir of ["services", "systemd"]) {
    for (const e of await entries(join2(baseDir, dir))) {
      if (e.isFile && e.name.endsWith(".service")) found.push(`${dir}/${e.name}`);
    }
  }
  for (const e of top) if (e.isFile && e.name.endsWith(".service")) found.push(e.name);
  return found;
}
async function filesUnder(dir) {
  try {
    const list2 = await readdir(dir, { withFileTypes: true, recursive: true });
    return list2.filter((e) => !e.isDirectory()).map((e) => relative2(dir, join2(e.parentPath, e.name)).split(sep).join("/")).sort();
  } catch {
    return [];
  }
}
async function instanceFiles(baseDir, beside) {
  if (!isDirIn(beside, INSTANCE_FILES_DIR)) return void 0;
  const dir = join2(dirname(baseDir), INSTANCE_FILES_DIR);
  const top = await entries(dir);
  const main = MAIN_SCRIPTS.find((m) => isFileIn(top, m));
  return {
    source: `../${INSTANCE_FILES_DIR}/`,
    ...main !== void 0 ? { main: `../${INSTANCE_FILES_DIR}/${main}` } : {},
    files: await filesUnder(dir)
  };
}
async function scanConvention(baseDir) {
  const top = await entries(baseDir);
  const markerPackages = [];
  for (const [marker, pkgs] of MARKER_PACKAGES) {
    if (isFileIn(top, marker)) {
      for (const p of pkgs) if (!markerPackages.includes(p)) markerPackages.push(p);
    }
  }
  const uploads2 = CONVENTION_UPLOADS.filter((u) => {
    const name = u.source.replace(/\/$/, "");
    return u.source.endsWith("/") ? isDirIn(top, name) : isFileIn(top, name);
  });
  const beside = await entries(dirname(baseDir));
  if (isDirIn(beside, "files")) uploads2.push(GENERATED_FILES_UPLOAD);
  const tree = await instanceFiles(baseDir, beside);
  return {
    markerPackages,
    packagesTxt: isFileIn(top, "packages.txt"),
    ...await scripts(baseDir, top, beside),
    uploads: uploads2,
    units: await units(baseDir, top),
    ...tree ? { instanceFiles: tree } : {}
  };
}

// src/validate/paths.ts
import { lstat, readdir as readdir2, readlink, realpath as realpath2, stat as stat2 } from "node:fs/promises";
import { basename, dirname as dirname2, isAbsolute as isAbsolute2, join as join3, posix, relative as relative3, resolve, sep as sep2 } from "node:path";

// src/validate/suggest.ts
function editDistance(a, b) {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d = Array.from(
    { length: rows },
    (_, i) => Array.from({ length: cols }, (_2, j) => i === 0 ? j : j === 0 ? i : 0)
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[i - 2][j - 2] + 1);
      }
      d[i][j] = best;
    }
  }
  return d[a.length][b.length];
}
function closest(word, candidates) {
  const w = word.toLowerCase();
  const norm = (s) => s.toLowerCase().replace(/[-_ ]/g, "");
  let best;
  let bestScore = Infinity;
  for (const c of candidates) {
    if (c === word) continue;
    const score = norm(c) === norm(word) ? 0 : editDistance(w, c.toLowerCase());
    if (score < bestScore) {
      best = c;
      bestScore = score;
    }
  }
  const limit = Math.max(1, Math.floor(word.length / 3));
  return bestScore <= limit ? best : void 0;
}
function didYouMean(word, candidates) {
  const c = closest(word, candidates);
  return c === void 0 ? "" : `; did you mean '${c}'?`;
}

// src/validate/paths.ts
var toPosix = (p) => p.split(sep2).join("/");
async function checkRepoPath(ctx, p, kind2, what) {
  const q = `${what} '${p}'`;
  if (p.trim() === "") return { error: `${what} is empty` };
  if (p.startsWith("~")) {
    return { error: `${q} points into a home directory; write a path relative to ${ctx.baseRel}/` };
  }
  if (isAbsolute2(p) || /^[A-Za-z]:[\\/]/.test(p)) {
    return { error: `${q} is an absolute path; write it relative to ${ctx.baseRel}/` };
  }
  if (p.includes("\\")) return { error: `${q} contains '\\'; separate directories with '/'` };
  const abs = resolve(ctx.baseDir, p);
  if (!inside(ctx.root, abs)) return { error: `${q} leads outside the repository` };
  const rel = toPosix(relative3(ctx.root, abs)) || ".";
  try {
    await lstat(abs);
  } catch {
    let hint = "";
    try {
      hint = didYouMean(basename(abs), await readdir2(dirname2(abs)));
    } catch {
    }
    return { error: `${q} not found: there is no ${rel} in the repository${hint}` };
  }
  let real;
  try {
    real = await realpath2(abs);
  } catch {
    try {
      const target = resolve(dirname2(abs), await readlink(abs));
      if (!inside(ctx.root, target)) {
        return { error: `${q} is a symbolic link that leads outside the repository` };
      }
    } catch {
    }
    return { error: `${q} is a broken symbolic link` };
  }
  if (!inside(ctx.rootReal, real)) {
    return { error: `${q} is (or goes through) a symbolic link that leads outside the repository` };
  }
  const st = await stat2(real);
  const isDir = st.isDirectory();
  if (kind2 === "file" && isDir) return { error: `${q} is a directory; expected a file` };
  if (kind2 === "dir" && !isDir) return { error: `${q} is not a directory` };
  if (!isDir && !st.isFile()) return { error: `${q} is not a regular file` };
  if (p.endsWith("/") && !isDir) return { error: `${q} ends with '/' but is a file` };
  return { ok: { abs, rel, isDir } };
}
var MAX_WALK_ENTRIES = 1e5;
async function escapingLinks(ctx, dir, exclude) {
  const isExcluded = exclude.length > 0 ? (await import("./picomatch-MHIA4Z2B.js")).default(exclude, { dot: true }) : () => false;
  const links = [];
  let seen = 0;
  const stack = [""];
  while (stack.length > 0) {
    const relDir = stack.pop();
    let entries2;
    try {
      entries2 = await readdir2(join3(dir, relDir), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries2) {
      if (++seen > MAX_WALK_ENTRIES) return { links, truncated: true };
      const rel = relDir === "" ? entry.name : `${relDir}/${entry.name}`;
      if (isExcluded(rel) || entry.isDirectory() && isExcluded(rel + "/")) continue;
      if (entry.isSymbolicLink()) {
        let real;
        try {
          real = await realpath2(join3(dir, rel));
        } catch {
          real = void 0;
        }
        if (real === void 0 || !inside(ctx.rootReal, real)) links.push(rel);
      } else if (entry.isDirectory()) {
        stack.push(rel);
      }
    }
  }
  links.sort();
  return { links, truncated: false };
}
function checkDestination(d, what) {
  const q = `${what} '${d}'`;
  if (d === "") return { error: `${what} is empty` };
  if (!d.startsWith("/"))
    return { error: `${q} must be an absolute path on the instance, such as /opt/app` };
  if (d.length > 4096) return { error: `${what} is longer than 4096 characters` };
  const segments = d.split("/").slice(1);
  if (segments.some((s) => s === ".." || s === ".")) {
    return { error: `${q} must not contain '.' or '..' segments` };
  }
  const trimmed = d.length > 1 ? d.replace(/\/+$/, "") : d;
  if (trimmed === "" || trimmed === "/")
    return { error: `${q} would replace the whole file system` };
  if (trimmed.includes("//")) {
    return { error: `${q} contains '//'; write ${posix.normalize(trimmed)}` };
  }
  return { ok: trimmed };
}

// src/validate/sections.ts
import { basename as basename2 } from "node:path";

// src/validate/yaml.ts
var import_yaml = __toESM(require_dist(), 1);
import { isUtf8 } from "node:buffer";
import { readFile, stat as stat3 } from "node:fs/promises";
var MAX_FILE_BYTES = 1024 * 1024;
var MAX_ALIAS_COUNT = 100;
var MAX_FLOW_DEPTH = 64;
var pointerOf = (path) => path.map((s) => "/" + String(s).replace(/~/g, "~0").replace(/\//g, "~1")).join("");
function bufferPosition(buf, offset) {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (buf[i] === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, col: buf.subarray(lineStart, offset).toString("utf8").length + 1 };
}
function firstInvalidUtf8(buf) {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i];
    let n;
    let lo = 128;
    let hi = 191;
    if (b < 128) n = 0;
    else if (b >= 194 && b <= 223) n = 1;
    else if (b >= 224 && b <= 239) {
      n = 2;
      if (b === 224) lo = 160;
      if (b === 237) hi = 159;
    } else if (b >= 240 && b <= 244) {
      n = 3;
      if (b === 240) lo = 144;
      if (b === 244) hi = 143;
    } else return i;
    for (let k = 1; k <= n; k++) {
      const c = buf[i + k];
      const min = k === 1 ? lo : 128;
      const max = k === 1 ? hi : 191;
      if (c === void 0 || c < min || c > max) return i;
    }
    i += n + 1;
  }
  return -1;
}
async function readTextFile(absPath, file, what) {
  const fail = (message, pos = { line: 0, col: 0 }) => ({
    file,
    diagnostics: [{ file, line: pos.line, col: pos.col, severity: "error", message }]
  });
  let size;
  try {
    const st = await stat3(absPath);
    if (!st.isFile()) return fail(`${what} is not a regular file`);
    size = st.size;
  } catch {
    return fail(`${what} not found`);
  }
  if (size > MAX_FILE_BYTES) {
    return fail(
      `${what} is ${(size / 1024 / 1024).toFixed(1)} MiB; the limit is ${MAX_FILE_BYTES / 1024 / 1024} MiB`
    );
  }
  let buf;
  try {
    buf = await readFile(absPath);
  } catch (e) {
    return fail(`${what} cannot be read: ${e.code ?? String(e)}`);
  }
  const nul = buf.indexOf(0);
  if (nul >= 0) {
    return fail(
      `${what} is a binary file (it contains a NUL byte); expected text`,
      bufferPosition(buf, nul)
    );
  }
  const bad = isUtf8(buf) ? -1 : firstInvalidUtf8(buf);
  if (bad >= 0) {
    return fail(`${what} is not valid UTF-8 text`, bufferPosition(buf, bad));
  }
  let text = buf.toString("utf8");
  if (text.charCodeAt(0) === 65279) text = text.slice(1);
  return { file, text, diagnostics: [] };
}
function flowDepth(text) {
  let depth = 0;
  let max = 0;
  let at = 0;
  let quote = "";
  let comment = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (comment) {
      if (c === "\n") comment = false;
    } else if (quote) {
      if (c === quote) quote = "";
      else if (c === "\\" && quote === '"') i++;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "#" && (i === 0 || /\s/.test(text[i - 1]))) comment = true;
    else if (c === "[" || c === "{") {
      depth++;
      if (depth > max) {
        max = depth;
        at = i;
      }
    } else if ((c === "]" || c === "}") && depth > 0) depth--;
  }
  return { depth: max, offset: at };
}
var YAML_MESSAGES = {
  TAB_AS_INDENT: "tabs cannot indent YAML; use spaces",
  BLOCK_AS_IMPLICIT_KEY: "a mapping cannot start on the same line as a key (check the indentation)",
  MULTILINE_IMPLICIT_KEY: "a key must be on a single line (check the indentation above)",
  BAD_INDENT: "unexpected indentation",
  MISSING_CHAR: "missing a closing character",
  BAD_SCALAR_START: "this value must be quoted"
};
function parseProblems(doc, file, lineCounter) {
  const diagnostics = [];
  const err = (message, offset) => {
    const pos = lineCounter.linePos(offset);
    return { file, line: pos.line, col: pos.col, severity: "error", message };
  };
  const seen = /* @__PURE__ */ new Set();
  for (const e of doc.errors) {
    if (seen.has(e.code)) continue;
    seen.add(e.code);
    if (e.code === "DUPLICATE_KEY") {
      diagnostics.push(err(duplicateKeyMessage(doc, e.pos[0], lineCounter), e.pos[0]));
    } else if (e.code === "RESOURCE_EXHAUSTION") {
      diagnostics.push(err("YAML nested too deeply to read", e.pos[0]));
    } else {
      const m = YAML_MESSAGES[e.code] ?? e.message.replace(/ at line \d+, column \d+.*$/s, "");
      diagnostics.push(err(`YAML syntax: ${m}`, e.pos[0]));
    }
  }
  for (const w of doc.warnings) {
    const pos = lineCounter.linePos(w.pos[0]);
    diagnostics.push({
      file,
      ...pos,
      severity: "warning",
      message: `YAML: ${w.message.replace(/ at line \d+, column \d+.*$/s, "")}`
    });
  }
  return diagnostics;
}
async function readYamlFile(absPath, file, expect, emptyMeans) {
  const lineCounter = new import_yaml.LineCounter();
  const base = { file, lineCounter, data: void 0, diagnostics: [] };
  const read = await readTextFile(absPath, file, file);
  if (read.text === void 0) return { ...base, diagnostics: read.diagnostics };
  const text = read.text;
  const err = (message, offset) => {
    const pos = offset === void 0 ? { line: 0, col: 0 } : lineCounter.linePos(offset);
    return { file, line: pos.line, col: pos.col, severity: "error", message };
  };
  const flow = flowDepth(text);
  if (flow.depth > MAX_FLOW_DEPTH) {
    const before = text.slice(0, flow.offset);
    const pos = { line: before.split("\n").length, col: flow.offset - before.lastIndexOf("\n") };
    return {
      ...base,
      diagnostics: [
        {
          file,
          ...pos,
          severity: "error",
          message: `YAML nested more than ${MAX_FLOW_DEPTH} levels deep; a manifest never needs that`
        }
      ]
    };
  }
  const docs = (0, import_yaml.parseAllDocuments)(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    strict: true
  });
  const list2 = Array.isArray(docs) ? docs : [];
  if (list2.length === 0 || list2.every((d) => d.contents === null)) {
    if (emptyMeans !== void 0 && list2.every((d) => d.errors.length === 0)) {
      return { ...base, data: emptyMeans };
    }
    return { ...base, diagnostics: [err(`${file} is empty; expected ${expect}`)] };
  }
  if (list2.length > 1) {
    const second = list2[1];
    return {
      ...base,
      diagnostics: [
        err(
          `${file} holds ${list2.length} YAML documents (separated by ---); put everything in one`,
          second.range[0]
        )
      ]
    };
  }
  const doc = list2[0];
  const diagnostics = parseProblems(doc, file, lineCounter);
  if (diagnostics.some((d) => d.severity === "error")) return { ...base, diagnostics };
  let data;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    const message = e instanceof ReferenceError && /alias/i.test(e.message) ? `YAML aliases (*name) expand to too much data (more than ${MAX_ALIAS_COUNT} uses); write the values out` : `YAML cannot be read: ${e instanceof Error ? e.message : String(e)}`;
    return { ...base, diagnostics: [...diagnostics, err(message, doc.contents?.range[0] ?? 0)] };
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    const found = Array.isArray(data) ? "a list" : data === null ? "nothing" : `a single value`;
    return {
      ...base,
      diagnostics: [
        ...diagnostics,
        err(`${file} must be ${expect}; found ${found}`, doc.contents?.range[0] ?? 0)
      ]
    };
  }
  diagnostics.push(...structureProblems(doc, file, lineCounter));
  return { ...base, doc, data, diagnostics };
}
function duplicateKeyMessage(doc, offset, lc) {
  let message = "duplicate key";
  (0, import_yaml.visit)(doc, {
    Map(_, map) {
      const firsts = /* @__PURE__ */ new Map();
      for (const pair of map.items) {
        if (!(0, import_yaml.isScalar)(pair.key) || !pair.key.range) continue;
        const name = String(pair.key.value);
        const first = firsts.get(name);
        if (pair.key.range[0] === offset && first !== void 0) {
          message = `duplicate key '${name}' (first at line ${lc.linePos(first).line})`;
          return import_yaml.visit.BREAK;
        }
        if (first === void 0) firsts.set(name, pair.key.range[0]);
      }
      return void 0;
    }
  });
  return message;
}
var CONTROL = /[\u0000-\u001f\u007f]/;
function controlCharName(s) {
  const m = CONTROL.exec(s);
  if (!m) return void 0;
  const c = m[0];
  if (c === "\n") return "a newline";
  if (c === "\r") return "a carriage return";
  if (c === "	") return "a tab";
  return `control character U+${c.charCodeAt(0).toString(16).padStart(4, "0").toUpperCase()}`;
}
function structureProblems(doc, file, lc) {
  const out = [];
  const at = (node, message) => {
    const pos = lc.linePos(node.range?.[0] ?? 0);
    out.push({ file, ...pos, severity: "error", message });
  };
  (0, import_yaml.visit)(doc, {
    Pair(_, pair) {
      const key = pair.key;
      if (isNode(key) && !(0, import_yaml.isScalar)(key))
        at(key, "keys must be plain text, not a list or a mapping");
      else if ((0, import_yaml.isScalar)(key) && (key.value === null || typeof key.value === "object")) {
        at(key, "keys must be plain text");
      }
    },
    Scalar(_, node) {
      if (typeof node.value !== "string") return;
      const c = controlCharName(node.value);
      if (c) at(node, `text must not contain ${c}: ${JSON.stringify(node.value).slice(0, 60)}`);
    }
  });
  return out;
}
function isNode(x) {
  return (0, import_yaml.isScalar)(x) || (0, import_yaml.isMap)(x) || (0, import_yaml.isSeq)(x) || (0, import_yaml.isAlias)(x);
}
function findNode(doc, path) {
  let current = doc.contents;
  let keyNode;
  for (const seg of path) {
    if ((0, import_yaml.isAlias)(current)) current = current.resolve(doc);
    if ((0, import_yaml.isMap)(current)) {
      const pair = current.items.find(
        (p) => (0, import_yaml.isPair)(p) && (0, import_yaml.isScalar)(p.key) && String(p.key.value) === String(seg)
      );
      if (!pair)
        return {
          ...isNode(current) ? { node: current } : {},
          ...keyNode ? { keyNode } : {},
          complete: false
        };
      keyNode = pair.key;
      current = pair.value;
    } else if ((0, import_yaml.isSeq)(current)) {
      const item = current.items[Number(seg)];
      if (item === void 0)
        return { node: current, ...keyNode ? { keyNode } : {}, complete: false };
      current = item;
    } else {
      return {
        ...isNode(current) ? { node: current } : {},
        ...keyNode ? { keyNode } : {},
        complete: false
      };
    }
  }
  if ((0, import_yaml.isAlias)(current)) current = current.resolve(doc);
  return {
    ...isNode(current) ? { node: current } : {},
    ...keyNode ? { keyNode } : {},
    complete: true
  };
}
function locate(y, path, mode = "value") {
  if (!y.doc) return y.data !== void 0 ? { line: 1, col: 1 } : { line: 0, col: 0 };
  const found = findNode(y.doc, path);
  let offset;
  if (mode === "key") {
    offset = found.complete ? found.keyNode?.range?.[0] : found.node?.range?.[0];
  } else if (mode === "container") {
    if (path.length === 0) offset = y.doc.contents?.range?.[0];
    else if (!found.complete) offset = found.node?.range?.[0];
    else if (typeof path[path.length - 1] === "number") offset = found.node?.range?.[0];
    else offset = found.keyNode?.range?.[0];
  } else {
    const node = found.node;
    const empty = (0, import_yaml.isScalar)(node) && node.value === null && node.range && node.range[0] === node.range[1];
    offset = empty || !node?.range ? found.keyNode?.range?.[0] : node.range[0];
    if (offset === void 0) offset = node?.range?.[0];
  }
  if (offset === void 0) return { line: 1, col: 1 };
  return y.lineCounter.linePos(offset);
}
function sourceText(y, path) {
  if (!y.doc) return void 0;
  const { node, complete } = findNode(y.doc, path);
  if (!complete || !(0, import_yaml.isScalar)(node)) return void 0;
  return typeof node.source === "string" ? node.source : void 0;
}
function displayPath(path) {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (/^[A-Za-z0-9_-]+$/.test(seg)) out += out === "" ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

// src/validate/unit.ts
async function checkUnitFile(abs, file, enabled) {
  const read = await readTextFile(abs, file, "the unit file");
  if (read.text === void 0) return read.diagnostics;
  const out = [];
  const at = (line, severity, message) => out.push({ file, line, col: line > 0 ? 1 : 0, severity, message });
  let section = "";
  const sections = /* @__PURE__ */ new Set();
  let execStart = false;
  let install = false;
  let continued = false;
  read.text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    const wasContinued = continued;
    continued = line.endsWith("\\") && !line.startsWith("#") && !line.startsWith(";");
    if (wasContinued || line === "" || line.startsWith("#") || line.startsWith(";")) return;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      section = header[1];
      sections.add(section);
      return;
    }
    const key = /^([A-Za-z0-9]+)\s*=/.exec(line)?.[1];
    if (key === void 0) {
      at(i + 1, "error", `not a 'Key=value' line or a [Section] header: ${line.slice(0, 60)}`);
      return;
    }
    if (section === "") at(i + 1, "error", `'${key}=' comes before any [Section] header`);
    if (section === "Service" && key === "ExecStart") execStart = true;
    if (section === "Install" && /^(WantedBy|RequiredBy|UpheldBy|Alias|Also)$/.test(key))
      install = true;
  });
  if (!sections.has("Service")) at(0, "error", "has no [Service] section; is it a service unit?");
  else if (!execStart) at(0, "error", "has no ExecStart= in its [Service] section");
  if (enabled && !install) {
    at(
      0,
      "warning",
      "has no [Install] section with WantedBy= (e.g. WantedBy=multi-user.target), so enabling it does nothing"
    );
  }
  return out;
}

// src/validate/sections.ts
var SCRIPT_DEFAULTS = { workdir: "/opt/deployment", timeoutSeconds: 600, order: 0 };
async function sourcePath(ctx, site, field, p, kind2, what) {
  if (controlCharName(p)) return void 0;
  const res = await checkRepoPath(ctx, p, kind2, what);
  if ("error" in res) {
    site.error(field, res.error);
    return void 0;
  }
  return res.ok;
}
async function checkLinks(ctx, site, field, abs, exclude, what) {
  const { links, truncated } = await escapingLinks(ctx, abs, exclude);
  if (links.length > 0) {
    const shown = links.slice(0, 3).join(", ") + (links.length > 3 ? `, and ${links.length - 3} more` : "");
    site.error(
      field,
      `${what} holds symbolic links that lead outside the repository (or nowhere): ${shown}`
    );
  }
  if (truncated)
    site.warn(field, `${what} holds too many files to check them all for symbolic links`);
}
function claim(taken, name, site, field) {
  const first = taken.get(name);
  if (first) {
    site.error(field, site.taken(name, first.site, first.field));
    return false;
  }
  taken.set(name, { site, field });
  return true;
}
async function uploadEntry(ctx, site, raw) {
  const src = await sourcePath(ctx, site, "source", raw.source, "any", "source");
  if (src?.isDir && raw.checkLinks) {
    await checkLinks(ctx, site, "source", src.abs, raw.exclude, `source '${raw.source}'`);
  }
  if (!src || raw.destination === void 0) return void 0;
  return {
    source: raw.source,
    // A trailing '/' says "into this directory" for a file; a directory's contents go there anyway.
    destination: src.isDir ? raw.destination.replace(/(.)\/$/, "$1") : raw.destination,
    ...raw.mode !== void 0 ? { mode: raw.mode } : {},
    ...raw.owner !== void 0 ? { owner: raw.owner } : {},
    exclude: raw.exclude
  };
}
async function scriptEntry(ctx, site, field, raw) {
  if ("path" in raw.body) {
    const ok = await sourcePath(ctx, site, field, raw.body.path, "file", "script");
    if (!ok) return void 0;
  }
  return {
    name: raw.name,
    ...raw.body,
    order: raw.order ?? SCRIPT_DEFAULTS.order,
    workdir: raw.workdir ?? SCRIPT_DEFAULTS.workdir,
    timeoutSeconds: raw.timeoutSeconds ?? SCRIPT_DEFAULTS.timeoutSeconds
  };
}
async function serviceEntry(ctx, site, raw, taken, extra) {
  const ok = await sourcePath(ctx, site, "file", raw.file, "file", "unit file");
  if (ok) extra.push(...await checkUnitFile(ok.abs, ok.rel, raw.enabled));
  const nameField = raw.name !== void 0 ? "name" : "file";
  if (raw.name === void 0 && !raw.file.endsWith(".service")) {
    site.error(
      "file",
      `unit file '${raw.file}' does not end in .service; give the service a name:`
    );
    return void 0;
  }
  const name = (raw.name ?? basename2(raw.file)).replace(/\.service$/, "");
  const problem2 = unitNameProblem(name);
  if (problem2) {
    const from = raw.nameFromFile ? " (from the file name)" : "";
    site.error(nameField, `service name '${name}'${from} ${problem2}`);
    return void 0;
  }
  if (!claim(taken, name, site, nameField)) return void 0;
  const health = raw.health?.();
  if (!ok) return void 0;
  return {
    name,
    file: raw.file,
    enabled: raw.enabled,
    start: raw.start,
    ...health ? { health } : {}
  };
}

// src/validate/convention.ts
var relOf = (ctx, p) => posix2.normalize(`${ctx.baseRel}/${p.replace(/\/$/, "")}`);
function fileSite({ ctx, out }, p) {
  const file = relOf(ctx, p);
  const push = (severity, message) => out.push({ file, line: 0, col: 0, severity, message });
  return {
    error: (_field, message) => push("error", message),
    warn: (_field, message) => push("warning", message),
    taken: (name, first) => `service '${name}' is also defined by ${first.where(void 0)}; rename one of them`,
    where: () => file
  };
}
async function usable(scan, p, kind2, what) {
  if (scan.links.includes(p.replace(/\/$/, ""))) return false;
  return await sourcePath(scan.ctx, fileSite(scan, p), void 0, p, kind2, what) !== void 0;
}
async function outsideLinks(ctx, out) {
  const { links, truncated } = await escapingLinks(ctx, ctx.baseDir, []);
  const scan = { ctx, out, links };
  for (const link of links.slice(0, 10)) {
    fileSite(scan, link).error(
      void 0,
      "is a symbolic link that leads outside the repository (or nowhere)"
    );
  }
  const whole = fileSite(scan, ".");
  if (links.length > 10)
    whole.error(void 0, `holds ${links.length - 10} more such symbolic links`);
  if (truncated) whole.warn(void 0, "holds too many files to check them all for symbolic links");
  return links;
}
async function packages(scan, found, files) {
  const list2 = [...found.markerPackages];
  if (!found.packagesTxt || !await usable(scan, "packages.txt", "file", "packages.txt"))
    return list2;
  const file = relOf(scan.ctx, "packages.txt");
  files.push(file);
  const read = await readTextFile(join4(scan.ctx.baseDir, "packages.txt"), file, file);
  scan.out.push(...read.diagnostics);
  (read.text ?? "").split(/\r?\n/).forEach((line, i) => {
    const body = line.replace(/(^|\s)#.*$/, "");
    for (const m of body.matchAll(/\S+/g)) {
      if (PACKAGE_NAME.test(m[0])) {
        if (!list2.includes(m[0])) list2.push(m[0]);
        continue;
      }
      scan.out.push({
        file,
        line: i + 1,
        col: (m.index ?? 0) + 1,
        severity: "error",
        message: `'${m[0]}' is not a valid package name (lower-case letters, digits and + . -, at least 2 characters)`
      });
    }
  });
  return list2;
}
async function scripts2(scan, found) {
  const main = found.scripts[0];
  for (const other of found.ignoredMains) {
    fileSite(scan, other).warn(
      void 0,
      `${other} is not run: ${main} is the main script and runs instead`
    );
  }
  const treeMain = found.instanceFiles?.main;
  const list2 = [];
  const names = /* @__PURE__ */ new Set();
  for (const p of [...treeMain !== void 0 ? [treeMain] : [], ...found.scripts]) {
    if (scan.links.includes(p)) continue;
    const file = p.slice(p.lastIndexOf("/") + 1).replace(/\.sh$/, "");
    const base = p === treeMain ? `${INSTANCE_FILES_DIR}-${file}` : file;
    let name = base.replace(/[^A-Za-z0-9._-]/g, "-").replace(/^[^A-Za-z0-9]+/, "") || "script";
    if (names.has(name)) name = `scripts-${name}`;
    if (!SCRIPT_NAME.test(name)) name = name.slice(0, 64);
    const spec = await scriptEntry(scan.ctx, fileSite(scan, p), void 0, {
      name,
      body: { path: p },
      order: list2.length
    });
    if (!spec) continue;
    names.add(name);
    list2.push(spec);
  }
  return list2;
}
async function instanceFilesUpload(scan, tree, scripts3) {
  const spec = await uploadEntry(scan.ctx, fileSite(scan, tree.source), {
    source: tree.source,
    destination: CONVENTION_ROOT_DESTINATION,
    exclude: [],
    checkLinks: true
  });
  if (!spec) return void 0;
  const runs = scripts3.find((s) => s.path === tree.main);
  scan.out.push({
    file: INSTANCE_FILES_DIR,
    line: 0,
    col: 0,
    severity: "notice",
    message: `${INSTANCE_FILES_DIR}/ beside deployment/ is delivered to ${CONVENTION_ROOT_DESTINATION}, its files over deployment/'s of the same path, as the original tool shipped it` + (runs ? `; its ${tree.main.split("/").pop()} runs there first, as script '${runs.name}'` : "")
  });
  return spec;
}
async function uploads(scan, found, scripts3) {
  const tree = found.instanceFiles;
  const list2 = [
    {
      source: ".",
      destination: CONVENTION_ROOT_DESTINATION,
      exclude: [...CONVENTION_ROOT_EXCLUDE],
      ...tree && tree.files.length > 0 ? { shadowed: tree.files } : {}
    }
  ];
  for (const u of found.uploads) {
    if (scan.links.includes(u.source.replace(/\/$/, ""))) continue;
    const spec = await uploadEntry(scan.ctx, fileSite(scan, u.source), {
      ...u,
      exclude: [],
      // Only files/ beside deployment/ is outside the directory already checked for links.
      checkLinks: u === GENERATED_FILES_UPLOAD
    });
    if (spec) list2.push(spec);
  }
  const treeUpload = tree ? await instanceFilesUpload(scan, tree, scripts3) : void 0;
  if (treeUpload) list2.push(treeUpload);
  return list2;
}
async function services(scan, found) {
  const list2 = [];
  const taken = /* @__PURE__ */ new Map();
  for (const p of found.units) {
    if (scan.links.includes(p)) continue;
    const spec = await serviceEntry(
      scan.ctx,
      fileSite(scan, p),
      { file: p, enabled: true, start: true, nameFromFile: true },
      taken,
      scan.out
    );
    if (spec) list2.push(spec);
  }
  return list2;
}
async function normalizeConvention(ctx, out) {
  const found = await scanConvention(ctx.baseDir);
  const scan = { ctx, out, links: await outsideLinks(ctx, out) };
  const files = [];
  const scriptSpecs = await scripts2(scan, found);
  return {
    packages: await packages(scan, found, files),
    template: { kind: "minimal" },
    env: {},
    uploads: await uploads(scan, found, scriptSpecs),
    scripts: scriptSpecs,
    services: await services(scan, found),
    files
  };
}

// src/validate/report.ts
function fileReporter(y, out, schemaErrorPaths = /* @__PURE__ */ new Set()) {
  const add = (severity, path, message, mode) => {
    if (severity === "error" && schemaErrorPaths.has(pointerOf(path))) return;
    const pos = locate(y, path, mode);
    out.push({ file: y.file, line: pos.line, col: pos.col, severity, message });
  };
  return {
    file: y.file,
    error: (path, message, mode = "value") => add("error", path, message, mode),
    warn: (path, message, mode = "value") => add("warning", path, message, mode),
    line: (path) => locate(y, path, "value").line,
    schemaErrorUnder: (path) => {
      const p = pointerOf(path);
      for (const e of schemaErrorPaths) if (e === p || e.startsWith(p + "/")) return true;
      return false;
    }
  };
}
var isObj = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
var str = (v) => typeof v === "string" ? v : void 0;
var int = (v) => typeof v === "number" && Number.isInteger(v) ? v : void 0;
var bool = (v) => typeof v === "boolean" ? v : void 0;
var scalar = (v) => typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? v : void 0;

// src/validate/config.ts
var DEFAULTS = {
  totalInstances: 3,
  instanceType: "t3.medium",
  os: "ubuntu-24.04",
  rootVolumeGb: 20,
  associatePublicIp: true,
  onDemandFallback: false
};
var OVERRIDDEN_TAGS = /* @__PURE__ */ new Set(["Name"]);
var MIN_TTL_SECONDS = 60;
var MAX_TTL_SECONDS = 365 * 86400;
function regionEntries(regions, r) {
  const out = [];
  if (Array.isArray(regions)) {
    const first = /* @__PURE__ */ new Map();
    regions.forEach((entry, i) => {
      if (!isObj(entry)) return;
      const keys = Object.keys(entry);
      if (keys.length !== 1) return;
      const name = keys[0];
      const path = ["regions", i, name];
      const earlier = first.get(name);
      if (earlier) {
        r.error(path, `region '${name}' is listed twice (first at line ${r.line(earlier)})`, "key");
        return;
      }
      first.set(name, path);
      out.push({ name, settings: entry[name], path });
    });
  } else if (isObj(regions)) {
    for (const [name, settings] of Object.entries(regions)) {
      out.push({ name, settings, path: ["regions", name] });
    }
  }
  return out;
}
function priceText(y, path, v, r) {
  const s = scalar(v);
  if (s === void 0 || typeof s === "boolean") return void 0;
  const text = scalarString(s, sourceText(y, path));
  if (!(Number(text) > 0)) {
    r.error(path, `'${path.join(".")}' must be a price above 0 in USD per hour, such as 0.05`);
    return void 0;
  }
  return text;
}
function imageOf(r, path, image) {
  if (image !== "latest") return image ?? "auto";
  r.warn(
    path,
    "image 'latest' is read as 'auto': the current image of aws.os, looked up at launch"
  );
  return "auto";
}
function regionSpecs(entries2, r) {
  return entries2.map(({ name, settings, path }) => {
    const s = isObj(settings) ? settings : {};
    const machine = str(s.machine_type);
    const listed = Array.isArray(s.instance_types) ? s.instance_types.filter((t) => typeof t === "string") : void 0;
    if (machine !== void 0 && listed !== void 0) {
      r.error(
        [...path, "instance_types"],
        `region '${name}' sets both machine_type and instance_types; keep instance_types (and put ${machine} in it)`,
        "key"
      );
    }
    const types = listed ?? (machine !== void 0 ? [machine] : [DEFAULTS.instanceType]);
    types.forEach((t, i) => {
      const j = types.indexOf(t);
      if (j < i) {
        r.error(
          [...path, "instance_types", i],
          `instance type '${t}' is listed twice in region '${name}'`
        );
      }
    });
    const subnets = Array.isArray(s.subnets) ? s.subnets.filter((t) => typeof t === "string") : [];
    const count = int(s.count);
    return {
      name,
      instanceTypes: types,
      image: imageOf(r, [...path, "image"], str(s.image)),
      subnets,
      ...count !== void 0 ? { count } : {}
    };
  });
}
function totalInstancesOf(aws, regions, entries2, r) {
  const explicit = regions.map((x) => x.count);
  const fixed = explicit.reduce((sum, c) => sum + (c ?? 0), 0);
  const allExplicit = regions.length > 0 && explicit.every((c) => c !== void 0);
  const givenTotal = int(aws.total_instances);
  const total = givenTotal ?? (allExplicit ? fixed : DEFAULTS.totalInstances);
  const totalPath = givenTotal !== void 0 ? ["aws", "total_instances"] : ["regions"];
  if (total < 1) {
  } else if (fixed > total) {
    r.error(
      totalPath,
      `the regions' counts add up to ${fixed}, more than total_instances (${total}${givenTotal === void 0 ? ", the default" : ""})`,
      givenTotal !== void 0 ? "value" : "key"
    );
  } else if (allExplicit && fixed !== total) {
    r.error(totalPath, `total_instances is ${total} but the regions' counts add up to ${fixed}`);
  } else {
    const free = explicit.filter((c) => c === void 0).length;
    const left = total - fixed;
    if (free > 0 && left < free) {
      const idle = entries2.filter((_, i) => explicit[i] === void 0).slice(left);
      for (const e of idle) {
        r.warn(
          e.path,
          `region '${e.name}' gets no instance: ${left} instance${left === 1 ? "" : "s"} left for ${free} regions without a count`,
          "key"
        );
      }
    }
  }
  return total;
}
function maxPriceOf(y, aws, spot, r) {
  let maxPrice;
  if (aws.spot_price_limit !== void 0 && spot.max_price !== void 0) {
    r.error(
      ["aws", "spot", "max_price"],
      "both aws.spot_price_limit and aws.spot.max_price are set; keep one",
      "key"
    );
  } else if (aws.spot_price_limit !== void 0) {
    maxPrice = priceText(y, ["aws", "spot_price_limit"], aws.spot_price_limit, r);
  } else if (spot.max_price !== void 0) {
    maxPrice = priceText(y, ["aws", "spot", "max_price"], spot.max_price, r);
  }
  return maxPrice;
}
function ttlOf(aws, r) {
  let ttlSeconds;
  const ttl = scalar(aws.ttl);
  if (ttl !== void 0 && ttl !== "off" && typeof ttl !== "boolean") {
    const seconds = durationSeconds(ttl);
    if (seconds !== void 0 && seconds < MIN_TTL_SECONDS) {
      r.error(["aws", "ttl"], `aws.ttl is ${seconds}s; it must be at least 1m (or off)`);
    } else if (seconds !== void 0 && seconds > MAX_TTL_SECONDS) {
      r.error(["aws", "ttl"], "aws.ttl must be at most 365d (or off)");
    } else if (seconds !== void 0) ttlSeconds = seconds;
  }
  return ttlSeconds;
}
function tagsOf(y, aws, r) {
  const tags = {};
  if (isObj(aws.tags)) {
    for (const [key, value] of Object.entries(aws.tags)) {
      const v = scalar(value);
      if (v === void 0) continue;
      const text = scalarString(v, sourceText(y, ["aws", "tags", key]));
      if (text.length > 256) {
        r.error(["aws", "tags", key], `tag '${key}' has a value longer than 256 characters`);
      }
      if (OVERRIDDEN_TAGS.has(key)) {
        r.warn(
          ["aws", "tags", key],
          `tag '${key}' is set by the action (the deployment's name); yours is ignored`,
          "key"
        );
        continue;
      }
      tags[key] = text;
    }
  }
  return tags;
}
function normalizeConfig(y, r) {
  const data = isObj(y.data) ? y.data : {};
  const aws = isObj(data.aws) ? data.aws : {};
  const entries2 = regionEntries(data.regions, r);
  const regions = regionSpecs(entries2, r);
  const totalInstances = totalInstancesOf(aws, regions, entries2, r);
  const spot = isObj(aws.spot) ? aws.spot : {};
  const maxPrice = maxPriceOf(y, aws, spot, r);
  const ttlSeconds = ttlOf(aws, r);
  const tags = tagsOf(y, aws, r);
  const profile = str(aws.instance_profile);
  return {
    totalInstances,
    regions,
    tags,
    os: str(aws.os) ?? DEFAULTS.os,
    ...maxPrice !== void 0 ? { maxPrice } : {},
    onDemandFallback: bool(spot.on_demand_fallback) ?? DEFAULTS.onDemandFallback,
    associatePublicIp: bool(aws.associate_public_ip) ?? DEFAULTS.associatePublicIp,
    rootVolumeGb: int(aws.instance_storage_gb) ?? DEFAULTS.rootVolumeGb,
    ...profile !== void 0 ? { instanceProfile: profile } : {},
    ...ttlSeconds !== void 0 ? { ttlSeconds } : {}
  };
}
function defaultCloudConfig(region) {
  return {
    totalInstances: 1,
    regions: [{ name: region, instanceTypes: [DEFAULTS.instanceType], image: "auto", subnets: [] }],
    tags: {},
    os: DEFAULTS.os,
    onDemandFallback: DEFAULTS.onDemandFallback,
    associatePublicIp: DEFAULTS.associatePublicIp,
    rootVolumeGb: DEFAULTS.rootVolumeGb
  };
}

// src/validate/deployment.ts
import { stat as stat4 } from "node:fs/promises";
import { basename as basename3, join as join5, posix as posix3 } from "node:path";

// src/manifest/template.ts
var ORIGINAL_TEMPLATE_VARIABLES = [
  "PACKAGES",
  "SCRIPTS",
  "SERVICES",
  "UPLOAD_DIRS",
  "SSH_KEY_SECTION",
  "SSH_PUBLIC_KEY"
];
var PLACEHOLDER = new RegExp(
  `\\{\\{(${ORIGINAL_TEMPLATE_VARIABLES.join("|")})\\}\\}|\\$\\{(${ORIGINAL_TEMPLATE_VARIABLES.join("|")})\\}`,
  "g"
);
function emptyOriginalPlaceholders(text) {
  const found = /* @__PURE__ */ new Set();
  const out = text.replace(PLACEHOLDER, (_m, a, b) => {
    found.add(a ?? b);
    return "";
  });
  return { text: out, found: [...found] };
}

// src/validate/interruption.ts
var HOOK_DEFAULT_SECONDS = 60;
var HOOK_MAX_SECONDS = 100;
async function normalizeInterruptionHook(raw, r, at, checkPath) {
  if (!isObj(raw)) return void 0;
  const h = raw;
  const path = str(h.path);
  if (path === void 0) return void 0;
  const ok = await checkPath(path);
  let timeoutSeconds = HOOK_DEFAULT_SECONDS;
  const t = scalar(h.timeout);
  if (t !== void 0 && typeof t !== "boolean") {
    const sec = durationSeconds(t);
    if (sec === 0) r.error(at("timeout"), "timeout must be at least 1 second");
    else if (sec !== void 0 && sec > HOOK_MAX_SECONDS) {
      r.error(
        at("timeout"),
        `timeout must be at most ${HOOK_MAX_SECONDS} s: EC2's notice comes two minutes ahead, and the services must still be stopped after the hook`
      );
      return void 0;
    } else if (sec !== void 0) timeoutSeconds = sec;
  }
  return ok ? { path, timeoutSeconds } : void 0;
}

// src/validate/deployment.ts
var MAX_SCRIPT_SECONDS = 48 * 3600;
var HEALTH_DEFAULTS = {
  expectStatus: 200,
  retries: 10,
  intervalSeconds: 3,
  timeoutSeconds: 5
};
var TARBALL_DESTINATION = "/opt/deployment";
var UPLOAD_DESTINATION = "/opt/deployment/";
function yamlSite(r, at) {
  const path = (field) => field === void 0 ? at() : at(field);
  return {
    error: (field, message, mode) => r.error(path(field), message, mode),
    warn: (field, message, mode) => r.warn(path(field), message, mode),
    taken: (name, first, firstField) => `service '${name}' is already defined at ${first.where(firstField)}`,
    where: (field) => `line ${r.line(path(field))}`
  };
}
async function excludePatterns(r, raw, at) {
  const out = [];
  let compile;
  for (const [k, x] of raw.entries()) {
    if (typeof x !== "string") continue;
    if (x === "") {
      r.error(at(k), "an exclude pattern cannot be empty");
      continue;
    }
    compile ??= (await import("./picomatch-MHIA4Z2B.js")).default;
    try {
      compile(x);
    } catch (err) {
      r.error(
        at(k),
        `not a usable glob pattern: ${err instanceof Error ? err.message : String(err)}`
      );
      continue;
    }
    out.push(x);
  }
  return out;
}
function destination(r, path, d, what) {
  if (controlCharName(d)) return void 0;
  const res = checkDestination(d, what);
  if ("error" in res) {
    r.error(path, res.error);
    return void 0;
  }
  return res.ok;
}
var D = (...p) => ["deployment", ...p];
var list = (v) => Array.isArray(v) ? v : [];
async function normalizeTemplate({ r, ctx, d, extra }) {
  const t = str(d.template);
  if (t === "minimal" || t === "docker") return { kind: t };
  if (t === void 0) return { kind: "minimal" };
  const site = yamlSite(r, () => D("template"));
  const ok = await sourcePath(ctx, site, void 0, t, "file", "template");
  if (!ok) return { kind: "minimal" };
  const read = await readTextFile(ok.abs, ok.rel, `template ${ok.rel}`);
  if (read.text === void 0) {
    extra.push(...read.diagnostics);
    return { kind: "minimal" };
  }
  if (!/^#cloud-config[ \t]*\r?$/m.test(read.text.split("\n")[0] ?? "")) {
    r.error(
      D("template"),
      `template '${t}' is neither minimal, docker, nor a file starting with #cloud-config`
    );
    return { kind: "minimal" };
  }
  const { found } = emptyOriginalPlaceholders(read.text);
  if (found.length > 0) {
    r.warn(
      D("template"),
      `template '${t}': the original tool's placeholders ${found.map((n) => `{{${n}}}`).join(", ")} are left empty (this action installs the packages, delivers the files, runs the scripts and starts the services itself, and reaches the instances over SSM, not SSH)`
    );
  }
  return { kind: "file", path: t };
}
function normalizeEnv({ y, r, d }) {
  const env = {};
  if (!isObj(d.env)) return env;
  for (const [name, value] of Object.entries(d.env)) {
    if (ENV_NAME.test(name) && envNameProblem(name)) {
      r.error(D("env", name), `${envNameProblem(name)}; choose another name`, "key");
      continue;
    }
    const v = scalar(value);
    if (v !== void 0) env[name] = scalarString(v, sourceText(y, D("env", name)));
  }
  return env;
}
function spelledEither(r, at, o, key, alias) {
  const value = str(o[key]);
  const other = str(o[alias]);
  if (value !== void 0 && other !== void 0) {
    r.error(at(alias), `both '${key}' and '${alias}' are set; keep '${key}'`, "key");
    return void 0;
  }
  if (value !== void 0) return { value, key };
  return other !== void 0 ? { value: other, key: alias } : void 0;
}
function uploadDestination(r, u, i, destinations) {
  const at = (...p) => D("uploads", i, ...p);
  const both = u.destination !== void 0 && u.dest !== void 0;
  const written = spelledEither(r, at, u, "destination", "dest");
  if (written === void 0 && both) return void 0;
  const key = written?.key ?? "source";
  const value = written?.value ?? UPLOAD_DESTINATION;
  const target = destination(r, at(key), value, "destination");
  if (target === void 0) return void 0;
  const into = value.endsWith("/");
  const first = destinations.get(target);
  if (first && !(first.into && into)) {
    r.error(
      at(key),
      `destination '${target}' is already used by the upload at line ${r.line(first.at)}`
    );
    return void 0;
  }
  if (!first) destinations.set(target, { at: at(key), into });
  return into ? `${target}/` : target;
}
function uploadMode(y, r, path, raw) {
  const perm = scalar(raw);
  if (typeof perm === "string") return octalMode(perm);
  if (typeof perm !== "number") return void 0;
  const text = sourceText(y, path) ?? String(perm);
  const mode = octalMode(text);
  if (mode === void 0) {
    r.error(path, `permissions ${text} is not an octal file mode such as "0644"`);
  }
  return mode;
}
async function normalizeUploads(sec) {
  const { y, r, ctx } = sec;
  const uploads2 = [];
  const destinations = /* @__PURE__ */ new Map();
  for (const [i, u] of list(sec.d.uploads).entries()) {
    if (!isObj(u)) continue;
    const at = (...p) => D("uploads", i, ...p);
    const exclude = await excludePatterns(r, list(u.exclude), (k) => at("exclude", k));
    const source = str(u.source);
    const target = uploadDestination(r, u, i, destinations);
    const mode = uploadMode(y, r, at("permissions"), u.permissions);
    const owner = str(u.owner);
    if (source === void 0) continue;
    const spec = await uploadEntry(ctx, yamlSite(r, at), {
      source,
      destination: target,
      ...mode !== void 0 ? { mode } : {},
      ...owner !== void 0 ? { owner } : {},
      exclude,
      checkLinks: true
    });
    if (spec) uploads2.push(spec);
  }
  return uploads2;
}
function scriptTimeout(r, path, raw) {
  const t = scalar(raw);
  if (t === void 0 || typeof t === "boolean") return SCRIPT_DEFAULTS.timeoutSeconds;
  const sec = durationSeconds(t);
  if (sec === 0) r.error(path, "timeout must be at least 1 second");
  else if (sec !== void 0 && sec > MAX_SCRIPT_SECONDS) {
    r.error(path, "timeout must be at most 48h (the longest SSM allows)");
  } else if (sec !== void 0) return sec;
  return SCRIPT_DEFAULTS.timeoutSeconds;
}
function commandFile(command, i) {
  const first = basename3(command.trim().split(/\s+/)[0] ?? "");
  return SCRIPT_NAME.test(first.replace(/\.[^.]*$/, "")) ? first : `command-${i + 1}`;
}
function scriptName(r, s, p, at, names) {
  let name = str(s.name);
  const namePath = name !== void 0 ? at("name") : at("path");
  if (name === void 0) {
    name = basename3(p).replace(/\.[^.]*$/, "");
    if (!SCRIPT_NAME.test(name)) {
      r.error(
        at("path"),
        `script file name '${basename3(p)}' does not make a usable name; add name: (letters, digits and . _ -)`
      );
    }
  }
  const first = names.get(name);
  if (first) r.error(namePath, `script name '${name}' is already used at line ${r.line(first)}`);
  else names.set(name, namePath);
  return name;
}
function scriptBody({ r }, s, i, at) {
  const p = str(s.path);
  const command = str(s.command);
  if (p !== void 0 && command !== void 0) {
    r.error(at("command"), "both 'path' and 'command' are set; keep one", "key");
    return void 0;
  }
  if (command !== void 0) {
    if (command.trim() === "") r.error(at("command"), "command is empty");
    return command.trim() === "" ? void 0 : { command };
  }
  if (p === void 0) {
    if (s.command === void 0 && !r.schemaErrorUnder(at())) {
      r.error(at(), `missing required key 'path' in 'deployment.scripts[${i}]'`, "container");
    }
    return void 0;
  }
  return { path: p };
}
async function normalizeScripts(sec) {
  const { r, d } = sec;
  const scripts3 = [];
  const names = /* @__PURE__ */ new Map();
  for (const [i, s] of list(d.scripts).entries()) {
    if (!isObj(s)) continue;
    const at = (...p) => D("scripts", i, ...p);
    const body = scriptBody(sec, s, i, at);
    if (body === void 0) continue;
    const name = scriptName(
      r,
      s,
      "command" in body ? commandFile(body.command, i) : body.path,
      at,
      names
    );
    const workdirRaw = spelledEither(r, at, s, "workdir", "working_dir");
    const workdir = workdirRaw === void 0 ? SCRIPT_DEFAULTS.workdir : destination(r, at(workdirRaw.key), workdirRaw.value, "workdir");
    const spec = await scriptEntry(sec.ctx, yamlSite(r, at), "path", {
      name,
      body,
      order: int(s.order),
      workdir,
      timeoutSeconds: scriptTimeout(r, at("timeout"), s.timeout)
    });
    if (spec && workdir !== void 0) scripts3.push(spec);
  }
  return scripts3.sort((a, b) => a.order - b.order);
}
function serviceFile(r, at, s, i) {
  const written = spelledEither(r, at, s, "file", "path");
  if (written === void 0 && s.file === void 0 && s.path === void 0) {
    if (!r.schemaErrorUnder(at())) {
      r.error(at(), `missing required key 'file' in 'deployment.services[${i}]'`, "container");
    }
  }
  return written?.value;
}
async function normalizeServices({ y, r, ctx, d, extra }) {
  const services2 = [];
  const taken = /* @__PURE__ */ new Map();
  for (const [i, item] of list(d.services).entries()) {
    const s = typeof item === "string" ? { file: item } : item;
    if (!isObj(s)) continue;
    const at = (...p) => D("services", i, ...p);
    const file = serviceFile(r, at, s, i);
    if (file === void 0) continue;
    const name = str(s.name);
    const spec = await serviceEntry(
      ctx,
      yamlSite(r, at),
      {
        file,
        ...name !== void 0 ? { name } : {},
        enabled: bool(s.enabled) ?? true,
        start: bool(s.start) ?? true,
        health: () => isObj(s.health) ? normalizeHealth(y, r, at("health"), s.health) : void 0
      },
      taken,
      extra
    );
    if (spec) services2.push(spec);
  }
  return services2;
}
var statKind = (p) => stat4(p).then(
  (s) => s.isDirectory() ? "dir" : s.isFile() ? "file" : void 0,
  () => void 0
);
async function tarballSourceDir(ctx, tsrc) {
  if (tsrc.startsWith("/") || await statKind(join5(ctx.baseDir, tsrc)) === "dir") return tsrc;
  if (await statKind(join5(ctx.root, tsrc)) !== "dir") return tsrc;
  return posix3.relative(ctx.baseRel, posix3.normalize(tsrc)) || ".";
}
async function tarballSetup(ctx, tarball, scripts3) {
  if (tarball?.kind !== "source") return scripts3;
  const setup = posix3.join(tarball.path, "setup.sh");
  const there = await statKind(join5(ctx.baseDir, setup)) === "file";
  if (!there || scripts3.some((s) => s.path !== void 0 && posix3.normalize(s.path) === setup)) {
    return scripts3;
  }
  const name = scripts3.some((s) => s.name === "tarball-setup") ? "tarball-setup-sh" : "tarball-setup";
  return [
    {
      name,
      command: "chmod +x ./setup.sh && ./setup.sh",
      order: scripts3[0]?.order ?? SCRIPT_DEFAULTS.order,
      workdir: tarball.destination,
      timeoutSeconds: SCRIPT_DEFAULTS.timeoutSeconds
    },
    ...scripts3
  ];
}
async function normalizeTarball({ r, ctx, d }) {
  const url = str(d.tarball_url);
  const sha = str(d.tarball_sha256);
  const tsrc = str(d.tarball_source);
  const tdestRaw = str(d.tarball_destination);
  const tdest = tdestRaw === void 0 ? TARBALL_DESTINATION : destination(r, D("tarball_destination"), tdestRaw, "tarball_destination");
  let tarball;
  if (url !== void 0 && tsrc !== void 0) {
    r.error(D("tarball_source"), "set tarball_url or tarball_source, not both", "key");
  } else if (url !== void 0) {
    if (d.tarball_sha256 === void 0) {
      r.error(
        D("tarball_url"),
        "tarball_url needs tarball_sha256 (the archive's SHA-256, 64 hex digits)",
        "key"
      );
    } else if (sha !== void 0 && tdest !== void 0) {
      tarball = { kind: "url", url, sha256: sha.toLowerCase(), destination: tdest };
    }
  } else if (tsrc !== void 0) {
    const site = yamlSite(r, () => D("tarball_source"));
    const from = await tarballSourceDir(ctx, tsrc);
    const ok = await sourcePath(ctx, site, void 0, from, "dir", "tarball_source");
    if (ok) await checkLinks(ctx, site, void 0, ok.abs, [], `tarball_source '${tsrc}'`);
    if (ok && tdest !== void 0) tarball = { kind: "source", path: from, destination: tdest };
  }
  if (url === void 0 && d.tarball_sha256 !== void 0) {
    r.error(D("tarball_sha256"), "tarball_sha256 is set but tarball_url is not", "key");
  }
  if (url === void 0 && tsrc === void 0 && tdestRaw !== void 0) {
    r.warn(
      D("tarball_destination"),
      "tarball_destination is ignored without tarball_url or tarball_source",
      "key"
    );
  }
  return tarball;
}
function normalizeOnInterruption({
  r,
  ctx,
  d
}) {
  const at = (...p) => D("on_interruption", ...p);
  const site = yamlSite(r, at);
  return normalizeInterruptionHook(
    d.on_interruption,
    r,
    at,
    async (p) => await sourcePath(ctx, site, "path", p, "file", "interruption hook") !== void 0
  );
}
function warnIfEmpty({ r, d }, parts) {
  const written = (v) => list(v).length > 0;
  const nothing = parts.packages.length === 0 && parts.scripts.length === 0 && parts.uploads.length === 0 && parts.services.length === 0 && str(d.tarball_url) === void 0 && str(d.tarball_source) === void 0 && !written(d.uploads) && !written(d.scripts) && !written(d.services);
  if (nothing) {
    r.warn(
      ["deployment"],
      "the deployment installs nothing: no packages, uploads, scripts, services or tarball",
      "key"
    );
  }
}
async function normalizeDeployment(y, r, ctx, extra) {
  const root = isObj(y.data) ? y.data : {};
  const d = isObj(root.deployment) ? root.deployment : {};
  const sec = { y, r, ctx, d, extra };
  const tarball = await normalizeTarball(sec);
  const onInterruption = await normalizeOnInterruption(sec);
  const parts = {
    packages: list(d.packages).filter((p) => typeof p === "string"),
    template: await normalizeTemplate(sec),
    env: normalizeEnv(sec),
    uploads: await normalizeUploads(sec),
    scripts: await tarballSetup(ctx, tarball, await normalizeScripts(sec)),
    services: await normalizeServices(sec),
    ...tarball ? { tarball } : {},
    ...onInterruption ? { onInterruption } : {}
  };
  if (isObj(root.deployment) || root.deployment == null && !r.schemaErrorUnder([])) {
    warnIfEmpty(sec, parts);
  }
  return parts;
}
function normalizeHealth(y, r, path, h) {
  const common = {
    retries: int(h.retries) ?? HEALTH_DEFAULTS.retries,
    intervalSeconds: int(h.interval) ?? HEALTH_DEFAULTS.intervalSeconds,
    timeoutSeconds: int(h.timeout) ?? HEALTH_DEFAULTS.timeoutSeconds
  };
  if (h.http !== void 0 && h.tcp !== void 0) {
    r.error([...path, "tcp"], "a health check is http: or tcp:, not both", "key");
    return void 0;
  }
  if (h.http === void 0 && h.tcp === void 0) {
    r.error(path, "a health check needs http: (a URL) or tcp: (a port)", "container");
    return void 0;
  }
  if (typeof h.http === "string") {
    return {
      kind: "http",
      url: h.http,
      expectStatus: int(h.expect_status) ?? HEALTH_DEFAULTS.expectStatus,
      ...common
    };
  }
  if (h.expect_status !== void 0) {
    r.warn([...path, "expect_status"], "expect_status is ignored by a tcp: health check", "key");
  }
  const tcp = scalar(h.tcp);
  if (tcp === void 0 || typeof tcp === "boolean") return void 0;
  const text = typeof tcp === "number" ? sourceText(y, [...path, "tcp"]) ?? String(tcp) : tcp;
  const m = /^(?:(.+):)?([0-9]{1,5})$/.exec(text);
  const port = m ? Number(m[2]) : NaN;
  if (!m || !(port >= 1 && port <= 65535)) {
    r.error([...path, "tcp"], `tcp: '${text}' must be a port from 1 to 65535, or host:port`);
    return void 0;
  }
  return { kind: "tcp", host: m[1] ?? "127.0.0.1", port, ...common };
}

// src/validate/validators.generated.ts
var validateConfig = validate10;
var schema12 = {
  title: "AwsSettings",
  description: "Launch settings shared by every region.",
  type: ["object", "null"],
  additionalProperties: false,
  properties: {
    total_instances: {
      description: "How many instances in all regions together. Default: the sum of the regions' `count` when every region has one, else 3 (the original tool's default).",
      type: "integer",
      minimum: 1,
      maximum: 1e3
    },
    os: {
      description: "Operating system of `image: auto` (native). The current image is looked up through AWS's public SSM parameters, for the instance type's architecture.",
      enum: ["ubuntu-24.04", "ubuntu-22.04", "al2023"],
      default: "ubuntu-24.04"
    },
    instance_profile: {
      description: "IAM instance profile name for the instances (native). It needs the AmazonSSMManagedInstanceCore policy so the action can reach the instances over SSM. The action's `instance-profile` input overrides it.",
      type: "string",
      pattern: "^[A-Za-z0-9+=,.@_-]{1,128}$",
      "x-error": "must be an IAM instance profile name (letters, digits and +=,.@_-, at most 128)"
    },
    spot: { $ref: "#/definitions/spot" },
    spot_price_limit: {
      description: "The original tool's maximum spot price in USD per hour. Same as `spot: {max_price: ...}`.",
      type: ["number", "string"],
      pattern: "^[0-9]+(\\.[0-9]+)?$",
      exclusiveMinimum: 0,
      "x-error": "must be a price in USD per hour such as 0.05"
    },
    instance_storage_gb: {
      description: "Size of the encrypted gp3 root volume in GiB.",
      type: "integer",
      minimum: 8,
      maximum: 16384,
      default: 20
    },
    associate_public_ip: {
      description: "Give the instances a public IPv4 address. The action itself never needs one (it talks over SSM).",
      type: "boolean",
      default: true
    },
    ttl: {
      description: "Time to live (native): the instances power off, and so terminate, this long after boot. A number of seconds or a duration such as 90m, 8h, 2d; `off` for none. The action's `ttl` input overrides it.",
      type: ["string", "integer"],
      pattern: "^(off|[0-9]+[smhd]?)$",
      "x-error": "must be a duration such as 90m, 8h or 2d, a number of seconds, or off"
    },
    tags: {
      description: "Extra tags put on every instance, volume and spot request.",
      type: ["object", "null"],
      propertyNames: {
        pattern: "^(?!aws:)(?!spot-deployer:)[^\\u0000-\\u001f]{1,128}$",
        "x-error": "is not a usable tag key (1 to 128 characters, not starting with aws: or spot-deployer:)"
      },
      additionalProperties: { type: ["string", "number", "boolean"] }
    },
    username: { $ref: "#/definitions/obsoleteSsh" },
    ssh_key_name: { $ref: "#/definitions/obsoleteSsh" },
    public_ssh_key_path: { $ref: "#/definitions/obsoleteSsh" },
    private_ssh_key_path: { $ref: "#/definitions/obsoleteSsh" },
    use_dedicated_vpc: { $ref: "#/definitions/obsoleteNetwork" },
    ensure_default_vpc: { $ref: "#/definitions/obsoleteNetwork" },
    vpc_tag_name: { $ref: "#/definitions/obsoleteNetwork" },
    security_group_name: {
      description: "Obsolete: no security group is created; the instances need no inbound rule because they are reached over SSM.",
      tsType: "unknown",
      deprecationMessage: "ignored: no security group is created (SSM needs no inbound rule)"
    },
    files_directory: { $ref: "#/definitions/obsoleteLayout" },
    scripts_directory: { $ref: "#/definitions/obsoleteLayout" },
    startup_script: { $ref: "#/definitions/obsoleteLayout" },
    cloud_init_template: { $ref: "#/definitions/obsoleteLayout" },
    additional_commands_script: { $ref: "#/definitions/obsoleteLayout" },
    docker_compose_template: { $ref: "#/definitions/obsoleteLayout" },
    bacalhau_data_dir: { $ref: "#/definitions/obsoleteLayout" },
    bacalhau_node_dir: { $ref: "#/definitions/obsoleteLayout" },
    bacalhau_config_template: { $ref: "#/definitions/obsoleteLayout" }
  }
};
var schema13 = {
  title: "SpotSettings",
  description: "Spot market options (native).",
  type: ["object", "null"],
  additionalProperties: false,
  properties: {
    max_price: {
      description: "Maximum price in USD per hour. Absent: capped at the on-demand price.",
      type: ["number", "string"],
      pattern: "^[0-9]+(\\.[0-9]+)?$",
      exclusiveMinimum: 0,
      "x-error": "must be a price in USD per hour such as 0.05"
    },
    on_demand_fallback: {
      description: "Launch on-demand instances for what spot capacity could not fill.",
      type: "boolean",
      default: false
    }
  }
};
var func2 = Object.prototype.hasOwnProperty;
var pattern0 = new RegExp("^[A-Za-z0-9+=,.@_-]{1,128}$", "u");
var pattern1 = new RegExp("^[0-9]+(\\.[0-9]+)?$", "u");
var pattern3 = new RegExp("^(off|[0-9]+[smhd]?)$", "u");
var pattern4 = new RegExp("^(?!aws:)(?!spot-deployer:)[^\\u0000-\\u001f]{1,128}$", "u");
function validate11(data, { instancePath = "", parentData, parentDataProperty, rootData = data } = {}) {
  let vErrors = null;
  let errors = 0;
  if (!(data && typeof data == "object" && !Array.isArray(data)) && data !== null) {
    const err0 = {
      instancePath,
      schemaPath: "#/type",
      keyword: "type",
      params: { type: schema12.type },
      message: "must be object,null"
    };
    if (vErrors === null) {
      vErrors = [err0];
    } else {
      vErrors.push(err0);
    }
    errors++;
  }
  if (data && typeof data == "object" && !Array.isArray(data)) {
    for (const key0 in data) {
      if (!func2.call(schema12.properties, key0)) {
        const err1 = {
          instancePath,
          schemaPath: "#/additionalProperties",
          keyword: "additionalProperties",
          params: { additionalProperty: key0 },
          message: "must NOT have additional properties"
        };
        if (vErrors === null) {
          vErrors = [err1];
        } else {
          vErrors.push(err1);
        }
        errors++;
      }
    }
    if (data.total_instances !== void 0) {
      let data0 = data.total_instances;
      if (!(typeof data0 == "number" && !(data0 % 1) && !isNaN(data0) && isFinite(data0))) {
        const err2 = {
          instancePath: instancePath + "/total_instances",
          schemaPath: "#/properties/total_instances/type",
          keyword: "type",
          params: { type: "integer" },
          message: "must be integer"
        };
        if (vErrors === null) {
          vErrors = [err2];
        } else {
          vErrors.push(err2);
        }
        errors++;
      }
      if (typeof data0 == "number" && isFinite(data0)) {
        if (data0 > 1e3 || isNaN(data0)) {
          const err3 = {
            instancePath: instancePath + "/total_instances",
            schemaPath: "#/properties/total_instances/maximum",
            keyword: "maximum",
            params: { comparison: "<=", limit: 1e3 },
            message: "must be <= 1000"
          };
          if (vErrors === null) {
            vErrors = [err3];
          } else {
            vErrors.push(err3);
          }
          errors++;
        }
        if (data0 < 1 || isNaN(data0)) {
          const err4 = {
            instancePath: instancePath + "/total_instances",
            schemaPath: "#/properties/total_instances/minimum",
            keyword: "minimum",
            params: { comparison: ">=", limit: 1 },
            message: "must be >= 1"
          };
          if (vErrors === null) {
            vErrors = [err4];
          } else {
            vErrors.push(err4);
          }
          errors++;
        }
      }
    }
    if (data.os !== void 0) {
      let data1 = data.os;
      if (!(data1 === "ubuntu-24.04" || data1 === "ubuntu-22.04" || data1 === "al2023")) {
        const err5 = {
          instancePath: instancePath + "/os",
          schemaPath: "#/properties/os/enum",
          keyword: "enum",
          params: { allowedValues: schema12.properties.os.enum },
          message: "must be equal to one of the allowed values"
        };
        if (vErrors === null) {
          vErrors = [err5];
        } else {
          vErrors.push(err5);
        }
        errors++;
      }
    }
    if (data.instance_profile !== void 0) {
      let data2 = data.instance_profile;
      if (typeof data2 === "string") {
        if (!pattern0.test(data2)) {
          const err6 = {
            instancePath: instancePath + "/instance_profile",
            schemaPath: "#/properties/instance_profile/pattern",
            keyword: "pattern",
            params: { pattern: "^[A-Za-z0-9+=,.@_-]{1,128}$" },
            message: 'must match pattern "^[A-Za-z0-9+=,.@_-]{1,128}$"'
          };
          if (vErrors === null) {
            vErrors = [err6];
          } else {
            vErrors.push(err6);
          }
          errors++;
        }
      } else {
        const err7 = {
          instancePath: instancePath + "/instance_profile",
          schemaPath: "#/properties/instance_profile/type",
          keyword: "type",
          params: { type: "string" },
          message: "must be string"
        };
        if (vErrors === null) {
          vErrors = [err7];
        } else {
          vErrors.push(err7);
        }
        errors++;
      }
    }
    if (data.spot !== void 0) {
      let data3 = data.spot;
      if (!(data3 && typeof data3 == "object" && !Array.isArray(data3)) && data3 !== null) {
        const err8 = {
          instancePath: instancePath + "/spot",
          schemaPath: "#/definitions/spot/type",
          keyword: "type",
          params: { type: schema13.type },
          message: "must be object,null"
        };
        if (vErrors === null) {
          vErrors = [err8];
        } else {
          vErrors.push(err8);
        }
        errors++;
      }
      if (data3 && typeof data3 == "object" && !Array.isArray(data3)) {
        for (const key1 in data3) {
          if (!(key1 === "max_price" || key1 === "on_demand_fallback")) {
            const err9 = {
              instancePath: instancePath + "/spot",
              schemaPath: "#/definitions/spot/additionalProperties",
              keyword: "additionalProperties",
              params: { additionalProperty: key1 },
              message: "must NOT have additional properties"
            };
            if (vErrors === null) {
              vErrors = [err9];
            } else {
              vErrors.push(err9);
            }
            errors++;
          }
        }
        if (data3.max_price !== void 0) {
          let data4 = data3.max_price;
          if (!(typeof data4 == "number" && isFinite(data4)) && typeof data4 !== "string") {
            const err10 = {
              instancePath: instancePath + "/spot/max_price",
              schemaPath: "#/definitions/spot/properties/max_price/type",
              keyword: "type",
              params: { type: schema13.properties.max_price.type },
              message: "must be number,string"
            };
            if (vErrors === null) {
              vErrors = [err10];
            } else {
              vErrors.push(err10);
            }
            errors++;
          }
          if (typeof data4 == "number" && isFinite(data4)) {
            if (data4 <= 0 || isNaN(data4)) {
              const err11 = {
                instancePath: instancePath + "/spot/max_price",
                schemaPath: "#/definitions/spot/properties/max_price/exclusiveMinimum",
                keyword: "exclusiveMinimum",
                params: { comparison: ">", limit: 0 },
                message: "must be > 0"
              };
              if (vErrors === null) {
                vErrors = [err11];
              } else {
                vErrors.push(err11);
              }
              errors++;
            }
          }
          if (typeof data4 === "string") {
            if (!pattern1.test(data4)) {
              const err12 = {
                instancePath: instancePath + "/spot/max_price",
                schemaPath: "#/definitions/spot/properties/max_price/pattern",
                keyword: "pattern",
                params: { pattern: "^[0-9]+(\\.[0-9]+)?$" },
                message: 'must match pattern "^[0-9]+(\\.[0-9]+)?$"'
              };
              if (vErrors === null) {
                vErrors = [err12];
              } else {
                vErrors.push(err12);
              }
              errors++;
            }
          }
        }
        if (data3.on_demand_fallback !== void 0) {
          if (typeof data3.on_demand_fallback !== "boolean") {
            const err13 = {
              instancePath: instancePath + "/spot/on_demand_fallback",
              schemaPath: "#/definitions/spot/properties/on_demand_fallback/type",
              keyword: "type",
              params: { type: "boolean" },
              message: "must be boolean"
            };
            if (vErrors === null) {
              vErrors = [err13];
            } else {
              vErrors.push(err13);
            }
            errors++;
          }
        }
      }
    }
    if (data.spot_price_limit !== void 0) {
      let data6 = data.spot_price_limit;
      if (!(typeof data6 == "number" && isFinite(data6)) && typeof data6 !== "string") {
        const err14 = {
          instancePath: instancePath + "/spot_price_limit",
          schemaPath: "#/properties/spot_price_limit/type",
          keyword: "type",
          params: { type: schema12.properties.spot_price_limit.type },
          message: "must be number,string"
        };
        if (vErrors === null) {
          vErrors = [err14];
        } else {
          vErrors.push(err14);
        }
        errors++;
      }
      if (typeof data6 == "number" && isFinite(data6)) {
        if (data6 <= 0 || isNaN(data6)) {
          const err15 = {
            instancePath: instancePath + "/spot_price_limit",
            schemaPath: "#/properties/spot_price_limit/exclusiveMinimum",
            keyword: "exclusiveMinimum",
            params: { comparison: ">", limit: 0 },
            message: "must be > 0"
          };
          if (vErrors === null) {
            vErrors = [err15];
          } else {
            vErrors.push(err15);
          }
          errors++;
        }
      }
      if (typeof data6 === "string") {
        if (!pattern1.test(data6)) {
          const err16 = {
            instancePath: instancePath + "/spot_price_limit",
            schemaPath: "#/properties/spot_price_limit/pattern",
            keyword: "pattern",
            params: { pattern: "^[0-9]+(\\.[0-9]+)?$" },
            message: 'must match pattern "^[0-9]+(\\.[0-9]+)?$"'
          };
          if (vErrors === null) {
            vErrors = [err16];
          } else {
            vErrors.push(err16);
          }
          errors++;
        }
      }
    }
    if (data.instance_storage_gb !== void 0) {
      let data7 = data.instance_storage_gb;
      if (!(typeof data7 == "number" && !(data7 % 1) && !isNaN(data7) && isFinite(data7))) {
        const err17 = {
          instancePath: instancePath + "/instance_storage_gb",
          schemaPath: "#/properties/instance_storage_gb/type",
          keyword: "type",
          params: { type: "integer" },
          message: "must be integer"
        };
        if (vErrors === null) {
          vErrors = [err17];
        } else {
          vErrors.push(err17);
        }
        errors++;
      }
      if (typeof data7 == "number" && isFinite(data7)) {
        if (data7 > 16384 || isNaN(data7)) {
          const err18 = {
            instancePath: instancePath + "/instance_storage_gb",
            schemaPath: "#/properties/instance_storage_gb/maximum",
            keyword: "maximum",
            params: { comparison: "<=", limit: 16384 },
            message: "must be <= 16384"
          };
          if (vErrors === null) {
            vErrors = [err18];
          } else {
            vErrors.push(err18);
          }
          errors++;
        }
        if (data7 < 8 || isNaN(data7)) {
          const err19 = {
            instancePath: instancePath + "/instance_storage_gb",
            schemaPath: "#/properties/instance_storage_gb/minimum",
            keyword: "minimum",
            params: { comparison: ">=", limit: 8 },
            message: "must be >= 8"
          };
          if (vErrors === null) {
            vErrors = [err19];
          } else {
            vErrors.push(err19);
          }
          errors++;
        }
      }
    }
    if (data.associate_public_ip !== void 0) {
      if (typeof data.associate_public_ip !== "boolean") {
        const err20 = {
          instancePath: instancePath + "/associate_public_ip",
          schemaPath: "#/properties/associate_public_ip/type",
          keyword: "type",
          params: { type: "boolean" },
          message: "must be boolean"
        };
        if (vErrors === null) {
          vErrors = [err20];
        } else {
          vErrors.push(err20);
        }
        errors++;
      }
    }
    if (data.ttl !== void 0) {
      let data9 = data.ttl;
      if (typeof data9 !== "string" && !(typeof data9 == "number" && !(data9 % 1) && !isNaN(data9) && isFinite(data9))) {
        const err21 = {
          instancePath: instancePath + "/ttl",
          schemaPath: "#/properties/ttl/type",
          keyword: "type",
          params: { type: schema12.properties.ttl.type },
          message: "must be string,integer"
        };
        if (vErrors === null) {
          vErrors = [err21];
        } else {
          vErrors.push(err21);
        }
        errors++;
      }
      if (typeof data9 === "string") {
        if (!pattern3.test(data9)) {
          const err22 = {
            instancePath: instancePath + "/ttl",
            schemaPath: "#/properties/ttl/pattern",
            keyword: "pattern",
            params: { pattern: "^(off|[0-9]+[smhd]?)$" },
            message: 'must match pattern "^(off|[0-9]+[smhd]?)$"'
          };
          if (vErrors === null) {
            vErrors = [err22];
          } else {
            vErrors.push(err22);
          }
          errors++;
        }
      }
    }
    if (data.tags !== void 0) {
      let data10 = data.tags;
      if (!(data10 && typeof data10 == "object" && !Array.isArray(data10)) && data10 !== null) {
        const err23 = {
          instancePath: instancePath + "/tags",
          schemaPath: "#/properties/tags/type",
          keyword: "type",
          params: { type: schema12.properties.tags.type },
          message: "must be object,null"
        };
        if (vErrors === null) {
          vErrors = [err23];
        } else {
          vErrors.push(err23);
        }
        errors++;
      }
      if (data10 && typeof data10 == "object" && !Array.isArray(data10)) {
        for (const key2 in data10) {
          const _errs25 = errors;
          if (typeof key2 === "string") {
            if (!pattern4.test(key2)) {
              const err24 = {
                instancePath: instancePath + "/tags",
                schemaPath: "#/properties/tags/propertyNames/pattern",
                keyword: "pattern",
                params: { pattern: "^(?!aws:)(?!spot-deployer:)[^\\u0000-\\u001f]{1,128}$" },
                message: 'must match pattern "^(?!aws:)(?!spot-deployer:)[^\\u0000-\\u001f]{1,128}$"',
                propertyName: key2
              };
              if (vErrors === null) {
                vErrors = [err24];
              } else {
                vErrors.push(err24);
              }
              errors++;
            }
          }
          var valid3 = _errs25 === errors;
          if (!valid3) {
            const err25 = {
              instancePath: instancePath + "/tags",
              schemaPath: "#/properties/tags/propertyNames",
              keyword: "propertyNames",
              params: { propertyName: key2 },
              message: "property name must be valid"
            };
            if (vErrors === null) {
              vErrors = [err25];
            } else {
              vErrors.push(err25);
            }
            errors++;
          }
        }
        for (const key3 in data10) {
          let data11 = data10[key3];
          if (typeof data11 !== "string" && !(typeof data11 == "number" && isFinite(data11)) && typeof data11 !== "boolean") {
            const err26 = {
              instancePath: instancePath + "/tags/" + key3.replace(/~/g, "~0").replace(/\//g, "~1"),
              schemaPath: "#/properties/tags/additionalProperties/type",
              keyword: "type",
              params: { type: schema12.properties.tags.additionalProperties.type },
              message: "must be string,number,boolean"
            };
            if (vErrors === null) {
              vErrors = [err26];
            } else {
              vErrors.push(err26);
            }
            errors++;
          }
        }
      }
    }
  }
  validate11.errors = vErrors;
  return errors === 0;
}
var pattern5 = new RegExp("^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]{1,2}$", "u");
var schema32 = {
  title: "RegionSettings",
  description: "Settings of one region. May be left empty for the defaults.",
  type: ["object", "null"],
  additionalProperties: false,
  properties: {
    machine_type: {
      description: "The original tool's instance type. Same as `instance_types: [this]`.",
      $ref: "#/definitions/instanceType"
    },
    instance_types: {
      description: "Instance types to try, in order (native): when one has no spot capacity the next is tried. Default: [t3.medium].",
      type: ["array", "null"],
      minItems: 1,
      items: { $ref: "#/definitions/instanceType" }
    },
    image: {
      description: "`auto` (the current image of `aws.os`, looked up at launch) or an AMI id of this region. `latest`, which the original tool's validator allowed too, means `auto`.",
      type: "string",
      pattern: "^(auto|latest|ami-([0-9a-f]{8}|[0-9a-f]{17}))$",
      "x-error": "must be auto or an AMI id such as ami-0123456789abcdef0",
      default: "auto"
    },
    subnets: {
      description: "Subnets to launch into, tried in order with each instance type (native). Default: the default subnet of any zone.",
      type: ["array", "null"],
      uniqueItems: true,
      items: {
        type: "string",
        pattern: "^subnet-([0-9a-f]{8}|[0-9a-f]{17})$",
        "x-error": "must be a subnet id such as subnet-0123456789abcdef0"
      }
    },
    count: {
      description: "Instances in this region (native). Regions without one share what is left of `total_instances`.",
      type: "integer",
      minimum: 1,
      maximum: 1e3
    }
  }
};
var pattern6 = new RegExp("^[a-z][a-z0-9-]*\\.[a-z0-9-]+$", "u");
var pattern8 = new RegExp("^(auto|latest|ami-([0-9a-f]{8}|[0-9a-f]{17}))$", "u");
var pattern9 = new RegExp("^subnet-([0-9a-f]{8}|[0-9a-f]{17})$", "u");
function validate14(data, { instancePath = "", parentData, parentDataProperty, rootData = data } = {}) {
  let vErrors = null;
  let errors = 0;
  if (!(data && typeof data == "object" && !Array.isArray(data)) && data !== null) {
    const err0 = {
      instancePath,
      schemaPath: "#/type",
      keyword: "type",
      params: { type: schema32.type },
      message: "must be object,null"
    };
    if (vErrors === null) {
      vErrors = [err0];
    } else {
      vErrors.push(err0);
    }
    errors++;
  }
  if (data && typeof data == "object" && !Array.isArray(data)) {
    for (const key0 in data) {
      if (!(key0 === "machine_type" || key0 === "instance_types" || key0 === "image" || key0 === "subnets" || key0 === "count")) {
        const err1 = {
          instancePath,
          schemaPath: "#/additionalProperties",
          keyword: "additionalProperties",
          params: { additionalProperty: key0 },
          message: "must NOT have additional properties"
        };
        if (vErrors === null) {
          vErrors = [err1];
        } else {
          vErrors.push(err1);
        }
        errors++;
      }
    }
    if (data.machine_type !== void 0) {
      let data0 = data.machine_type;
      if (typeof data0 === "string") {
        if (!pattern6.test(data0)) {
          const err2 = {
            instancePath: instancePath + "/machine_type",
            schemaPath: "#/definitions/instanceType/pattern",
            keyword: "pattern",
            params: { pattern: "^[a-z][a-z0-9-]*\\.[a-z0-9-]+$" },
            message: 'must match pattern "^[a-z][a-z0-9-]*\\.[a-z0-9-]+$"'
          };
          if (vErrors === null) {
            vErrors = [err2];
          } else {
            vErrors.push(err2);
          }
          errors++;
        }
      } else {
        const err3 = {
          instancePath: instancePath + "/machine_type",
          schemaPath: "#/definitions/instanceType/type",
          keyword: "type",
          params: { type: "string" },
          message: "must be string"
        };
        if (vErrors === null) {
          vErrors = [err3];
        } else {
          vErrors.push(err3);
        }
        errors++;
      }
    }
    if (data.instance_types !== void 0) {
      let data1 = data.instance_types;
      if (!Array.isArray(data1) && data1 !== null) {
        const err4 = {
          instancePath: instancePath + "/instance_types",
          schemaPath: "#/properties/instance_types/type",
          keyword: "type",
          params: { type: schema32.properties.instance_types.type },
          message: "must be array,null"
        };
        if (vErrors === null) {
          vErrors = [err4];
        } else {
          vErrors.push(err4);
        }
        errors++;
      }
      if (Array.isArray(data1)) {
        if (data1.length < 1) {
          const err5 = {
            instancePath: instancePath + "/instance_types",
            schemaPath: "#/properties/instance_types/minItems",
            keyword: "minItems",
            params: { limit: 1 },
            message: "must NOT have fewer than 1 items"
          };
          if (vErrors === null) {
            vErrors = [err5];
          } else {
            vErrors.push(err5);
          }
          errors++;
        }
        const len0 = data1.length;
        for (let i0 = 0; i0 < len0; i0++) {
          let data2 = data1[i0];
          if (typeof data2 === "string") {
            if (!pattern6.test(data2)) {
              const err6 = {
                instancePath: instancePath + "/instance_types/" + i0,
                schemaPath: "#/definitions/instanceType/pattern",
                keyword: "pattern",
                params: { pattern: "^[a-z][a-z0-9-]*\\.[a-z0-9-]+$" },
                message: 'must match pattern "^[a-z][a-z0-9-]*\\.[a-z0-9-]+$"'
              };
              if (vErrors === null) {
                vErrors = [err6];
              } else {
                vErrors.push(err6);
              }
              errors++;
            }
          } else {
            const err7 = {
              instancePath: instancePath + "/instance_types/" + i0,
              schemaPath: "#/definitions/instanceType/type",
              keyword: "type",
              params: { type: "string" },
              message: "must be string"
            };
            if (vErrors === null) {
              vErrors = [err7];
            } else {
              vErrors.push(err7);
            }
            errors++;
          }
        }
      }
    }
    if (data.image !== void 0) {
      let data3 = data.image;
      if (typeof data3 === "string") {
        if (!pattern8.test(data3)) {
          const err8 = {
            instancePath: instancePath + "/image",
            schemaPath: "#/properties/image/pattern",
            keyword: "pattern",
            params: { pattern: "^(auto|latest|ami-([0-9a-f]{8}|[0-9a-f]{17}))$" },
            message: 'must match pattern "^(auto|latest|ami-([0-9a-f]{8}|[0-9a-f]{17}))$"'
          };
          if (vErrors === null) {
            vErrors = [err8];
          } else {
            vErrors.push(err8);
          }
          errors++;
        }
      } else {
        const err9 = {
          instancePath: instancePath + "/image",
          schemaPath: "#/properties/image/type",
          keyword: "type",
          params: { type: "string" },
          message: "must be string"
        };
        if (vErrors === null) {
          vErrors = [err9];
        } else {
          vErrors.push(err9);
        }
        errors++;
      }
    }
    if (data.subnets !== void 0) {
      let data4 = data.subnets;
      if (!Array.isArray(data4) && data4 !== null) {
        const err10 = {
          instancePath: instancePath + "/subnets",
          schemaPath: "#/properties/subnets/type",
          keyword: "type",
          params: { type: schema32.properties.subnets.type },
          message: "must be array,null"
        };
        if (vErrors === null) {
          vErrors = [err10];
        } else {
          vErrors.push(err10);
        }
        errors++;
      }
      if (Array.isArray(data4)) {
        const len1 = data4.length;
        for (let i1 = 0; i1 < len1; i1++) {
          let data5 = data4[i1];
          if (typeof data5 === "string") {
            if (!pattern9.test(data5)) {
              const err11 = {
                instancePath: instancePath + "/subnets/" + i1,
                schemaPath: "#/properties/subnets/items/pattern",
                keyword: "pattern",
                params: { pattern: "^subnet-([0-9a-f]{8}|[0-9a-f]{17})$" },
                message: 'must match pattern "^subnet-([0-9a-f]{8}|[0-9a-f]{17})$"'
              };
              if (vErrors === null) {
                vErrors = [err11];
              } else {
                vErrors.push(err11);
              }
              errors++;
            }
          } else {
            const err12 = {
              instancePath: instancePath + "/subnets/" + i1,
              schemaPath: "#/properties/subnets/items/type",
              keyword: "type",
              params: { type: "string" },
              message: "must be string"
            };
            if (vErrors === null) {
              vErrors = [err12];
            } else {
              vErrors.push(err12);
            }
            errors++;
          }
        }
        let i2 = data4.length;
        let j0;
        if (i2 > 1) {
          const indices0 = {};
          for (; i2--; ) {
            let item0 = data4[i2];
            if (typeof item0 !== "string") {
              continue;
            }
            if (typeof indices0[item0] == "number") {
              j0 = indices0[item0];
              const err13 = {
                instancePath: instancePath + "/subnets",
                schemaPath: "#/properties/subnets/uniqueItems",
                keyword: "uniqueItems",
                params: { i: i2, j: j0 },
                message: "must NOT have duplicate items (items ## " + j0 + " and " + i2 + " are identical)"
              };
              if (vErrors === null) {
                vErrors = [err13];
              } else {
                vErrors.push(err13);
              }
              errors++;
              break;
            }
            indices0[item0] = i2;
          }
        }
      }
    }
    if (data.count !== void 0) {
      let data6 = data.count;
      if (!(typeof data6 == "number" && !(data6 % 1) && !isNaN(data6) && isFinite(data6))) {
        const err14 = {
          instancePath: instancePath + "/count",
          schemaPath: "#/properties/count/type",
          keyword: "type",
          params: { type: "integer" },
          message: "must be integer"
        };
        if (vErrors === null) {
          vErrors = [err14];
        } else {
          vErrors.push(err14);
        }
        errors++;
      }
      if (typeof data6 == "number" && isFinite(data6)) {
        if (data6 > 1e3 || isNaN(data6)) {
          const err15 = {
            instancePath: instancePath + "/count",
            schemaPath: "#/properties/count/maximum",
            keyword: "maximum",
            params: { comparison: "<=", limit: 1e3 },
            message: "must be <= 1000"
          };
          if (vErrors === null) {
            vErrors = [err15];
          } else {
            vErrors.push(err15);
          }
          errors++;
        }
        if (data6 < 1 || isNaN(data6)) {
          const err16 = {
            instancePath: instancePath + "/count",
            schemaPath: "#/properties/count/minimum",
            keyword: "minimum",
            params: { comparison: ">=", limit: 1 },
            message: "must be >= 1"
          };
          if (vErrors === null) {
            vErrors = [err16];
          } else {
            vErrors.push(err16);
          }
          errors++;
        }
      }
    }
  }
  validate14.errors = vErrors;
  return errors === 0;
}
function validate13(data, { instancePath = "", parentData, parentDataProperty, rootData = data } = {}) {
  let vErrors = null;
  let errors = 0;
  if (data && typeof data == "object" && !Array.isArray(data)) {
    if (Object.keys(data).length > 1) {
      const err0 = {
        instancePath,
        schemaPath: "#/maxProperties",
        keyword: "maxProperties",
        params: { limit: 1 },
        message: "must NOT have more than 1 properties"
      };
      if (vErrors === null) {
        vErrors = [err0];
      } else {
        vErrors.push(err0);
      }
      errors++;
    }
    if (Object.keys(data).length < 1) {
      const err1 = {
        instancePath,
        schemaPath: "#/minProperties",
        keyword: "minProperties",
        params: { limit: 1 },
        message: "must NOT have fewer than 1 properties"
      };
      if (vErrors === null) {
        vErrors = [err1];
      } else {
        vErrors.push(err1);
      }
      errors++;
    }
    for (const key0 in data) {
      const _errs1 = errors;
      if (typeof key0 === "string") {
        if (!pattern5.test(key0)) {
          const err2 = {
            instancePath,
            schemaPath: "#/definitions/regionName/pattern",
            keyword: "pattern",
            params: { pattern: "^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]{1,2}$" },
            message: 'must match pattern "^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]{1,2}$"',
            propertyName: key0
          };
          if (vErrors === null) {
            vErrors = [err2];
          } else {
            vErrors.push(err2);
          }
          errors++;
        }
      } else {
        const err3 = {
          instancePath,
          schemaPath: "#/definitions/regionName/type",
          keyword: "type",
          params: { type: "string" },
          message: "must be string",
          propertyName: key0
        };
        if (vErrors === null) {
          vErrors = [err3];
        } else {
          vErrors.push(err3);
        }
        errors++;
      }
      var valid0 = _errs1 === errors;
      if (!valid0) {
        const err4 = {
          instancePath,
          schemaPath: "#/propertyNames",
          keyword: "propertyNames",
          params: { propertyName: key0 },
          message: "property name must be valid"
        };
        if (vErrors === null) {
          vErrors = [err4];
        } else {
          vErrors.push(err4);
        }
        errors++;
      }
    }
    for (const key1 in data) {
      if (!validate14(data[key1], {
        instancePath: instancePath + "/" + key1.replace(/~/g, "~0").replace(/\//g, "~1"),
        parentData: data,
        parentDataProperty: key1,
        rootData
      })) {
        vErrors = vErrors === null ? validate14.errors : vErrors.concat(validate14.errors);
        errors = vErrors.length;
      }
    }
  } else {
    const err5 = {
      instancePath,
      schemaPath: "#/type",
      keyword: "type",
      params: { type: "object" },
      message: "must be object"
    };
    if (vErrors === null) {
      vErrors = [err5];
    } else {
      vErrors.push(err5);
    }
    errors++;
  }
  validate13.errors = vErrors;
  return errors === 0;
}
function validate10(data, { instancePath = "", parentData, parentDataProperty, rootData = data } = {}) {
  let vErrors = null;
  let errors = 0;
  if (data && typeof data == "object" && !Array.isArray(data)) {
    if (data.regions === void 0) {
      const err0 = {
        instancePath,
        schemaPath: "#/required",
        keyword: "required",
        params: { missingProperty: "regions" },
        message: "must have required property 'regions'"
      };
      if (vErrors === null) {
        vErrors = [err0];
      } else {
        vErrors.push(err0);
      }
      errors++;
    }
    for (const key0 in data) {
      if (!(key0 === "aws" || key0 === "regions")) {
        const err1 = {
          instancePath,
          schemaPath: "#/additionalProperties",
          keyword: "additionalProperties",
          params: { additionalProperty: key0 },
          message: "must NOT have additional properties"
        };
        if (vErrors === null) {
          vErrors = [err1];
        } else {
          vErrors.push(err1);
        }
        errors++;
      }
    }
    if (data.aws !== void 0) {
      if (!validate11(data.aws, {
        instancePath: instancePath + "/aws",
        parentData: data,
        parentDataProperty: "aws",
        rootData
      })) {
        vErrors = vErrors === null ? validate11.errors : vErrors.concat(validate11.errors);
        errors = vErrors.length;
      }
    }
    if (data.regions !== void 0) {
      let data1 = data.regions;
      const _errs4 = errors;
      let valid1 = false;
      const _errs5 = errors;
      if (Array.isArray(data1)) {
        if (data1.length < 1) {
          const err2 = {
            instancePath: instancePath + "/regions",
            schemaPath: "#/properties/regions/anyOf/0/minItems",
            keyword: "minItems",
            params: { limit: 1 },
            message: "must NOT have fewer than 1 items"
          };
          if (vErrors === null) {
            vErrors = [err2];
          } else {
            vErrors.push(err2);
          }
          errors++;
        }
        const len0 = data1.length;
        for (let i0 = 0; i0 < len0; i0++) {
          if (!validate13(data1[i0], {
            instancePath: instancePath + "/regions/" + i0,
            parentData: data1,
            parentDataProperty: i0,
            rootData
          })) {
            vErrors = vErrors === null ? validate13.errors : vErrors.concat(validate13.errors);
            errors = vErrors.length;
          }
        }
      } else {
        const err3 = {
          instancePath: instancePath + "/regions",
          schemaPath: "#/properties/regions/anyOf/0/type",
          keyword: "type",
          params: { type: "array" },
          message: "must be array"
        };
        if (vErrors === null) {
          vErrors = [err3];
        } else {
          vErrors.push(err3);
        }
        errors++;
      }
      var _valid0 = _errs5 === errors;
      valid1 = valid1 || _valid0;
      if (!valid1) {
        const _errs8 = errors;
        if (data1 && typeof data1 == "object" && !Array.isArray(data1)) {
          if (Object.keys(data1).length < 1) {
            const err4 = {
              instancePath: instancePath + "/regions",
              schemaPath: "#/properties/regions/anyOf/1/minProperties",
              keyword: "minProperties",
              params: { limit: 1 },
              message: "must NOT have fewer than 1 properties"
            };
            if (vErrors === null) {
              vErrors = [err4];
            } else {
              vErrors.push(err4);
            }
            errors++;
          }
          for (const key1 in data1) {
            const _errs10 = errors;
            if (typeof key1 === "string") {
              if (!pattern5.test(key1)) {
                const err5 = {
                  instancePath: instancePath + "/regions",
                  schemaPath: "#/definitions/regionName/pattern",
                  keyword: "pattern",
                  params: { pattern: "^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]{1,2}$" },
                  message: 'must match pattern "^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]{1,2}$"',
                  propertyName: key1
                };
                if (vErrors === null) {
                  vErrors = [err5];
                } else {
                  vErrors.push(err5);
                }
                errors++;
              }
            } else {
              const err6 = {
                instancePath: instancePath + "/regions",
                schemaPath: "#/definitions/regionName/type",
                keyword: "type",
                params: { type: "string" },
                message: "must be string",
                propertyName: key1
              };
              if (vErrors === null) {
                vErrors = [err6];
              } else {
                vErrors.push(err6);
              }
              errors++;
            }
            var valid4 = _errs10 === errors;
            if (!valid4) {
              const err7 = {
                instancePath: instancePath + "/regions",
                schemaPath: "#/properties/regions/anyOf/1/propertyNames",
                keyword: "propertyNames",
                params: { propertyName: key1 },
                message: "property name must be valid"
              };
              if (vErrors === null) {
                vErrors = [err7];
              } else {
                vErrors.push(err7);
              }
              errors++;
            }
          }
          for (const key2 in data1) {
            if (!validate14(data1[key2], {
              instancePath: instancePath + "/regions/" + key2.replace(/~/g, "~0").replace(/\//g, "~1"),
              parentData: data1,
              parentDataProperty: key2,
              rootData
            })) {
              vErrors = vErrors === null ? validate14.errors : vErrors.concat(validate14.errors);
              errors = vErrors.length;
            }
          }
        } else {
          const err8 = {
            instancePath: instancePath + "/regions",
            schemaPath: "#/properties/regions/anyOf/1/type",
            keyword: "type",
            params: { type: "object" },
            message: "must be object"
          };
          if (vErrors === null) {
            vErrors = [err8];
          } else {
            vErrors.push(err8);
          }
          errors++;
        }
        var _valid0 = _errs8 === errors;
        valid1 = valid1 || _valid0;
      }
      if (!valid1) {
        const err9 = {
          instancePath: instancePath + "/regions",
          schemaPath: "#/properties/regions/anyOf",
          keyword: "anyOf",
          params: {},
          message: "must match a schema in anyOf"
        };
        if (vErrors === null) {
          vErrors = [err9];
        } else {
          vErrors.push(err9);
        }
        errors++;
      } else {
        errors = _errs4;
        if (vErrors !== null) {
          if (_errs4) {
            vErrors.length = _errs4;
          } else {
            vErrors = null;
          }
        }
      }
    }
  } else {
    const err10 = {
      instancePath,
      schemaPath: "#/type",
      keyword: "type",
      params: { type: "object" },
      message: "must be object"
    };
    if (vErrors === null) {
      vErrors = [err10];
    } else {
      vErrors.push(err10);
    }
    errors++;
  }
  validate10.errors = vErrors;
  return errors === 0;
}
var validateDeployment = validate18;
var schema37 = {
  title: "DeploymentSection",
  description: "What to put on each instance: packages, uploads, scripts, services, environment, or a tarball. Left out or empty: nothing (a warning says so).",
  type: ["object", "null"],
  additionalProperties: false,
  properties: {
    packages: {
      description: "Packages installed at boot by cloud-init (apt on Ubuntu, dnf on Amazon Linux).",
      type: ["array", "null"],
      uniqueItems: true,
      items: {
        type: "string",
        pattern: "^[a-z0-9][a-z0-9+.-]+$",
        "x-error": "is not a valid package name (lower-case letters, digits and + . -, at least 2 characters)"
      }
    },
    scripts: {
      description: "Shell scripts run as root over SSM after the files are in place, in `order` (ties in the order written).",
      type: ["array", "null"],
      items: { $ref: "#/definitions/script" }
    },
    uploads: {
      description: "Files and directories copied to the instances.",
      type: ["array", "null"],
      items: { $ref: "#/definitions/upload" }
    },
    services: {
      description: "systemd units installed to /etc/systemd/system/NAME.service, enabled and started after the scripts ran.",
      type: ["array", "null"],
      items: {
        anyOf: [
          {
            title: "ServiceFile",
            description: "The unit file alone, relative to .spot/ (a short form the original tool's templates read): the same as `file: PATH`.",
            type: "string"
          },
          { $ref: "#/definitions/service" }
        ]
      }
    },
    template: {
      description: "Base cloud-init configuration: `minimal` (default), `docker` (installs and starts Docker), or the path of a #cloud-config file of yours merged under the generated one.",
      type: "string",
      default: "minimal",
      examples: ["minimal", "docker"]
    },
    env: {
      description: "Environment variables (native) given to every script and written to /etc/spot-deployer/env for services (EnvironmentFile=). Not for secrets: use the action's `secrets` input.",
      type: ["object", "null"],
      propertyNames: {
        pattern: "^[A-Za-z_][A-Za-z0-9_]*$",
        "x-error": "is not a valid environment variable name (letters, digits and _, not starting with a digit)"
      },
      additionalProperties: { type: ["string", "number", "boolean"] }
    },
    tarball_url: {
      description: "Deploy an archive downloaded by the instances (http, https or s3 URL). Needs `tarball_sha256`.",
      type: "string",
      pattern: "^(https?|s3)://[^\\s]+$",
      "x-error": "must be an http://, https:// or s3:// URL"
    },
    tarball_sha256: {
      description: "SHA-256 of the archive at `tarball_url` (64 hex digits); the instances refuse an archive that does not match.",
      type: "string",
      pattern: "^[0-9a-fA-F]{64}$",
      "x-error": "must be a SHA-256 digest: 64 hexadecimal digits"
    },
    tarball_source: {
      description: "Deploy a local directory (relative to .spot/), packed into an archive at deploy time.",
      type: "string"
    },
    tarball_destination: {
      description: "Where the archive is unpacked on the instances.",
      type: "string",
      default: "/opt/deployment"
    },
    on_interruption: { $ref: "#/definitions/interruptionHook" }
  }
};
var schema38 = {
  title: "Script",
  description: "A script file (`path`) or a one-line shell `command`, not both.",
  type: "object",
  additionalProperties: false,
  properties: {
    name: {
      description: "Name in logs and in the plan. Default: the file name without extension.",
      type: "string",
      pattern: "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$",
      "x-error": "must be a short name of letters, digits and . _ - (at most 64)"
    },
    path: { description: "The script, relative to .spot/. Run with bash.", type: "string" },
    command: {
      description: "Instead of `path`: a shell command run with bash (the original tool's other shape of a script, such as `command: /opt/deployment/setup.sh`).",
      type: "string"
    },
    order: {
      description: "Scripts run in increasing order; equal orders in the order written.",
      type: "integer",
      default: 0
    },
    workdir: {
      description: "Working directory on the instance (native).",
      type: "string",
      default: "/opt/deployment"
    },
    working_dir: { description: "The original tool's spelling of `workdir`.", type: "string" },
    timeout: {
      description: "Time limit (native): seconds, or a duration such as 10m.",
      type: ["integer", "string"],
      pattern: "^[0-9]+[smh]?$",
      minimum: 1,
      "x-error": "must be a duration such as 90s, 10m or 1h, or a number of seconds",
      default: 600
    }
  }
};
var schema39 = {
  title: "Upload",
  type: "object",
  additionalProperties: false,
  required: ["source"],
  properties: {
    source: {
      description: "File or directory relative to .spot/ (may lead elsewhere in the repository with ../).",
      type: "string"
    },
    destination: {
      description: "Absolute path on the instance. For a directory source, the directory its contents go to; for a file source ending in /, the directory the file goes into. Default: /opt/deployment, as in the original tool.",
      type: "string",
      default: "/opt/deployment"
    },
    dest: { description: "The original tool's spelling of `destination`.", type: "string" },
    permissions: {
      description: `Octal file mode such as "644" or "0600" (quote it). Default: the file's own mode in the repository.`,
      type: ["string", "integer"],
      pattern: "^(0o)?[0-7]{3,4}$",
      "x-error": 'must be an octal file mode such as "0644"'
    },
    owner: {
      description: "Owner as user or user:group (native). Default root:root.",
      type: "string",
      pattern: "^[a-z_][a-z0-9_-]{0,31}(:[a-z_][a-z0-9_-]{0,31})?$",
      "x-error": "must be user or user:group (lower-case names such as www-data)"
    },
    exclude: {
      description: "Glob patterns, relative to a directory source, of files not to upload.",
      type: ["array", "null"],
      items: { type: "string" },
      examples: [["node_modules/**", "*.log"]]
    }
  }
};
var schema42 = {
  title: "InterruptionHook",
  description: "A script run as root on a spot instance when EC2 posts its interruption notice (two minutes before the reclaim), before the deployment's services are stopped.",
  type: "object",
  additionalProperties: false,
  required: ["path"],
  properties: {
    path: {
      description: "The script, relative to .spot/. Run with bash, with the deployment's environment and SPOT_INTERRUPTION_TIME (when EC2 acts) and SPOT_INTERRUPTION_ACTION.",
      type: "string"
    },
    timeout: {
      description: "Time limit: seconds, or a duration such as 90s; at most 100 s, so the services can still be stopped within the notice.",
      type: ["integer", "string"],
      pattern: "^[0-9]+[smh]?$",
      minimum: 1,
      "x-error": "must be a duration such as 30s or 1m, or a number of seconds",
      default: 60
    }
  }
};
var pattern11 = new RegExp("^[a-z0-9][a-z0-9+.-]+$", "u");
var pattern12 = new RegExp("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", "u");
var pattern13 = new RegExp("^[0-9]+[smh]?$", "u");
var pattern14 = new RegExp("^(0o)?[0-7]{3,4}$", "u");
var pattern15 = new RegExp("^[a-z_][a-z0-9_-]{0,31}(:[a-z_][a-z0-9_-]{0,31})?$", "u");
var pattern19 = new RegExp("^[A-Za-z_][A-Za-z0-9_]*$", "u");
var pattern20 = new RegExp("^(https?|s3)://[^\\s]+$", "u");
var pattern21 = new RegExp("^[0-9a-fA-F]{64}$", "u");
var schema41 = {
  title: "HealthCheck",
  description: "How to tell the service is healthy (native): an HTTP URL or a TCP port, checked on the instance after it started.",
  type: ["object", "null"],
  additionalProperties: false,
  properties: {
    http: {
      description: "URL fetched on the instance, e.g. http://127.0.0.1:8080/healthz.",
      type: "string",
      pattern: "^https?://[^\\s]+$",
      "x-error": "must be an http:// or https:// URL"
    },
    tcp: {
      description: "Port (or host:port) that must accept a connection on the instance.",
      type: ["integer", "string"],
      pattern: "^([A-Za-z0-9.-]+:)?[0-9]{1,5}$",
      minimum: 1,
      maximum: 65535,
      "x-error": "must be a port or host:port such as 127.0.0.1:5432"
    },
    expect_status: {
      description: "HTTP status that means healthy.",
      type: "integer",
      minimum: 100,
      maximum: 599,
      default: 200
    },
    retries: {
      description: "Attempts before the service is declared unhealthy.",
      type: "integer",
      minimum: 1,
      maximum: 1e3,
      default: 10
    },
    interval: {
      description: "Seconds between attempts.",
      type: "integer",
      minimum: 1,
      maximum: 3600,
      default: 3
    },
    timeout: {
      description: "Seconds one attempt may take.",
      type: "integer",
      minimum: 1,
      maximum: 600,
      default: 5
    }
  }
};
var pattern16 = new RegExp("^[A-Za-z0-9:_.-]+(@[A-Za-z0-9:_.-]+)?(\\.service)?$", "u");
var pattern17 = new RegExp("^https?://[^\\s]+$", "u");
var pattern18 = new RegExp("^([A-Za-z0-9.-]+:)?[0-9]{1,5}$", "u");
function validate20(data, { instancePath = "", parentData, parentDataProperty, rootData = data } = {}) {
  let vErrors = null;
  let errors = 0;
  if (data && typeof data == "object" && !Array.isArray(data)) {
    for (const key0 in data) {
      if (!(key0 === "name" || key0 === "file" || key0 === "path" || key0 === "enabled" || key0 === "start" || key0 === "health")) {
        const err0 = {
          instancePath,
          schemaPath: "#/additionalProperties",
          keyword: "additionalProperties",
          params: { additionalProperty: key0 },
          message: "must NOT have additional properties"
        };
        if (vErrors === null) {
          vErrors = [err0];
        } else {
          vErrors.push(err0);
        }
        errors++;
      }
    }
    if (data.name !== void 0) {
      let data0 = data.name;
      if (typeof data0 === "string") {
        if (!pattern16.test(data0)) {
          const err1 = {
            instancePath: instancePath + "/name",
            schemaPath: "#/properties/name/pattern",
            keyword: "pattern",
            params: { pattern: "^[A-Za-z0-9:_.-]+(@[A-Za-z0-9:_.-]+)?(\\.service)?$" },
            message: 'must match pattern "^[A-Za-z0-9:_.-]+(@[A-Za-z0-9:_.-]+)?(\\.service)?$"'
          };
          if (vErrors === null) {
            vErrors = [err1];
          } else {
            vErrors.push(err1);
          }
          errors++;
        }
      } else {
        const err2 = {
          instancePath: instancePath + "/name",
          schemaPath: "#/properties/name/type",
          keyword: "type",
          params: { type: "string" },
          message: "must be string"
        };
        if (vErrors === null) {
          vErrors = [err2];
        } else {
          vErrors.push(err2);
        }
        errors++;
      }
    }
    if (data.file !== void 0) {
      if (typeof data.file !== "string") {
        const err3 = {
          instancePath: instancePath + "/file",
          schemaPath: "#/properties/file/type",
          keyword: "type",
          params: { type: "string" },
          message: "must be string"
        };
        if (vErrors === null) {
          vErrors = [err3];
        } else {
          vErrors.push(err3);
        }
        errors++;
      }
    }
    if (data.path !== void 0) {
      if (typeof data.path !== "string") {
        const err4 = {
          instancePath: instancePath + "/path",
          schemaPath: "#/properties/path/type",
          keyword: "type",
          params: { type: "string" },
          message: "must be string"
        };
        if (vErrors === null) {
          vErrors = [err4];
        } else {
          vErrors.push(err4);
        }
        errors++;
      }
    }
    if (data.enabled !== void 0) {
      if (typeof data.enabled !== "boolean") {
        const err5 = {
          instancePath: instancePath + "/enabled",
          schemaPath: "#/properties/enabled/type",
          keyword: "type",
          params: { type: "boolean" },
          message: "must be boolean"
        };
        if (vErrors === null) {
          vErrors = [err5];
        } else {
          vErrors.push(err5);
        }
        errors++;
      }
    }
    if (data.start !== void 0) {
      if (typeof data.start !== "boolean") {
        const err6 = {
          instancePath: instancePath + "/start",
          schemaPath: "#/properties/start/type",
          keyword: "type",
          params: { type: "boolean" },
          message: "must be boolean"
        };
        if (vErrors === null) {
          vErrors = [err6];
        } else {
          vErrors.push(err6);
        }
        errors++;
      }
    }
    if (data.health !== void 0) {
      let data5 = data.health;
      if (!(data5 && typeof data5 == "object" && !Array.isArray(data5)) && data5 !== null) {
        const err7 = {
          instancePath: instancePath + "/health",
          schemaPath: "#/definitions/health/type",
          keyword: "type",
          params: { type: schema41.type },
          message: "must be object,null"
        };
        if (vErrors === null) {
          vErrors = [err7];
        } else {
          vErrors.push(err7);
        }
        errors++;
      }
      if (data5 && typeof data5 == "object" && !Array.isArray(data5)) {
        for (const key1 in data5) {
          if (!(key1 === "http" || key1 === "tcp" || key1 === "expect_status" || key1 === "retries" || key1 === "interval" || key1 === "timeout")) {
            const err8 = {
              instancePath: instancePath + "/health",
              schemaPath: "#/definitions/health/additionalProperties",
              keyword: "additionalProperties",
              params: { additionalProperty: key1 },
              message: "must NOT have additional properties"
            };
            if (vErrors === null) {
              vErrors = [err8];
            } else {
              vErrors.push(err8);
            }
            errors++;
          }
        }
        if (data5.http !== void 0) {
          let data6 = data5.http;
          if (typeof data6 === "string") {
            if (!pattern17.test(data6)) {
              const err9 = {
                instancePath: instancePath + "/health/http",
                schemaPath: "#/definitions/health/properties/http/pattern",
                keyword: "pattern",
                params: { pattern: "^https?://[^\\s]+$" },
                message: 'must match pattern "^https?://[^\\s]+$"'
              };
              if (vErrors === null) {
                vErrors = [err9];
              } else {
                vErrors.push(err9);
              }
              errors++;
            }
          } else {
            const err10 = {
              instancePath: instancePath + "/health/http",
              schemaPath: "#/definitions/health/properties/http/type",
              keyword: "type",
              params: { type: "string" },
              message: "must be string"
            };
            if (vErrors === null) {
              vErrors = [err10];
            } else {
              vErrors.push(err10);
            }
            errors++;
          }
        }
        if (data5.tcp !== void 0) {
          let data7 = data5.tcp;
          if (!(typeof data7 == "number" && !(data7 % 1) && !isNaN(data7) && isFinite(data7)) && typeof data7 !== "string") {
            const err11 = {
              instancePath: instancePath + "/health/tcp",
              schemaPath: "#/definitions/health/properties/tcp/type",
              keyword: "type",
              params: { type: schema41.properties.tcp.type },
              message: "must be integer,string"
            };
            if (vErrors === null) {
              vErrors = [err11];
            } else {
              vErrors.push(err11);
            }
            errors++;
          }
          if (typeof data7 == "number" && isFinite(data7)) {
            if (data7 > 65535 || isNaN(data7)) {
              const err12 = {
                instancePath: instancePath + "/health/tcp",
                schemaPath: "#/definitions/health/properties/tcp/maximum",
                keyword: "maximum",
                params: { comparison: "<=", limit: 65535 },
                message: "must be <= 65535"
              };
              if (vErrors === null) {
                vErrors = [err12];
              } else {
                vErrors.push(err12);
              }
              errors++;
            }
            if (data7 < 1 || isNaN(data7)) {
              const err13 = {
                instancePath: instancePath + "/health/tcp",
                schemaPath: "#/definitions/health/properties/tcp/minimum",
                keyword: "minimum",
                params: { comparison: ">=", limit: 1 },
                message: "must be >= 1"
              };
              if (vErrors === null) {
                vErrors = [err13];
              } else {
                vErrors.push(err13);
              }
              errors++;
            }
          }
          if (typeof data7 === "string") {
            if (!pattern18.test(data7)) {
              const err14 = {
                instancePath: instancePath + "/health/tcp",
                schemaPath: "#/definitions/health/properties/tcp/pattern",
                keyword: "pattern",
                params: { pattern: "^([A-Za-z0-9.-]+:)?[0-9]{1,5}$" },
                message: 'must match pattern "^([A-Za-z0-9.-]+:)?[0-9]{1,5}$"'
              };
              if (vErrors === null) {
                vErrors = [err14];
              } else {
                vErrors.push(err14);
              }
              errors++;
            }
          }
        }
        if (data5.expect_status !== void 0) {
          let data8 = data5.expect_status;
          if (!(typeof data8 == "number" && !(data8 % 1) && !isNaN(data8) && isFinite(data8))) {
            const err15 = {
              instancePath: instancePath + "/health/expect_status",
              schemaPath: "#/definitions/health/properties/expect_status/type",
              keyword: "type",
              params: { type: "integer" },
              message: "must be integer"
            };
            if (vErrors === null) {
              vErrors = [err15];
            } else {
              vErrors.push(err15);
            }
            errors++;
          }
          if (typeof data8 == "number" && isFinite(data8)) {
            if (data8 > 599 || isNaN(data8)) {
              const err16 = {
                instancePath: instancePath + "/health/expect_status",
                schemaPath: "#/definitions/health/properties/expect_status/maximum",
                keyword: "maximum",
                params: { comparison: "<=", limit: 599 },
                message: "must be <= 599"
              };
              if (vErrors === null) {
                vErrors = [err16];
              } else {
                vErrors.push(err16);
              }
              errors++;
            }
            if (data8 < 100 || isNaN(data8)) {
              const err17 = {
                instancePath: instancePath + "/health/expect_status",
                schemaPath: "#/definitions/health/properties/expect_status/minimum",
                keyword: "minimum",
                params: { comparison: ">=", limit: 100 },
                message: "must be >= 100"
              };
              if (vErrors === null) {
                vErrors = [err17];
              } else {
                vErrors.push(err17);
              }
              errors++;
            }
          }
        }
        if (data5.retries !== void 0) {
          let data9 = data5.retries;
          if (!(typeof data9 == "number" && !(data9 % 1) && !isNaN(data9) && isFinite(data9))) {
            const err18 = {
              instancePath: instancePath + "/health/retries",
              schemaPath: "#/definitions/health/properties/retries/type",
              keyword: "type",
              params: { type: "integer" },
              message: "must be integer"
            };
            if (vErrors === null) {
              vErrors = [err18];
            } else {
              vErrors.push(err18);
            }
            errors++;
          }
          if (typeof data9 == "number" && isFinite(data9)) {
            if (data9 > 1e3 || isNaN(data9)) {
              const err19 = {
                instancePath: instancePath + "/health/retries",
                schemaPath: "#/definitions/health/properties/retries/maximum",
                keyword: "maximum",
                params: { comparison: "<=", limit: 1e3 },
                message: "must be <= 1000"
              };
              if (vErrors === null) {
                vErrors = [err19];
              } else {
                vErrors.push(err19);
              }
              errors++;
            }
            if (data9 < 1 || isNaN(data9)) {
              const err20 = {
                instancePath: instancePath + "/health/retries",
                schemaPath: "#/definitions/health/properties/retries/minimum",
                keyword: "minimum",
                params: { comparison: ">=", limit: 1 },
                message: "must be >= 1"
              };
              if (vErrors === null) {
                vErrors = [err20];
              } else {
                vErrors.push(err20);
              }
              errors++;
            }
          }
        }
        if (data5.interval !== void 0) {
          let data10 = data5.interval;
          if (!(typeof data10 == "number" && !(data10 % 1) && !isNaN(data10) && isFinite(data10))) {
            const err21 = {
              instancePath: instancePath + "/health/interval",
              schemaPath: "#/definitions/health/properties/interval/type",
              keyword: "type",
              params: { type: "integer" },
              message: "must be integer"
            };
            if (vErrors === null) {
              vErrors = [err21];
            } else {
              vErrors.push(err21);
            }
            errors++;
          }
          if (typeof data10 == "number" && isFinite(data10)) {
            if (data10 > 3600 || isNaN(data10)) {
              const err22 = {
                instancePath: instancePath + "/health/interval",
                schemaPath: "#/definitions/health/properties/interval/maximum",
                keyword: "maximum",
                params: { comparison: "<=", limit: 3600 },
                message: "must be <= 3600"
              };
              if (vErrors === null) {
                vErrors = [err22];
              } else {
                vErrors.push(err22);
              }
              errors++;
            }
            if (data10 < 1 || isNaN(data10)) {
              const err23 = {
                instancePath: instancePath + "/health/interval",
                schemaPath: "#/definitions/health/properties/interval/minimum",
                keyword: "minimum",
                params: { comparison: ">=", limit: 1 },
                message: "must be >= 1"
              };
              if (vErrors === null) {
                vErrors = [err23];
              } else {
                vErrors.push(err23);
              }
              errors++;
            }
          }
        }
        if (data5.timeout !== void 0) {
          let data11 = data5.timeout;
          if (!(typeof data11 == "number" && !(data11 % 1) && !isNaN(data11) && isFinite(data11))) {
            const err24 = {
              instancePath: instancePath + "/health/timeout",
              schemaPath: "#/definitions/health/properties/timeout/type",
              keyword: "type",
              params: { type: "integer" },
              message: "must be integer"
            };
            if (vErrors === null) {
              vErrors = [err24];
            } else {
              vErrors.push(err24);
            }
            errors++;
          }
          if (typeof data11 == "number" && isFinite(data11)) {
            if (data11 > 600 || isNaN(data11)) {
              const err25 = {
                instancePath: instancePath + "/health/timeout",
                schemaPath: "#/definitions/health/properties/timeout/maximum",
                keyword: "maximum",
                params: { comparison: "<=", limit: 600 },
                message: "must be <= 600"
              };
              if (vErrors === null) {
                vErrors = [err25];
              } else {
                vErrors.push(err25);
              }
              errors++;
            }
            if (data11 < 1 || isNaN(data11)) {
              const err26 = {
                instancePath: instancePath + "/health/timeout",
                schemaPath: "#/definitions/health/properties/timeout/minimum",
                keyword: "minimum",
                params: { comparison: ">=", limit: 1 },
                message: "must be >= 1"
              };
              if (vErrors === null) {
                vErrors = [err26];
              } else {
                vErrors.push(err26);
              }
              errors++;
            }
          }
        }
      }
    }
  } else {
    const err27 = {
      instancePath,
      schemaPath: "#/type",
      keyword: "type",
      params: { type: "object" },
      message: "must be object"
    };
    if (vErrors === null) {
      vErrors = [err27];
    } else {
      vErrors.push(err27);
    }
    errors++;
  }
  validate20.errors = vErrors;
  return errors === 0;
}
function validate19(data, { instancePath = "", parentData, parentDataProperty, rootData = data } = {}) {
  let vErrors = null;
  let errors = 0;
  if (!(data && typeof data == "object" && !Array.isArray(data)) && data !== null) {
    const err0 = {
      instancePath,
      schemaPath: "#/type",
      keyword: "type",
      params: { type: schema37.type },
      message: "must be object,null"
    };
    if (vErrors === null) {
      vErrors = [err0];
    } else {
      vErrors.push(err0);
    }
    errors++;
  }
  if (data && typeof data == "object" && !Array.isArray(data)) {
    for (const key0 in data) {
      if (!func2.call(schema37.properties, key0)) {
        const err1 = {
          instancePath,
          schemaPath: "#/additionalProperties",
          keyword: "additionalProperties",
          params: { additionalProperty: key0 },
          message: "must NOT have additional properties"
        };
        if (vErrors === null) {
          vErrors = [err1];
        } else {
          vErrors.push(err1);
        }
        errors++;
      }
    }
    if (data.packages !== void 0) {
      let data0 = data.packages;
      if (!Array.isArray(data0) && data0 !== null) {
        const err2 = {
          instancePath: instancePath + "/packages",
          schemaPath: "#/properties/packages/type",
          keyword: "type",
          params: { type: schema37.properties.packages.type },
          message: "must be array,null"
        };
        if (vErrors === null) {
          vErrors = [err2];
        } else {
          vErrors.push(err2);
        }
        errors++;
      }
      if (Array.isArray(data0)) {
        const len0 = data0.length;
        for (let i0 = 0; i0 < len0; i0++) {
          let data1 = data0[i0];
          if (typeof data1 === "string") {
            if (!pattern11.test(data1)) {
              const err3 = {
                instancePath: instancePath + "/packages/" + i0,
                schemaPath: "#/properties/packages/items/pattern",
                keyword: "pattern",
                params: { pattern: "^[a-z0-9][a-z0-9+.-]+$" },
                message: 'must match pattern "^[a-z0-9][a-z0-9+.-]+$"'
              };
              if (vErrors === null) {
                vErrors = [err3];
              } else {
                vErrors.push(err3);
              }
              errors++;
            }
          } else {
            const err4 = {
              instancePath: instancePath + "/packages/" + i0,
              schemaPath: "#/properties/packages/items/type",
              keyword: "type",
              params: { type: "string" },
              message: "must be string"
            };
            if (vErrors === null) {
              vErrors = [err4];
            } else {
              vErrors.push(err4);
            }
            errors++;
          }
        }
        let i1 = data0.length;
        let j0;
        if (i1 > 1) {
          const indices0 = {};
          for (; i1--; ) {
            let item0 = data0[i1];
            if (typeof item0 !== "string") {
              continue;
            }
            if (typeof indices0[item0] == "number") {
              j0 = indices0[item0];
              const err5 = {
                instancePath: instancePath + "/packages",
                schemaPath: "#/properties/packages/uniqueItems",
                keyword: "uniqueItems",
                params: { i: i1, j: j0 },
                message: "must NOT have duplicate items (items ## " + j0 + " and " + i1 + " are identical)"
              };
              if (vErrors === null) {
                vErrors = [err5];
              } else {
                vErrors.push(err5);
              }
              errors++;
              break;
            }
            indices0[item0] = i1;
          }
        }
      }
    }
    if (data.scripts !== void 0) {
      let data2 = data.scripts;
      if (!Array.isArray(data2) && data2 !== null) {
        const err6 = {
          instancePath: instancePath + "/scripts",
          schemaPath: "#/properties/scripts/type",
          keyword: "type",
          params: { type: schema37.properties.scripts.type },
          message: "must be array,null"
        };
        if (vErrors === null) {
          vErrors = [err6];
        } else {
          vErrors.push(err6);
        }
        errors++;
      }
      if (Array.isArray(data2)) {
        const len1 = data2.length;
        for (let i2 = 0; i2 < len1; i2++) {
          let data3 = data2[i2];
          if (data3 && typeof data3 == "object" && !Array.isArray(data3)) {
            for (const key1 in data3) {
              if (!(key1 === "name" || key1 === "path" || key1 === "command" || key1 === "order" || key1 === "workdir" || key1 === "working_dir" || key1 === "timeout")) {
                const err7 = {
                  instancePath: instancePath + "/scripts/" + i2,
                  schemaPath: "#/definitions/script/additionalProperties",
                  keyword: "additionalProperties",
                  params: { additionalProperty: key1 },
                  message: "must NOT have additional properties"
                };
                if (vErrors === null) {
                  vErrors = [err7];
                } else {
                  vErrors.push(err7);
                }
                errors++;
              }
            }
            if (data3.name !== void 0) {
              let data4 = data3.name;
              if (typeof data4 === "string") {
                if (!pattern12.test(data4)) {
                  const err8 = {
                    instancePath: instancePath + "/scripts/" + i2 + "/name",
                    schemaPath: "#/definitions/script/properties/name/pattern",
                    keyword: "pattern",
                    params: { pattern: "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$" },
                    message: 'must match pattern "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"'
                  };
                  if (vErrors === null) {
                    vErrors = [err8];
                  } else {
                    vErrors.push(err8);
                  }
                  errors++;
                }
              } else {
                const err9 = {
                  instancePath: instancePath + "/scripts/" + i2 + "/name",
                  schemaPath: "#/definitions/script/properties/name/type",
                  keyword: "type",
                  params: { type: "string" },
                  message: "must be string"
                };
                if (vErrors === null) {
                  vErrors = [err9];
                } else {
                  vErrors.push(err9);
                }
                errors++;
              }
            }
            if (data3.path !== void 0) {
              if (typeof data3.path !== "string") {
                const err10 = {
                  instancePath: instancePath + "/scripts/" + i2 + "/path",
                  schemaPath: "#/definitions/script/properties/path/type",
                  keyword: "type",
                  params: { type: "string" },
                  message: "must be string"
                };
                if (vErrors === null) {
                  vErrors = [err10];
                } else {
                  vErrors.push(err10);
                }
                errors++;
              }
            }
            if (data3.command !== void 0) {
              if (typeof data3.command !== "string") {
                const err11 = {
                  instancePath: instancePath + "/scripts/" + i2 + "/command",
                  schemaPath: "#/definitions/script/properties/command/type",
                  keyword: "type",
                  params: { type: "string" },
                  message: "must be string"
                };
                if (vErrors === null) {
                  vErrors = [err11];
                } else {
                  vErrors.push(err11);
                }
                errors++;
              }
            }
            if (data3.order !== void 0) {
              let data7 = data3.order;
              if (!(typeof data7 == "number" && !(data7 % 1) && !isNaN(data7) && isFinite(data7))) {
                const err12 = {
                  instancePath: instancePath + "/scripts/" + i2 + "/order",
                  schemaPath: "#/definitions/script/properties/order/type",
                  keyword: "type",
                  params: { type: "integer" },
                  message: "must be integer"
                };
                if (vErrors === null) {
                  vErrors = [err12];
                } else {
                  vErrors.push(err12);
                }
                errors++;
              }
            }
            if (data3.workdir !== void 0) {
              if (typeof data3.workdir !== "string") {
                const err13 = {
                  instancePath: instancePath + "/scripts/" + i2 + "/workdir",
                  schemaPath: "#/definitions/script/properties/workdir/type",
                  keyword: "type",
                  params: { type: "string" },
                  message: "must be string"
                };
                if (vErrors === null) {
                  vErrors = [err13];
                } else {
                  vErrors.push(err13);
                }
                errors++;
              }
            }
            if (data3.working_dir !== void 0) {
              if (typeof data3.working_dir !== "string") {
                const err14 = {
                  instancePath: instancePath + "/scripts/" + i2 + "/working_dir",
                  schemaPath: "#/definitions/script/properties/working_dir/type",
                  keyword: "type",
                  params: { type: "string" },
                  message: "must be string"
                };
                if (vErrors === null) {
                  vErrors = [err14];
                } else {
                  vErrors.push(err14);
                }
                errors++;
              }
            }
            if (data3.timeout !== void 0) {
              let data10 = data3.timeout;
              if (!(typeof data10 == "number" && !(data10 % 1) && !isNaN(data10) && isFinite(data10)) && typeof data10 !== "string") {
                const err15 = {
                  instancePath: instancePath + "/scripts/" + i2 + "/timeout",
                  schemaPath: "#/definitions/script/properties/timeout/type",
                  keyword: "type",
                  params: { type: schema38.properties.timeout.type },
                  message: "must be integer,string"
                };
                if (vErrors === null) {
                  vErrors = [err15];
                } else {
                  vErrors.push(err15);
                }
                errors++;
              }
              if (typeof data10 == "number" && isFinite(data10)) {
                if (data10 < 1 || isNaN(data10)) {
                  const err16 = {
                    instancePath: instancePath + "/scripts/" + i2 + "/timeout",
                    schemaPath: "#/definitions/script/properties/timeout/minimum",
                    keyword: "minimum",
                    params: { comparison: ">=", limit: 1 },
                    message: "must be >= 1"
                  };
                  if (vErrors === null) {
                    vErrors = [err16];
                  } else {
                    vErrors.push(err16);
                  }
                  errors++;
                }
              }
              if (typeof data10 === "string") {
                if (!pattern13.test(data10)) {
                  const err17 = {
                    instancePath: instancePath + "/scripts/" + i2 + "/timeout",
                    schemaPath: "#/definitions/script/properties/timeout/pattern",
                    keyword: "pattern",
                    params: { pattern: "^[0-9]+[smh]?$" },
                    message: 'must match pattern "^[0-9]+[smh]?$"'
                  };
                  if (vErrors === null) {
                    vErrors = [err17];
                  } else {
                    vErrors.push(err17);
                  }
                  errors++;
                }
              }
            }
          } else {
            const err18 = {
              instancePath: instancePath + "/scripts/" + i2,
              schemaPath: "#/definitions/script/type",
              keyword: "type",
              params: { type: "object" },
              message: "must be object"
            };
            if (vErrors === null) {
              vErrors = [err18];
            } else {
              vErrors.push(err18);
            }
            errors++;
          }
        }
      }
    }
    if (data.uploads !== void 0) {
      let data11 = data.uploads;
      if (!Array.isArray(data11) && data11 !== null) {
        const err19 = {
          instancePath: instancePath + "/uploads",
          schemaPath: "#/properties/uploads/type",
          keyword: "type",
          params: { type: schema37.properties.uploads.type },
          message: "must be array,null"
        };
        if (vErrors === null) {
          vErrors = [err19];
        } else {
          vErrors.push(err19);
        }
        errors++;
      }
      if (Array.isArray(data11)) {
        const len2 = data11.length;
        for (let i3 = 0; i3 < len2; i3++) {
          let data12 = data11[i3];
          if (data12 && typeof data12 == "object" && !Array.isArray(data12)) {
            if (data12.source === void 0) {
              const err20 = {
                instancePath: instancePath + "/uploads/" + i3,
                schemaPath: "#/definitions/upload/required",
                keyword: "required",
                params: { missingProperty: "source" },
                message: "must have required property 'source'"
              };
              if (vErrors === null) {
                vErrors = [err20];
              } else {
                vErrors.push(err20);
              }
              errors++;
            }
            for (const key2 in data12) {
              if (!(key2 === "source" || key2 === "destination" || key2 === "dest" || key2 === "permissions" || key2 === "owner" || key2 === "exclude")) {
                const err21 = {
                  instancePath: instancePath + "/uploads/" + i3,
                  schemaPath: "#/definitions/upload/additionalProperties",
                  keyword: "additionalProperties",
                  params: { additionalProperty: key2 },
                  message: "must NOT have additional properties"
                };
                if (vErrors === null) {
                  vErrors = [err21];
                } else {
                  vErrors.push(err21);
                }
                errors++;
              }
            }
            if (data12.source !== void 0) {
              if (typeof data12.source !== "string") {
                const err22 = {
                  instancePath: instancePath + "/uploads/" + i3 + "/source",
                  schemaPath: "#/definitions/upload/properties/source/type",
                  keyword: "type",
                  params: { type: "string" },
                  message: "must be string"
                };
                if (vErrors === null) {
                  vErrors = [err22];
                } else {
                  vErrors.push(err22);
                }
                errors++;
              }
            }
            if (data12.destination !== void 0) {
              if (typeof data12.destination !== "string") {
                const err23 = {
                  instancePath: instancePath + "/uploads/" + i3 + "/destination",
                  schemaPath: "#/definitions/upload/properties/destination/type",
                  keyword: "type",
                  params: { type: "string" },
                  message: "must be string"
                };
                if (vErrors === null) {
                  vErrors = [err23];
                } else {
                  vErrors.push(err23);
                }
                errors++;
              }
            }
            if (data12.dest !== void 0) {
              if (typeof data12.dest !== "string") {
                const err24 = {
                  instancePath: instancePath + "/uploads/" + i3 + "/dest",
                  schemaPath: "#/definitions/upload/properties/dest/type",
                  keyword: "type",
                  params: { type: "string" },
                  message: "must be string"
                };
                if (vErrors === null) {
                  vErrors = [err24];
                } else {
                  vErrors.push(err24);
                }
                errors++;
              }
            }
            if (data12.permissions !== void 0) {
              let data16 = data12.permissions;
              if (typeof data16 !== "string" && !(typeof data16 == "number" && !(data16 % 1) && !isNaN(data16) && isFinite(data16))) {
                const err25 = {
                  instancePath: instancePath + "/uploads/" + i3 + "/permissions",
                  schemaPath: "#/definitions/upload/properties/permissions/type",
                  keyword: "type",
                  params: { type: schema39.properties.permissions.type },
                  message: "must be string,integer"
                };
                if (vErrors === null) {
                  vErrors = [err25];
                } else {
                  vErrors.push(err25);
                }
                errors++;
              }
              if (typeof data16 === "string") {
                if (!pattern14.test(data16)) {
                  const err26 = {
                    instancePath: instancePath + "/uploads/" + i3 + "/permissions",
                    schemaPath: "#/definitions/upload/properties/permissions/pattern",
                    keyword: "pattern",
                    params: { pattern: "^(0o)?[0-7]{3,4}$" },
                    message: 'must match pattern "^(0o)?[0-7]{3,4}$"'
                  };
                  if (vErrors === null) {
                    vErrors = [err26];
                  } else {
                    vErrors.push(err26);
                  }
                  errors++;
                }
              }
            }
            if (data12.owner !== void 0) {
              let data17 = data12.owner;
              if (typeof data17 === "string") {
                if (!pattern15.test(data17)) {
                  const err27 = {
                    instancePath: instancePath + "/uploads/" + i3 + "/owner",
                    schemaPath: "#/definitions/upload/properties/owner/pattern",
                    keyword: "pattern",
                    params: { pattern: "^[a-z_][a-z0-9_-]{0,31}(:[a-z_][a-z0-9_-]{0,31})?$" },
                    message: 'must match pattern "^[a-z_][a-z0-9_-]{0,31}(:[a-z_][a-z0-9_-]{0,31})?$"'
                  };
                  if (vErrors === null) {
                    vErrors = [err27];
                  } else {
                    vErrors.push(err27);
                  }
                  errors++;
                }
              } else {
                const err28 = {
                  instancePath: instancePath + "/uploads/" + i3 + "/owner",
                  schemaPath: "#/definitions/upload/properties/owner/type",
                  keyword: "type",
                  params: { type: "string" },
                  message: "must be string"
                };
                if (vErrors === null) {
                  vErrors = [err28];
                } else {
                  vErrors.push(err28);
                }
                errors++;
              }
            }
            if (data12.exclude !== void 0) {
              let data18 = data12.exclude;
              if (!Array.isArray(data18) && data18 !== null) {
                const err29 = {
                  instancePath: instancePath + "/uploads/" + i3 + "/exclude",
                  schemaPath: "#/definitions/upload/properties/exclude/type",
                  keyword: "type",
                  params: { type: schema39.properties.exclude.type },
                  message: "must be array,null"
                };
                if (vErrors === null) {
                  vErrors = [err29];
                } else {
                  vErrors.push(err29);
                }
                errors++;
              }
              if (Array.isArray(data18)) {
                const len3 = data18.length;
                for (let i4 = 0; i4 < len3; i4++) {
                  if (typeof data18[i4] !== "string") {
                    const err30 = {
                      instancePath: instancePath + "/uploads/" + i3 + "/exclude/" + i4,
                      schemaPath: "#/definitions/upload/properties/exclude/items/type",
                      keyword: "type",
                      params: { type: "string" },
                      message: "must be string"
                    };
                    if (vErrors === null) {
                      vErrors = [err30];
                    } else {
                      vErrors.push(err30);
                    }
                    errors++;
                  }
                }
              }
            }
          } else {
            const err31 = {
              instancePath: instancePath + "/uploads/" + i3,
              schemaPath: "#/definitions/upload/type",
              keyword: "type",
              params: { type: "object" },
              message: "must be object"
            };
            if (vErrors === null) {
              vErrors = [err31];
            } else {
              vErrors.push(err31);
            }
            errors++;
          }
        }
      }
    }
    if (data.services !== void 0) {
      let data20 = data.services;
      if (!Array.isArray(data20) && data20 !== null) {
        const err32 = {
          instancePath: instancePath + "/services",
          schemaPath: "#/properties/services/type",
          keyword: "type",
          params: { type: schema37.properties.services.type },
          message: "must be array,null"
        };
        if (vErrors === null) {
          vErrors = [err32];
        } else {
          vErrors.push(err32);
        }
        errors++;
      }
      if (Array.isArray(data20)) {
        const len4 = data20.length;
        for (let i5 = 0; i5 < len4; i5++) {
          let data21 = data20[i5];
          const _errs49 = errors;
          let valid16 = false;
          const _errs50 = errors;
          if (typeof data21 !== "string") {
            const err33 = {
              instancePath: instancePath + "/services/" + i5,
              schemaPath: "#/properties/services/items/anyOf/0/type",
              keyword: "type",
              params: { type: "string" },
              message: "must be string"
            };
            if (vErrors === null) {
              vErrors = [err33];
            } else {
              vErrors.push(err33);
            }
            errors++;
          }
          var _valid0 = _errs50 === errors;
          valid16 = valid16 || _valid0;
          if (!valid16) {
            const _errs52 = errors;
            if (!validate20(data21, {
              instancePath: instancePath + "/services/" + i5,
              parentData: data20,
              parentDataProperty: i5,
              rootData
            })) {
              vErrors = vErrors === null ? validate20.errors : vErrors.concat(validate20.errors);
              errors = vErrors.length;
            }
            var _valid0 = _errs52 === errors;
            valid16 = valid16 || _valid0;
          }
          if (!valid16) {
            const err34 = {
              instancePath: instancePath + "/services/" + i5,
              schemaPath: "#/properties/services/items/anyOf",
              keyword: "anyOf",
              params: {},
              message: "must match a schema in anyOf"
            };
            if (vErrors === null) {
              vErrors = [err34];
            } else {
              vErrors.push(err34);
            }
            errors++;
          } else {
            errors = _errs49;
            if (vErrors !== null) {
              if (_errs49) {
                vErrors.length = _errs49;
              } else {
                vErrors = null;
              }
            }
          }
        }
      }
    }
    if (data.template !== void 0) {
      if (typeof data.template !== "string") {
        const err35 = {
          instancePath: instancePath + "/template",
          schemaPath: "#/properties/template/type",
          keyword: "type",
          params: { type: "string" },
          message: "must be string"
        };
        if (vErrors === null) {
          vErrors = [err35];
        } else {
          vErrors.push(err35);
        }
        errors++;
      }
    }
    if (data.env !== void 0) {
      let data23 = data.env;
      if (!(data23 && typeof data23 == "object" && !Array.isArray(data23)) && data23 !== null) {
        const err36 = {
          instancePath: instancePath + "/env",
          schemaPath: "#/properties/env/type",
          keyword: "type",
          params: { type: schema37.properties.env.type },
          message: "must be object,null"
        };
        if (vErrors === null) {
          vErrors = [err36];
        } else {
          vErrors.push(err36);
        }
        errors++;
      }
      if (data23 && typeof data23 == "object" && !Array.isArray(data23)) {
        for (const key3 in data23) {
          const _errs57 = errors;
          if (typeof key3 === "string") {
            if (!pattern19.test(key3)) {
              const err37 = {
                instancePath: instancePath + "/env",
                schemaPath: "#/properties/env/propertyNames/pattern",
                keyword: "pattern",
                params: { pattern: "^[A-Za-z_][A-Za-z0-9_]*$" },
                message: 'must match pattern "^[A-Za-z_][A-Za-z0-9_]*$"',
                propertyName: key3
              };
              if (vErrors === null) {
                vErrors = [err37];
              } else {
                vErrors.push(err37);
              }
              errors++;
            }
          }
          var valid17 = _errs57 === errors;
          if (!valid17) {
            const err38 = {
              instancePath: instancePath + "/env",
              schemaPath: "#/properties/env/propertyNames",
              keyword: "propertyNames",
              params: { propertyName: key3 },
              message: "property name must be valid"
            };
            if (vErrors === null) {
              vErrors = [err38];
            } else {
              vErrors.push(err38);
            }
            errors++;
          }
        }
        for (const key4 in data23) {
          let data24 = data23[key4];
          if (typeof data24 !== "string" && !(typeof data24 == "number" && isFinite(data24)) && typeof data24 !== "boolean") {
            const err39 = {
              instancePath: instancePath + "/env/" + key4.replace(/~/g, "~0").replace(/\//g, "~1"),
              schemaPath: "#/properties/env/additionalProperties/type",
              keyword: "type",
              params: { type: schema37.properties.env.additionalProperties.type },
              message: "must be string,number,boolean"
            };
            if (vErrors === null) {
              vErrors = [err39];
            } else {
              vErrors.push(err39);
            }
            errors++;
          }
        }
      }
    }
    if (data.tarball_url !== void 0) {
      let data25 = data.tarball_url;
      if (typeof data25 === "string") {
        if (!pattern20.test(data25)) {
          const err40 = {
            instancePath: instancePath + "/tarball_url",
            schemaPath: "#/properties/tarball_url/pattern",
            keyword: "pattern",
            params: { pattern: "^(https?|s3)://[^\\s]+$" },
            message: 'must match pattern "^(https?|s3)://[^\\s]+$"'
          };
          if (vErrors === null) {
            vErrors = [err40];
          } else {
            vErrors.push(err40);
          }
          errors++;
        }
      } else {
        const err41 = {
          instancePath: instancePath + "/tarball_url",
          schemaPath: "#/properties/tarball_url/type",
          keyword: "type",
          params: { type: "string" },
          message: "must be string"
        };
        if (vErrors === null) {
          vErrors = [err41];
        } else {
          vErrors.push(err41);
        }
        errors++;
      }
    }
    if (data.tarball_sha256 !== void 0) {
      let data26 = data.tarball_sha256;
      if (typeof data26 === "string") {
        if (!pattern21.test(data26)) {
          const err42 = {
            instancePath: instancePath + "/tarball_sha256",
            schemaPath: "#/properties/tarball_sha256/pattern",
            keyword: "pattern",
            params: { pattern: "^[0-9a-fA-F]{64}$" },
            message: 'must match pattern "^[0-9a-fA-F]{64}$"'
          };
          if (vErrors === null) {
            vErrors = [err42];
          } else {
            vErrors.push(err42);
          }
          errors++;
        }
      } else {
        const err43 = {
          instancePath: instancePath + "/tarball_sha256",
          schemaPath: "#/properties/tarball_sha256/type",
          keyword: "type",
          params: { type: "string" },
          message: "must be string"
        };
        if (vErrors === null) {
          vErrors = [err43];
        } else {
          vErrors.push(err43);
        }
        errors++;
      }
    }
    if (data.tarball_source !== void 0) {
      if (typeof data.tarball_source !== "string") {
        const err44 = {
          instancePath: instancePath + "/tarball_source",
          schemaPath: "#/properties/tarball_source/type",
          keyword: "type",
          params: { type: "string" },
          message: "must be string"
        };
        if (vErrors === null) {
          vErrors = [err44];
        } else {
          vErrors.push(err44);
        }
        errors++;
      }
    }
    if (data.tarball_destination !== void 0) {
      if (typeof data.tarball_destination !== "string") {
        const err45 = {
          instancePath: instancePath + "/tarball_destination",
          schemaPath: "#/properties/tarball_destination/type",
          keyword: "type",
          params: { type: "string" },
          message: "must be string"
        };
        if (vErrors === null) {
          vErrors = [err45];
        } else {
          vErrors.push(err45);
        }
        errors++;
      }
    }
    if (data.on_interruption !== void 0) {
      let data29 = data.on_interruption;
      if (data29 && typeof data29 == "object" && !Array.isArray(data29)) {
        if (data29.path === void 0) {
          const err46 = {
            instancePath: instancePath + "/on_interruption",
            schemaPath: "#/definitions/interruptionHook/required",
            keyword: "required",
            params: { missingProperty: "path" },
            message: "must have required property 'path'"
          };
          if (vErrors === null) {
            vErrors = [err46];
          } else {
            vErrors.push(err46);
          }
          errors++;
        }
        for (const key5 in data29) {
          if (!(key5 === "path" || key5 === "timeout")) {
            const err47 = {
              instancePath: instancePath + "/on_interruption",
              schemaPath: "#/definitions/interruptionHook/additionalProperties",
              keyword: "additionalProperties",
              params: { additionalProperty: key5 },
              message: "must NOT have additional properties"
            };
            if (vErrors === null) {
              vErrors = [err47];
            } else {
              vErrors.push(err47);
            }
            errors++;
          }
        }
        if (data29.path !== void 0) {
          if (typeof data29.path !== "string") {
            const err48 = {
              instancePath: instancePath + "/on_interruption/path",
              schemaPath: "#/definitions/interruptionHook/properties/path/type",
              keyword: "type",
              params: { type: "string" },
              message: "must be string"
            };
            if (vErrors === null) {
              vErrors = [err48];
            } else {
              vErrors.push(err48);
            }
            errors++;
          }
        }
        if (data29.timeout !== void 0) {
          let data31 = data29.timeout;
          if (!(typeof data31 == "number" && !(data31 % 1) && !isNaN(data31) && isFinite(data31)) && typeof data31 !== "string") {
            const err49 = {
              instancePath: instancePath + "/on_interruption/timeout",
              schemaPath: "#/definitions/interruptionHook/properties/timeout/type",
              keyword: "type",
              params: { type: schema42.properties.timeout.type },
              message: "must be integer,string"
            };
            if (vErrors === null) {
              vErrors = [err49];
            } else {
              vErrors.push(err49);
            }
            errors++;
          }
          if (typeof data31 == "number" && isFinite(data31)) {
            if (data31 < 1 || isNaN(data31)) {
              const err50 = {
                instancePath: instancePath + "/on_interruption/timeout",
                schemaPath: "#/definitions/interruptionHook/properties/timeout/minimum",
                keyword: "minimum",
                params: { comparison: ">=", limit: 1 },
                message: "must be >= 1"
              };
              if (vErrors === null) {
                vErrors = [err50];
              } else {
                vErrors.push(err50);
              }
              errors++;
            }
          }
          if (typeof data31 === "string") {
            if (!pattern13.test(data31)) {
              const err51 = {
                instancePath: instancePath + "/on_interruption/timeout",
                schemaPath: "#/definitions/interruptionHook/properties/timeout/pattern",
                keyword: "pattern",
                params: { pattern: "^[0-9]+[smh]?$" },
                message: 'must match pattern "^[0-9]+[smh]?$"'
              };
              if (vErrors === null) {
                vErrors = [err51];
              } else {
                vErrors.push(err51);
              }
              errors++;
            }
          }
        }
      } else {
        const err52 = {
          instancePath: instancePath + "/on_interruption",
          schemaPath: "#/definitions/interruptionHook/type",
          keyword: "type",
          params: { type: "object" },
          message: "must be object"
        };
        if (vErrors === null) {
          vErrors = [err52];
        } else {
          vErrors.push(err52);
        }
        errors++;
      }
    }
  }
  validate19.errors = vErrors;
  return errors === 0;
}
function validate18(data, { instancePath = "", parentData, parentDataProperty, rootData = data } = {}) {
  let vErrors = null;
  let errors = 0;
  if (data && typeof data == "object" && !Array.isArray(data)) {
    for (const key0 in data) {
      if (!(key0 === "version" || key0 === "deployment")) {
        const err0 = {
          instancePath,
          schemaPath: "#/additionalProperties",
          keyword: "additionalProperties",
          params: { additionalProperty: key0 },
          message: "must NOT have additional properties"
        };
        if (vErrors === null) {
          vErrors = [err0];
        } else {
          vErrors.push(err0);
        }
        errors++;
      }
    }
    if (data.version !== void 0) {
      if (1 !== data.version) {
        const err1 = {
          instancePath: instancePath + "/version",
          schemaPath: "#/properties/version/const",
          keyword: "const",
          params: { allowedValue: 1 },
          message: "must be equal to constant"
        };
        if (vErrors === null) {
          vErrors = [err1];
        } else {
          vErrors.push(err1);
        }
        errors++;
      }
    }
    if (data.deployment !== void 0) {
      if (!validate19(data.deployment, {
        instancePath: instancePath + "/deployment",
        parentData: data,
        parentDataProperty: "deployment",
        rootData
      })) {
        vErrors = vErrors === null ? validate19.errors : vErrors.concat(validate19.errors);
        errors = vErrors.length;
      }
    }
  } else {
    const err2 = {
      instancePath,
      schemaPath: "#/type",
      keyword: "type",
      params: { type: "object" },
      message: "must be object"
    };
    if (vErrors === null) {
      vErrors = [err2];
    } else {
      vErrors.push(err2);
    }
    errors++;
  }
  validate18.errors = vErrors;
  return errors === 0;
}

// src/validate/schema.ts
var SCHEMAS = {
  config: {
    schema: config_schema_default,
    validate: validateConfig
  },
  deployment: {
    schema: deployment_schema_default,
    validate: validateDeployment
  }
};
var isObject = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
function schemaAt(root, pointer) {
  let node = root;
  for (const raw of pointer.replace(/^#\/?/, "").split("/").filter(Boolean)) {
    const seg = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    node = isObject(node) ? node[seg] : void 0;
  }
  return isObject(node) ? node : void 0;
}
function deref(root, s) {
  let cur = s;
  for (let i = 0; i < 10 && cur && typeof cur.$ref === "string"; i++) {
    const target = schemaAt(root, cur.$ref);
    const { $ref: _ref, ...own } = cur;
    cur = target ? { ...target, ...own } : void 0;
  }
  return cur;
}
function typeOf(v) {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}
function branchFor(root, s, value) {
  if (!Array.isArray(s.anyOf)) return s;
  const t = typeOf(value);
  for (const b of s.anyOf) {
    const branch = deref(root, isObject(b) ? b : void 0);
    const types = branch ? [branch.type].flat() : [];
    if (branch && (types.includes(t) || t === "integer" && types.includes("number"))) {
      return {
        ...branch,
        ...typeof s.description === "string" ? { description: s.description } : {}
      };
    }
  }
  return s;
}
function schemaForPath(root, data, path) {
  let s = deref(root, root);
  let value = data;
  for (const seg of path) {
    if (!s) return void 0;
    s = branchFor(root, s, value);
    let next;
    if (Array.isArray(value)) {
      next = s.items;
      value = value[Number(seg)];
    } else {
      const props = isObject(s.properties) ? s.properties : {};
      next = props[String(seg)] ?? s.additionalProperties;
      value = isObject(value) ? value[String(seg)] : void 0;
    }
    s = deref(root, isObject(next) ? next : void 0);
  }
  return s ? branchFor(root, s, value) : void 0;
}
function toDataPath(pointer, data) {
  const out = [];
  let cur = data;
  for (const raw of pointer.split("/").slice(1)) {
    const seg = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(cur)) {
      out.push(Number(seg));
      cur = cur[Number(seg)];
    } else {
      out.push(seg);
      cur = isObject(cur) ? cur[seg] : void 0;
    }
  }
  return out;
}
function valueAt(data, path) {
  let cur = data;
  for (const seg of path) {
    if (Array.isArray(cur)) cur = cur[Number(seg)];
    else if (isObject(cur)) cur = cur[String(seg)];
    else return void 0;
  }
  return cur;
}
var TYPE_WORDS = {
  object: "a mapping (key: value lines)",
  array: "a list",
  string: "text",
  integer: "a whole number",
  number: "a number",
  boolean: "true or false",
  null: "empty"
};
function orList(words) {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} or ${words[words.length - 1]}`;
}
function describeValue(v) {
  if (v === null || v === void 0) return "nothing";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  if (typeof v === "string") return `'${v.length > 60 ? v.slice(0, 57) + "..." : v}'`;
  return String(v);
}
function typeMessage(types, value) {
  const written = types.length > 1 ? types.filter((t) => t !== "null") : types;
  const words = [...new Set(written.map((t) => TYPE_WORDS[t] ?? t))];
  return `must be ${orList(words)}, not ${describeValue(value)}`;
}
function pruneAnyOf(errors) {
  let out = errors;
  for (const any of errors.filter((e) => e.keyword === "anyOf" || e.keyword === "oneOf")) {
    const prefix = any.schemaPath + "/";
    const branchTypeErrors = out.filter(
      (e) => e.keyword === "type" && e.instancePath === any.instancePath && e.schemaPath.startsWith(prefix) && /^\d+\/type$/.test(e.schemaPath.slice(prefix.length))
    );
    const others = out.filter(
      (e) => e !== any && !branchTypeErrors.includes(e) && e.instancePath.startsWith(any.instancePath)
    );
    if (others.length > 0) {
      out = out.filter((e) => e !== any && !branchTypeErrors.includes(e));
    } else {
      const types = branchTypeErrors.flatMap((e) => String(e.params.type).split(","));
      out = out.filter((e) => !branchTypeErrors.includes(e)).map((e) => e === any ? { ...e, keyword: "type", params: { type: types.join(",") } } : e);
    }
  }
  return out;
}
function homeHint(schema, key) {
  const props = isObject(schema.properties) ? schema.properties : {};
  for (const [name, sub] of Object.entries(props)) {
    const target = deref(schema, isObject(sub) ? sub : void 0);
    if (!target || !isObject(target.properties)) continue;
    if (key in target.properties) return `; it belongs under '${name}:'`;
    const near = closest(key, Object.keys(target.properties));
    if (near) return `; did you mean '${near}' (under '${name}:')?`;
  }
  return "";
}
function keyError(e, c, push) {
  const { schema, path, where, parent } = c;
  switch (e.keyword) {
    case "required": {
      const key = String(e.params.missingProperty);
      push(path, "container", `missing required key '${key}'${where ? ` in '${where}'` : ""}`);
      break;
    }
    case "additionalProperties": {
      const key = String(e.params.additionalProperty);
      const props = isObject(parent?.properties) ? parent.properties : {};
      const current = Object.keys(props).filter((k) => {
        const sub = deref(schema, isObject(props[k]) ? props[k] : void 0);
        return sub?.deprecationMessage === void 0;
      });
      let hint = didYouMean(key, current);
      if (!hint && where === "") hint = homeHint(schema, key);
      if (!hint && where === "") {
        push(
          [key],
          "key",
          `unknown section '${key}' is ignored; this file's sections are ${current.join(", ")}`,
          "warning"
        );
        break;
      }
      if (!hint) hint = `; expected one of: ${current.join(", ")}`;
      push([...path, key], "key", `unknown key '${key}'${where ? ` in '${where}'` : ""}${hint}`);
      break;
    }
    case "propertyNames": {
      const key = String(e.params.propertyName);
      const nameSchema = deref(
        schema,
        isObject(parent?.propertyNames) ? parent.propertyNames : void 0
      );
      const message = typeof nameSchema?.["x-error"] === "string" ? nameSchema["x-error"] : "is not an allowed name";
      const examples = Array.isArray(nameSchema?.examples) ? nameSchema.examples.map(String) : [];
      push(
        [...path, key],
        "key",
        `'${key}' ${message}${where ? ` (in '${where}')` : ""}${didYouMean(key, examples)}`
      );
      break;
    }
    default:
      return false;
  }
  return true;
}
function valueError(e, c, push) {
  const { path, subject, value, parent, xError } = c;
  switch (e.keyword) {
    case "type":
      push(path, "value", `${subject} ${typeMessage(String(e.params.type).split(","), value)}`);
      break;
    case "enum": {
      const allowed = e.params.allowedValues.map(String);
      push(
        path,
        "value",
        `${subject} must be one of ${allowed.join(", ")}; got ${describeValue(value)}` + (typeof value === "string" ? didYouMean(value, allowed) : "")
      );
      break;
    }
    case "const":
      push(
        path,
        "value",
        `${subject} must be ${JSON.stringify(e.params.allowedValue)}; got ${describeValue(value)}`
      );
      break;
    case "pattern": {
      const examples = Array.isArray(parent?.examples) ? parent.examples.map(String) : [];
      const hint = typeof value === "string" ? didYouMean(value, examples) : "";
      push(
        path,
        "value",
        `${subject} ${xError ?? "is not in the expected form"}; got ${describeValue(value)}${hint}`
      );
      break;
    }
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum": {
      const words = {
        minimum: "at least",
        maximum: "at most",
        exclusiveMinimum: "more than",
        exclusiveMaximum: "less than"
      }[e.keyword];
      push(
        path,
        "value",
        `${subject} must be ${words} ${String(e.params.limit)}; got ${describeValue(value)}`
      );
      break;
    }
    case "minItems":
      push(
        path,
        "value",
        `${subject} must list at least ${String(e.params.limit)} item${e.params.limit === 1 ? "" : "s"}`
      );
      break;
    case "uniqueItems": {
      const later = Math.max(Number(e.params.i), Number(e.params.j));
      const earlier = Math.min(Number(e.params.i), Number(e.params.j));
      const item = Array.isArray(value) ? value[later] : void 0;
      push(
        [...path, later],
        "value",
        `${subject} lists ${describeValue(item)} twice (items ${earlier + 1} and ${later + 1})`
      );
      break;
    }
    case "minProperties":
    case "maxProperties": {
      const keys = isObject(value) ? Object.keys(value) : [];
      const found = keys.length === 0 ? "it is empty" : `found ${keys.map((k) => `'${k}'`).join(", ")}`;
      push(
        path,
        "value",
        `${subject} ${xError ?? `must have ${e.keyword === "minProperties" ? "at least" : "at most"} ${String(e.params.limit)} entries`}; ${found}`
      );
      break;
    }
    default:
      push(path, "value", `${subject} ${xError ?? e.message ?? "is not valid"}`);
  }
}
function relevantErrors(raw) {
  let errors = pruneAnyOf(raw);
  for (const e of errors.filter((x) => x.keyword === "maxProperties")) {
    errors = errors.filter(
      (x) => x === e || !(x.instancePath === e.instancePath || x.instancePath.startsWith(e.instancePath + "/"))
    );
  }
  const misspelt = new Set(
    errors.filter((e) => e.keyword === "additionalProperties").flatMap((e) => {
      const missing = errors.filter((r) => r.keyword === "required" && r.instancePath === e.instancePath).map((r) => String(r.params.missingProperty));
      const near = closest(String(e.params.additionalProperty), missing);
      return near ? [`${e.instancePath}\0${near}`] : [];
    })
  );
  errors = errors.filter(
    (e) => !(e.keyword === "required" && misspelt.has(`${e.instancePath}\0${String(e.params.missingProperty)}`))
  );
  return errors;
}
function validateSchema(y, kind2) {
  const { schema, validate } = SCHEMAS[kind2];
  const diagnostics = [];
  const errorPaths = /* @__PURE__ */ new Set();
  if (y.data === void 0) return { diagnostics, errorPaths };
  validate(y.data);
  const errors = relevantErrors([...validate.errors ?? []]);
  const push = (path, mode, message, severity = "error") => {
    const pos = locate(y, path, mode);
    diagnostics.push({ file: y.file, line: pos.line, col: pos.col, severity, message });
    if (severity === "error") errorPaths.add(pointerOf(path));
  };
  for (const e of errors) {
    if (e.propertyName !== void 0) continue;
    const path = toDataPath(e.instancePath, y.data);
    const where = displayPath(path);
    const parent = schemaForPath(schema, y.data, path);
    const c = {
      schema,
      path,
      where,
      subject: where === "" ? y.file : `'${where}'`,
      value: valueAt(y.data, path),
      parent,
      xError: typeof parent?.["x-error"] === "string" ? parent["x-error"] : void 0
    };
    if (!keyError(e, c, push)) valueError(e, c, push);
  }
  diagnostics.push(...obsoleteWarnings(y, schema));
  return { diagnostics, errorPaths };
}
function obsoleteWarnings(y, root) {
  const out = [];
  const walk = (data, s, path) => {
    const sch = deref(root, s);
    if (!sch) return;
    if (Array.isArray(data)) {
      if (isObject(sch.items))
        data.forEach((item, i) => walk(item, sch.items, [...path, i]));
      for (const branch of Array.isArray(sch.anyOf) ? sch.anyOf : []) {
        if (isObject(branch) && branch.type === "array") walk(data, branch, path);
      }
      return;
    }
    if (!isObject(data)) return;
    for (const branch of Array.isArray(sch.anyOf) ? sch.anyOf : []) {
      if (isObject(branch) && branch.type === "object") walk(data, branch, path);
    }
    const props = isObject(sch.properties) ? sch.properties : {};
    for (const [key, value] of Object.entries(data)) {
      const sub = isObject(props[key]) ? deref(root, props[key]) : isObject(sch.additionalProperties) ? sch.additionalProperties : void 0;
      if (sub && typeof sub.deprecationMessage === "string") {
        const pos = locate(y, [...path, key], "key");
        out.push({
          file: y.file,
          ...pos,
          severity: "warning",
          message: `'${displayPath([...path, key])}' is obsolete and ${sub.deprecationMessage}`
        });
      } else {
        walk(value, sub, [...path, key]);
      }
    }
  };
  walk(y.data, root, []);
  return out;
}

// src/validate/load.ts
var CONFIG_EXPECT = "a mapping with aws: and regions:";
var DEPLOYMENT_EXPECT = "a mapping with version: 1 and deployment:";
function sortDiagnostics(list2) {
  const seen = /* @__PURE__ */ new Set();
  return list2.filter((d) => {
    const key = `${d.file}\0${d.line}\0${d.col}\0${d.severity}\0${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  }).sort(
    (a, b) => a.file !== b.file ? a.file < b.file ? -1 : 1 : a.line - b.line || a.col - b.col
  );
}
function fallbackRegion(env, regionsInput = []) {
  for (const name of ["AWS_REGION", "AWS_DEFAULT_REGION"]) {
    const region = env[name]?.trim();
    if (region) return { region, from: name };
  }
  const first = regionsInput[0];
  return first !== void 0 ? { region: first, from: "the 'regions' input" } : void 0;
}
var NO_CLOUD_SETTINGS = "the deployment/ layout needs cloud settings (at least regions:) in config.yaml next to deployment/ or in .spot/config.yaml";
function defaultedCloud(fallback, diagnostics) {
  const at = { file: CONVENTION_DIR, line: 0, col: 0 };
  if (!fallback) {
    diagnostics.push({ ...at, severity: "error", message: NO_CLOUD_SETTINGS });
    return void 0;
  }
  const cloud = defaultCloudConfig(fallback.region);
  const region = cloud.regions[0];
  diagnostics.push({
    ...at,
    severity: "notice",
    message: `no cloud settings (config.yaml): deploying ${cloud.totalInstances} instance of ${region.instanceTypes.join(", ")} with the ${cloud.os} image in ${region.name}, the region ${fallback.from} names. To pin them, add a config.yaml next to deployment/ with aws: and regions: (for example 'regions: {${region.name}: {instance_types: [${region.instanceTypes[0]}]}}')`
  });
  return cloud;
}
async function readCloud(root, configFile, diagnostics) {
  const y = await readYamlFile(join6(root, configFile), configFile, CONFIG_EXPECT);
  diagnostics.push(...y.diagnostics);
  const schema = validateSchema(y, "config");
  diagnostics.push(...schema.diagnostics);
  if (y.data === void 0) return void 0;
  return normalizeConfig(y, fileReporter(y, diagnostics, schema.errorPaths));
}
async function readSpotDeployment(ctx, deploymentFile, diagnostics) {
  const y = await readYamlFile(
    join6(ctx.root, deploymentFile),
    deploymentFile,
    DEPLOYMENT_EXPECT,
    {}
  );
  diagnostics.push(...y.diagnostics);
  const schema = validateSchema(y, "deployment");
  diagnostics.push(...schema.diagnostics);
  if (y.data === void 0) return void 0;
  return normalizeDeployment(y, fileReporter(y, diagnostics, schema.errorPaths), ctx, diagnostics);
}
async function loadDeployment(root, options = {}) {
  const diagnostics = [];
  const { found, diagnostics: discovery } = await discover(root);
  diagnostics.push(...discovery);
  if (!found) return { diagnostics: sortDiagnostics(diagnostics) };
  const ctx = {
    root,
    rootReal: await realpath3(root),
    baseDir: found.baseDir,
    baseRel: found.baseRel
  };
  const files = [];
  let cloud;
  if (found.configFile !== void 0) {
    files.push(found.configFile);
    cloud = await readCloud(root, found.configFile, diagnostics);
  } else cloud = defaultedCloud(options.fallbackRegion, diagnostics);
  let parts;
  if (found.layout === "spot") {
    files.push(found.deploymentFile);
    parts = await readSpotDeployment(ctx, found.deploymentFile, diagnostics);
  } else {
    const scanned = await normalizeConvention(ctx, diagnostics);
    files.push(...scanned.files);
    parts = scanned;
  }
  const sorted = sortDiagnostics(diagnostics);
  if (sorted.some((d) => d.severity === "error") || !cloud || !parts) {
    return { diagnostics: sorted };
  }
  const deployment = {
    root,
    layout: found.layout,
    baseDir: found.baseDir,
    files,
    cloud,
    packages: parts.packages,
    template: parts.template,
    env: parts.env,
    uploads: parts.uploads,
    scripts: parts.scripts,
    services: parts.services,
    ...parts.tarball ? { tarball: parts.tarball } : {},
    ...parts.onInterruption ? { onInterruption: parts.onInterruption } : {},
    warnings: sorted.filter((d) => d.severity === "warning")
  };
  return { deployment, diagnostics: sorted };
}

export {
  inside,
  require_dist,
  emptyOriginalPlaceholders,
  fallbackRegion,
  loadDeployment
};
//# sourceMappingURL=chunk-QL5CQV3S.js.map
