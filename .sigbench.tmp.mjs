// ../../tmp/sigbench/entry.ts
import { readFileSync } from "node:fs";

// src/static/detector.ts
function severityFor(dest, fallback) {
  if (!dest) return fallback;
  if (dest.provenance === "hard-coded-external") return "violation";
  if (dest.provenance === "hard-coded-local") return "info";
  return "review";
}
function describeDestination(d) {
  const where = d.url ?? (d.host ? d.host + (d.port ? `:${d.port}` : "") : "");
  const prov = d.provenance;
  if (d.source && (d.provenance === "dynamic" || d.provenance === "unknown")) return `${where ? where + " " : ""}(${prov}: ${d.source})`;
  return where ? `${where} (${prov})` : `(${prov})`;
}

// src/static/destination.ts
import { isIP } from "node:net";
var PARAMS = /* @__PURE__ */ Symbol("params");
function withParams(d, v) {
  const params = v.t === "dyn" || v.t === "str" ? v.params : void 0;
  if (params?.length) d[PARAMS] = params;
  return d;
}
function paramsOf(d) {
  return d ? d[PARAMS] : void 0;
}
var LOCAL_SUFFIXES = [".local", ".localhost", ".home.arpa", ".internal", ".lan"];
function ipv4ToInt(ip) {
  return ip.split(".").reduce((acc, o) => (acc << 8) + Number(o), 0) >>> 0;
}
function inV4(ip, base2, bits) {
  const mask = bits === 0 ? 0 : ~0 << 32 - bits >>> 0;
  return (ip & mask) === (ipv4ToInt(base2) & mask);
}
function isLocalAddress(ip) {
  const v = isIP(ip);
  if (v === 4) {
    const n = ipv4ToInt(ip);
    return inV4(n, "127.0.0.0", 8) || inV4(n, "10.0.0.0", 8) || inV4(n, "172.16.0.0", 12) || inV4(n, "192.168.0.0", 16) || inV4(n, "169.254.0.0", 16) || inV4(n, "100.64.0.0", 10) || inV4(n, "224.0.0.0", 4) || inV4(n, "0.0.0.0", 8) || ip === "255.255.255.255";
  }
  if (v === 6) {
    const l = ip.toLowerCase();
    if (l === "::1" || l === "::") return true;
    if (l.startsWith("::ffff:")) return isLocalAddress(l.slice(7));
    return /^f[cd][0-9a-f]{2}:/.test(l) || /^fe[89ab][0-9a-f]:/.test(l) || /^ff[0-9a-f]{2}:/.test(l);
  }
  return false;
}
function isLocalHost(untrustedHost) {
  const h = untrustedHost.toLowerCase().replace(/^\[|\]$/g, "").replace(/\.$/, "");
  if (!h) return false;
  if (isIP(h)) return isLocalAddress(h);
  if (h === "localhost") return true;
  if (LOCAL_SUFFIXES.some((s) => h.endsWith(s))) return true;
  return !h.includes(".");
}
function provenanceOfHost(host) {
  return isLocalHost(host) ? "hard-coded-local" : "hard-coded-external";
}
var URL_PREFIX = /^([a-z][a-z0-9+.-]*:)?\/\/(?:[^@/?#]*@)?(\[[0-9a-f:.]+\]|[^/?#:[\]]+)(?::(\d+))?(?=[/?#]|$)/i;
function destinationOfUrlString(v, partial = false, source) {
  const m = URL_PREFIX.exec(v);
  if (m && (!partial || m[0].length < v.length)) {
    const host = m[2].replace(/^\[|\]$/g, "").toLowerCase();
    const scheme = (m[1] ?? "").toLowerCase();
    const port = m[3] ? Number(m[3]) : void 0;
    if (!scheme || /^(https?|wss?|ftp|grpcs?|mqtts?|tcp|udp|smtps?|redis|amqps?):$/.test(scheme) || scheme.endsWith("s:")) {
      const url = partial ? v + "\u2026" : v;
      return { url: url.length > 300 ? url.slice(0, 300) + "\u2026" : url, host, port, provenance: provenanceOfHost(host) };
    }
  }
  if (/^(\/(?!\/)|\.\.?\/|\?|#)/.test(v) || v === "" && !partial) {
    return { url: v, provenance: "hard-coded-local", source: "relative URL (same origin)" };
  }
  if (/^(data|blob|about|javascript|file):/i.test(v)) return { url: v.slice(0, 80), provenance: "hard-coded-local", source: "non-network URL" };
  if (partial) return { url: v + "\u2026", provenance: source ? "dynamic" : "unknown", source: source ?? "URL built at run time" };
  const hp = /^([a-z0-9.-]+\.[a-z0-9-]+|\[[0-9a-f:]+\]):(\d{1,5})$/i.exec(v);
  if (hp) {
    const host = hp[1].replace(/^\[|\]$/g, "").toLowerCase();
    return { host, port: Number(hp[2]), provenance: provenanceOfHost(host) };
  }
  if (/^[a-z0-9.-]+$/i.test(v) || isIP(v.replace(/^\[|\]$/g, ""))) return { host: v.toLowerCase(), provenance: provenanceOfHost(v) };
  return { url: v.slice(0, 300), provenance: "unknown", source: "not a URL" };
}
function destinationOfVal(v, role) {
  return withParams(destinationOfValInner(v, role), v);
}
function destinationOfValInner(v, role) {
  switch (v.t) {
    case "str":
      if (role === "host" && !v.partial) return { host: v.v.toLowerCase(), provenance: provenanceOfHost(v.v) };
      return destinationOfUrlString(v.v, v.partial, v.source);
    case "dyn":
      return { provenance: "dynamic", source: v.source };
    case "inst":
      return v.init ? destinationOfVal(v.init, role) : { provenance: "unknown" };
    case "nullish":
      return role === "host" ? { host: "localhost", provenance: "hard-coded-local", source: "default host" } : { provenance: "unknown" };
    default:
      return { provenance: "unknown", source: v.t === "unknown" && v.why ? v.why : void 0 };
  }
}
function destinationOfOptions(folder, obj, defaultProtocol = "") {
  const get = (k) => folder.objectProperty(obj.node, obj.scope, k);
  for (const k of ["url", "href", "baseURL", "baseUrl", "prefixUrl", "origin", "uri"]) {
    const v = get(k);
    if (v.t !== "nullish") return destinationOfVal(v, "url");
  }
  const socketPath = get("socketPath");
  if (socketPath.t === "str") return { host: `unix:${socketPath.v}`, provenance: "hard-coded-local", source: "unix socket" };
  const hostName = get("hostname");
  let hostV = hostName.t !== "nullish" ? hostName : get("host");
  if (hostV.t === "str" && !hostV.partial && /^[^:[\]]+:\d+$/.test(hostV.v) && hostName.t === "nullish") hostV = { t: "str", v: hostV.v.split(":")[0] };
  const portV = get("port");
  const port = portV.t === "num" ? portV.v : portV.t === "str" && /^\d+$/.test(portV.v) ? Number(portV.v) : void 0;
  const d = destinationOfVal(hostV, "host");
  if (hostV.t === "nullish" && portV.t === "dyn") return withParams({ provenance: "dynamic", source: portV.source, host: "localhost" }, portV);
  if (port !== void 0) d.port = port;
  const pathV = get("path");
  if (d.host && pathV.t === "str" && d.provenance.startsWith("hard-coded")) {
    const protoV = get("protocol");
    const proto = protoV.t === "str" ? protoV.v : defaultProtocol;
    d.url = `${proto ? proto.replace(/:?$/, ":") + "//" : ""}${d.host}${port ? ":" + port : ""}${pathV.v}${pathV.partial ? "\u2026" : ""}`;
  }
  return d;
}
function destinationOfArg(folder, node, scope, role = "url") {
  if (!node) return { provenance: "unknown", source: "no argument" };
  const v = folder.evaluate(node, scope);
  if (v.t === "obj") return destinationOfOptions(folder, v);
  return destinationOfVal(v, role);
}

// src/static/detectors/net-sink.ts
var CLIENT_PACKAGES = /* @__PURE__ */ new Set([
  "axios",
  "got",
  "node-fetch",
  "cross-fetch",
  "isomorphic-fetch",
  "whatwg-fetch",
  "make-fetch-happen",
  "undici",
  "superagent",
  "request",
  "request-promise",
  "request-promise-native",
  "request-promise-any",
  "needle",
  "ky",
  "ofetch",
  "bent",
  "urllib",
  "node-rest-client",
  "phin",
  "centra",
  "wretch",
  "redaxios",
  "minipass-fetch",
  "ws",
  "socket.io-client",
  "sockjs-client",
  "isomorphic-ws",
  "reconnecting-websocket",
  "eventsource",
  "@grpc/grpc-js",
  "grpc",
  "mqtt",
  "nodemailer",
  "amqplib",
  "kafkajs",
  "nats",
  "ioredis",
  "redis",
  "pg",
  "mysql",
  "mysql2",
  "mongodb",
  "mongoose",
  "cassandra-driver",
  "tedious",
  "ldapjs",
  "ssh2",
  "ftp",
  "basic-ftp",
  "@octokit/request",
  "@octokit/graphql",
  "@octokit/core",
  "@octokit/rest",
  "apollo-link-http",
  "@apollo/client",
  "graphql-request",
  "chrome-remote-interface",
  "jsdom",
  "form-data",
  "simple-get",
  "follow-redirects",
  "http-proxy",
  "https-proxy-agent",
  "proxy-agent",
  "xmlhttprequest",
  "xhr2",
  "jquery"
]);
var CLIENT_METHODS = /* @__PURE__ */ new Set([
  "get",
  "post",
  "put",
  "patch",
  "delete",
  "del",
  "head",
  "options",
  "request",
  "fetch",
  "stream",
  "pipeline",
  "connect",
  "createConnection",
  "createClient",
  "createPool",
  "createTransport",
  "createTransporter",
  "curl",
  "ajax",
  "getJSON",
  "getScript",
  "load",
  "fromURL",
  "submit",
  "graphql",
  "json",
  "text",
  "upgrade",
  "io",
  "Client",
  "Pool",
  "Agent",
  "WebSocket",
  "EventSource",
  "MongoClient",
  "Redis",
  "Cluster",
  "Kafka",
  "Octokit",
  "GraphQLClient",
  "Sequelize",
  "Connection",
  "default",
  "create",
  "extend",
  "defaults"
]);
var HTTP_VERBS = /^(get|post|put|patch|delete|head|options|connect|trace)$/i;
var DNS_METHODS = /* @__PURE__ */ new Set([
  "lookup",
  "lookupService",
  "resolve",
  "resolve4",
  "resolve6",
  "resolveAny",
  "resolveCaa",
  "resolveCname",
  "resolveMx",
  "resolveNaptr",
  "resolveNs",
  "resolvePtr",
  "resolveSoa",
  "resolveSrv",
  "resolveTxt",
  "reverse"
]);
var meta = {
  id: "net-sink",
  severity: "review",
  description: "Outbound network capability",
  help: "Code that can open a connection, send a datagram or resolve a name. Hard-coded external destinations are violations; destinations from configuration are for review; loopback and private destinations are informational. Make the destination configurable (off by default), or allow it in the policy with a reason."
};
function apiName(callee) {
  if (callee.t === "mod") return [callee.mod, ...callee.path].join(".");
  if (callee.t === "glob") return callee.path.join(".");
  if (callee.t === "inst") return [callee.cls, ...callee.path].join(".");
  return "?";
}
var net_sink_default = {
  meta,
  detect(ctx) {
    const coveredInstances = /* @__PURE__ */ new Set();
    const createdInstances = [];
    const usedClientMods = /* @__PURE__ */ new Set();
    const importedClients = [];
    const sink = (node, api, dest, extra) => {
      ctx.report(node, { message: `${api}${extra ? " " + extra : ""} \u2192 ${describeDestination(dest)}`, api, destination: dest });
    };
    const argDest = (args, i, scope, role = "url") => ctx.destination(args[i], scope, role);
    const socketDest = (args, scope) => {
      const a0 = ctx.evaluate(args[0], scope);
      if (a0.t === "obj") return destinationOfOptions(ctx.folder, a0);
      if (a0.t === "num" || a0.t === "str" && /^\d+$/.test(a0.v)) {
        const hostNode = args[1] && args[1].type !== "FunctionExpression" && args[1].type !== "ArrowFunctionExpression" ? args[1] : void 0;
        const d = hostNode ? ctx.destination(hostNode, scope, "host") : { host: "localhost", provenance: "hard-coded-local" };
        if (d.provenance === "unknown" && hostNode && ctx.evaluate(hostNode, scope).t === "obj") return { host: "localhost", provenance: "hard-coded-local", port: Number(a0.v) };
        return { ...d, port: Number(a0.v) };
      }
      if (a0.t === "str" && !a0.partial) return { host: `unix:${a0.v}`, provenance: "hard-coded-local", source: "unix socket" };
      if (a0.t === "dyn") {
        const h = args[1] ? ctx.destination(args[1], scope, "host") : void 0;
        if (h && h.provenance !== "unknown" && h.provenance !== "dynamic") return h;
        return { provenance: "dynamic", source: h?.source ?? a0.source };
      }
      return destinationOfVal(a0, "host");
    };
    const dgramSendDest = (args, scope) => {
      const vals = args.map((a) => ctx.evaluate(a, scope));
      let portIdx = 1;
      if (vals.length >= 4 && (vals[2].t === "num" || vals[2].t === "dyn")) portIdx = 3;
      const port = vals[portIdx];
      const addrNode = args[portIdx + 1];
      const addr = addrNode && addrNode.type !== "FunctionExpression" && addrNode.type !== "ArrowFunctionExpression" ? ctx.destination(addrNode, scope, "host") : void 0;
      if (!port) return { provenance: "unknown", source: "connected socket" };
      const d = addr ?? { host: "localhost", provenance: "hard-coded-local", source: "default address" };
      if (port.t === "num") d.port = port.v;
      else if (port.t === "dyn" && d.provenance !== "hard-coded-external") return { provenance: "dynamic", source: port.source };
      return d;
    };
    const onModuleCall = (node, scope, callee, args, isNew) => {
      const { mod, path } = callee;
      const p = path.join(".");
      const api = apiName(callee);
      switch (mod) {
        case "http":
        case "https":
          if ((p === "request" || p === "get") && !isNew) {
            const a0 = ctx.evaluate(args[0], scope);
            const d = a0.t === "obj" ? destinationOfOptions(ctx.folder, a0, `${mod}:`) : destinationOfVal(a0, "url");
            return sink(node, api, d);
          }
          if (p === "Agent" || p === "globalAgent") {
            return ctx.report(node, { message: `${api}: connection pool (destinations are set per request)`, api, severity: "info" });
          }
          return;
        case "http2":
          if (p === "connect") return sink(node, api, argDest(args, 0, scope));
          return;
        case "net":
        case "tls":
          if (p === "connect" || p === "createConnection") return sink(node, api, socketDest(args, scope));
          return;
        case "dgram":
          if (p === "createSocket") createdInstances.push({ node, api });
          return;
        case "dns": {
          const last = path[path.length - 1];
          if (DNS_METHODS.has(last)) return sink(node, api, argDest(args, 0, scope, "host"));
          if (last === "Resolver") createdInstances.push({ node, api });
          return;
        }
        default:
          break;
      }
      if (isClientPackage(mod)) {
        const last = path[path.length - 1];
        if (path.length === 0 || CLIENT_METHODS.has(last) || HTTP_VERBS.test(last ?? "")) {
          usedClientMods.add(mod);
          let i = 0;
          const first = ctx.evaluate(args[0], scope);
          if (first.t === "str" && !first.partial && HTTP_VERBS.test(first.v) && args.length > 1) i = 1;
          if (mod === "ioredis" || mod === "redis" && path.length === 0) {
            if (first.t === "num") return sink(node, api, socketDest(args, scope));
          }
          const d = args.length ? ctx.destination(args[i], scope) : defaultDestinationOf(mod);
          return sink(node, api, d);
        }
      }
    };
    const onGlobalCall = (node, scope, callee, args, isNew) => {
      const g = callee.path.join(".");
      switch (g) {
        case "fetch":
          if (!isNew) return sink(node, "fetch", argDest(args, 0, scope));
          return;
        case "WebSocket":
        case "EventSource":
        case "WebTransport":
          return sink(node, g, argDest(args, 0, scope));
        case "navigator.sendBeacon":
          return sink(node, g, argDest(args, 0, scope));
        case "importScripts":
          for (let i = 0; i < Math.max(1, args.length); i++) sink(node, g, argDest(args, i, scope));
          return;
        case "XMLHttpRequest":
          if (isNew) createdInstances.push({ node, api: "XMLHttpRequest" });
          return;
        case "RTCPeerConnection": {
          const cfg = ctx.evaluate(args[0], scope);
          let dest = { provenance: "unknown", source: "ICE servers not given" };
          if (cfg.t === "obj") {
            const ice = ctx.folder.objectProperty(cfg.node, cfg.scope, "iceServers");
            if (ice.t === "arr" && ice.items[0]?.t === "obj") {
              const urls = ctx.folder.objectProperty(ice.items[0].node, ice.items[0].scope, "urls");
              const u = urls.t === "arr" ? urls.items[0] ?? urls : urls;
              dest = destinationOfVal(u.t === "str" ? { t: "str", v: u.v.replace(/^(stuns?|turns?):/, "$1://") } : u, "url");
            } else if (ice.t === "nullish") dest = { provenance: "hard-coded-local", source: "no ICE servers (host candidates only)" };
          }
          return sink(node, "RTCPeerConnection", dest);
        }
        default:
          return;
      }
    };
    const onInstanceCall = (node, scope, callee, args) => {
      const method = callee.path[callee.path.length - 1];
      if (callee.path.length !== 1) return;
      switch (callee.cls) {
        case "dgram.Socket":
          if (method === "send" || method === "connect") {
            coveredInstances.add(callee.origin);
            return sink(node, `dgram.${method}`, method === "send" ? dgramSendDest(args, scope) : socketDest(args, scope));
          }
          return;
        case "net.Socket":
        case "tls.Socket":
          if (method === "connect") {
            coveredInstances.add(callee.origin);
            return sink(node, `${callee.cls}#connect`, socketDest(args, scope));
          }
          return;
        case "dns.Resolver":
          if (DNS_METHODS.has(method)) {
            coveredInstances.add(callee.origin);
            return sink(node, `dns.Resolver#${method}`, argDest(args, 0, scope, "host"));
          }
          return;
        case "XMLHttpRequest":
          if (method === "open") {
            coveredInstances.add(callee.origin);
            return sink(node, "XMLHttpRequest.open", argDest(args, 1, scope));
          }
          return;
        default:
          return;
      }
    };
    return {
      CallExpression(node, scope, { callee, args }) {
        if (callee.t === "mod") onModuleCall(node, scope, callee, args, false);
        else if (callee.t === "glob") onGlobalCall(node, scope, callee, args, false);
        else if (callee.t === "inst") onInstanceCall(node, scope, callee, args);
        else if (callee.t === "req") {
          const spec = ctx.evaluate(args[0], scope);
          if (spec.t === "str" && !spec.partial) noteImport(node, spec.v);
        }
      },
      NewExpression(node, scope, { callee, args }) {
        if (callee.t === "mod") {
          const p = callee.path.join(".");
          if ((callee.mod === "net" || callee.mod === "tls") && (p === "Socket" || p === "TLSSocket")) {
            createdInstances.push({ node, api: `new ${callee.mod}.${p}` });
            return;
          }
          if (callee.mod === "dns" && p.endsWith("Resolver")) {
            createdInstances.push({ node, api: "new dns.Resolver" });
            return;
          }
          onModuleCall(node, scope, callee, args, true);
        } else if (callee.t === "glob") onGlobalCall(node, scope, callee, args, true);
      },
      ImportDeclaration(node) {
        noteImport(node, String(node.source.value));
      },
      ImportExpression(node, scope) {
        const v = ctx.evaluate(node.source, scope);
        if (v.t === "str" && !v.partial) noteImport(node, v.v);
      },
      end() {
        for (const c of createdInstances) {
          if (coveredInstances.has(c.node)) continue;
          ctx.report(c.node, {
            message: `${c.api}: socket created; where it sends could not be followed`,
            api: c.api,
            destination: { provenance: "unknown", source: "socket used out of sight" }
          });
        }
        for (const imp of importedClients) {
          if (usedClientMods.has(imp.mod)) continue;
          ctx.report(imp.node, {
            message: `imports network client ${imp.mod}; its calls could not be followed`,
            api: imp.mod,
            destination: { provenance: "unknown", source: `${imp.mod} used out of sight` }
          });
        }
      }
    };
    function noteImport(node, specifier) {
      const mod = specifier.startsWith("node:") ? specifier.slice(5) : specifier;
      const base2 = packageOf(mod);
      if (isClientPackage(base2) && !importedClients.some((i) => i.mod === base2)) importedClients.push({ node, mod: base2 });
    }
  }
};
function packageOf(spec) {
  const parts = spec.split("/");
  return spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}
function isClientPackage(mod) {
  return CLIENT_PACKAGES.has(packageOf(mod));
}
function defaultDestinationOf(mod) {
  if (mod.startsWith("@octokit/")) return { url: "https://api.github.com", host: "api.github.com", provenance: "hard-coded-external", source: `${mod} default base URL` };
  return { provenance: "unknown", source: "no argument" };
}

// src/static/detectors/child-process-network.ts
var NETWORK_TOOLS = /* @__PURE__ */ new Set([
  "curl",
  "wget",
  "nc",
  "ncat",
  "netcat",
  "socat",
  "ssh",
  "scp",
  "sftp",
  "ftp",
  "tftp",
  "telnet",
  "dig",
  "nslookup",
  "host",
  "drill",
  "whois",
  "ping",
  "ping6",
  "traceroute",
  "aria2c",
  "lftp",
  "rsync",
  "certutil",
  "bitsadmin",
  "invoke-webrequest",
  "invoke-restmethod",
  "iwr",
  "irm",
  "start-bitstransfer",
  "openssl",
  "http",
  "https",
  "xh"
]);
var SUBCOMMAND_TOOLS = {
  git: /^(clone|fetch|pull|push|ls-remote|submodule|remote)$/,
  npm: /^(install|i|ci|add|view|info|show|outdated|update|upgrade|publish|exec|ping|search|audit|doctor)$/,
  npx: /./,
  yarn: /^(add|install|info|upgrade|npm|dlx)$/,
  pnpm: /^(add|install|i|dlx|view|info|update|outdated)$/,
  pip: /^(install|download)$/,
  pip3: /^(install|download)$/,
  openssl: /^s_client$/
};
var SHELLS = /* @__PURE__ */ new Set(["sh", "bash", "dash", "zsh", "ksh", "cmd", "cmd.exe", "powershell", "powershell.exe", "pwsh"]);
var PREFIX_WORDS = /* @__PURE__ */ new Set(["sudo", "exec", "env", "nohup", "nice", "time", "command", "stdbuf", "timeout", "xargs"]);
var SHELL_METHODS = /* @__PURE__ */ new Set(["exec", "execSync"]);
var FILE_METHODS = /* @__PURE__ */ new Set(["spawn", "spawnSync", "execFile", "execFileSync"]);
var meta2 = {
  id: "child-process-network",
  severity: "review",
  description: "Child process that runs a network tool",
  help: "A child process whose command line runs curl, wget, nc, ssh, dig or a similar tool can send data anywhere, out of sight of in-process checks. Hard-coded external targets are violations; commands built at run time are for review."
};
function findNetworkTools(commandLine, depth = 0) {
  const hits = [];
  if (depth > 3) return hits;
  for (const m of commandLine.matchAll(/\b(Invoke-WebRequest|Invoke-RestMethod|Start-BitsTransfer|Net\.WebClient|System\.Net\.Http)\b/gi)) {
    hits.push({ tool: m[1].toLowerCase(), args: [commandLine] });
  }
  const segments = commandLine.split(/;|&&|\|\||\||\$\(|`|\n|\(|\)/);
  for (const seg of segments) {
    const words = tokenise(seg);
    let i = 0;
    while (i < words.length && (/^\w+=/.test(words[i]) || PREFIX_WORDS.has(words[i]) || i > 0 && PREFIX_WORDS.has(words[i - 1]) && /^-|^\d+$/.test(words[i]))) i++;
    if (i >= words.length) continue;
    const prog = basename(words[i]).toLowerCase();
    const rest = words.slice(i + 1);
    if (SHELLS.has(prog)) {
      const ci = rest.findIndex((w) => /^(-c|\/c|-command|-encodedcommand)$/i.test(w));
      if (ci >= 0 && rest[ci + 1]) hits.push(...findNetworkTools(rest.slice(ci + 1).join(" "), depth + 1));
      continue;
    }
    if (prog === "openssl" && rest[0] !== "s_client") continue;
    if (NETWORK_TOOLS.has(prog)) {
      hits.push({ tool: prog, args: rest });
      continue;
    }
    const sub = SUBCOMMAND_TOOLS[prog];
    const firstArg = rest.find((w) => !w.startsWith("-"));
    if (sub && firstArg && sub.test(firstArg)) hits.push({ tool: `${prog} ${firstArg}`, args: rest });
  }
  return hits;
}
function tokenise(s) {
  const out2 = [];
  for (const m of s.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g)) out2.push(m[1] ?? m[2] ?? m[3]);
  return out2;
}
function basename(p) {
  const i = Math.max(p.lastIndexOf("/"), p.lastIndexOf("\\"));
  return p.slice(i + 1).replace(/\.exe$/i, "");
}
function destinationOfTool(hit, partialSource) {
  const joined = hit.args.join(" ");
  const url = /\b((?:https?|ftp|wss?):\/\/[^\s'"]+)/i.exec(joined);
  if (url) return destinationOfUrlString(url[1]);
  const operands = hit.args.filter((a) => !a.startsWith("-") && !/^\d+$/.test(a) && !a.startsWith("@") && a.length < 256);
  const userHost = operands.map((a) => /^[\w.-]+@([\w.-]+)/.exec(a)?.[1]).find(Boolean);
  const host = userHost ?? (["npm", "npx", "yarn", "pnpm", "pip", "pip3", "git"].some((t) => hit.tool.startsWith(t)) ? void 0 : operands.find((a) => /^[a-z0-9.-]+\.[a-z]{2,}$|^[\d.]+$|^[0-9a-f:]+:[0-9a-f:]*$/i.test(a)));
  if (host) return { host: host.toLowerCase(), provenance: isLocalHost(host) ? "hard-coded-local" : "hard-coded-external" };
  if (/^(npm|npx|yarn|pnpm)/.test(hit.tool)) return { host: "registry.npmjs.org", provenance: "hard-coded-external", source: `${hit.tool} default registry` };
  if (partialSource) return { provenance: "dynamic", source: partialSource };
  return { provenance: "unknown", source: "target not on the command line" };
}
function commandLineOf(ctx, method, args, scope) {
  let first = ctx.evaluate(args[0], scope);
  if (first.t === "glob" && first.path.join(".") === "process.execPath") first = { t: "str", v: "node" };
  if (SHELL_METHODS.has(method)) return first;
  const argv = ctx.evaluate(args[1], scope);
  if (first.t !== "str") return first;
  if (argv.t === "arr") {
    const words = [first.v];
    for (const a of argv.items) {
      if (a.t === "str" && !a.partial) words.push(/\s/.test(a.v) ? JSON.stringify(a.v) : a.v);
      else return { t: "str", v: words.join(" ") + " ", partial: true, source: a.t === "dyn" ? a.source : void 0 };
    }
    return { t: "str", v: words.join(" ") };
  }
  return argv.t === "nullish" || argv.t === "obj" ? first : { t: "str", v: first.v + " ", partial: true };
}
var child_process_network_default = {
  meta: meta2,
  detect(ctx) {
    return {
      CallExpression(node, scope, { callee, args }) {
        if (callee.t !== "mod" || callee.mod !== "child_process" || callee.path.length !== 1) return;
        const method = callee.path[0];
        if (!SHELL_METHODS.has(method) && !FILE_METHODS.has(method)) return;
        const api = `child_process.${method}`;
        const cmd = commandLineOf(ctx, method, args, scope);
        if (cmd.t === "str") {
          const hits = findNetworkTools(cmd.v);
          for (const hit of hits) {
            const dest = destinationOfTool(hit, cmd.partial ? cmd.source ?? "command built at run time" : void 0);
            ctx.report(node, { message: `${api} runs ${hit.tool} \u2192 ${describeDestination(dest)}`, api: `${hit.tool} via ${api}`, destination: dest });
          }
          if (hits.length || !cmd.partial) return;
          if (/^\s*\S+\s/.test(cmd.v)) return;
        }
        const source = cmd.t === "dyn" ? cmd.source : cmd.t === "str" ? "command built at run time" : "command not known";
        ctx.report(node, {
          message: `${api} runs a command that could not be determined (${source})`,
          api,
          destination: { provenance: cmd.t === "dyn" ? "dynamic" : "unknown", source },
          severity: "review"
        });
      }
    };
  }
};

// src/static/detectors/opaque-code.ts
var NETWORK_MODULES = /* @__PURE__ */ new Set(["http", "https", "http2", "net", "tls", "dgram", "dns", "child_process", "undici", "vm", "module", "worker_threads"]);
var VM_EVAL = /* @__PURE__ */ new Set(["runInThisContext", "runInNewContext", "runInContext", "compileFunction", "Script", "createScript", "SourceTextModule", "measureMemory"]);
var TIMER_EVAL = /* @__PURE__ */ new Set(["setTimeout", "setInterval", "setImmediate", "execScript"]);
var meta3 = {
  id: "opaque-code",
  severity: "review",
  description: "Code the analysis cannot see through",
  help: "eval, new Function, vm, require/import of a computed name, computed access on globals or network modules, process.binding and native or WebAssembly code can reach the network without naming it. Nothing is silently skipped: review each, or cover it with the runtime check (`nophonehome run`)."
};
function constString(v) {
  return v.t === "str" && !v.partial ? v.v : void 0;
}
var opaque_code_default = {
  meta: meta3,
  detect(ctx) {
    const opaque = (node, api, what) => ctx.report(node, { message: `${what}: the analysis cannot see what it does`, api, severity: "review", destination: void 0 });
    const evalLike = (node, scope, api, codeArgs, asFunctionBody) => {
      const vals = codeArgs.map((a) => ctx.evaluate(a, scope));
      const body = vals[vals.length - 1];
      const code = body ? constString(body) : "";
      if (code !== void 0 && vals.every((v) => constString(v) !== void 0)) {
        ctx.analyseEmbedded(code, node, api, asFunctionBody);
        return;
      }
      opaque(node, api, `${api} of a computed string`);
    };
    return {
      CallExpression(node, scope, { callee, args }) {
        if (callee.t === "glob") {
          const g = callee.path.join(".");
          if (g === "eval") return evalLike(node, scope, "eval", args.slice(0, 1), false);
          if (g === "Function") return evalLike(node, scope, "Function", args, true);
          if (TIMER_EVAL.has(g) && args[0]) {
            const v = ctx.evaluate(args[0], scope);
            if (v.t === "str") return evalLike(node, scope, `${g} with a code string`, args.slice(0, 1), false);
            return;
          }
          if (g === "process.binding" || g === "process._linkedBinding" || g === "internalBinding" || g === "process.dlopen") {
            const name = constString(ctx.evaluate(args[0], scope));
            return opaque(node, g, `${g}(${name ? `'${name}'` : "\u2026"}) reaches Node internals directly`);
          }
          if (/^WebAssembly\.(instantiate|instantiateStreaming|compile|compileStreaming)$/.test(g)) return opaque(node, g, `${g} runs WebAssembly`);
          if ((g === "Reflect.get" || g === "Object.getOwnPropertyDescriptor" || g === "Reflect.getOwnPropertyDescriptor") && args.length >= 2) {
            const target = ctx.evaluate(args[0], scope);
            const key = ctx.evaluate(args[1], scope);
            const sensitive = target.t === "glob" && target.path.length === 0 || target.t === "mod" && target.path.length === 0 && NETWORK_MODULES.has(target.mod);
            if (sensitive && constString(key) === void 0) return opaque(node, g, `${g} on ${target.t === "mod" ? `the ${target.mod} module` : "the global object"} with a computed key`);
            return;
          }
          if (g === "module.constructor._load" || g === "module.constructor.prototype.require") return opaque(node, g, `${g} loads modules out of sight`);
          return;
        }
        if (callee.t === "req") {
          const c = node.callee;
          if (c.type === "MemberExpression" && !c.computed && c.property.name === "apply" && node.arguments[1]?.type === "Identifier" && node.arguments[1].name === "arguments") return;
          const spec = ctx.evaluate(args[0], scope);
          if (constString(spec) === void 0) opaque(node, "require", `require of a computed specifier${spec.t === "str" ? ` ('${spec.v}\u2026')` : ""}`);
          return;
        }
        if (callee.t === "mod") {
          const p = callee.path.join(".");
          if (callee.mod === "vm" && VM_EVAL.has(callee.path[0])) return evalLike(node, scope, `vm.${p}`, args.slice(0, 1), false);
          if (callee.mod === "module" && (p === "_load" || p === "Module._load" || p === "prototype.require")) return opaque(node, `module.${p}`, `module.${p} loads modules out of sight`);
          if (callee.mod === "worker_threads" && p === "Worker") return;
        }
        if (callee.t === "unknown" && callee.why === "computed import()") return;
      },
      NewExpression(node, scope, { callee, args }) {
        if (callee.t === "glob") {
          const g = callee.path.join(".");
          if (g === "Function") return evalLike(node, scope, "new Function", args, true);
          if (g === "WebAssembly.Module" || g === "WebAssembly.Instance") return opaque(node, g, `new ${g} runs WebAssembly`);
        }
        if (callee.t === "mod" && callee.mod === "vm" && VM_EVAL.has(callee.path[0])) return evalLike(node, scope, `new vm.${callee.path.join(".")}`, args.slice(0, 1), false);
        if (callee.t === "mod" && callee.mod === "worker_threads" && callee.path[0] === "Worker") {
          const opts = ctx.evaluate(args[1], scope);
          if (opts.t === "obj") {
            const ev = ctx.folder.objectProperty(opts.node, opts.scope, "eval");
            if (ev.t === "bool" && ev.v) return evalLike(node, scope, "new Worker(eval: true)", args.slice(0, 1), false);
          }
        }
      },
      ImportExpression(node, scope) {
        const spec = ctx.evaluate(node.source, scope);
        if (constString(spec) === void 0) opaque(node, "import()", `import() of a computed specifier${spec.t === "str" ? ` ('${spec.v}\u2026')` : ""}`);
      },
      MemberExpression(node, scope) {
        const key = ctx.evaluate(node.property, scope);
        if (key.t === "str" && !key.partial || key.t === "num") return;
        const obj = ctx.evaluate(node.object, scope);
        if (obj.t === "glob" && obj.path.length === 0) return opaque(node, "globalThis[\u2026]", "computed property of the global object");
        if (obj.t === "mod" && obj.path.length === 0 && NETWORK_MODULES.has(obj.mod)) return opaque(node, `${obj.mod}[\u2026]`, `computed property of the ${obj.mod} module`);
      }
    };
  }
};

// src/signatures/data.ts
var SIGNATURES = [
  // ── error and crash reporting ──────────────────────────────────────────────────────────────────────
  {
    id: "sentry",
    category: "error-reporting",
    vendor: "Sentry",
    hosts: ["*.ingest.sentry.io", "*.ingest.us.sentry.io", "*.ingest.de.sentry.io", "sentry.io/api/", "browser.sentry-cdn.com", "js.sentry-cdn.com"],
    packages: ["@sentry/node", "@sentry/browser", "@sentry/react", "@sentry/vue", "@sentry/angular", "@sentry/nextjs", "@sentry/nuxt", "@sentry/sveltekit", "@sentry/remix", "@sentry/electron", "@sentry/react-native", "@sentry/bun", "@sentry/deno", "@sentry/aws-serverless", "@sentry/google-cloud-serverless", "@sentry/astro", "@sentry/solid", "@sentry/svelte", "@sentry/ember", "@sentry/gatsby", "raven", "raven-js"],
    init: ["init", "config", "default.init"],
    globals: ["Sentry.init", "Raven.config"],
    // DSN: https://<32-hex public key>@<host>/<project>; self-hosted DSNs keep "sentry" in the host by convention.
    keys: ["https?://[0-9a-f]{32}(?::[0-9a-f]{32})?@[A-Za-z0-9.-]+(?::\\d+)?/\\d+", "https?://[A-Za-z0-9]+@[A-Za-z0-9.-]*sentry[A-Za-z0-9.-]*(?::\\d+)?/\\d+"],
    docs: "https://docs.sentry.io/concepts/key-terms/dsn-explainer/"
  },
  {
    id: "bugsnag",
    category: "error-reporting",
    vendor: "Bugsnag (SmartBear Insight Hub)",
    hosts: ["notify.bugsnag.com", "sessions.bugsnag.com", "build.bugsnag.com", "upload.bugsnag.com", "d2wy8f7a9ursnm.cloudfront.net"],
    packages: ["@bugsnag/js", "@bugsnag/node", "@bugsnag/browser", "@bugsnag/expo", "@bugsnag/react-native", "bugsnag", "bugsnag-js"],
    init: ["start", "default.start", "register", "()"],
    globals: ["Bugsnag.start"],
    docs: "https://docs.bugsnag.com/platforms/javascript/configuration-options/#endpoints"
  },
  {
    id: "rollbar",
    category: "error-reporting",
    vendor: "Rollbar",
    hosts: ["api.rollbar.com", "cdn.rollbar.com", "cdnjs.cloudflare.com/ajax/libs/rollbar.js/"],
    packages: ["rollbar"],
    init: ["new:", "new:default", "init", "default.init"],
    globals: ["Rollbar.init", "Rollbar.configure"],
    docs: "https://docs.rollbar.com/docs/javascript"
  },
  {
    id: "honeybadger",
    category: "error-reporting",
    vendor: "Honeybadger",
    hosts: ["api.honeybadger.io", "js.honeybadger.io", "eu-api.honeybadger.io"],
    packages: ["@honeybadger-io/js", "@honeybadger-io/react", "@honeybadger-io/vue", "honeybadger"],
    init: ["configure", "default.configure", "factory"],
    globals: ["Honeybadger.configure"],
    keys: ["\\bhbp_[A-Za-z0-9]{30,}"],
    docs: "https://docs.honeybadger.io/lib/javascript/reference/configuration/"
  },
  {
    id: "raygun",
    category: "error-reporting",
    vendor: "Raygun",
    hosts: ["api.raygun.io", "api.raygun.com", "cdn.raygun.io"],
    packages: ["raygun", "raygun4js"],
    init: ["new:Client", "()"],
    globals: ["rg4js"],
    docs: "https://raygun.com/documentation/language-guides/nodejs/crash-reporting/installation/"
  },
  {
    id: "airbrake",
    category: "error-reporting",
    vendor: "Airbrake",
    hosts: ["api.airbrake.io", "*.airbrake.io"],
    packages: ["@airbrake/node", "@airbrake/browser", "airbrake", "airbrake-js"],
    init: ["new:Notifier", "createClient"],
    docs: "https://docs.airbrake.io/docs/platforms/framework/javascript/node-js/"
  },
  {
    id: "trackjs",
    category: "error-reporting",
    vendor: "TrackJS",
    hosts: ["capture.trackjs.com", "usage.trackjs.com", "cdn.trackjs.com"],
    packages: ["trackjs", "trackjs-node"],
    init: ["TrackJS.install", "install"],
    globals: ["TrackJS.install"],
    docs: "https://docs.trackjs.com/browser-agent/sdk-reference/agent-config/"
  },
  {
    id: "appsignal",
    category: "error-reporting",
    vendor: "AppSignal",
    hosts: ["appsignal-endpoint.net", "*.appsignal-endpoint.net", "push.appsignal.com"],
    packages: ["@appsignal/nodejs", "@appsignal/javascript"],
    init: ["new:Appsignal", "new:default"],
    docs: "https://docs.appsignal.com/nodejs/3.x/configuration/options.html"
  },
  {
    id: "exceptionless",
    category: "error-reporting",
    vendor: "Exceptionless",
    hosts: ["collector.exceptionless.io", "api.exceptionless.io", "heartbeat.exceptionless.io", "config.exceptionless.io"],
    packages: ["@exceptionless/node", "@exceptionless/browser", "exceptionless"],
    init: ["Exceptionless.startup", "startup"],
    docs: "https://exceptionless.com/docs/clients/javascript/client-configuration/"
  },
  {
    id: "highlight",
    category: "session-replay",
    vendor: "Highlight (LaunchDarkly observability)",
    hosts: ["pub.highlight.io", "pub.highlight.run", "otel.highlight.io"],
    packages: ["highlight.run", "@highlight-run/node", "@highlight-run/next"],
    init: ["H.init", "init", "H.start"],
    globals: ["H.init"],
    docs: "https://www.highlight.io/docs/getting-started/client-sdk/replay-configuration/overview"
  },
  // ── product analytics ─────────────────────────────────────────────────────────────────────────────
  {
    id: "google-analytics",
    category: "product-analytics",
    vendor: "Google Analytics",
    hosts: ["www.google-analytics.com", "ssl.google-analytics.com", "region1.google-analytics.com", "*.google-analytics.com", "analytics.google.com/g/collect", "stats.g.doubleclick.net"],
    packages: ["react-ga", "react-ga4", "ga-4-react", "vue-gtag", "vue-analytics", "universal-analytics", "ga4-mp", "@analytics/google-analytics", "ngx-google-analytics"],
    init: ["initialize", "default.initialize", "install", "()", "default"],
    globals: ["gtag", "ga", "ga.create"],
    // Measurement ids in URLs and snippets: G-XXXXXXXXXX (GA4), UA-1234-1 (Universal Analytics).
    keys: ["[?&]tid=(?:G-[A-Z0-9]{6,12}|UA-\\d{4,10}-\\d{1,4})\\b", "\\bUA-\\d{4,10}-\\d{1,4}\\b"],
    docs: "https://developers.google.com/analytics/devguides/collection/protocol/ga4"
  },
  {
    id: "google-tag-manager",
    category: "product-analytics",
    vendor: "Google Tag Manager / gtag.js",
    hosts: ["www.googletagmanager.com", "googletagmanager.com", "www.googletagservices.com"],
    // In script URLs (`?id=`) and as the whole argument of gtag('config', …).
    keys: ["[?&]id=(?:G|GTM|AW|DC)-[A-Z0-9]{4,12}\\b", "^(?:G|GTM|AW)-[A-Z0-9]{6,12}$"],
    docs: "https://developers.google.com/tag-platform/gtagjs/install"
  },
  {
    id: "segment",
    category: "product-analytics",
    vendor: "Segment (Twilio)",
    hosts: ["api.segment.io", "cdn.segment.com", "cdn.segment.io", "events.eu1.segmentapis.com", "cdn.eu1.segmentapis.com"],
    packages: ["@segment/analytics-next", "@segment/analytics-node", "analytics-node", "@segment/analytics.js-core", "@segment/analytics-react-native", "@analytics/segment"],
    init: ["new:Analytics", "new:default", "AnalyticsBrowser.load", "load", "()", "default"],
    globals: ["analytics.load"],
    docs: "https://segment.com/docs/connections/sources/catalog/libraries/server/http-api/"
  },
  {
    id: "mixpanel",
    category: "product-analytics",
    vendor: "Mixpanel",
    hosts: ["api.mixpanel.com", "api-js.mixpanel.com", "api-eu.mixpanel.com", "api-in.mixpanel.com", "cdn.mxpnl.com", "cdn4.mxpnl.com", "decide.mixpanel.com"],
    packages: ["mixpanel", "mixpanel-browser", "mixpanel-react-native", "@analytics/mixpanel"],
    init: ["init", "default.init"],
    globals: ["mixpanel.init"],
    docs: "https://docs.mixpanel.com/docs/tracking-methods/sdks/javascript"
  },
  {
    id: "amplitude",
    category: "product-analytics",
    vendor: "Amplitude",
    hosts: ["api.amplitude.com", "api2.amplitude.com", "api.eu.amplitude.com", "api-secure.amplitude.com", "cdn.amplitude.com", "sr-client-cfg.amplitude.com", "api-sr.amplitude.com"],
    packages: ["@amplitude/analytics-browser", "@amplitude/analytics-node", "@amplitude/analytics-react-native", "@amplitude/node", "amplitude-js", "@amplitude/unified", "@amplitude/session-replay-browser", "@amplitude/experiment-js-client"],
    init: ["init", "default.init", "getInstance", "createInstance"],
    globals: ["amplitude.init", "amplitude.getInstance"],
    docs: "https://amplitude.com/docs/apis/analytics/http-v2"
  },
  {
    id: "posthog",
    category: "product-analytics",
    vendor: "PostHog",
    hosts: ["app.posthog.com", "us.posthog.com", "eu.posthog.com", "us.i.posthog.com", "eu.i.posthog.com", "*.i.posthog.com", "us-assets.i.posthog.com", "eu-assets.i.posthog.com", "internal-t.posthog.com"],
    packages: ["posthog-js", "posthog-node", "posthog-react-native", "posthog-js-lite"],
    init: ["init", "default.init", "new:PostHog", "new:default"],
    globals: ["posthog.init"],
    keys: ["\\bphc_[A-Za-z0-9]{30,}"],
    docs: "https://posthog.com/docs/libraries/js/config"
  },
  {
    id: "heap",
    category: "product-analytics",
    vendor: "Heap (Contentsquare)",
    hosts: ["heapanalytics.com", "cdn.heapanalytics.com", "cdn.us.heap-api.com", "c.us.heap-api.com", "*.heap-api.com"],
    packages: ["@heap/heap-node", "reactjs-heap", "@heap/react-native-heap"],
    init: ["initialize", "load"],
    globals: ["heap.load"],
    docs: "https://developers.heap.io/reference/server-side-apis-overview"
  },
  {
    id: "plausible",
    category: "product-analytics",
    vendor: "Plausible Analytics (cloud)",
    hosts: ["plausible.io/api/event", "plausible.io/js/"],
    packages: ["plausible-tracker", "@plausible-analytics/tracker"],
    init: ["()", "default", "init"],
    docs: "https://plausible.io/docs/events-api"
  },
  {
    id: "fathom",
    category: "product-analytics",
    vendor: "Fathom Analytics",
    hosts: ["cdn.usefathom.com", "cdn-eu.usefathom.com"],
    packages: ["fathom-client"],
    init: ["load"],
    docs: "https://usefathom.com/docs/script/script-settings"
  },
  {
    id: "simple-analytics",
    category: "product-analytics",
    vendor: "Simple Analytics",
    hosts: ["scripts.simpleanalyticscdn.com", "queue.simpleanalyticscdn.com"],
    docs: "https://docs.simpleanalytics.com/script"
  },
  {
    id: "matomo-cloud",
    category: "product-analytics",
    vendor: "Matomo Cloud",
    hosts: ["*.matomo.cloud", "cdn.matomo.cloud"],
    globals: ["_paq.push"],
    docs: "https://developer.matomo.org/guides/tracking-javascript-guide"
  },
  {
    id: "umami-cloud",
    category: "product-analytics",
    vendor: "Umami Cloud",
    hosts: ["cloud.umami.is", "api-gateway.umami.dev"],
    docs: "https://umami.is/docs/tracker-configuration"
  },
  {
    id: "pendo",
    category: "product-analytics",
    vendor: "Pendo",
    hosts: ["cdn.pendo.io", "app.pendo.io", "data.pendo.io", "cdn.eu.pendo.io", "app.eu.pendo.io", "data.eu.pendo.io"],
    globals: ["pendo.initialize"],
    docs: "https://support.pendo.io/hc/en-us/articles/360046272771"
  },
  {
    id: "rudderstack",
    category: "product-analytics",
    vendor: "RudderStack (cloud)",
    hosts: ["*.dataplane.rudderstack.com", "cdn.rudderlabs.com", "api.rudderstack.com", "hosted.rudderlabs.com"],
    packages: ["@rudderstack/analytics-js", "rudder-sdk-js", "@rudderstack/rudder-sdk-node"],
    init: ["load", "new:RudderAnalytics", "new:default", "new:Analytics"],
    globals: ["rudderanalytics.load"],
    docs: "https://www.rudderstack.com/docs/sources/event-streams/sdks/rudderstack-javascript-sdk/"
  },
  {
    id: "customer-io",
    category: "product-analytics",
    vendor: "Customer.io",
    hosts: ["track.customer.io", "track-eu.customer.io", "cdp.customer.io", "assets.customer.io"],
    packages: ["customerio-node", "@customerio/cdp-analytics-browser", "@customerio/cdp-analytics-node"],
    init: ["new:TrackClient", "new:APIClient", "AnalyticsBrowser.load", "new:Analytics"],
    docs: "https://docs.customer.io/api/track/"
  },
  {
    id: "kissmetrics",
    category: "product-analytics",
    vendor: "Kissmetrics",
    hosts: ["trk.kissmetrics.io", "scripts.kissmetrics.io", "i.kissmetrics.io"],
    globals: ["_kmq.push"],
    docs: "https://support.kissmetrics.io/reference/tracking-api"
  },
  {
    id: "microsoft-clarity",
    category: "session-replay",
    vendor: "Microsoft Clarity",
    hosts: ["www.clarity.ms", "*.clarity.ms"],
    packages: ["@microsoft/clarity"],
    init: ["init", "default.init"],
    globals: ["clarity"],
    docs: "https://learn.microsoft.com/en-us/clarity/setup-and-installation/clarity-setup"
  },
  {
    id: "yandex-metrica",
    category: "product-analytics",
    vendor: "Yandex Metrica",
    hosts: ["mc.yandex.ru", "mc.yandex.com", "mc.webvisor.org"],
    globals: ["ym"],
    docs: "https://yandex.com/support/metrica/code/counter-initialize.html"
  },
  {
    id: "baidu-tongji",
    category: "product-analytics",
    vendor: "Baidu Tongji",
    hosts: ["hm.baidu.com"],
    globals: ["_hmt.push"],
    docs: "https://tongji.baidu.com/web/help/article?id=174"
  },
  {
    id: "vercel-analytics",
    category: "product-analytics",
    vendor: "Vercel Web Analytics / Speed Insights",
    hosts: ["va.vercel-scripts.com", "vitals.vercel-insights.com", "vitals.vercel-analytics.com"],
    packages: ["@vercel/analytics", "@vercel/speed-insights"],
    init: ["inject", "injectSpeedInsights", "Analytics", "SpeedInsights"],
    docs: "https://vercel.com/docs/analytics/package"
  },
  {
    id: "cloudflare-web-analytics",
    category: "product-analytics",
    vendor: "Cloudflare Web Analytics",
    hosts: ["static.cloudflareinsights.com", "cloudflareinsights.com/cdn-cgi/rum"],
    docs: "https://developers.cloudflare.com/web-analytics/"
  },
  {
    id: "hubspot",
    category: "chat-widget",
    vendor: "HubSpot (tracking code, forms, chat)",
    hosts: ["js.hs-scripts.com", "js.hs-analytics.net", "js.hsforms.net", "forms.hubspot.com", "track.hubspot.com", "js.usemessages.com", "js.hs-banner.com", "api.hubapi.com"],
    packages: ["@hubspot/api-client"],
    init: ["new:Client"],
    globals: ["_hsq.push"],
    docs: "https://developers.hubspot.com/docs/api/events/tracking-code"
  },
  // ── marketing pixels ──────────────────────────────────────────────────────────────────────────────
  {
    id: "meta-pixel",
    category: "marketing-pixel",
    vendor: "Meta Pixel",
    hosts: ["connect.facebook.net", "www.facebook.com/tr", "graph.facebook.com"],
    packages: ["react-facebook-pixel", "facebook-nodejs-business-sdk"],
    init: ["init", "default.init", "FacebookAdsApi.init"],
    globals: ["fbq"],
    docs: "https://developers.facebook.com/docs/meta-pixel/get-started"
  },
  {
    id: "linkedin-insight",
    category: "marketing-pixel",
    vendor: "LinkedIn Insight Tag",
    hosts: ["snap.licdn.com", "px.ads.linkedin.com"],
    globals: ["lintrk"],
    docs: "https://learn.microsoft.com/en-us/linkedin/marketing/conversions/conversions-overview"
  },
  {
    id: "x-pixel",
    category: "marketing-pixel",
    vendor: "X (Twitter) pixel",
    hosts: ["static.ads-twitter.com", "analytics.twitter.com", "t.co/i/adsct", "ads-api.x.com"],
    globals: ["twq"],
    docs: "https://business.x.com/en/help/campaign-measurement-and-analytics/conversion-tracking-for-websites"
  },
  {
    id: "google-ads",
    category: "marketing-pixel",
    vendor: "Google Ads / DoubleClick",
    hosts: ["googleads.g.doubleclick.net", "www.googleadservices.com", "pagead2.googlesyndication.com", "securepubads.g.doubleclick.net"],
    docs: "https://support.google.com/google-ads/answer/7548399"
  },
  // ── session replay ────────────────────────────────────────────────────────────────────────────────
  {
    id: "hotjar",
    category: "session-replay",
    vendor: "Hotjar (Contentsquare)",
    hosts: ["static.hotjar.com", "script.hotjar.com", "vars.hotjar.com", "in.hotjar.com", "*.hotjar.io", "insights.hotjar.com"],
    packages: ["@hotjar/browser", "react-hotjar"],
    init: ["init", "default.init", "hotjar.initialize"],
    globals: ["hj"],
    docs: "https://help.hotjar.com/hc/en-us/articles/115009336727"
  },
  {
    id: "fullstory",
    category: "session-replay",
    vendor: "FullStory",
    hosts: ["edge.fullstory.com", "rs.fullstory.com", "rs-eu1.fullstory.com", "edge.eu1.fullstory.com", "api.fullstory.com"],
    packages: ["@fullstory/browser", "@fullstory/snippet", "@fullstory/react-native"],
    init: ["init", "default.init", "FullStory.init"],
    globals: ["FS.identify"],
    docs: "https://developer.fullstory.com/browser/getting-started/"
  },
  {
    id: "logrocket",
    category: "session-replay",
    vendor: "LogRocket",
    hosts: ["r.lr-ingest.io", "r.lr-in.com", "r.lr-in-prod.com", "cdn.logrocket.io", "cdn.lr-ingest.io", "cdn.lr-in.com", "cdn.lr-in-prod.com", "cdn.lgrckt-in.com", "r.lgrckt-in.com"],
    packages: ["logrocket", "logrocket-react", "@logrocket/react-native"],
    init: ["init", "default.init"],
    globals: ["LogRocket.init"],
    // LogRocket app ids look like `abcdef/my-app`.
    docs: "https://docs.logrocket.com/reference/init"
  },
  {
    id: "smartlook",
    category: "session-replay",
    vendor: "Smartlook",
    hosts: ["web-sdk.smartlook.com", "rec.smartlook.com", "manager.smartlook.com", "assets.smartlook.cloud"],
    packages: ["smartlook-client"],
    init: ["init", "default.init"],
    globals: ["smartlook"],
    docs: "https://help.smartlook.com/docs/web-sdk-installation"
  },
  {
    id: "mouseflow",
    category: "session-replay",
    vendor: "Mouseflow",
    hosts: ["cdn.mouseflow.com", "o2.mouseflow.com", "api-us.mouseflow.com", "api-eu.mouseflow.com"],
    globals: ["_mfq.push"],
    docs: "https://help.mouseflow.com/en/articles/4310818"
  },
  {
    id: "lucky-orange",
    category: "session-replay",
    vendor: "Lucky Orange",
    hosts: ["tools.luckyorange.com", "tools.luckyorange.net", "w1.luckyorange.com"],
    docs: "https://help.luckyorange.com/article/26-how-to-install-lucky-orange"
  },
  {
    id: "inspectlet",
    category: "session-replay",
    vendor: "Inspectlet",
    hosts: ["cdn.inspectlet.com", "hn.inspectlet.com"],
    globals: ["__insp.push"],
    docs: "https://docs.inspectlet.com/hc/en-us/articles/360002994432"
  },
  {
    id: "openreplay-cloud",
    category: "session-replay",
    vendor: "OpenReplay Cloud",
    hosts: ["api.openreplay.com", "static.openreplay.com"],
    packages: ["@openreplay/tracker"],
    init: ["new:default", "new:Tracker"],
    docs: "https://docs.openreplay.com/en/sdk/constructor/"
  },
  // ── APM, logs and metrics SaaS ────────────────────────────────────────────────────────────────────
  {
    id: "datadog",
    category: "apm",
    vendor: "Datadog",
    hosts: [
      "browser-intake-datadoghq.com",
      "*.browser-intake-datadoghq.com",
      "browser-intake-datadoghq.eu",
      "*.browser-intake-datadoghq.eu",
      "browser-intake-us3-datadoghq.com",
      "browser-intake-us5-datadoghq.com",
      "browser-intake-ap1-datadoghq.com",
      "http-intake.logs.datadoghq.com",
      "http-intake.logs.datadoghq.eu",
      "api.datadoghq.com",
      "api.datadoghq.eu",
      "api.us3.datadoghq.com",
      "api.us5.datadoghq.com",
      "trace.agent.datadoghq.com",
      "trace.agent.datadoghq.eu",
      "instrumentation-telemetry-intake.datadoghq.com",
      "instrumentation-telemetry-intake.datadoghq.eu",
      "www.datadoghq-browser-agent.com",
      "intake.profile.datadoghq.com"
    ],
    packages: ["dd-trace", "@datadog/browser-rum", "@datadog/browser-logs", "@datadog/browser-rum-slim", "@datadog/datadog-api-client", "datadog-metrics", "hot-shots", "datadog-winston", "@datadog/mobile-react-native"],
    init: ["init", "default.init", "datadogRum.init", "datadogLogs.init", "import:dd-trace/init", "init.default"],
    globals: ["DD_RUM.init", "DD_LOGS.init"],
    keys: ["\\bpub[0-9a-f]{32}\\b"],
    docs: "https://docs.datadoghq.com/getting_started/site/"
  },
  {
    id: "new-relic",
    category: "apm",
    vendor: "New Relic",
    hosts: ["collector.newrelic.com", "*.collector.newrelic.com", "bam.nr-data.net", "bam-cell.nr-data.net", "bam.eu01.nr-data.net", "js-agent.newrelic.com", "otlp.nr-data.net", "otlp.eu01.nr-data.net", "log-api.newrelic.com", "log-api.eu.newrelic.com", "insights-collector.newrelic.com", "metric-api.newrelic.com", "trace-api.newrelic.com", "collector.eu01.nr-data.net"],
    packages: ["newrelic", "@newrelic/browser-agent", "@newrelic/telemetry-sdk", "@newrelic/next", "@newrelic/winston-enricher"],
    init: ["import", "new:BrowserAgent", "new:MetricClient", "new:LogClient"],
    // Licence/ingest keys end in NRAL; browser keys start NRJS-.
    keys: ["\\b[0-9a-f]{36}NRAL\\b", "\\bNRJS-[0-9a-f]{19}\\b"],
    docs: "https://docs.newrelic.com/docs/new-relic-solutions/get-started/networks/"
  },
  {
    id: "honeycomb",
    category: "apm",
    vendor: "Honeycomb",
    hosts: ["api.honeycomb.io", "api.eu1.honeycomb.io"],
    packages: ["@honeycombio/opentelemetry-node", "@honeycombio/opentelemetry-web", "libhoney", "honeycomb-beeline"],
    init: ["new:HoneycombSDK", "HoneycombWebSDK", "new:HoneycombWebSDK", "new:default", "()"],
    docs: "https://docs.honeycomb.io/send-data/opentelemetry/"
  },
  {
    id: "elastic-apm",
    category: "apm",
    vendor: "Elastic APM agents",
    hosts: ["*.apm.us-east-1.aws.cloud.es.io", "*.apm.europe-west1.gcp.cloud.es.io", "*.apm.eastus2.azure.elastic-cloud.com"],
    packages: ["elastic-apm-node", "@elastic/apm-rum", "@elastic/apm-rum-react"],
    init: ["start", "init", "default.start", "import:elastic-apm-node/start"],
    globals: ["elasticApm.init"],
    docs: "https://www.elastic.co/guide/en/apm/agent/nodejs/current/configuration.html"
  },
  {
    id: "azure-application-insights",
    category: "apm",
    vendor: "Azure Application Insights",
    hosts: ["dc.services.visualstudio.com", "*.in.applicationinsights.azure.com", "*.livediagnostics.monitor.azure.com", "js.monitor.azure.com", "rt.services.visualstudio.com"],
    packages: ["applicationinsights", "@microsoft/applicationinsights-web", "@azure/monitor-opentelemetry", "@azure/monitor-opentelemetry-exporter", "@microsoft/applicationinsights-react-js"],
    init: ["setup", "default.setup", "new:ApplicationInsights", "useAzureMonitor", "new:AzureMonitorTraceExporter"],
    keys: ["InstrumentationKey=[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"],
    docs: "https://learn.microsoft.com/en-us/azure/azure-monitor/app/ip-addresses"
  },
  {
    id: "dynatrace",
    category: "apm",
    vendor: "Dynatrace SaaS",
    hosts: ["*.live.dynatrace.com", "*.apps.dynatrace.com", "js-cdn.dynatrace.com"],
    packages: ["@dynatrace/oneagent", "@dynatrace/oneagent-sdk"],
    init: ["()", "default", "createInstance"],
    docs: "https://docs.dynatrace.com/docs/discover-dynatrace/references/dynatrace-api"
  },
  {
    id: "appdynamics",
    category: "apm",
    vendor: "AppDynamics (Splunk)",
    hosts: ["*.saas.appdynamics.com", "cdn.appdynamics.com", "col.eum-appdynamics.com", "pdx-col.eum-appdynamics.com"],
    packages: ["appdynamics"],
    init: ["profile", "default.profile"],
    docs: "https://docs.appdynamics.com/appd/24.x/latest/en/application-monitoring/install-app-server-agents/node-js-agent"
  },
  {
    id: "splunk-observability",
    category: "apm",
    vendor: "Splunk Observability Cloud (SignalFx)",
    hosts: ["*.us0.signalfx.com", "*.us1.signalfx.com", "*.us2.signalfx.com", "*.eu0.signalfx.com", "*.jp0.signalfx.com", "*.au0.signalfx.com", "cdn.signalfx.com"],
    packages: ["@splunk/otel", "@splunk/otel-web", "signalfx"],
    init: ["start", "init", "SplunkRum.init", "Ingest", "new:Ingest"],
    docs: "https://docs.splunk.com/observability/en/gdi/get-data-in/application/nodejs/configuration/advanced-nodejs-otel-configuration.html"
  },
  {
    id: "grafana-cloud",
    category: "apm",
    vendor: "Grafana Cloud",
    hosts: ["*.grafana.net"],
    packages: ["@grafana/faro-web-sdk", "@grafana/faro-react"],
    init: ["initializeFaro"],
    docs: "https://grafana.com/docs/grafana-cloud/monitor-frontend/"
  },
  {
    id: "lightstep",
    category: "apm",
    vendor: "Lightstep (ServiceNow Cloud Observability)",
    hosts: ["ingest.lightstep.com", "ingest.eu.lightstep.com", "collector.lightstep.com"],
    packages: ["lightstep-tracer", "lightstep-opentelemetry-launcher-node"],
    init: ["new:Tracer", "configureOpenTelemetry"],
    docs: "https://docs.lightstep.com/docs/quickstart-nodejs"
  },
  {
    id: "opentelemetry-otlp-exporter",
    category: "apm",
    vendor: "OpenTelemetry OTLP exporters (destination set by the app)",
    hosts: [],
    packages: ["@opentelemetry/exporter-trace-otlp-http", "@opentelemetry/exporter-trace-otlp-proto", "@opentelemetry/exporter-trace-otlp-grpc", "@opentelemetry/exporter-metrics-otlp-http", "@opentelemetry/exporter-metrics-otlp-proto", "@opentelemetry/exporter-metrics-otlp-grpc", "@opentelemetry/exporter-logs-otlp-http", "@opentelemetry/exporter-logs-otlp-proto", "@opentelemetry/exporter-logs-otlp-grpc", "@opentelemetry/exporter-zipkin", "@opentelemetry/exporter-jaeger"],
    init: ["new:OTLPTraceExporter", "new:OTLPMetricExporter", "new:OTLPLogExporter", "new:ZipkinExporter", "new:JaegerExporter"],
    docs: "https://opentelemetry.io/docs/languages/js/exporters/"
  },
  {
    id: "logtail",
    category: "apm",
    vendor: "Better Stack (Logtail)",
    hosts: ["in.logtail.com", "in.logs.betterstack.com", "*.betterstackdata.com"],
    packages: ["@logtail/node", "@logtail/js", "@logtail/browser", "@logtail/winston", "@logtail/pino"],
    init: ["new:Logtail", "new:default", "new:Node", "new:Browser"],
    docs: "https://betterstack.com/docs/logs/javascript/"
  },
  {
    id: "loggly",
    category: "apm",
    vendor: "Loggly (SolarWinds)",
    hosts: ["logs-01.loggly.com", "loggly.com/inputs/"],
    packages: ["winston-loggly-bulk", "node-loggly-bulk", "loggly"],
    init: ["createClient", "Loggly", "new:Loggly"],
    docs: "https://documentation.solarwinds.com/en/success_center/loggly/content/admin/http-endpoint.htm"
  },
  {
    id: "papertrail",
    category: "apm",
    vendor: "Papertrail (SolarWinds)",
    hosts: ["*.papertrailapp.com"],
    packages: ["winston-papertrail", "winston-syslog"],
    docs: "https://www.papertrail.com/help/configuration/"
  },
  {
    id: "axiom",
    category: "apm",
    vendor: "Axiom",
    hosts: ["api.axiom.co", "cloud.axiom.co/api/"],
    packages: ["@axiomhq/js", "@axiomhq/winston", "@axiomhq/pino", "next-axiom"],
    init: ["new:Axiom", "new:AxiomWithoutBatching", "new:WinstonTransport"],
    docs: "https://axiom.co/docs/restapi/introduction"
  },
  {
    id: "sumo-logic",
    category: "apm",
    vendor: "Sumo Logic",
    hosts: ["*.collection.sumologic.com", "*.collection.us2.sumologic.com", "*.collection.eu.sumologic.com", "*.collection.au.sumologic.com"],
    packages: ["sumo-logger", "winston-sumologic-transport"],
    init: ["new:SumoLogger", "new:default"],
    docs: "https://help.sumologic.com/docs/send-data/hosted-collectors/http-source/logs-metrics/"
  },
  // ── usage telemetry built into frameworks and tools ───────────────────────────────────────────────
  {
    id: "nextjs-telemetry",
    category: "usage-telemetry",
    vendor: "Next.js (Vercel)",
    hosts: ["telemetry.nextjs.org"],
    docs: "https://nextjs.org/telemetry"
  },
  {
    id: "nuxt-telemetry",
    category: "usage-telemetry",
    vendor: "Nuxt",
    hosts: ["telemetry.nuxtjs.com", "telemetry.nuxt.com"],
    packages: ["@nuxt/telemetry"],
    init: ["import"],
    docs: "https://github.com/nuxt/telemetry"
  },
  {
    id: "gatsby-telemetry",
    category: "usage-telemetry",
    vendor: "Gatsby",
    hosts: ["telemetry.gatsbyjs.com"],
    packages: ["gatsby-telemetry"],
    init: ["import"],
    docs: "https://www.gatsbyjs.com/docs/telemetry/"
  },
  {
    id: "astro-telemetry",
    category: "usage-telemetry",
    vendor: "Astro",
    hosts: ["telemetry.astro.build"],
    packages: ["@astrojs/telemetry"],
    init: ["new:AstroTelemetry"],
    docs: "https://astro.build/telemetry/"
  },
  {
    id: "vercel-telemetry",
    category: "usage-telemetry",
    vendor: "Vercel CLI / Turborepo",
    hosts: ["telemetry.vercel.com"],
    docs: "https://turbo.build/repo/docs/telemetry"
  },
  {
    id: "prisma-checkpoint",
    category: "update-check",
    vendor: "Prisma (checkpoint: version check and usage)",
    hosts: ["checkpoint.prisma.io"],
    packages: ["checkpoint-client"],
    init: ["check", "default.check"],
    docs: "https://www.prisma.io/docs/orm/tools/prisma-cli#telemetry"
  },
  {
    id: "storybook-telemetry",
    category: "usage-telemetry",
    vendor: "Storybook",
    hosts: ["storybook.js.org/event-log"],
    packages: ["@storybook/telemetry"],
    init: ["telemetry"],
    docs: "https://storybook.js.org/docs/configure/telemetry"
  },
  {
    id: "hashicorp-checkpoint",
    category: "update-check",
    vendor: "HashiCorp checkpoint",
    hosts: ["checkpoint-api.hashicorp.com"],
    docs: "https://checkpoint.hashicorp.com/"
  },
  // ── update checks ─────────────────────────────────────────────────────────────────────────────────
  {
    id: "npm-registry",
    category: "update-check",
    vendor: "npm registry",
    hosts: ["registry.npmjs.org", "registry.npmjs.com", "registry.yarnpkg.com", "registry.npmmirror.com"],
    packages: ["update-notifier", "simple-update-notifier", "update-check", "latest-version", "package-json", "npm-check-updates", "is-latest"],
    init: ["()", "default", "notify", "check"],
    docs: "https://github.com/npm/registry/blob/main/docs/REGISTRY-API.md"
  },
  {
    id: "github-releases-api",
    category: "update-check",
    vendor: "GitHub releases API",
    hosts: ["api.github.com/repos/*/*/releases", "api.github.com/repos/*/*/tags", "github.com/*/*/releases/latest", "github.com/*/*/releases/download/", "objects.githubusercontent.com", "release-assets.githubusercontent.com"],
    docs: "https://docs.github.com/en/rest/releases/releases"
  },
  {
    id: "electron-update",
    category: "update-check",
    vendor: "Electron update services",
    hosts: ["update.electronjs.org"],
    packages: ["update-electron-app", "electron-updater"],
    init: ["()", "default", "updateElectronApp", "autoUpdater.checkForUpdates", "autoUpdater.checkForUpdatesAndNotify"],
    docs: "https://www.electronjs.org/docs/latest/tutorial/updates"
  },
  {
    id: "pypi-json",
    category: "update-check",
    vendor: "PyPI JSON API",
    hosts: ["pypi.org/pypi/"],
    docs: "https://docs.pypi.org/api/json/"
  },
  {
    id: "docker-hub",
    category: "update-check",
    vendor: "Docker Hub registry API",
    hosts: ["hub.docker.com/v2/", "registry.hub.docker.com", "registry-1.docker.io"],
    docs: "https://docs.docker.com/reference/api/hub/latest/"
  },
  {
    id: "gitlab-version-check",
    category: "update-check",
    vendor: "GitLab version check",
    hosts: ["version.gitlab.com"],
    docs: "https://docs.gitlab.com/ee/administration/settings/usage_statistics.html"
  },
  {
    id: "nodejs-dist",
    category: "update-check",
    vendor: "Node.js release index",
    hosts: ["nodejs.org/dist/", "nodejs.org/download/"],
    docs: "https://nodejs.org/dist/index.json"
  },
  // ── licence checks ────────────────────────────────────────────────────────────────────────────────
  {
    id: "keygen",
    category: "licence-check",
    vendor: "Keygen",
    hosts: ["api.keygen.sh"],
    docs: "https://keygen.sh/docs/api/licenses/"
  },
  {
    id: "gumroad-licenses",
    category: "licence-check",
    vendor: "Gumroad licence API",
    hosts: ["api.gumroad.com/v2/licenses/"],
    docs: "https://gumroad.com/help/article/76-license-keys"
  },
  {
    id: "lemon-squeezy-licenses",
    category: "licence-check",
    vendor: "Lemon Squeezy licence API",
    hosts: ["api.lemonsqueezy.com/v1/licenses/"],
    packages: ["@lemonsqueezy/lemonsqueezy.js"],
    init: ["lemonSqueezySetup"],
    docs: "https://docs.lemonsqueezy.com/api/license-api"
  },
  {
    id: "cryptlex",
    category: "licence-check",
    vendor: "Cryptlex",
    hosts: ["api.cryptlex.com", "api.eu.cryptlex.com"],
    packages: ["@cryptlex/lexactivator", "@cryptlex/lexfloatclient"],
    init: ["import"],
    docs: "https://docs.cryptlex.com/"
  },
  {
    id: "licensespring",
    category: "licence-check",
    vendor: "LicenseSpring",
    hosts: ["api.licensespring.com", "saas.licensespring.com"],
    packages: ["@licensespring/node-sdk"],
    init: ["new:LicenseAPI", "new:LicenseManager"],
    docs: "https://docs.licensespring.com/license-api"
  },
  {
    id: "polar-licenses",
    category: "licence-check",
    vendor: "Polar licence keys",
    hosts: ["api.polar.sh/v1/customer-portal/license-keys/", "api.polar.sh/v1/license-keys/"],
    docs: "https://docs.polar.sh/features/benefits/license-keys"
  },
  // ── public IP lookup ──────────────────────────────────────────────────────────────────────────────
  {
    id: "ipify",
    category: "public-ip",
    vendor: "ipify",
    hosts: ["api.ipify.org", "api4.ipify.org", "api6.ipify.org", "api64.ipify.org", "geo.ipify.org"],
    packages: ["public-ip", "external-ip"],
    init: ["v4", "v6", "publicIp", "publicIpv4", "publicIpv6", "()", "default"],
    docs: "https://www.ipify.org/"
  },
  {
    id: "ipinfo",
    category: "public-ip",
    vendor: "ipinfo.io",
    hosts: ["ipinfo.io", "api.ipinfo.io"],
    docs: "https://ipinfo.io/developers"
  },
  {
    id: "icanhazip",
    category: "public-ip",
    vendor: "icanhazip (Cloudflare)",
    hosts: ["icanhazip.com", "ipv4.icanhazip.com", "ipv6.icanhazip.com"],
    docs: "https://major.io/p/a-new-future-for-icanhazip/"
  },
  {
    id: "ifconfig-me",
    category: "public-ip",
    vendor: "ifconfig.me / ifconfig.co",
    hosts: ["ifconfig.me", "ifconfig.co", "ifconfig.io"],
    docs: "https://ifconfig.co/"
  },
  {
    id: "aws-checkip",
    category: "public-ip",
    vendor: "AWS checkip",
    hosts: ["checkip.amazonaws.com"],
    docs: "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html"
  },
  {
    id: "ip-api",
    category: "public-ip",
    vendor: "ip-api.com / ipapi.co / ipwho.is",
    hosts: ["ip-api.com", "pro.ip-api.com", "ipapi.co", "ipwho.is", "ipwhois.app", "freeipapi.com"],
    docs: "https://ip-api.com/docs"
  },
  {
    id: "misc-myip",
    category: "public-ip",
    vendor: 'Assorted "what is my IP" services',
    hosts: ["ident.me", "v4.ident.me", "v6.ident.me", "api.myip.com", "ipecho.net", "myexternalip.com", "wtfismyip.com", "ipv4.wtfismyip.com", "checkip.dyndns.org", "whatismyipaddress.com", "ip.me", "api.seeip.org", "ip.sb", "api.ip.sb"],
    docs: "https://ipecho.net/developers.html"
  },
  {
    id: "cloudflare-trace",
    category: "public-ip",
    vendor: "Cloudflare trace endpoint",
    hosts: ["1.1.1.1/cdn-cgi/trace", "www.cloudflare.com/cdn-cgi/trace", "cloudflare.com/cdn-cgi/trace"],
    docs: "https://developers.cloudflare.com/fundamentals/reference/cdn-cgi-endpoint/"
  },
  // ── public DNS resolvers (classic and DNS-over-HTTPS) ─────────────────────────────────────────────
  {
    id: "google-public-dns",
    category: "public-dns",
    vendor: "Google Public DNS",
    hosts: ["8.8.8.8", "8.8.4.4", "2001:4860:4860::8888", "2001:4860:4860::8844", "dns.google", "dns.google.com", "dns64.dns.google"],
    docs: "https://developers.google.com/speed/public-dns/docs/using"
  },
  {
    id: "cloudflare-dns",
    category: "public-dns",
    vendor: "Cloudflare DNS (1.1.1.1)",
    hosts: ["1.1.1.1", "1.0.0.1", "2606:4700:4700::1111", "2606:4700:4700::1001", "cloudflare-dns.com", "mozilla.cloudflare-dns.com", "one.one.one.one", "1.1.1.2", "1.1.1.3", "security.cloudflare-dns.com", "family.cloudflare-dns.com"],
    docs: "https://developers.cloudflare.com/1.1.1.1/encryption/dns-over-https/"
  },
  {
    id: "quad9-dns",
    category: "public-dns",
    vendor: "Quad9",
    hosts: ["9.9.9.9", "149.112.112.112", "2620:fe::fe", "2620:fe::9", "dns.quad9.net", "dns9.quad9.net", "dns10.quad9.net", "dns11.quad9.net"],
    docs: "https://www.quad9.net/service/service-addresses-and-features"
  },
  {
    id: "opendns",
    category: "public-dns",
    vendor: "Cisco OpenDNS",
    hosts: ["208.67.222.222", "208.67.220.220", "2620:119:35::35", "2620:119:53::53", "doh.opendns.com", "resolver1.opendns.com", "resolver2.opendns.com", "myip.opendns.com"],
    docs: "https://support.opendns.com/hc/en-us/articles/360038086532"
  },
  {
    id: "adguard-dns",
    category: "public-dns",
    vendor: "AdGuard DNS",
    hosts: ["94.140.14.14", "94.140.15.15", "dns.adguard-dns.com", "dns.adguard.com", "unfiltered.adguard-dns.com"],
    docs: "https://adguard-dns.io/en/public-dns.html"
  },
  {
    id: "nextdns",
    category: "public-dns",
    vendor: "NextDNS",
    hosts: ["dns.nextdns.io", "*.dns.nextdns.io"],
    docs: "https://nextdns.io/"
  },
  // ── NTP ───────────────────────────────────────────────────────────────────────────────────────────
  {
    id: "ntp-pool",
    category: "ntp",
    vendor: "NTP Pool Project",
    hosts: ["pool.ntp.org", "*.pool.ntp.org"],
    packages: ["ntp-client", "ntp-time-sync", "sntp", "ntp2"],
    init: ["getNetworkTime", "new:Client", "getInstance", "time"],
    docs: "https://www.ntppool.org/en/use.html"
  },
  {
    id: "vendor-ntp",
    category: "ntp",
    vendor: "Vendor time servers (Google, Cloudflare, Apple, Microsoft, NIST)",
    hosts: ["time.google.com", "time1.google.com", "time2.google.com", "time3.google.com", "time4.google.com", "time.cloudflare.com", "time.apple.com", "time.euro.apple.com", "time.windows.com", "time.nist.gov", "time-a-g.nist.gov", "time.facebook.com", "ntp.ubuntu.com"],
    docs: "https://developers.google.com/time/guides"
  },
  // ── STUN / TURN ───────────────────────────────────────────────────────────────────────────────────
  {
    id: "google-stun",
    category: "stun",
    vendor: "Google STUN servers",
    hosts: ["stun.l.google.com", "stun1.l.google.com", "stun2.l.google.com", "stun3.l.google.com", "stun4.l.google.com"],
    docs: "https://webrtc.org/getting-started/peer-connections"
  },
  {
    id: "public-stun",
    category: "stun",
    vendor: "Other public STUN/TURN services",
    hosts: ["stun.cloudflare.com", "turn.cloudflare.com", "global.stun.twilio.com", "global.turn.twilio.com", "stun.services.mozilla.com", "stun.stunprotocol.org", "stun.relay.metered.ca", "openrelay.metered.ca", "stun.nextcloud.com", "stun.ekiga.net"],
    docs: "https://developers.cloudflare.com/realtime/turn/"
  },
  // ── font CDNs ─────────────────────────────────────────────────────────────────────────────────────
  {
    id: "google-fonts",
    category: "font-cdn",
    vendor: "Google Fonts",
    hosts: ["fonts.googleapis.com", "fonts.gstatic.com"],
    packages: ["webfontloader"],
    init: ["load", "default.load"],
    globals: ["WebFont.load"],
    docs: "https://developers.google.com/fonts/docs/css2"
  },
  {
    id: "adobe-fonts",
    category: "font-cdn",
    vendor: "Adobe Fonts (Typekit)",
    hosts: ["use.typekit.net", "p.typekit.net", "use.typekit.com"],
    globals: ["Typekit.load"],
    docs: "https://helpx.adobe.com/fonts/using/embed-codes.html"
  },
  {
    id: "font-awesome-cdn",
    category: "font-cdn",
    vendor: "Font Awesome CDN and kits",
    hosts: ["kit.fontawesome.com", "ka-f.fontawesome.com", "ka-p.fontawesome.com", "use.fontawesome.com", "pro.fontawesome.com"],
    docs: "https://docs.fontawesome.com/web/setup/use-kit"
  },
  {
    id: "bunny-fonts",
    category: "font-cdn",
    vendor: "Bunny Fonts",
    hosts: ["fonts.bunny.net"],
    docs: "https://fonts.bunny.net/about"
  },
  {
    id: "fonts-com",
    category: "font-cdn",
    vendor: "Monotype Fonts.com / fast.fonts.net",
    hosts: ["fast.fonts.net", "fast.fonts.com"],
    docs: "https://www.fonts.com/web-fonts"
  },
  // ── script and asset CDNs ─────────────────────────────────────────────────────────────────────────
  {
    id: "jsdelivr",
    category: "script-cdn",
    vendor: "jsDelivr",
    hosts: ["cdn.jsdelivr.net", "fastly.jsdelivr.net", "gcore.jsdelivr.net", "testingcf.jsdelivr.net", "data.jsdelivr.com"],
    docs: "https://www.jsdelivr.com/documentation"
  },
  {
    id: "unpkg",
    category: "script-cdn",
    vendor: "unpkg",
    hosts: ["unpkg.com", "www.unpkg.com"],
    docs: "https://unpkg.com/"
  },
  {
    id: "cdnjs",
    category: "script-cdn",
    vendor: "cdnjs (Cloudflare)",
    hosts: ["cdnjs.cloudflare.com", "api.cdnjs.com"],
    docs: "https://cdnjs.com/about"
  },
  {
    id: "google-hosted-libraries",
    category: "script-cdn",
    vendor: "Google Hosted Libraries",
    hosts: ["ajax.googleapis.com"],
    docs: "https://developers.google.com/speed/libraries"
  },
  {
    id: "jquery-cdn",
    category: "script-cdn",
    vendor: "jQuery CDN",
    hosts: ["code.jquery.com"],
    docs: "https://releases.jquery.com/"
  },
  {
    id: "esm-cdns",
    category: "script-cdn",
    vendor: "ESM CDNs (esm.sh, Skypack, esm.run, JSPM)",
    hosts: ["esm.sh", "cdn.esm.sh", "cdn.skypack.dev", "esm.run", "ga.jspm.io", "jspm.dev", "cdn.pika.dev"],
    docs: "https://esm.sh/"
  },
  {
    id: "bootstrap-cdn",
    category: "script-cdn",
    vendor: "BootstrapCDN / StackPath",
    hosts: ["stackpath.bootstrapcdn.com", "maxcdn.bootstrapcdn.com", "netdna.bootstrapcdn.com"],
    docs: "https://www.bootstrapcdn.com/"
  },
  {
    id: "polyfill-io",
    category: "script-cdn",
    vendor: "polyfill.io (compromised in 2024) and mirrors",
    hosts: ["polyfill.io", "cdn.polyfill.io", "polyfill-fastly.io", "polyfill-fastly.net", "cdnjs.cloudflare.com/polyfill/", "polyfill.alicdn.com"],
    docs: "https://blog.cloudflare.com/polyfill-io-now-available-on-cdnjs-reduce-your-supply-chain-risk/"
  },
  {
    id: "microsoft-ajax-cdn",
    category: "script-cdn",
    vendor: "Microsoft Ajax CDN",
    hosts: ["ajax.aspnetcdn.com", "ajax.microsoft.com"],
    docs: "https://learn.microsoft.com/en-us/aspnet/ajax/cdn/overview"
  },
  {
    id: "google-maps-js",
    category: "script-cdn",
    vendor: "Google Maps JavaScript API",
    hosts: ["maps.googleapis.com", "maps.gstatic.com"],
    packages: ["@googlemaps/js-api-loader", "@react-google-maps/api"],
    init: ["new:Loader", "importLibrary", "setOptions"],
    keys: ["\\bAIza[0-9A-Za-z_-]{35}\\b"],
    docs: "https://developers.google.com/maps/documentation/javascript/load-maps-js-api"
  },
  // ── avatars ───────────────────────────────────────────────────────────────────────────────────────
  {
    id: "gravatar",
    category: "avatar",
    vendor: "Gravatar (Automattic)",
    hosts: ["gravatar.com/avatar/", "www.gravatar.com", "secure.gravatar.com", "en.gravatar.com", "0.gravatar.com", "1.gravatar.com", "2.gravatar.com", "api.gravatar.com"],
    packages: ["gravatar", "gravatar-url", "react-gravatar", "vue-gravatar"],
    init: ["url", "()", "default", "profile_url"],
    docs: "https://docs.gravatar.com/api/avatars/images/"
  },
  {
    id: "libravatar",
    category: "avatar",
    vendor: "Libravatar",
    hosts: ["seccdn.libravatar.org", "cdn.libravatar.org"],
    docs: "https://wiki.libravatar.org/api/"
  },
  {
    id: "generated-avatars",
    category: "avatar",
    vendor: "Hosted avatar generators (DiceBear, UI Avatars, RoboHash, Pravatar, Boring Avatars)",
    hosts: ["api.dicebear.com", "avatars.dicebear.com", "ui-avatars.com", "robohash.org", "i.pravatar.cc", "pravatar.cc", "source.boringavatars.com", "avatar.vercel.sh"],
    docs: "https://www.dicebear.com/how-to-use/http-api/"
  },
  {
    id: "github-avatars",
    category: "avatar",
    vendor: "GitHub avatars",
    hosts: ["avatars.githubusercontent.com", "github.com/*.png"],
    docs: "https://docs.github.com/en/account-and-profile/setting-up-and-managing-your-personal-account-on-github/managing-user-account-settings/about-your-profile"
  },
  // ── captcha ───────────────────────────────────────────────────────────────────────────────────────
  {
    id: "recaptcha",
    category: "captcha",
    vendor: "Google reCAPTCHA",
    hosts: ["www.google.com/recaptcha/", "www.gstatic.com/recaptcha/", "www.recaptcha.net", "recaptcha.net", "recaptchaenterprise.googleapis.com"],
    packages: ["react-google-recaptcha", "react-google-recaptcha-v3", "vue-recaptcha", "ng-recaptcha", "recaptcha-v3"],
    init: ["load", "default", "GoogleReCaptchaProvider"],
    globals: ["grecaptcha.render", "grecaptcha.execute", "grecaptcha.enterprise.execute"],
    docs: "https://developers.google.com/recaptcha/docs/display"
  },
  {
    id: "hcaptcha",
    category: "captcha",
    vendor: "hCaptcha",
    hosts: ["js.hcaptcha.com", "hcaptcha.com/siteverify", "api.hcaptcha.com", "api2.hcaptcha.com", "newassets.hcaptcha.com", "imgs.hcaptcha.com"],
    packages: ["@hcaptcha/react-hcaptcha", "@hcaptcha/vue-hcaptcha", "hcaptcha"],
    init: ["verify", "default"],
    globals: ["hcaptcha.render"],
    docs: "https://docs.hcaptcha.com/"
  },
  {
    id: "cloudflare-turnstile",
    category: "captcha",
    vendor: "Cloudflare Turnstile",
    hosts: ["challenges.cloudflare.com"],
    packages: ["@marsidev/react-turnstile"],
    init: ["Turnstile"],
    globals: ["turnstile.render"],
    docs: "https://developers.cloudflare.com/turnstile/get-started/"
  },
  {
    id: "arkose-labs",
    category: "captcha",
    vendor: "Arkose Labs (FunCaptcha)",
    hosts: ["client-api.arkoselabs.com", "*.arkoselabs.com", "api.funcaptcha.com"],
    docs: "https://developer.arkoselabs.com/docs/standard-setup"
  },
  {
    id: "friendly-captcha",
    category: "captcha",
    vendor: "Friendly Captcha",
    hosts: ["api.friendlycaptcha.com", "eu-api.friendlycaptcha.eu", "global.frcapi.com"],
    packages: ["friendly-challenge", "@friendlycaptcha/sdk"],
    init: ["new:WidgetInstance", "new:FriendlyCaptchaSDK"],
    docs: "https://developer.friendlycaptcha.com/docs/"
  },
  // ── chat and support widgets ──────────────────────────────────────────────────────────────────────
  {
    id: "intercom",
    category: "chat-widget",
    vendor: "Intercom",
    hosts: ["widget.intercom.io", "js.intercomcdn.com", "api-iam.intercom.io", "api-iam.eu.intercom.io", "nexus-websocket-a.intercom.io", "api.intercom.io"],
    packages: ["@intercom/messenger-js-sdk", "react-use-intercom", "intercom-client", "@intercom/intercom-react-native"],
    init: ["()", "default", "Intercom", "boot", "new:Client", "IntercomProvider"],
    globals: ["Intercom"],
    docs: "https://developers.intercom.com/installing-intercom/web/installation"
  },
  {
    id: "crisp",
    category: "chat-widget",
    vendor: "Crisp",
    hosts: ["client.crisp.chat", "client.relay.crisp.chat", "settings.crisp.chat", "api.crisp.chat"],
    packages: ["crisp-sdk-web", "crisp-api"],
    init: ["Crisp.configure", "configure"],
    globals: ["$crisp.push"],
    docs: "https://docs.crisp.chat/guides/chatbox-sdks/web-sdk/"
  },
  {
    id: "zendesk-widget",
    category: "chat-widget",
    vendor: "Zendesk Web Widget",
    hosts: ["static.zdassets.com", "ekr.zdassets.com", "widget-mediator.zopim.com", "v2.zopim.com"],
    globals: ["zE"],
    docs: "https://developer.zendesk.com/api-reference/widget-messaging/introduction/"
  },
  {
    id: "drift",
    category: "chat-widget",
    vendor: "Drift (Salesloft)",
    hosts: ["js.driftt.com", "event.api.drift.com", "customer.api.drift.com"],
    globals: ["drift.load"],
    docs: "https://devdocs.drift.com/docs/widget-start"
  },
  {
    id: "tawk",
    category: "chat-widget",
    vendor: "tawk.to",
    hosts: ["embed.tawk.to", "va.tawk.to"],
    docs: "https://developer.tawk.to/jsapi/"
  },
  {
    id: "livechat",
    category: "chat-widget",
    vendor: "LiveChat",
    hosts: ["cdn.livechatinc.com", "api.livechatinc.com", "secure.livechatinc.com"],
    packages: ["@livechat/widget-react", "@livechat/widget-core"],
    init: ["LiveChatWidget", "createWidget"],
    docs: "https://developers.livechat.com/docs/extending-chat-widget/javascript-api"
  },
  {
    id: "olark",
    category: "chat-widget",
    vendor: "Olark",
    hosts: ["static.olark.com", "knrpc.olark.com"],
    globals: ["olark.identify"],
    docs: "https://www.olark.com/help/javascript-api/"
  },
  {
    id: "freshchat",
    category: "chat-widget",
    vendor: "Freshchat / Freshdesk widget",
    hosts: ["wchat.freshchat.com", "snippets.freshchat.com", "widget.freshworks.com", "euc-widget.freshworks.com"],
    globals: ["fcWidget.init"],
    docs: "https://developers.freshchat.com/web-sdk/"
  },
  {
    id: "tidio",
    category: "chat-widget",
    vendor: "Tidio",
    hosts: ["code.tidio.co", "widget-v4.tidiochat.com"],
    docs: "https://www.tidio.com/blog/how-to-add-live-chat-to-website/"
  },
  {
    id: "helpscout-beacon",
    category: "chat-widget",
    vendor: "Help Scout Beacon",
    hosts: ["beacon-v2.helpscout.net", "d3hb14vkzrxvla.cloudfront.net"],
    globals: ["Beacon"],
    docs: "https://developer.helpscout.com/beacon-2/web/javascript-api/"
  },
  // ── feature flags and experiments (they report exposures and usage) ──────────────────────────────
  {
    id: "launchdarkly",
    category: "feature-flags",
    vendor: "LaunchDarkly",
    hosts: ["events.launchdarkly.com", "app.launchdarkly.com", "clientsdk.launchdarkly.com", "clientstream.launchdarkly.com", "stream.launchdarkly.com", "sdk.launchdarkly.com", "mobile.launchdarkly.com"],
    packages: ["launchdarkly-node-server-sdk", "@launchdarkly/node-server-sdk", "launchdarkly-js-client-sdk", "launchdarkly-react-client-sdk", "@launchdarkly/js-client-sdk"],
    init: ["init", "initialize", "default.init", "asyncWithLDProvider", "withLDProvider"],
    docs: "https://docs.launchdarkly.com/sdk/features/config"
  },
  {
    id: "statsig",
    category: "feature-flags",
    vendor: "Statsig",
    hosts: ["api.statsig.com", "statsigapi.net", "featuregates.org", "featureassets.org", "prodregistryv2.org", "events.statsigapi.net"],
    packages: ["statsig-node", "statsig-js", "@statsig/js-client", "@statsig/statsig-node-core", "statsig-react"],
    init: ["initialize", "default.initialize", "new:StatsigClient", "new:Statsig"],
    keys: ["\\b(?:client|secret)-[A-Za-z0-9]{40,}\\b"],
    docs: "https://docs.statsig.com/client/javascript-sdk"
  },
  {
    id: "optimizely",
    category: "feature-flags",
    vendor: "Optimizely",
    hosts: ["cdn.optimizely.com", "logx.optimizely.com", "cdn-pci.optimizely.com"],
    packages: ["@optimizely/optimizely-sdk", "@optimizely/react-sdk"],
    init: ["createInstance", "default.createInstance"],
    docs: "https://docs.developers.optimizely.com/feature-experimentation/docs/event-dispatcher"
  },
  {
    id: "growthbook-cloud",
    category: "feature-flags",
    vendor: "GrowthBook Cloud",
    hosts: ["cdn.growthbook.io", "api.growthbook.io"],
    packages: ["@growthbook/growthbook", "@growthbook/growthbook-react"],
    init: ["new:GrowthBook", "new:default"],
    docs: "https://docs.growthbook.io/lib/js"
  },
  {
    id: "configcat",
    category: "feature-flags",
    vendor: "ConfigCat",
    hosts: ["cdn-global.configcat.com", "cdn-eu.configcat.com"],
    packages: ["configcat-node", "configcat-js", "@configcat/sdk"],
    init: ["getClient", "createClient", "createClientWithAutoPoll"],
    docs: "https://configcat.com/docs/advanced/proxy/proxy-overview/"
  }
];

// src/signatures/matcher.ts
var SignatureMatcher = class {
  exact = /* @__PURE__ */ new Map();
  wildcard = /* @__PURE__ */ new Map();
  keyRe;
  keyOwners = [];
  packages = /* @__PURE__ */ new Map();
  inits = /* @__PURE__ */ new Map();
  globals = /* @__PURE__ */ new Map();
  globalRoots = /* @__PURE__ */ new Set();
  entries;
  constructor(entries) {
    this.entries = entries;
    const keySources = [];
    for (const sig of entries) {
      for (const pattern of sig.hosts) this.addHost(pattern, sig);
      for (const k of sig.keys ?? []) {
        keySources.push(`(?<k${this.keyOwners.length}>${k})`);
        this.keyOwners.push(sig);
      }
      for (const p of sig.packages ?? []) if (!this.packages.has(p)) this.packages.set(p, sig);
      for (const raw of sig.init ?? []) {
        for (const p of sig.packages ?? []) {
          const spec = parseInit(raw, sig);
          const key = spec.kind === "import" && spec.path ? `import:${spec.path}` : `${p}\0${spec.kind}\0${spec.path}`;
          const list = this.inits.get(key) ?? [];
          if (!list.some((s) => s.signature === sig)) list.push(spec);
          this.inits.set(key, list);
        }
      }
      for (const g of sig.globals ?? []) {
        this.globals.set(g, sig);
        this.globalRoots.add(g.split(".")[0]);
      }
    }
    this.keyRe = keySources.length ? new RegExp(keySources.join("|")) : void 0;
    for (const list of [...this.exact.values(), ...this.wildcard.values()]) list.sort((a, b) => Number(!a.path) - Number(!b.path));
  }
  addHost(pattern, signature) {
    const slash = pattern.indexOf("/");
    const hostPart = slash === -1 ? pattern : pattern.slice(0, slash);
    const pathPart = slash === -1 ? void 0 : pattern.slice(slash);
    const rule = { signature };
    if (pathPart) rule.path = new RegExp("^" + pathPart.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]+"), "i");
    const wild = hostPart.startsWith("*.");
    const host = normaliseHost(wild ? hostPart.slice(2) : hostPart);
    const map = wild ? this.wildcard : this.exact;
    const list = map.get(host) ?? [];
    list.push(rule);
    map.set(host, list);
  }
  /** Signature for a host (and optional URL path): exact host first, then each parent domain's wildcard. */
  matchHost(untrustedHost, path) {
    const host = normaliseHost(untrustedHost);
    if (!host) return void 0;
    const hit = pick(this.exact.get(host), path);
    if (hit) return { signature: hit, host };
    for (let i = host.indexOf("."); i !== -1; i = host.indexOf(".", i + 1)) {
      const w = pick(this.wildcard.get(host.slice(i + 1)), path);
      if (w) return { signature: w, host };
    }
    return void 0;
  }
  /** Signature for an absolute (or protocol-relative, or stun:/turn:) URL. */
  matchUrl(untrustedUrl) {
    const u = parseUrl(untrustedUrl);
    return u ? this.matchHost(u.host, u.path) : void 0;
  }
  /** First vendor key/DSN shape found in a string. */
  matchKey(untrustedText) {
    if (!this.keyRe || untrustedText.length > 8192) return void 0;
    const m = this.keyRe.exec(untrustedText);
    if (!m?.groups) return void 0;
    for (const name in m.groups) {
      const v = m.groups[name];
      if (v !== void 0) return { signature: this.keyOwners[Number(name.slice(1))], key: redactKey(v) };
    }
    return void 0;
  }
  /** Signature owning an npm package (`@sentry/node/preload` → `@sentry/node`). */
  packageSignature(specifier) {
    const pkg = packageOf2(specifier);
    const signature = this.packages.get(pkg);
    return signature ? { signature, pkg } : void 0;
  }
  /** How a call/new/import on a package starts its SDK, if it does. */
  initFor(pkg, kind, path) {
    return this.inits.get(`${pkg}\0${kind}\0${path.join(".")}`)?.[0];
  }
  /** Whether importing `specifier` alone starts an SDK (`newrelic`, `dd-trace/init`). */
  initByImport(specifier) {
    return this.inits.get(`import:${specifier}`)?.[0] ?? this.inits.get(`${packageOf2(specifier)}\0import\0`)?.[0];
  }
  /** Page-snippet global that starts an SDK (`gtag`, `posthog.init`). Cheap reject on the first segment. */
  globalInit(path) {
    if (!path.length || !this.globalRoots.has(path[0])) return void 0;
    return this.globals.get(path.join("."));
  }
};
function parseInit(raw, signature) {
  if (raw === "import") return { signature, kind: "import", path: "" };
  if (raw.startsWith("import:")) return { signature, kind: "import", path: raw.slice(7) };
  if (raw.startsWith("new:")) return { signature, kind: "new", path: raw.slice(4) };
  return { signature, kind: "call", path: raw === "()" ? "" : raw };
}
function pick(rules, path) {
  if (!rules) return void 0;
  for (const r of rules) {
    if (!r.path) return r.signature;
    if (path !== void 0 && r.path.test(path)) return r.signature;
  }
  return void 0;
}
function normaliseHost(untrustedHost) {
  let h = untrustedHost.toLowerCase();
  if (h.endsWith(".")) h = h.slice(0, -1);
  if (h.startsWith("[")) h = h.slice(1, -1);
  if (h.includes(":")) {
    try {
      h = new URL(`http://[${h}]/`).hostname.slice(1, -1);
    } catch {
    }
  }
  return h;
}
var URL_RE = /^([a-z][a-z0-9+.-]*:)?\/\/(?:[^@/?#\s]*@)?(\[[0-9a-f:.]+\]|[^/?#:\s[\]@]+)(?::(\d+))?([^?#\s]*)/i;
var STUN_RE = /^(stuns?|turns?):(?!\/\/)(\[[0-9a-f:.]+\]|[^:?\s/]+)(?::(\d+))?/i;
function parseUrl(untrustedUrl) {
  const m = URL_RE.exec(untrustedUrl);
  if (m) return { scheme: (m[1] ?? "").toLowerCase().replace(/:$/, ""), host: normaliseHost(m[2]), port: m[3] ? Number(m[3]) : void 0, path: m[4] || "/" };
  const s = STUN_RE.exec(untrustedUrl);
  if (s) return { scheme: s[1].toLowerCase(), host: normaliseHost(s[2]), port: s[3] ? Number(s[3]) : void 0, path: "/" };
  return void 0;
}
function packageOf2(specifier) {
  const s = specifier.startsWith("node:") ? specifier.slice(5) : specifier;
  const parts = s.split("/");
  return s.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}
function redactKey(key) {
  if (/^https?:\/\//i.test(key)) return key.replace(/\/\/([^@/]+)@/, (_m, user) => `//${user.slice(0, 4)}\u2026@`);
  return key.length > 12 ? key.slice(0, 8) + "\u2026" : key;
}
var shared;
function signatureMatcher() {
  shared ??= new SignatureMatcher(SIGNATURES);
  return shared;
}

// src/static/detectors/telemetry-endpoint.ts
var INVENTORY_CAP_PER_FILE = 20;
var MAX_CANDIDATES = 2e3;
var urlInventoryMeta = {
  id: "url-inventory",
  severity: "info",
  description: "External URL string that matches no signature",
  help: `Every external URL string in code that matches no known signature (docs links in error messages, licence URLs, XML namespaces, API base URLs). Informational: shown in JSON/HTML and with --show-info. One finding per host per file (at its first occurrence), at most ${INVENTORY_CAP_PER_FILE} hosts per file plus a summary line. A URL that reaches a sink is also reported by net-sink with its severity.`
};
var meta4 = {
  id: "telemetry-endpoint",
  severity: "violation",
  description: "Known telemetry, analytics, update-check or third-party endpoint",
  help: "A hard-coded URL, host or key that matches the signature database (crash reporting, product analytics, session replay, APM, update and licence checks, public IP/DNS/NTP/STUN services, CDNs, avatar, captcha and chat services). Reported even when the string does not visibly reach a sink, because strings reach sinks in ways the analysis cannot always follow. `details.signature` and `details.category` name the entry. Remove it, or make it configurable and off by default; allow it in the policy only with a reason."
};
var NETWORK_MODULES2 = /* @__PURE__ */ new Set(["http", "https", "http2", "net", "tls", "dgram", "dns"]);
var NETWORK_GLOBALS = /* @__PURE__ */ new Set(["fetch", "WebSocket", "EventSource", "WebTransport", "RTCPeerConnection", "navigator.sendBeacon", "XMLHttpRequest", "importScripts", "Worker", "Image"]);
var EVAL_LIKE = /* @__PURE__ */ new Set(["eval", "Function", "setTimeout", "setInterval", "execScript"]);
var HOST_KEYS = /^(host|hostname|servername|server|servers|address|url|urls|uri|endpoint|origin|baseURL|baseUrl|iceServers|nameservers|resolvers)$/;
var BARE_HOST = /^(?:[a-z0-9-]+\.)+[a-z]{2,}\.?$|^\d{1,3}(?:\.\d{1,3}){3}$|^[0-9a-f]*:[0-9a-f:]+$/i;
var EMBEDDED_URL = /(?:\b[a-z][a-z0-9+.-]*:)?\/\/[^\s'"`<>()\\]+/gi;
var telemetry_endpoint_default = {
  meta: meta4,
  detect(ctx) {
    const matcher = signatureMatcher();
    const hits = /* @__PURE__ */ new Map();
    const candidates = [];
    const sinkRanges = [];
    const sinkUrls = /* @__PURE__ */ new Set();
    const noteHit = (node, match, key, url) => {
      const sig = (match ?? key).signature;
      const id = `${sig.id}\0${match?.host ?? key?.key}`;
      const seen = hits.get(id);
      if (seen) {
        seen.count++;
        return;
      }
      hits.set(id, { node, match, key, url, count: 1 });
    };
    const noteInventory = (node, url, host) => {
      if (candidates.length < MAX_CANDIDATES) candidates.push({ node, url, host });
    };
    const noteSink = (node, args, scope) => {
      sinkRanges.push([node.start, node.end]);
      for (const a of args.slice(0, 2)) {
        const d = ctx.destination(a, scope);
        if (d.url) sinkUrls.add(d.url.replace(/…$/, ""));
      }
    };
    const reachesSink = (c) => sinkRanges.some(([s, e]) => c.node.start >= s && c.node.end <= e) || [...sinkUrls].some((u) => u && (u.startsWith(c.url) || c.url.startsWith(u)));
    const checkUrlText = (node, value) => {
      let matchedAny = false;
      const key = matcher.matchKey(value);
      const urls = urlsIn(value);
      const unmatched = [];
      for (const url of urls) {
        const u = parseUrl(url);
        if (!u || !u.host || u.host.includes("$")) continue;
        const match = matcher.matchHost(u.host, u.path);
        if (match) {
          noteHit(node, match, key?.signature === match.signature ? key : void 0, url);
          matchedAny = true;
        } else if (/^(https?|wss?|ftp)$/.test(u.scheme) && !isLocalHost(u.host)) unmatched.push([url, u.host]);
      }
      if (!matchedAny && key) {
        noteHit(node, void 0, key, urls[0]);
        return;
      }
      for (const [url, host] of unmatched) noteInventory(node, url, host);
    };
    const checkArgs = (args, scope) => {
      const stack = [];
      for (let i = Math.min(args.length, 4) - 1; i >= 0; i--) stack.push([args[i], 0]);
      while (stack.length) {
        const [n, depth] = stack.pop();
        if (!n || depth > 3) continue;
        if (n.type === "Literal" && typeof n.value === "string") checkBare(n, n.value);
        else if (n.type === "Identifier") {
          const v = ctx.evaluate(n, scope);
          if (v.t === "str" && !v.partial) checkBare(n, v.v);
        } else if (n.type === "ArrayExpression") {
          for (const el of n.elements.slice(0, 16)) if (el) stack.push([el, depth + 1]);
        } else if (n.type === "ObjectExpression") {
          for (const p of n.properties.slice(0, 32)) {
            if (p.type !== "Property" || p.computed) continue;
            const k = p.key.type === "Identifier" ? p.key.name : String(p.key.value);
            if (HOST_KEYS.test(k)) stack.push([p.value, depth + 1]);
          }
        }
      }
    };
    const checkBare = (node, value) => {
      if (value.length > 255 || value.includes("//")) return;
      if (/^(stuns?|turns?):/i.test(value)) {
        const match2 = matcher.matchUrl(value);
        if (match2) noteHit(node, match2, void 0, value);
        return;
      }
      if (!BARE_HOST.test(value)) return;
      const match = matcher.matchHost(value);
      if (match) noteHit(node, match, void 0, void 0);
    };
    const isNetworkCallee = (callee) => {
      if (callee.t === "inst") return true;
      if (callee.t === "mod") return NETWORK_MODULES2.has(callee.mod) || CLIENT_PACKAGES.has(callee.mod) || !!matcher.packageSignature(callee.mod);
      if (callee.t === "glob") return NETWORK_GLOBALS.has(callee.path.join("."));
      return false;
    };
    return {
      UrlString(node, _scope, value) {
        checkUrlText(node, value);
      },
      CallExpression(node, scope, { callee, args }) {
        if (!args.length) return;
        if (callee.t === "mod" && callee.mod === "child_process") {
          sinkRanges.push([node.start, node.end]);
          return;
        }
        if (callee.t === "glob" && EVAL_LIKE.has(callee.path.join("."))) {
          sinkRanges.push([node.start, node.end]);
          return;
        }
        if (!isNetworkCallee(callee)) return;
        checkArgs(args, scope);
        noteSink(node, args, scope);
      },
      NewExpression(node, scope, { callee, args }) {
        if (args.length && callee.t === "glob" && EVAL_LIKE.has(callee.path.join("."))) {
          sinkRanges.push([node.start, node.end]);
          return;
        }
        if (!args.length || !isNetworkCallee(callee)) return;
        checkArgs(args, scope);
        noteSink(node, args, scope);
      },
      end() {
        for (const h of hits.values()) {
          const sig = (h.match ?? h.key).signature;
          const host = h.match?.host ?? (h.url ? parseUrl(h.url)?.host : void 0);
          const destination = { provenance: host && isLocalHost(host) ? "hard-coded-local" : "hard-coded-external" };
          if (h.url) destination.url = h.url.length > 300 ? h.url.slice(0, 300) + "\u2026" : h.url;
          if (host) destination.host = host;
          const what = h.match ? `${h.url ? "URL" : "host"} ${h.url ?? h.match.host}` : `key ${h.key.key}`;
          const details = { signature: sig.id, category: sig.category, vendor: sig.vendor };
          if (h.key) details.key = h.key.key;
          ctx.report(h.node, {
            message: `${sig.vendor} (${sig.category}): ${what}${h.count > 1 ? ` (${h.count} occurrences in this file)` : ""}`,
            api: "hard-coded endpoint",
            destination,
            severity: "violation",
            details
          });
        }
        const inventory = /* @__PURE__ */ new Map();
        let uninventoried = 0;
        for (const c of candidates) {
          if (reachesSink(c)) continue;
          const seen = inventory.get(c.host);
          if (seen) seen.count++;
          else if (inventory.size >= INVENTORY_CAP_PER_FILE) uninventoried++;
          else inventory.set(c.host, { node: c.node, url: c.url, count: 1 });
        }
        for (const [host, inv] of inventory) {
          ctx.report(inv.node, {
            rule: "url-inventory",
            message: `URL ${inv.url.length > 200 ? inv.url.slice(0, 200) + "\u2026" : inv.url} matches no signature${inv.count > 1 ? ` (${inv.count} strings with this host in this file)` : ""}`,
            destination: { url: inv.url.slice(0, 300), host, provenance: "hard-coded-external" },
            severity: "info"
          });
        }
        if (uninventoried > 0) {
          const first = inventory.values().next().value;
          ctx.report(first.node, {
            rule: "url-inventory",
            message: `${uninventoried} more URL string(s) on other hosts in this file, not listed (inventory keeps ${INVENTORY_CAP_PER_FILE} hosts per file)`,
            severity: "info"
          });
        }
      }
    };
  }
};
function urlsIn(value) {
  if (parseUrl(value) && !/\s/.test(value)) return [value];
  const out2 = [];
  EMBEDDED_URL.lastIndex = 0;
  for (let m = EMBEDDED_URL.exec(value); m && out2.length < 8; m = EMBEDDED_URL.exec(value)) {
    if (m[0].startsWith("//") && m.index > 0 && /[\w:/]/.test(value[m.index - 1])) continue;
    out2.push(m[0].replace(/[.,;:!?]+$/, ""));
  }
  return out2;
}

// src/static/detectors/telemetry-sdk.ts
var meta5 = {
  id: "telemetry-sdk",
  severity: "violation",
  description: "Known telemetry or analytics SDK started",
  help: 'A crash-reporting, analytics, session-replay, APM, feature-flag or similar SDK from the signature database is imported and started (Sentry.init, posthog.init, new PostHog, analytics.load, mixpanel.init, dd-trace init, require("newrelic"), a gtag snippet\u2026). Started with a hard-coded key, DSN or URL it is a violation; started only with configured values (env, config, parameters) or its defaults it is for review, since the customer then decides whether it sends. An SDK imported but not started in the same file is informational.'
};
var SNIPPET_FUNCTIONS = /* @__PURE__ */ new Set(["gtag"]);
var DEST_OPTION = /dsn|url|uri|host|endpoint|server|api|key|token|secret|site|region|project|org|app_?id|application|client|write|measurement|tracking|connection|instrumentation|collector|ingest|domain|account|workspace|tenant|environment_?id/i;
var telemetry_sdk_default = {
  meta: meta5,
  detect(ctx) {
    const matcher = signatureMatcher();
    const starts = [];
    const imports = /* @__PURE__ */ new Map();
    const classify = (args, scope, skipCommandWords) => {
      const out2 = { hardcoded: [], configured: [] };
      const consider = (v, label, depth) => {
        switch (v.t) {
          case "str": {
            if (!v.v) return;
            if (skipCommandWords && !v.partial && /^[a-z_]{1,16}$/.test(v.v) && label.startsWith("argument")) return;
            const key = matcher.matchKey(v.v);
            if (key && !out2.key) out2.key = key;
            const u = parseUrl(v.v);
            if (u) {
              const local = isLocalHost(u.host);
              out2.destination ??= { url: v.partial ? v.v + "\u2026" : v.v, host: u.host, provenance: local ? "hard-coded-local" : "hard-coded-external" };
              if (!local) out2.hardcoded.push(`${label} ${v.v}${v.partial ? "\u2026" : ""}`);
              return;
            }
            if (v.partial) {
              out2.configured.push(`${label} (${v.source ?? "built at run time"})`);
              return;
            }
            out2.hardcoded.push(`${label} '${v.v.length > 24 ? v.v.slice(0, 8) + "\u2026" : v.v}'`);
            return;
          }
          case "num":
            if (Number.isInteger(v.v) && v.v >= 1e3) out2.hardcoded.push(`${label} ${v.v}`);
            return;
          case "dyn":
            out2.configured.push(`${label} (${v.source})`);
            if (/dsn|url|uri|host|endpoint|server|site|region|collector|ingest/i.test(label)) out2.destination ??= { provenance: "dynamic", source: v.source };
            return;
          case "obj": {
            if (depth > 2) return;
            for (const p of v.node.properties ?? []) {
              if (p.type !== "Property" || p.computed || p.kind !== "init") continue;
              const k = p.key.type === "Identifier" ? p.key.name : String(p.key.value);
              if (!DEST_OPTION.test(k)) continue;
              consider(ctx.evaluate(p.value, v.scope), k, depth + 1);
            }
            return;
          }
          default:
            return;
        }
      };
      args.slice(0, 3).forEach((a, i) => consider(ctx.evaluate(a, scope), `argument ${i + 1}`, 0));
      return out2;
    };
    const started = (node, sig, api, args, scope, viaGlobal) => {
      const c = classify(args, scope, viaGlobal);
      const key = c.key;
      let severity;
      let how;
      let destination = c.destination;
      if (c.hardcoded.length) {
        severity = "violation";
        how = `with hard-coded ${c.hardcoded.slice(0, 2).join(", ")}`;
        destination ??= defaultDestination(sig);
      } else if (destination?.provenance === "hard-coded-local") {
        severity = "info";
        how = "sending to a local destination";
      } else {
        severity = "review";
        how = c.configured.length ? `with configured ${c.configured.slice(0, 2).join(", ")}` : "with its defaults or environment settings";
        destination ??= { provenance: "dynamic", source: c.configured[0] ?? "SDK configuration (env or defaults)" };
      }
      starts.push({ node, sig, api, severity, message: `${sig.vendor} SDK started (${api}) ${how}`, destination, key });
    };
    const noteImport = (node, specifier) => {
      const ps = matcher.packageSignature(specifier);
      if (!ps) return;
      if (!imports.has(ps.pkg)) imports.set(ps.pkg, { node, sig: ps.signature });
      const byImport = matcher.initByImport(specifier);
      if (byImport) {
        starts.push({
          node,
          sig: byImport.signature,
          api: `import ${specifier}`,
          severity: "review",
          message: `${byImport.signature.vendor} SDK started by loading ${specifier} (configured by its config file or environment)`,
          destination: { provenance: "dynamic", source: `${specifier} configuration` }
        });
      }
    };
    const onModule = (node, scope, callee, args, kind) => {
      const ps = matcher.packageSignature(callee.mod);
      if (!ps) return;
      const spec = matcher.initFor(ps.pkg, kind, callee.path);
      if (!spec) return;
      const api = `${kind === "new" ? "new " : ""}${[ps.pkg, ...callee.path].join(".")}`;
      started(node, spec.signature, api, args, scope, false);
    };
    return {
      ImportDeclaration(node) {
        noteImport(node, String(node.source.value));
      },
      ImportExpression(node, scope) {
        const v = ctx.evaluate(node.source, scope);
        if (v.t === "str" && !v.partial) noteImport(node, v.v);
      },
      CallExpression(node, scope, { callee, args }) {
        if (callee.t === "req") {
          const v = ctx.evaluate(args[0], scope);
          if (v.t === "str" && !v.partial) noteImport(node, v.v);
        } else if (callee.t === "mod") onModule(node, scope, callee, args, "call");
        else if (callee.t === "glob") {
          const sig = matcher.globalInit(callee.path);
          if (sig) started(node, sig, callee.path.join("."), args, scope, true);
        } else if (callee.t === "fn" && node.callee.type === "Identifier" && SNIPPET_FUNCTIONS.has(node.callee.name)) {
          const sig = matcher.globalInit([node.callee.name]);
          if (sig) started(node, sig, node.callee.name, args, scope, true);
        }
      },
      NewExpression(node, scope, { callee, args }) {
        if (callee.t === "mod") onModule(node, scope, callee, args, "new");
      },
      end() {
        const rank = { violation: 0, review: 1, info: 2 };
        const bySig = /* @__PURE__ */ new Map();
        for (const s of starts) bySig.set(s.sig.id, [...bySig.get(s.sig.id) ?? [], s]);
        for (const list of bySig.values()) {
          const best = list.reduce((a, b) => rank[b.severity] < rank[a.severity] ? b : a);
          const details = { signature: best.sig.id, category: best.sig.category, vendor: best.sig.vendor };
          if (best.key) details.key = best.key.key;
          ctx.report(best.node, {
            message: best.message + (list.length > 1 ? ` (${list.length} start calls in this file)` : ""),
            api: best.api,
            destination: best.destination,
            severity: best.severity,
            details
          });
        }
        for (const [pkg, imp] of imports) {
          if (bySig.has(imp.sig.id)) continue;
          ctx.report(imp.node, {
            message: `imports ${pkg} (${imp.sig.vendor}, ${imp.sig.category}); not started in this file`,
            api: pkg,
            severity: "info",
            details: { signature: imp.sig.id, category: imp.sig.category, vendor: imp.sig.vendor }
          });
        }
      }
    };
  }
};
function defaultDestination(sig) {
  const host = sig.hosts.find((h) => !h.includes("*") && !h.includes("/"));
  return host ? { host, provenance: "hard-coded-external", source: `${sig.vendor} SDK default endpoint` } : void 0;
}

// src/static/scope.ts
function newScope(parent, fn, isFunctionScope) {
  return { parent, vars: /* @__PURE__ */ new Map(), fn, isFunctionScope };
}
function functionScopeOf(s) {
  let cur = s;
  while (!cur.isFunctionScope && cur.parent) cur = cur.parent;
  return cur;
}
function lookup(scope, name) {
  for (let s = scope; s; s = s.parent) {
    const b = s.vars.get(name);
    if (b) return b;
  }
  return void 0;
}
function declare(target, b) {
  const existing = target.vars.get(b.name);
  if (existing && existing.kind !== "param") {
    if (b.init) existing.assignments.push({ value: b.init, scope: b.declScope });
    return;
  }
  const full = b;
  full.assignments = [];
  full.opaqueWrite = false;
  target.vars.set(b.name, full);
}
function declarePattern(pattern, kind, target, declScope, init, path, extra, later) {
  const stack = [[pattern, path, void 0]];
  while (stack.length) {
    const [p, pth, dflt] = stack.pop();
    if (!p) continue;
    switch (p.type) {
      case "Identifier":
        declare(target, { name: p.name, kind, declScope, node: p, init, path: pth.length ? pth : void 0, defaultValue: dflt, ...extra });
        break;
      case "ObjectPattern":
        for (const prop of p.properties) {
          if (prop.type === "RestElement") {
            stack.push([prop.argument, [...pth, "\u2026"], void 0]);
            continue;
          }
          let key;
          if (!prop.computed && prop.key.type === "Identifier") key = prop.key.name;
          else if (prop.key.type === "Literal") key = String(prop.key.value);
          else {
            key = "?";
            later.push([prop.key, declScope]);
          }
          stack.push([prop.value, [...pth, key], void 0]);
        }
        break;
      case "ArrayPattern":
        p.elements.forEach((el, i) => {
          if (el) stack.push([el.type === "RestElement" ? el.argument : el, [...pth, el.type === "RestElement" ? "\u2026" : String(i)], void 0]);
        });
        break;
      case "AssignmentPattern":
        later.push([p.right, declScope]);
        stack.push([p.left, pth, p.right]);
        break;
      case "RestElement":
        stack.push([p.argument, [...pth, "\u2026"], void 0]);
        break;
      default:
        later.push([p, declScope]);
    }
  }
}
function patternNames(p, out2) {
  const stack = [p];
  while (stack.length) {
    const n = stack.pop();
    if (!n) continue;
    if (n.type === "Identifier") out2.push(n.name);
    else if (n.type === "ObjectPattern") for (const pr of n.properties) stack.push(pr.type === "RestElement" ? pr.argument : pr.value);
    else if (n.type === "ArrayPattern") for (const el of n.elements) stack.push(el);
    else if (n.type === "AssignmentPattern") stack.push(n.left);
    else if (n.type === "RestElement") stack.push(n.argument);
  }
}
var CANDIDATE_TYPES = /* @__PURE__ */ new Set(["CallExpression", "NewExpression", "ImportExpression", "ImportDeclaration"]);
function isUrlLike(s) {
  return s.length > 4 && s.length < 4096 && (s.includes("://") || s.startsWith("//"));
}
function collectFacts(ast) {
  const program = newScope(null, null, true);
  const facts = {
    program,
    candidates: [],
    fnScopes: /* @__PURE__ */ new Map(),
    thenImports: /* @__PURE__ */ new Map(),
    classOf: /* @__PURE__ */ new Map(),
    classThis: /* @__PURE__ */ new Map(),
    ctorOf: /* @__PURE__ */ new Map(),
    fnNames: /* @__PURE__ */ new Map(),
    exportsAssign: [],
    exportNames: /* @__PURE__ */ new Map()
  };
  const writes = [];
  const nodes = [ast];
  const scopes = [program];
  const push = (n, s) => {
    if (n) {
      nodes.push(n);
      scopes.push(s);
    }
  };
  const pushAll = (arr, s) => {
    for (let i = arr.length - 1; i >= 0; i--) {
      const n = arr[i];
      if (n) {
        nodes.push(n);
        scopes.push(s);
      }
    }
  };
  while (nodes.length) {
    const node = nodes.pop();
    const scope = scopes.pop();
    if (CANDIDATE_TYPES.has(node.type)) facts.candidates.push({ node, scope });
    switch (node.type) {
      case "Program":
        pushAll(node.body, scope);
        break;
      case "ExpressionStatement":
      case "ChainExpression":
      case "ParenthesizedExpression":
        push(node.expression, scope);
        break;
      case "BlockStatement":
      case "StaticBlock": {
        const s = node.body.some(declaresInBlock) ? newScope(scope, scope.fn, false) : scope;
        pushAll(node.body, s);
        break;
      }
      case "IfStatement":
      case "ConditionalExpression":
        push(node.alternate, scope);
        push(node.consequent, scope);
        push(node.test, scope);
        break;
      case "ReturnStatement":
      case "ThrowStatement":
      case "SpreadElement":
      case "AwaitExpression":
      case "YieldExpression":
      case "UnaryExpression":
        push(node.argument, scope);
        break;
      case "BinaryExpression":
      case "LogicalExpression":
        push(node.right, scope);
        push(node.left, scope);
        break;
      case "ObjectExpression":
        pushAll(node.properties, scope);
        break;
      case "ArrayExpression":
        pushAll(node.elements, scope);
        break;
      case "SequenceExpression":
        pushAll(node.expressions, scope);
        break;
      case "FunctionDeclaration":
      case "FunctionExpression":
      case "ArrowFunctionExpression": {
        const fs = newScope(scope, node, true);
        facts.fnScopes.set(node, fs);
        if (node.id) {
          if (node.type === "FunctionDeclaration") declare(functionScopeOf(scope), { name: node.id.name, kind: "function", declScope: scope, node: node.id, fn: node });
          else declare(fs, { name: node.id.name, kind: "function", declScope: scope, node: node.id, fn: node });
        }
        const later = [];
        node.params.forEach((p, i) => declarePattern(p, "param", fs, fs, void 0, [], { fn: node, paramIndex: i }, later));
        for (const [n, s] of later) push(n, s);
        if (node.body.type === "BlockStatement") pushAll(node.body.body, fs);
        else push(node.body, fs);
        break;
      }
      case "VariableDeclaration": {
        const kind = node.kind === "var" ? "var" : node.kind === "const" ? "const" : "let";
        const target = kind === "var" ? functionScopeOf(scope) : scope;
        for (const d of node.declarations) {
          const later = [];
          declarePattern(d.id, kind, target, scope, d.init ?? void 0, [], {}, later);
          if (d.id.type === "Identifier" && d.init && (d.init.type === "ArrowFunctionExpression" || d.init.type === "FunctionExpression")) facts.fnNames.set(d.init, d.id.name);
          for (const [n, s] of later) push(n, s);
          push(d.init, scope);
        }
        break;
      }
      case "ClassDeclaration":
      case "ClassExpression": {
        if (node.id && node.type === "ClassDeclaration") declare(scope, { name: node.id.name, kind: "class", declScope: scope, node: node.id, fn: node });
        push(node.superClass, scope);
        const cs = newScope(scope, scope.fn, false);
        if (node.id && node.type === "ClassExpression") declare(cs, { name: node.id.name, kind: "class", declScope: scope, node: node.id, fn: node });
        const fields = /* @__PURE__ */ new Map();
        facts.classThis.set(node, fields);
        for (const el of node.body.body) {
          if (el.computed) push(el.key, cs);
          if (el.type === "StaticBlock") {
            push(el, cs);
            continue;
          }
          const keyName = !el.computed && el.key ? el.key.type === "Identifier" || el.key.type === "PrivateIdentifier" ? (el.key.type === "PrivateIdentifier" ? "#" : "") + el.key.name : el.key.type === "Literal" ? String(el.key.value) : void 0 : void 0;
          if (el.type === "MethodDefinition" && el.value) {
            facts.classOf.set(el.value, node);
            if (el.kind === "constructor") facts.ctorOf.set(node, el.value);
          } else if (el.type === "PropertyDefinition" && !el.static && keyName && el.value) {
            fields.set(keyName, { value: el.value, scope: cs });
          }
          push(el.value, cs);
        }
        break;
      }
      case "ImportDeclaration": {
        const source = String(node.source.value);
        for (const spec of node.specifiers) {
          const imported = spec.type === "ImportDefaultSpecifier" ? "default" : spec.type === "ImportNamespaceSpecifier" ? "*" : spec.imported.type === "Identifier" ? spec.imported.name : String(spec.imported.value);
          declare(program, { name: spec.local.name, kind: "import", declScope: program, node: spec.local, importSource: source, imported });
        }
        break;
      }
      case "ExportNamedDeclaration":
        if (node.declaration) {
          push(node.declaration, scope);
          const d = node.declaration;
          if (d.type === "VariableDeclaration") for (const v of d.declarations) {
            const names = [];
            patternNames(v.id, names);
            for (const n of names) facts.exportNames.set(n, n);
          }
          else if (d.id) facts.exportNames.set(d.id.name, d.id.name);
        }
        for (const spec of node.specifiers ?? []) {
          if (!node.source && spec.local.type === "Identifier") facts.exportNames.set(spec.exported.name ?? String(spec.exported.value), spec.local.name);
        }
        break;
      case "ExportDefaultDeclaration":
        if (node.declaration.type === "Identifier") facts.exportNames.set("default", node.declaration.name);
        else facts.exportsAssign.push({ name: "default", value: node.declaration, scope });
        push(node.declaration, scope);
        break;
      case "ExportAllDeclaration":
        break;
      case "CatchClause": {
        const s = newScope(scope, scope.fn, false);
        if (node.param) {
          const later = [];
          declarePattern(node.param, "catch", s, s, void 0, [], {}, later);
          for (const [n, sc] of later) push(n, sc);
        }
        pushAll(node.body.body, s);
        break;
      }
      case "ForStatement":
      case "ForInStatement":
      case "ForOfStatement": {
        const s = newScope(scope, scope.fn, false);
        push(node.body, s);
        push(node.update, s);
        push(node.test, s);
        push(node.right, s);
        const left = node.init ?? node.left;
        if (left?.type === "VariableDeclaration" && node.type !== "ForStatement") {
          const target = left.kind === "var" ? functionScopeOf(scope) : s;
          for (const d of left.declarations) {
            const names = [];
            patternNames(d.id, names);
            for (const n of names) {
              declare(target, { name: n, kind: left.kind === "const" ? "let" : left.kind, declScope: s, node: d.id });
              writes.push({ scope: s, name: n, value: null });
            }
          }
        } else if (left && node.type !== "ForStatement" && left.type !== "VariableDeclaration") {
          const names = [];
          patternNames(left, names);
          for (const n of names) writes.push({ scope: s, name: n, value: null });
          if (left.type === "MemberExpression") push(left, s);
        } else push(left, s);
        break;
      }
      case "SwitchStatement": {
        push(node.discriminant, scope);
        const s = newScope(scope, scope.fn, false);
        for (let i = node.cases.length - 1; i >= 0; i--) {
          const c = node.cases[i];
          pushAll(c.consequent, s);
          push(c.test, s);
        }
        break;
      }
      case "AssignmentExpression": {
        const left = node.left;
        if (left.type === "Identifier") {
          writes.push({ scope, name: left.name, value: node.operator === "=" ? node.right : null });
        } else if (left.type === "MemberExpression") {
          facts.candidates.push({ node, scope });
          recordExportAssign(node, scope, facts);
          if (left.object.type === "ThisExpression" && !left.computed && node.operator === "=" && scope.fn) {
            const cls = facts.classOf.get(scope.fn);
            if (cls && facts.ctorOf.get(cls) === scope.fn) {
              const key = (left.property.type === "PrivateIdentifier" ? "#" : "") + left.property.name;
              const fields = facts.classThis.get(cls);
              if (fields.has(key)) fields.set(key, { value: { type: "Identifier", name: "\0ambiguous" }, scope });
              else fields.set(key, { value: node.right, scope });
            }
          }
          push(left.object, scope);
          if (left.computed) push(left.property, scope);
        } else {
          const names = [];
          patternNames(left, names);
          for (const n of names) writes.push({ scope, name: n, value: null });
          pushPatternExpressions(left, scope, push);
        }
        push(node.right, scope);
        break;
      }
      case "UpdateExpression":
        if (node.argument.type === "Identifier") writes.push({ scope, name: node.argument.name, value: null });
        else push(node.argument, scope);
        break;
      case "MemberExpression":
        if (node.computed) {
          facts.candidates.push({ node, scope });
          push(node.property, scope);
        }
        push(node.object, scope);
        break;
      case "CallExpression":
      case "NewExpression": {
        const cal = node.callee;
        if (cal.type === "MemberExpression" && !cal.computed && cal.property.name === "then" && cal.object.type === "ImportExpression") {
          const cb = node.arguments[0];
          if (cb && (cb.type === "ArrowFunctionExpression" || cb.type === "FunctionExpression")) facts.thenImports.set(cb, cal.object);
        }
        pushAll(node.arguments, scope);
        push(node.callee, scope);
        break;
      }
      case "Property":
        if (node.computed) push(node.key, scope);
        push(node.value, scope);
        break;
      case "Literal":
        if (typeof node.value === "string" && isUrlLike(node.value)) facts.candidates.push({ node, scope });
        break;
      case "TemplateLiteral":
        if (node.quasis.some((q) => isUrlLike(q.value.cooked ?? q.value.raw))) facts.candidates.push({ node, scope });
        pushAll(node.expressions, scope);
        break;
      case "Identifier":
      case "ThisExpression":
      case "Super":
      case "EmptyStatement":
      case "DebuggerStatement":
      case "BreakStatement":
      case "ContinueStatement":
      case "MetaProperty":
      case "PrivateIdentifier":
      case "TemplateElement":
        break;
      default:
        for (const key in node) {
          if (key === "type" || key === "start" || key === "end") continue;
          const v = node[key];
          if (v && typeof v === "object") {
            if (Array.isArray(v)) {
              for (let i = v.length - 1; i >= 0; i--) if (v[i] && typeof v[i].type === "string") push(v[i], scope);
            } else if (typeof v.type === "string") push(v, scope);
          }
        }
    }
  }
  for (const w of writes) {
    const b = lookup(w.scope, w.name);
    if (!b) continue;
    if (w.value) b.assignments.push({ value: w.value, scope: w.scope });
    else b.opaqueWrite = true;
  }
  return facts;
}
function declaresInBlock(st) {
  return st.type === "VariableDeclaration" && st.kind !== "var" || st.type === "ClassDeclaration" || st.type === "FunctionDeclaration";
}
function pushPatternExpressions(p, scope, push) {
  const stack = [p];
  while (stack.length) {
    const n = stack.pop();
    if (!n) continue;
    if (n.type === "MemberExpression") push(n, scope);
    else if (n.type === "ObjectPattern") for (const pr of n.properties) {
      if (pr.computed) push(pr.key, scope);
      stack.push(pr.type === "RestElement" ? pr.argument : pr.value);
    }
    else if (n.type === "ArrayPattern") for (const el of n.elements) stack.push(el);
    else if (n.type === "AssignmentPattern") {
      stack.push(n.left);
      push(n.right, scope);
    } else if (n.type === "RestElement") stack.push(n.argument);
  }
}
function recordExportAssign(node, scope, facts) {
  const left = node.left;
  const obj = left.object;
  const prop = !left.computed && left.property.type === "Identifier" ? left.property.name : null;
  if (obj.type === "Identifier" && obj.name === "module" && prop === "exports") {
    facts.exportsAssign.push({ name: null, value: node.right, scope });
  } else if (prop && (obj.type === "Identifier" && obj.name === "exports" || obj.type === "MemberExpression" && !obj.computed && obj.object.type === "Identifier" && obj.object.name === "module" && obj.property.name === "exports")) {
    facts.exportsAssign.push({ name: prop, value: node.right, scope });
  }
}

// src/static/detectors/dom-resource.ts
var meta6 = {
  id: "dom-resource",
  severity: "review",
  description: "Browser code loads a URL through the DOM",
  help: "Setting src/href/action/data on a created element (image beacons, injected scripts and stylesheets, iframes), setAttribute with such a name, new Worker/SharedWorker(url) and navigator.serviceWorker.register(url) make the browser fetch the URL. Hard-coded external URLs are violations, configured ones are for review, same-origin and relative ones are informational."
};
var FETCHING_PROPS = {
  img: /* @__PURE__ */ new Set(["src", "srcset"]),
  image: /* @__PURE__ */ new Set(["src", "srcset"]),
  script: /* @__PURE__ */ new Set(["src"]),
  iframe: /* @__PURE__ */ new Set(["src"]),
  frame: /* @__PURE__ */ new Set(["src"]),
  link: /* @__PURE__ */ new Set(["href"]),
  audio: /* @__PURE__ */ new Set(["src"]),
  video: /* @__PURE__ */ new Set(["src", "poster"]),
  source: /* @__PURE__ */ new Set(["src", "srcset"]),
  embed: /* @__PURE__ */ new Set(["src"]),
  object: /* @__PURE__ */ new Set(["data"]),
  track: /* @__PURE__ */ new Set(["src"]),
  form: /* @__PURE__ */ new Set(["action"])
};
var ANY_ELEMENT_PROPS = /* @__PURE__ */ new Set(["src", "srcset"]);
var dom_resource_default = {
  meta: meta6,
  detect(ctx) {
    const elementTag = (node, scope, depth = 0) => {
      if (!node || depth > 3) return void 0;
      if (node.type === "NewExpression") {
        const c = ctx.evaluate(node.callee, scope);
        return c.t === "glob" && c.path.length === 1 && c.path[0] === "Image" ? "img" : void 0;
      }
      if (node.type === "CallExpression" && node.callee.type === "MemberExpression") {
        const c = ctx.evaluate(node.callee, scope);
        const name = c.t === "glob" ? c.path.join(".") : c.t === "dyn" ? c.source : "";
        if (/(^|\.)document\.createElement(NS)?$|^createElement(NS)?$/.test(name)) {
          const arg = ctx.evaluate(node.arguments[name.endsWith("NS") ? 1 : 0], scope);
          return arg.t === "str" && !arg.partial ? arg.v.toLowerCase() : "?";
        }
        return void 0;
      }
      if (node.type === "Identifier") {
        const b = lookup(scope, node.name);
        if (!b || b.opaqueWrite || b.assignments.length || !b.init || b.path) return void 0;
        return elementTag(b.init, b.declScope, depth + 1);
      }
      const v = ctx.evaluate(node, scope);
      if (v.t === "inst" && v.cls === "Image") return "img";
      return void 0;
    };
    const fetches = (tag, prop) => {
      if (!tag) return false;
      if (tag === "?") return ANY_ELEMENT_PROPS.has(prop);
      return FETCHING_PROPS[tag]?.has(prop) ?? false;
    };
    const sink = (node, api, valueNode, scope) => {
      if (valueNode?.type === "NewExpression" && valueNode.arguments[1]?.type === "MemberExpression" && valueNode.arguments[1].object.type === "MetaProperty") {
        const rel = ctx.evaluate(valueNode.arguments[0], scope);
        if (rel.t === "str" && !rel.partial && !/^[a-z][a-z0-9+.-]*:|^\/\//i.test(rel.v)) {
          ctx.report(node, { message: `${api} \u2192 ${rel.v} (relative to this module)`, api, destination: { url: rel.v, provenance: "hard-coded-local", source: "relative to import.meta.url" } });
          return;
        }
      }
      const v = ctx.evaluate(valueNode, scope);
      if (v.t === "str" && !v.partial && !/^[a-z][a-z0-9+.-]*:|^\/\//i.test(v.v)) {
        ctx.report(node, { message: `${api} \u2192 ${v.v} (relative to the page)`, api, destination: { url: v.v, provenance: "hard-coded-local", source: "relative URL (same origin)" } });
        return;
      }
      const dest = ctx.destination(valueNode, scope, "url");
      ctx.report(node, { message: `${api} \u2192 ${describeDestination(dest)}`, api, destination: dest });
    };
    return {
      AssignmentExpression(node, scope) {
        if (node.operator !== "=" || node.left.type !== "MemberExpression") return;
        const left = node.left;
        const prop = !left.computed && left.property.type === "Identifier" ? left.property.name : void 0;
        if (!prop || !(prop in { src: 1, srcset: 1, href: 1, data: 1, action: 1, poster: 1 })) return;
        const tag = elementTag(left.object, scope);
        if (!fetches(tag, prop)) return;
        sink(node, `${tag === "?" ? "element" : `<${tag}>`}.${prop}`, node.right, scope);
      },
      CallExpression(node, scope, { callee, args }) {
        if (callee.t === "glob" && callee.path.join(".") === "navigator.serviceWorker.register") return sink(node, "navigator.serviceWorker.register", args[0], scope);
        const c = node.callee;
        if (c.type !== "MemberExpression" || c.computed || c.property.name !== "setAttribute" || args.length < 2) return;
        const name = ctx.evaluate(args[0], scope);
        if (name.t !== "str" || name.partial) return;
        const attr = name.v.toLowerCase();
        const tag = elementTag(c.object, scope) ?? "?";
        if (!fetches(tag, attr)) return;
        sink(node, `${tag === "?" ? "element" : `<${tag}>`}.setAttribute('${attr}')`, args[1], scope);
      },
      NewExpression(node, scope, { callee, args }) {
        if (callee.t !== "glob" || callee.path.length !== 1) return;
        const g = callee.path[0];
        if (g === "Worker" || g === "SharedWorker") sink(node, `new ${g}`, args[0], scope);
      }
    };
  }
};

// src/static/detectors/index.ts
var detectors = [net_sink_default, child_process_network_default, opaque_code_default, telemetry_endpoint_default, telemetry_sdk_default, dom_resource_default];

// src/static/string-ops.ts
var MAX_LEN = 64 * 1024;
function strs(args) {
  const out2 = [];
  for (const a of args) {
    if (a.t === "str" && !a.partial) out2.push(a.v);
    else if (a.t === "num") out2.push(String(a.v));
    else return void 0;
  }
  return out2;
}
function str(v) {
  return v.length > MAX_LEN ? void 0 : { t: "str", v };
}
function decodeBase64(s) {
  if (!/^[A-Za-z0-9+/=_-\s]*$/.test(s)) return void 0;
  return Buffer.from(s, "base64").toString("utf8");
}
function applyGlobalStringFunction(name, args) {
  switch (name) {
    case "atob": {
      const a = strs(args.slice(0, 1));
      if (!a) return void 0;
      const d = decodeBase64(a[0]);
      return d === void 0 ? void 0 : str(Buffer.from(a[0], "base64").toString("latin1"));
    }
    case "btoa": {
      const a = strs(args.slice(0, 1));
      return a ? str(Buffer.from(a[0], "latin1").toString("base64")) : void 0;
    }
    case "String.fromCharCode":
    case "String.fromCodePoint": {
      if (args.length > 4096) return void 0;
      const codes = [];
      for (const a of args) {
        if (a.t !== "num" || !Number.isInteger(a.v) || a.v < 0 || a.v > 1114111) return void 0;
        codes.push(a.v);
      }
      return str(name === "String.fromCharCode" ? String.fromCharCode(...codes) : String.fromCodePoint(...codes));
    }
    case "decodeURIComponent":
    case "decodeURI":
    case "unescape": {
      const a = strs(args.slice(0, 1));
      if (!a) return void 0;
      try {
        return str(name === "decodeURI" ? decodeURI(a[0]) : decodeURIComponent(a[0]));
      } catch {
        return void 0;
      }
    }
    case "String": {
      const a = strs(args.slice(0, 1));
      return a ? str(a[0]) : void 0;
    }
    case "Buffer.from": {
      const a = args[0];
      const enc = args[1];
      if (a?.t === "str" && !a.partial) {
        const e = enc?.t === "str" ? enc.v : "utf8";
        if (!Buffer.isEncoding(e)) return void 0;
        return { t: "arr", items: [{ t: "str", v: Buffer.from(a.v, e).toString("latin1") }, { t: "str", v: "\0buffer" }] };
      }
      if (a?.t === "arr") {
        const nums = a.items.map((i) => i.t === "num" ? i.v : NaN);
        if (nums.some((n) => !Number.isInteger(n))) return void 0;
        return { t: "arr", items: [{ t: "str", v: Buffer.from(nums).toString("latin1") }, { t: "str", v: "\0buffer" }] };
      }
      return void 0;
    }
    default:
      return void 0;
  }
}
function isBuffer(v) {
  return v.t === "arr" && v.items.length === 2 && v.items[1].t === "str" && v.items[1].v === "\0buffer";
}
function applyStringMethod(recv, name, args) {
  if (isBuffer(recv)) {
    if (name !== "toString") return void 0;
    const bytes = Buffer.from(recv.items[0].v, "latin1");
    const e = args[0]?.t === "str" ? args[0].v : "utf8";
    return Buffer.isEncoding(e) ? str(bytes.toString(e)) : void 0;
  }
  if (recv.t === "arr") {
    if (recv.items.length > 4096) return void 0;
    switch (name) {
      case "join": {
        const sep2 = args[0] ? strs([args[0]]) : [","];
        const items = strs(recv.items);
        return sep2 && items ? str(items.join(sep2[0])) : void 0;
      }
      case "reverse":
        return { t: "arr", items: [...recv.items].reverse() };
      case "concat":
        return args.every((a2) => a2.t === "arr") ? { t: "arr", items: recv.items.concat(...args.map((a2) => a2.items)) } : void 0;
      case "map":
        return void 0;
      default:
        return void 0;
    }
  }
  if (recv.t !== "str" || recv.partial) return void 0;
  const s = recv.v;
  const a = strs(args);
  switch (name) {
    case "split": {
      if (!a || a.length < 1) return void 0;
      const parts = s.split(a[0]);
      return parts.length > 4096 ? void 0 : { t: "arr", items: parts.map((v) => ({ t: "str", v })) };
    }
    case "concat":
      return a ? str(s + a.join("")) : args.some((x) => x.t === "dyn") ? { t: "str", v: s, partial: true } : void 0;
    case "toLowerCase":
    case "toUpperCase":
    case "trim":
    case "trimStart":
    case "trimEnd":
    case "normalize":
    case "toString":
    case "valueOf":
      return str(s[name]());
    case "replace":
    case "replaceAll":
      return a && a.length === 2 ? str(name === "replace" ? s.replace(a[0], a[1]) : s.replaceAll(a[0], a[1])) : void 0;
    case "slice":
    case "substring":
    case "substr": {
      const nums = args.map((x) => x.t === "num" ? x.v : NaN);
      if (nums.some(Number.isNaN)) return void 0;
      return str(s[name](...nums));
    }
    case "repeat":
      return args[0]?.t === "num" && args[0].v < 1e3 ? str(s.repeat(args[0].v)) : void 0;
    case "charAt":
      return args[0]?.t === "num" ? str(s.charAt(args[0].v)) : void 0;
    default:
      return void 0;
  }
}

// src/static/fold.ts
var UNKNOWN = { t: "unknown" };
var GLOBAL_OBJECT_NAMES = /* @__PURE__ */ new Set(["globalThis", "global", "window", "self", "top", "frames", "parent"]);
var BUILTINS = /* @__PURE__ */ new Set([
  "http",
  "https",
  "http2",
  "net",
  "tls",
  "dgram",
  "dns",
  "dns/promises",
  "child_process",
  "vm",
  "module",
  "worker_threads",
  "fs",
  "path",
  "url",
  "util",
  "os",
  "crypto",
  "events",
  "stream",
  "buffer",
  "timers",
  "timers/promises",
  "process",
  "querystring",
  "zlib",
  "inspector",
  "cluster",
  "readline",
  "repl",
  "v8",
  "wasi",
  "diagnostics_channel",
  "async_hooks",
  "perf_hooks",
  "tty",
  "string_decoder",
  "assert",
  "punycode"
]);
function moduleVal(specifier) {
  let s = specifier.startsWith("node:") ? specifier.slice(5) : specifier;
  if (s === "dns/promises") return { t: "mod", mod: "dns", path: ["promises"] };
  if (s === "timers/promises") return { t: "mod", mod: "timers", path: ["promises"] };
  if (s.endsWith("/") && BUILTINS.has(s.slice(0, -1))) s = s.slice(0, -1);
  return { t: "mod", mod: s, path: [] };
}
function isRelative(specifier) {
  return specifier.startsWith("./") || specifier.startsWith("../") || specifier === "." || specifier === "..";
}
var MAX_DEPTH = 40;
var Folder = class {
  constructor(facts, moduleKind) {
    this.facts = facts;
    this.moduleKind = moduleKind;
  }
  facts;
  moduleKind;
  memo = /* @__PURE__ */ new Map();
  inProgress = /* @__PURE__ */ new Set();
  // Expression values are context-free here (a node always sees the same scope), so memoise by node.
  nodeMemo = /* @__PURE__ */ new Map();
  nodeInProgress = /* @__PURE__ */ new Set();
  depth = 0;
  /** Evaluation steps left for this file: hostile or huge input degrades to `unknown`, never hangs. */
  budget = 2e6;
  /** Cross-module hook: the value of export path `path` ([] = the whole module) of a first-party module. */
  resolveModule;
  /** Parameter bindings in force: a helper re-evaluated as called from one call site. */
  contexts = [];
  /**
   * Evaluates `thunk` as if `fn` had been called with `args` (evaluated in `scope`). Memo tables
   * are swapped out meanwhile: under a context the same node can fold to another value.
   */
  withCall(fn, args, scope, thunk) {
    if (this.contexts.length >= 4) return thunk();
    const saved = [this.memo, this.nodeMemo];
    this.memo = /* @__PURE__ */ new Map();
    this.nodeMemo = /* @__PURE__ */ new Map();
    this.contexts.push({ fn, args, scope });
    try {
      return thunk();
    } finally {
      this.contexts.pop();
      this.memo = saved[0];
      this.nodeMemo = saved[1];
    }
  }
  /** True while a helper is re-evaluated for one call site (parameters are bound then). */
  get inContext() {
    return this.contexts.length > 0;
  }
  paramFromContext(b) {
    for (let i = this.contexts.length - 1; i >= 0; i--) {
      const c = this.contexts[i];
      if (c.fn !== b.fn) continue;
      const argNode = c.args[b.paramIndex];
      if (argNode?.type === "SpreadElement") return UNKNOWN;
      const inner = this.contexts.splice(i);
      try {
        if (!argNode) return b.defaultValue ? this.evaluate(b.defaultValue, b.declScope) : { t: "nullish" };
        return this.evaluate(argNode, c.scope);
      } finally {
        this.contexts.push(...inner);
      }
    }
    return void 0;
  }
  evaluate(node, scope) {
    if (!node) return UNKNOWN;
    const hit = this.nodeMemo.get(node);
    if (hit) return hit;
    if (this.depth > MAX_DEPTH) return { t: "unknown", why: "too deep" };
    if (--this.budget < 0) return { t: "unknown", why: "analysis budget exhausted" };
    if (this.nodeInProgress.has(node)) return { t: "unknown", why: "cycle" };
    this.nodeInProgress.add(node);
    this.depth++;
    try {
      const v = this.eval(node, scope);
      if (!(v.t === "unknown" && (v.why === "too deep" || v.why === "cycle"))) this.nodeMemo.set(node, v);
      return v;
    } finally {
      this.depth--;
      this.nodeInProgress.delete(node);
    }
  }
  eval(node, scope) {
    switch (node.type) {
      case "Literal":
        if (typeof node.value === "string") return { t: "str", v: node.value };
        if (typeof node.value === "number") return { t: "num", v: node.value };
        if (typeof node.value === "boolean") return { t: "bool", v: node.value };
        if (node.value === null) return { t: "nullish" };
        return UNKNOWN;
      case "TemplateLiteral": {
        const parts = [];
        for (let i = 0; i < node.quasis.length; i++) {
          parts.push({ t: "str", v: node.quasis[i].value.cooked ?? node.quasis[i].value.raw });
          if (i < node.expressions.length) parts.push(this.evaluate(node.expressions[i], scope));
        }
        return concatAll(parts);
      }
      case "BinaryExpression":
        if (node.operator === "+") return concat(this.evaluate(node.left, scope), this.evaluate(node.right, scope));
        return UNKNOWN;
      case "Identifier":
        return this.identifier(node.name, scope);
      case "ThisExpression":
        return { t: "unknown", why: "this" };
      case "ParenthesizedExpression":
      case "ChainExpression":
        return this.evaluate(node.expression, scope);
      case "SequenceExpression":
        return this.evaluate(node.expressions[node.expressions.length - 1], scope);
      case "AwaitExpression":
        return this.evaluate(node.argument, scope);
      case "AssignmentExpression":
        return node.operator === "=" ? this.evaluate(node.right, scope) : UNKNOWN;
      case "ConditionalExpression":
        return merge(this.evaluate(node.consequent, scope), this.evaluate(node.alternate, scope));
      case "LogicalExpression": {
        const l = this.evaluate(node.left, scope);
        const r = this.evaluate(node.right, scope);
        if (node.operator === "&&") return r;
        if (l.t === "dyn") return l;
        if (l.t === "str" && !l.partial && l.v) return l;
        if (l.t === "nullish") return r;
        return merge(l, r);
      }
      case "MemberExpression":
        return this.member(node, scope);
      case "CallExpression":
        return this.call(node, scope);
      case "NewExpression":
        return this.construct(node, scope);
      case "ImportExpression": {
        const spec = this.evaluate(node.source, scope);
        return spec.t === "str" && !spec.partial ? moduleVal(spec.v) : { t: "unknown", why: "computed import()" };
      }
      case "ObjectExpression":
        return { t: "obj", node, scope, folder: this };
      case "ArrayExpression": {
        if (node.elements.length > 4096) return UNKNOWN;
        const items = [];
        for (const el of node.elements) {
          if (!el) items.push({ t: "nullish" });
          else if (el.type === "SpreadElement") return UNKNOWN;
          else items.push(this.evaluate(el, scope));
        }
        return { t: "arr", items };
      }
      case "FunctionExpression":
      case "ArrowFunctionExpression":
        return { t: "fn", node, scope: this.facts.fnScopes.get(node) ?? scope };
      case "ClassExpression":
        return UNKNOWN;
      case "UnaryExpression":
        if (node.operator === "void") return { t: "nullish" };
        if (node.operator === "-") {
          const v = this.evaluate(node.argument, scope);
          return v.t === "num" ? { t: "num", v: -v.v } : UNKNOWN;
        }
        return UNKNOWN;
      default:
        return UNKNOWN;
    }
  }
  identifier(name, scope) {
    const b = lookup(scope, name);
    if (!b) {
      if (name === "undefined") return { t: "nullish" };
      if (name === "require") return { t: "req" };
      if (GLOBAL_OBJECT_NAMES.has(name)) return { t: "glob", path: [] };
      return { t: "glob", path: [name] };
    }
    return this.binding(b);
  }
  binding(b) {
    const cached = this.memo.get(b);
    if (cached) return cached;
    if (this.inProgress.has(b)) return { t: "unknown", why: "cycle" };
    this.inProgress.add(b);
    let v;
    try {
      v = this.computeBinding(b);
    } finally {
      this.inProgress.delete(b);
    }
    this.memo.set(b, v);
    return v;
  }
  computeBinding(b) {
    if (b.opaqueWrite) return { t: "unknown", why: `${b.name} is reassigned` };
    let base2;
    switch (b.kind) {
      case "import": {
        if (isRelative(b.importSource) && this.resolveModule) {
          const hooked = this.resolveModule(b.importSource, b.imported === "*" ? [] : [b.imported]);
          if (hooked) return hooked;
        }
        const m = moduleVal(b.importSource);
        if (m.t !== "mod") return m;
        base2 = b.imported === "default" || b.imported === "*" ? m : { ...m, path: [...m.path, b.imported] };
        return base2;
      }
      case "param": {
        if (b.fn && b.paramIndex === 0 && !b.path && this.facts.thenImports.has(b.fn)) {
          return this.evaluate(this.facts.thenImports.get(b.fn), b.declScope);
        }
        const bound = this.paramFromContext(b);
        if (bound) return b.path ? this.memberPath(bound, b.path, b.name) : bound;
        if (b.defaultValue && b.paramIndex === void 0) return UNKNOWN;
        return { t: "dyn", source: `parameter ${b.name}`, params: b.fn ? [b.fn] : void 0 };
      }
      case "function":
        return { t: "fn", node: b.fn, scope: this.facts.fnScopes.get(b.fn) ?? b.declScope };
      case "class":
        return { t: "cls", node: b.fn, scope: b.declScope };
      case "catch":
        return UNKNOWN;
      default: {
        const defs = [];
        if (b.init) {
          let v = this.evaluate(b.init, b.declScope);
          if (b.path) v = this.memberPath(v, b.path, b.name);
          defs.push(v);
        }
        for (const a of b.assignments) defs.push(this.evaluate(a.value, a.scope));
        if (!defs.length) return b.kind === "var" || b.kind === "let" ? { t: "nullish" } : UNKNOWN;
        return defs.reduce(merge);
      }
    }
  }
  memberPath(v, path, label) {
    let cur = v;
    for (const k of path) {
      if (k === "\u2026" || k === "?") return cur.t === "glob" || cur.t === "mod" ? { t: "unknown", why: `rest of ${label}` } : UNKNOWN;
      cur = this.property(cur, k, label);
    }
    return cur;
  }
  member(node, scope) {
    if (node.object.type === "ThisExpression" && !node.computed) {
      const v = this.thisProperty(scope, (node.property.type === "PrivateIdentifier" ? "#" : "") + node.property.name);
      if (v) return v;
    }
    const obj = this.evaluate(node.object, scope);
    let key;
    if (!node.computed) key = node.property.type === "Identifier" ? node.property.name : void 0;
    else {
      const k = this.evaluate(node.property, scope);
      if (k.t === "str" && !k.partial) key = k.v;
      else if (k.t === "num") key = String(k.v);
    }
    if (key === void 0) {
      if (obj.t === "glob" && obj.path[0] === "process" && obj.path[1] === "env" && obj.path.length === 2) return { t: "dyn", source: "env (computed name)" };
      if (obj.t === "dyn") return obj;
      return { t: "unknown", why: "computed property" };
    }
    return this.property(obj, key, exprText(node.object));
  }
  /** `this.key` inside a class method: what the constructor or a field initialiser stored there. */
  thisProperty(scope, key) {
    let s = scope;
    while (s && s.fn && s.fn.type === "ArrowFunctionExpression") s = s.parent;
    const fn = s?.fn;
    if (!fn) return void 0;
    const cls = this.facts.classOf.get(fn);
    if (!cls) return void 0;
    const field = this.facts.classThis.get(cls)?.get(key);
    if (!field) return void 0;
    if (field.value.type === "Identifier" && field.value.name === "\0ambiguous") return { t: "unknown", why: `this.${key} is set more than once` };
    return this.evaluate(field.value, field.scope);
  }
  /** Reads property `key` of a value. */
  property(obj, key, label) {
    if (key === "constructor") {
      if (obj.t === "fn" || obj.t === "glob" && obj.path.length === 1 && /^[A-Z]/.test(obj.path[0])) return { t: "glob", path: ["Function"] };
      if (obj.t === "arr") return { t: "glob", path: ["Array"] };
      if (obj.t === "str") return { t: "glob", path: ["String"] };
      if (obj.t === "obj") return { t: "glob", path: ["Object"] };
      if (obj.t === "num") return { t: "glob", path: ["Number"] };
    }
    switch (obj.t) {
      case "mod": {
        if (key === "default" && obj.path.length === 0 && !isRelative(obj.mod)) return obj;
        if (isRelative(obj.mod) && this.resolveModule) {
          const hooked = this.resolveModule(obj.mod, [...obj.path, key]);
          if (hooked) return hooked;
        }
        return { t: "mod", mod: obj.mod, path: [...obj.path, key] };
      }
      case "glob": {
        if (obj.path.length === 0 && GLOBAL_OBJECT_NAMES.has(key)) return obj;
        const path = [...obj.path, key];
        if (path[0] === "process") {
          if (path[1] === "env" && path.length === 3) return { t: "dyn", source: `env ${key}` };
          if (path[1] === "argv") return { t: "dyn", source: "argv" };
        }
        if (path[0] === "module" && path[1] === "require" && path.length === 2 && this.moduleKind !== "module") return { t: "req" };
        if (path.length > 8) return UNKNOWN;
        return { t: "glob", path };
      }
      case "inst":
        return { ...obj, path: [...obj.path, key] };
      case "obj":
        return (obj.folder ?? this).objectProperty(obj.node, obj.scope, key);
      case "arr": {
        const i = Number(key);
        if (Number.isInteger(i) && i >= 0 && i < obj.items.length) return obj.items[i];
        return UNKNOWN;
      }
      case "dyn":
        return { t: "dyn", source: `${obj.source}.${key}`, params: obj.params };
      case "desc":
        return key === "value" || key === "get" ? obj.value : UNKNOWN;
      case "str":
        return UNKNOWN;
      case "req":
        return UNKNOWN;
      case "unknown":
        if (obj.why === "this") return { t: "unknown", why: `this.${key}` };
        if (label && /^[\w$.]+$/.test(label) && label.length < 80) return { t: "dyn", source: `${label}.${key}` };
        return UNKNOWN;
      default:
        return UNKNOWN;
    }
  }
  objectProperty(node, scope, key) {
    let found;
    for (const p of node.properties) {
      if (p.type === "SpreadElement") {
        found = void 0;
        continue;
      }
      let k;
      if (!p.computed) k = p.key.type === "Identifier" ? p.key.name : p.key.type === "Literal" ? String(p.key.value) : void 0;
      else {
        const kv = this.evaluate(p.key, scope);
        if (kv.t === "str" && !kv.partial) k = kv.v;
      }
      if (k === key) found = p.kind === "init" ? this.evaluate(p.value, scope) : UNKNOWN;
    }
    return found ?? { t: "nullish" };
  }
  /** The callee and argument list of a call, looking through `.call`, `.apply` and bound functions. */
  callTarget(node, scope) {
    const c = node.callee;
    if (c.type === "MemberExpression" && !c.computed && c.property.type === "Identifier") {
      const name = c.property.name;
      if (name === "call" || name === "apply") {
        const fn = this.evaluate(c.object, scope);
        if (fn.t === "mod" || fn.t === "glob" || fn.t === "req" || fn.t === "fn" || fn.t === "inst") {
          if (name === "call") return { callee: fn, args: node.arguments.slice(1) };
          const arr = node.arguments[1];
          if (arr?.type === "ArrayExpression") return { callee: fn, args: arr.elements };
          return { callee: fn, args: [] };
        }
      }
    }
    const callee = this.evaluate(c, scope);
    if ((callee.t === "fn" || callee.t === "glob" || callee.t === "mod") && callee.bound) return { callee, args: [...callee.bound, ...node.arguments] };
    return { callee, args: node.arguments };
  }
  call(node, scope) {
    const c = node.callee;
    if (c.type === "MemberExpression" && !c.computed && c.property.name === "bind") {
      const fn = this.evaluate(c.object, scope);
      const bound = node.arguments.slice(1).map((a) => {
        const v = this.evaluate(a, scope);
        return v.t === "str" && !v.partial ? { type: "Literal", value: v.v, start: a.start, end: a.end } : a;
      });
      if (fn.t === "req") return fn;
      if (fn.t === "glob" || fn.t === "mod" || fn.t === "fn") return bound.length ? { ...fn, bound: [...fn.bound ?? [], ...bound] } : fn;
    }
    const { callee, args } = this.callTarget(node, scope);
    const arg = (i) => this.evaluate(args[i], scope);
    switch (callee.t) {
      case "req": {
        const spec = arg(0);
        return spec.t === "str" && !spec.partial ? moduleVal(spec.v) : { t: "unknown", why: "computed require()" };
      }
      case "mod": {
        const p = callee.path.join(".");
        if (callee.mod === "module" && p === "createRequire") return { t: "req" };
        if (callee.mod === "dgram" && p === "createSocket") return { t: "inst", cls: "dgram.Socket", origin: node, path: [] };
        if ((callee.mod === "net" || callee.mod === "tls") && (p === "connect" || p === "createConnection")) return { t: "inst", cls: `${callee.mod}.Socket`, origin: node, path: [], init: UNKNOWN };
        if (callee.mod === "util" && p === "promisify") return arg(0);
        if (callee.path.length === 0 || p === "default") return { t: "inst", cls: `${callee.mod}()`, origin: node, path: [] };
        if (p === "create" || p === "extend") return { t: "inst", cls: `${callee.mod}.${p}`, origin: node, path: [], init: arg(0) };
        return UNKNOWN;
      }
      case "glob": {
        const g = callee.path;
        if (g.length === 1 && g[0] === "require") return UNKNOWN;
        const folded = applyGlobalStringFunction(g.join("."), args.map((_, i) => arg(i)));
        if (folded) return folded;
        if (g.length === 2 && g[0] === "Reflect" && g[1] === "get") {
          const target = arg(0);
          const k = arg(1);
          if (k.t === "str" && !k.partial) return this.property(target, k.v, exprText(args[0]));
          return target.t === "glob" || target.t === "mod" ? { t: "unknown", why: "Reflect.get with a computed key" } : UNKNOWN;
        }
        if (g.join(".") === "Object.getOwnPropertyDescriptor") {
          const target = arg(0);
          const k = arg(1);
          if (k.t === "str" && !k.partial) return { t: "desc", value: this.property(target, k.v, exprText(args[0])) };
        }
        return UNKNOWN;
      }
      case "fn": {
        const name = callee.node.id?.name ?? this.facts.fnNames.get(callee.node);
        if (name === "__toESM" || name === "__toCommonJS" || name === "__importDefault" || name === "__importStar" || name === "_interopRequireDefault" || name === "_interopRequireWildcard") {
          const m = arg(0);
          return name === "_interopRequireDefault" && m.t === "mod" ? m : m;
        }
        return this.returnValue(callee, args, scope);
      }
      default:
        break;
    }
    if (c.type === "MemberExpression") {
      const recv = this.evaluate(c.object, scope);
      const name = c.computed ? this.evaluate(c.property, scope) : { t: "str", v: c.property.name };
      if (name.t === "str" && !name.partial && (recv.t === "str" || recv.t === "arr")) {
        const r = applyStringMethod(recv, name.v, args.map((_, i) => arg(i)));
        if (r) return r;
      }
    }
    return UNKNOWN;
  }
  /** Value a small function returns (helpers that build URLs or load modules), with its parameters bound to the call's arguments. */
  returnValue(fn, args, scope) {
    const body = fn.node.body;
    if (!body) return UNKNOWN;
    let ret;
    if (body.type !== "BlockStatement") ret = body;
    else {
      const rets = body.body.filter((s) => s.type === "ReturnStatement");
      if (rets.length === 1 && body.body.length <= 3) ret = rets[0].argument;
    }
    if (!ret) return UNKNOWN;
    if (!fn.node.params.length) return this.evaluate(ret, fn.scope);
    const v = this.withCall(fn.node, args, scope, () => this.evaluate(ret, fn.scope));
    if ((v.t === "dyn" || v.t === "str") && v.params?.includes(fn.node)) return { t: "dyn", source: v.t === "dyn" ? v.source : "built from parameters" };
    return v;
  }
  construct(node, scope) {
    const callee = this.evaluate(node.callee, scope);
    if (callee.t === "mod") {
      const p = callee.path.join(".");
      if ((callee.mod === "net" || callee.mod === "tls") && (p === "Socket" || p === "TLSSocket")) return { t: "inst", cls: `${callee.mod}.Socket`, origin: node, path: [] };
      if (callee.mod === "dns" && (p === "Resolver" || p === "promises.Resolver")) return { t: "inst", cls: "dns.Resolver", origin: node, path: [] };
      return { t: "inst", cls: `${callee.mod}.${p}`, origin: node, path: [], init: this.evaluate(node.arguments[0], scope) };
    }
    if (callee.t === "glob" && callee.path.length === 1) {
      const g = callee.path[0];
      if (g === "URL") {
        const a = this.evaluate(node.arguments[0], scope);
        const b = node.arguments[1] ? this.evaluate(node.arguments[1], scope) : void 0;
        return resolveUrl(a, b);
      }
      if (g === "XMLHttpRequest" || g === "Image" || g === "Worker" || g === "RTCPeerConnection") {
        return { t: "inst", cls: g, origin: node, path: [], init: this.evaluate(node.arguments[0], scope) };
      }
      if (g === "Function") return UNKNOWN;
    }
    return UNKNOWN;
  }
};
function concat(a, b) {
  if (a.t === "str") {
    if (a.partial) return a;
    if (b.t === "str") return { t: "str", v: a.v + b.v, partial: b.partial, source: b.source ?? a.source, params: b.params ?? a.params };
    if (b.t === "num" || b.t === "bool") return { t: "str", v: a.v + String(b.v) };
    if (b.t === "dyn") return { t: "str", v: a.v, partial: true, source: b.source, params: b.params };
    return { t: "str", v: a.v, partial: true };
  }
  if (a.t === "num" && b.t === "num") return { t: "num", v: a.v + b.v };
  if (a.t === "num" && b.t === "str" && !b.partial) return { t: "str", v: String(a.v) + b.v };
  if (a.t === "dyn") return a;
  if (b.t === "dyn") return b;
  return UNKNOWN;
}
function concatAll(parts) {
  return parts.reduce((acc, p) => concat(acc, p));
}
function merge(a, b) {
  if (a.t === "str" && b.t === "str" && a.v === b.v && !a.partial && !b.partial) return a;
  for (const v of [a, b]) if (v.t === "glob" && v.path.length === 0) return v;
  for (const v of [a, b]) if (v.t === "mod" || v.t === "glob" || v.t === "req" || v.t === "fn" || v.t === "inst") return v;
  if (a.t === "dyn") return a;
  if (b.t === "dyn") return b;
  if (a.t === "nullish") return b;
  if (b.t === "nullish") return a;
  if (a.t === "str" && b.t === "str") return { t: "unknown", why: "one of several strings" };
  return UNKNOWN;
}
function resolveUrl(a, b) {
  if (a.t === "str" && !a.partial) {
    if (!b) return a;
    if (b.t === "str" && !b.partial) {
      try {
        return { t: "str", v: new URL(a.v, b.v).href };
      } catch {
        return a;
      }
    }
    if (/^[a-z][a-z0-9+.-]*:/i.test(a.v)) return a;
    if (b.t === "dyn") return { t: "dyn", source: b.source };
    return b.t === "str" ? { t: "str", v: b.v, partial: true } : UNKNOWN;
  }
  if (a.t === "str" && a.partial) return a;
  if (a.t === "dyn") return a;
  if (b && b.t === "str" && !b.partial) {
    try {
      const u = new URL(b.v);
      return { t: "str", v: `${u.protocol}//${u.host}/`, partial: true };
    } catch {
    }
  }
  if (b && b.t === "dyn") return b;
  return UNKNOWN;
}
function exprText(node) {
  if (!node) return "";
  if (node.type === "Identifier") return node.name;
  if (node.type === "ThisExpression") return "this";
  if (node.type === "MemberExpression" && !node.computed && node.property.type === "Identifier") {
    const o = exprText(node.object);
    return o ? `${o}.${node.property.name}` : "";
  }
  return "";
}

// src/static/parse.ts
import { parse as acornParse } from "acorn";
function optionsFor(kind) {
  return {
    ecmaVersion: "latest",
    sourceType: kind === "module" ? "module" : "script",
    allowHashBang: true,
    // CommonJS files run inside a function wrapper: top-level return is legal there.
    allowReturnOutsideFunction: kind !== "module",
    allowAwaitOutsideFunction: kind === "module",
    allowReserved: kind !== "module",
    locations: false,
    ranges: false
  };
}
function parseSource(code, kind) {
  if (kind !== "module" && ESM_HINT.test(code)) {
    const m = tryParse(code, "module");
    if (m.ok) return m;
  }
  const first = tryParse(code, kind);
  if (first.ok) return first;
  if (first.overflow) return first;
  const other = kind === "module" ? "commonjs" : "module";
  const second = tryParse(code, other);
  return second.ok ? second : first;
}
var ESM_HINT = /^[ \t]*(?:import[ \t]*[\w{*'"]|export[ \t]+(?:default|const|let|var|function|class|async|\{|\*))/m;
function warmStackOverflowCheck() {
  for (let i = 0; i < 4; i++) {
    let tokens = 0;
    try {
      acornParse("x;y", {
        ecmaVersion: "latest",
        // The first token is read before the guarded region; the message fails the first regex and
        // matches the second, so both get compiled.
        onToken: () => {
          if (++tokens > 1) throw new RangeError("too much recursion");
        }
      });
    } catch {
    }
  }
}
warmStackOverflowCheck();
var ACORN_OVERFLOW = /^Not enough stack space/;
function tryParse(code, kind) {
  try {
    return { ok: true, ast: acornParse(code, optionsFor(kind)), kind };
  } catch (err) {
    if (err instanceof RangeError || ACORN_OVERFLOW.test(err.message)) {
      const loc = err.loc;
      return { ok: false, overflow: true, message: "nesting too deep to analyse (parser stack overflow)", line: loc?.line ?? 1, column: loc?.column ?? 0 };
    }
    const e = err;
    return {
      ok: false,
      message: e.message.replace(/\s*\(\d+:\d+\)$/, ""),
      line: e.loc?.line ?? 1,
      column: e.loc?.column ?? 0
    };
  }
}

// src/static/analyse.ts
function analyseSource(source, kind, options = {}) {
  const parsed = parseSource(source, kind);
  if (!parsed.ok) return { findings: [], parseError: { message: parsed.message, line: parsed.line, column: parsed.column } };
  let facts;
  try {
    facts = collectFacts(parsed.ast);
  } catch (err) {
    if (err instanceof RangeError) return { findings: [], parseError: { message: "nesting too deep to analyse", line: 1, column: 0 } };
    throw err;
  }
  const findings = runDetectors(source, parsed.kind, facts, options.detectors ?? detectors, options.maxEmbedDepth ?? 3, options.setupFolder);
  for (const f of findings) delete f.params;
  return { findings, kind: parsed.kind };
}
function isOpaqueRoot(callee, scope, facts) {
  let n = callee;
  for (let i = 0; i < 16; i++) {
    if (n.type === "MemberExpression") n = n.object;
    else if (n.type === "ChainExpression" || n.type === "ParenthesizedExpression") n = n.expression;
    else break;
  }
  if (n.type === "ThisExpression") {
    let sc = scope;
    while (sc && sc.fn && sc.fn.type === "ArrowFunctionExpression") sc = sc.parent;
    return !(sc?.fn && facts.classOf.has(sc.fn));
  }
  if (n.type !== "Identifier") return false;
  const b = lookup(scope, n.name);
  return !!b && (b.kind === "catch" || b.kind === "param" && !(b.fn && facts.thenImports.has(b.fn)));
}
var MAX_SITES_PER_FN = 16;
var MAX_RERUNS_PER_FILE = 400;
function runDetectors(source, kind, facts, detectors2, embedDepth, setupFolder) {
  const folder = new Folder(facts, kind);
  setupFolder?.(folder);
  const findings = [];
  let currentRule = "";
  const ruleSeverity = new Map(detectors2.map((d) => [d.meta.id, d.meta.severity]));
  const ctx = {
    file: "",
    source,
    moduleKind: kind,
    facts,
    folder,
    evaluate: (node, scope) => folder.evaluate(node, scope),
    destination: (node, scope, role = "url") => destinationOfArg(folder, node, scope, role),
    report(node, input) {
      const rule = input.rule ?? currentRule;
      findings.push({
        rule,
        severity: input.severity ?? severityFor(input.destination, ruleSeverity.get(rule) ?? "review"),
        message: input.message,
        start: node.start,
        end: node.end,
        api: input.api,
        destination: input.destination,
        details: input.details,
        params: paramsOf(input.destination)
      });
    },
    analyseEmbedded(code, node, via, asFunctionBody = false) {
      if (embedDepth <= 0) {
        findings.push({ rule: "opaque-code", severity: "review", message: `${via}: code nested too deep in eval to follow`, start: node.start, end: node.end, api: via });
        return;
      }
      const wrapped = asFunctionBody ? `(function(){${code}
})` : code;
      const inner = parseSource(wrapped, "script");
      if (!inner.ok) {
        findings.push({ rule: "opaque-code", severity: "review", message: `${via}: evaluated string does not parse (${inner.message})`, start: node.start, end: node.end, api: via });
        return;
      }
      const innerFacts = collectFacts(inner.ast);
      for (const f of runDetectors(wrapped, "script", innerFacts, detectors2, embedDepth - 1)) {
        findings.push({ ...f, message: `${f.message} (in code run by ${via})`, start: node.start, end: node.end });
      }
    }
  };
  const visitors = detectors2.map((d) => [d.meta.id, d.detect(ctx)]);
  const want = (name) => visitors.filter(([, v]) => v[name]);
  const calls = want("CallExpression");
  const news = want("NewExpression");
  const members = want("MemberExpression");
  const importExprs = want("ImportExpression");
  const importDecls = want("ImportDeclaration");
  const assigns = want("AssignmentExpression");
  const urls = want("UrlString");
  const visit = (node, scope) => {
    switch (node.type) {
      case "CallExpression": {
        if (!calls.length) break;
        if (!folder.inContext && isOpaqueRoot(node.callee, scope, facts)) break;
        const target = folder.callTarget(node, scope);
        if (target.callee.t === "unknown" || target.callee.t === "nullish" || target.callee.t === "str") break;
        for (const [id, v] of calls) {
          currentRule = id;
          v.CallExpression(node, scope, target);
        }
        break;
      }
      case "NewExpression": {
        if (!news.length) break;
        const callee = folder.evaluate(node.callee, scope);
        if (callee.t === "unknown") break;
        for (const [id, v] of news) {
          currentRule = id;
          v.NewExpression(node, scope, { callee, args: node.arguments });
        }
        break;
      }
      case "MemberExpression":
        for (const [id, v] of members) {
          currentRule = id;
          v.MemberExpression(node, scope);
        }
        break;
      case "ImportExpression":
        for (const [id, v] of importExprs) {
          currentRule = id;
          v.ImportExpression(node, scope);
        }
        break;
      case "ImportDeclaration":
        for (const [id, v] of importDecls) {
          currentRule = id;
          v.ImportDeclaration(node, scope);
        }
        break;
      case "AssignmentExpression":
        for (const [id, v] of assigns) {
          currentRule = id;
          v.AssignmentExpression(node, scope);
        }
        break;
      case "Literal":
      case "TemplateLiteral": {
        if (!urls.length) break;
        const value = node.type === "Literal" ? String(node.value) : node.quasis.map((q) => q.value.cooked ?? q.value.raw).join("${\u2026}");
        for (const [id, v] of urls) {
          currentRule = id;
          v.UrlString(node, scope, value);
        }
        break;
      }
    }
  };
  let callSites;
  const callSitesOf = (fn) => {
    if (!callSites) {
      callSites = /* @__PURE__ */ new Map();
      for (const { node, scope } of facts.candidates) {
        let fnNode;
        let args = node.arguments;
        if (node.type === "CallExpression") {
          const t = folder.callTarget(node, scope);
          if (t.callee.t === "fn") {
            fnNode = t.callee.node;
            args = t.args;
          }
        } else if (node.type === "NewExpression") {
          const c = folder.evaluate(node.callee, scope);
          if (c.t === "cls") fnNode = facts.ctorOf.get(c.node);
        }
        if (!fnNode) continue;
        const list = callSites.get(fnNode) ?? [];
        if (list.length <= MAX_SITES_PER_FN) list.push({ node, args, scope });
        callSites.set(fnNode, list);
      }
    }
    return callSites.get(fn) ?? [];
  };
  const rerun = (node, scope, chain) => {
    const start = findings.length;
    const go = (i) => {
      if (i >= chain.length) {
        visit(node, scope);
        return;
      }
      folder.withCall(chain[i].fn, chain[i].site.args, chain[i].site.scope, () => go(i + 1));
    };
    go(0);
    return findings.splice(start);
  };
  let rerunsLeft = MAX_RERUNS_PER_FILE;
  const emit = (f, node, scope, chain) => {
    const fn = f.params?.[0];
    const sites = fn && chain.length < 3 && !chain.some((c) => c.fn === fn) ? callSitesOf(fn) : [];
    if (!sites.length || sites.length > MAX_SITES_PER_FN || sites.length > rerunsLeft) {
      findings.push(f);
      return;
    }
    rerunsLeft -= sites.length;
    const name = fn.id?.name ?? facts.fnNames.get(fn) ?? (facts.classOf.get(fn) ? `new ${facts.classOf.get(fn).id?.name ?? "class"}` : "helper");
    for (const site of sites) {
      const next = [{ fn, site }, ...chain];
      const again = rerun(node, scope, next).filter((r) => r.rule === f.rule && r.api === f.api);
      for (const r of again.slice(0, 1)) {
        emit({ ...r, start: site.node.start, end: site.node.end, message: `${r.message} (through ${name}())`, details: { ...r.details, through: name } }, node, scope, next);
      }
    }
  };
  for (const { node, scope } of facts.candidates) {
    const start = findings.length;
    visit(node, scope);
    if (findings.length === start) continue;
    const fresh = findings.splice(start);
    for (const f of fresh) emit(f, node, scope, []);
  }
  for (const [id, v] of visitors) {
    currentRule = id;
    v.end?.();
  }
  return findings;
}

// src/static/collect.ts
import { lstatSync, readdirSync, openSync, readSync, closeSync, realpathSync, statSync } from "node:fs";
import { basename as basename2, dirname, join, relative, resolve, sep, extname } from "node:path";
var JS_EXT = /* @__PURE__ */ new Set([".js", ".cjs", ".mjs"]);
function kindOf(name) {
  const ext = extname(name).toLowerCase();
  if (JS_EXT.has(ext)) return "js";
  if (ext === ".node") return "native";
  if (ext === ".wasm") return "wasm";
  if (ext === ".html" || ext === ".htm") return "html";
  if (ext === ".css") return "css";
  if (ext === ".map") return "sourcemap";
  if (name === "package.json") return "manifest";
  if (!ext) return "maybe-script";
  return void 0;
}
function hasNodeShebang(abs) {
  let fd;
  try {
    fd = openSync(abs, "r");
    const buf = Buffer.alloc(128);
    const n = readSync(fd, buf, 0, 128, 0);
    const first = buf.subarray(0, n).toString("latin1").split("\n")[0];
    return /^#!.*\bnode\b/.test(first);
  } catch {
    return false;
  } finally {
    if (fd !== void 0) closeSync(fd);
  }
}
function collect(root2, prefix, limits, out2) {
  const rootAbs = resolve(root2);
  let rootStat;
  try {
    rootStat = statSync(rootAbs);
  } catch (err) {
    out2.notAnalysed.push({ file: prefix || root2, reason: `cannot be read (${err.code})` });
    return;
  }
  const display = (abs) => {
    const rel = relative(rootStat.isDirectory() ? rootAbs : dirname(rootAbs), abs).split(sep).join("/");
    return prefix ? `${prefix}/${rel}` : rel;
  };
  const consider = (abs, name, st) => {
    let kind = kindOf(name);
    if (kind === "maybe-script") kind = st.size > 0 && hasNodeShebang(abs) ? "js" : void 0;
    if (!kind) return;
    if (out2.files.length >= limits.maxFiles) {
      if (out2.files.length === limits.maxFiles) out2.notAnalysed.push({ file: display(abs), reason: `more than ${limits.maxFiles} files; the rest was not analysed (--max-files)` });
      return;
    }
    if (st.size > limits.maxFileSize && kind !== "native" && kind !== "wasm") {
      out2.notAnalysed.push({ file: display(abs), reason: `larger than the file size limit (${st.size} bytes; --max-file-size)` });
      return;
    }
    out2.files.push({ abs, display: display(abs), kind, size: st.size, stat: { size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino, dev: st.dev } });
  };
  if (!rootStat.isDirectory() && !rootStat.isFile()) {
    out2.notAnalysed.push({ file: prefix || root2, reason: `not a regular file (${specialKind(rootStat)}); not read` });
    return;
  }
  if (!rootStat.isDirectory()) {
    consider(rootAbs, basename2(rootAbs), rootStat);
    if (!out2.files.length && !out2.notAnalysed.length) {
      out2.files.push({ abs: rootAbs, display: display(rootAbs), kind: "js", size: rootStat.size, stat: rootStat });
    }
    return;
  }
  let rootReal = rootAbs;
  try {
    rootReal = realpathSync(rootAbs);
  } catch {
  }
  const stack = [rootAbs];
  while (stack.length) {
    const dir = stack.pop();
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      out2.notAnalysed.push({ file: display(dir) || ".", reason: `directory cannot be read (${err.code})` });
      continue;
    }
    entries.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    for (const e of entries) {
      const abs = join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name === ".git") continue;
        stack.push(abs);
      } else if (e.isSymbolicLink()) {
        let target;
        try {
          target = realpathSync(abs);
        } catch (err) {
          const code = err.code;
          if (code === "ELOOP") out2.notAnalysed.push({ file: display(abs), reason: "symlink loop; not followed" });
          continue;
        }
        if (target !== rootReal && !target.startsWith(rootReal + sep)) {
          if (kindOf(e.name) || lstatIsDir(abs)) out2.notAnalysed.push({ file: display(abs), reason: `symlink to ${target} points outside the scanned root; not followed` });
          continue;
        }
        const kind = kindOf(e.name);
        if (!kind) continue;
        let st;
        try {
          st = statSync(target);
        } catch {
          continue;
        }
        if (st.isDirectory()) continue;
        if (!st.isFile()) {
          out2.notAnalysed.push({ file: display(abs), reason: `symlink to a ${specialKind(st)}; not read` });
          continue;
        }
        const targetKind = kindOf(basename2(target));
        if (targetKind === kind || targetKind === "maybe-script" && st.size > 0 && hasNodeShebang(target)) continue;
        consider(abs, e.name, st);
      } else if (!e.isFile()) {
        if (kindOf(e.name)) out2.notAnalysed.push({ file: display(abs), reason: `not a regular file (${specialKind(e)}); not read` });
      } else if (e.isFile()) {
        let st;
        try {
          st = lstatSync(abs);
        } catch (err) {
          out2.notAnalysed.push({ file: display(abs), reason: `cannot be read (${err.code})` });
          continue;
        }
        consider(abs, e.name, st);
      }
    }
  }
}
function lstatIsDir(p) {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
function specialKind(st) {
  if (st.isFIFO()) return "FIFO";
  if (st.isSocket()) return "socket";
  if (st.isCharacterDevice()) return "character device";
  if (st.isBlockDevice()) return "block device";
  return "special file";
}

// ../../tmp/sigbench/entry.ts
var root = process.argv[2];
var out = { files: [], notAnalysed: [] };
collect(root, "", { maxFileSize: 32e6, maxFiles: 1e6 }, out);
var js = out.files.filter((f) => f.kind === "js").map((f) => readFileSync(f.abs, "utf8"));
console.log("files", js.length, "MB", (js.reduce((n, s) => n + s.length, 0) / 1e6).toFixed(1));
var base = [net_sink_default, child_process_network_default, opaque_code_default];
var all = [net_sink_default, child_process_network_default, opaque_code_default, telemetry_endpoint_default, telemetry_sdk_default, dom_resource_default];
for (let round = 0; round < 4; round++) {
  for (const [name, dets] of [["base", base], ["all", all], ["mine-only", [telemetry_endpoint_default, telemetry_sdk_default, dom_resource_default]]]) {
    const t = process.cpuUsage();
    let n = 0;
    for (const s of js) n += analyseSource(s, "commonjs", { detectors: dets }).findings.length;
    {
      const u = process.cpuUsage(t);
      console.log(round, name, ((u.user + u.system) / 1e3).toFixed(0), "ms cpu", n, "findings");
    }
  }
}
