// pa11y (HTML_CodeSniffer, WCAG 2 AA) over every page of a built site, served on loopback, in one Chromium.
//   node scripts/pa11y-pages.mjs SITE_DIR   (pa11y from NODE_PATH or .npm-tools; Chromium at $CHROMIUM)
// Prints each issue as "page: code: message (selector)" and exits 1 if there is any, 0 if none.
import { createRequire } from "node:module";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, relative, resolve, sep } from "node:path";

const site = resolve(process.argv[2] || "site");
const require = createRequire(resolve(process.env.LSS_NPM_TOOLS || ".npm-tools", "node_modules") + sep);
const pa11y = require("pa11y");
const puppeteer = require("puppeteer");

// the theme's chrome (mkdocs-material), not ours: the header with its search form, the sidebars, the footer
const THEME = ".md-header, .md-sidebar, .md-footer, .md-tabs";
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css",
  ".json": "application/json", ".svg": "image/svg+xml", ".png": "image/png", ".woff2": "font/woff2" };

function pages(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return pages(path);
    return name.endsWith(".html") && name !== "404.html" ? [relative(site, path).split(sep).join("/")] : [];
  });
}

const server = createServer((req, res) => {
  const path = resolve(site, "." + decodeURIComponent(new URL(req.url, "http://x").pathname));
  if (!path.startsWith(site + sep)) return res.writeHead(403).end();
  try {
    const body = readFileSync(path);
    res.writeHead(200, { "content-type": TYPES[extname(path)] || "application/octet-stream" }).end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  headless: true,
});
let found = 0;
try {
  for (const rel of pages(site).sort()) {
    const page = await browser.newPage();
    const options = { browser, page, standard: "WCAG2AA", timeout: 120000, hideElements: THEME };
    const result = await pa11y(base + rel, options);
    await page.close();
    for (const issue of result.issues) {
      found += 1;
      console.log(`${rel}: ${issue.type} ${issue.code}: ${issue.message} (${issue.selector})`);
    }
  }
} finally {
  await browser.close();
  server.close();
}
console.log(found ? `pa11y: ${found} fynd` : "pa11y: inga fynd");
process.exit(found ? 1 : 0);
