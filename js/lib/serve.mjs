// A static file server for examples/browser on 127.0.0.1, for the browser test and for trying the
// page by hand:  node js/lib/serve.mjs [port]   (run js/prepare.py first).
// It serves only files under examples/browser, with the types Pyodide needs (.wasm, .mjs), and
// records every path asked for.
import { createReadStream, statSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { BROWSER } from "./ipt-pyodide.mjs";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".py": "text/plain; charset=utf-8",
  ".wasm": "application/wasm",
  ".zip": "application/zip",
  ".whl": "application/zip",
};

export function serve(port = 0, root = BROWSER) {
  const requested = [];
  const server = createServer((request, response) => {
    const url = new URL(request.url, "http://127.0.0.1");
    requested.push(url.pathname);
    const relative = decodeURIComponent(url.pathname).replace(/^\/+/, "") || "index.html";
    const file = path.resolve(root, relative);
    let found = null;
    if (file.startsWith(root + path.sep) && (request.method === "GET" || request.method === "HEAD")) {
      try {
        found = statSync(file).isFile() ? file : null;
      } catch {
        found = null;
      }
    }
    if (!found) {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    response.writeHead(200, {
      "content-type": TYPES[path.extname(found)] ?? "application/octet-stream",
      "cache-control": "no-store",
    });
    if (request.method === "HEAD") response.end();
    else createReadStream(found).pipe(response);
  });
  return new Promise((resolve) => {
    server.listen(port, "127.0.0.1", () => {
      resolve({ server, requested, origin: `http://127.0.0.1:${server.address().port}` });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { origin } = await serve(Number(process.argv[2] ?? 8000));
  console.log(`examples/browser on ${origin}/ (Ctrl-C to stop)`);
}
