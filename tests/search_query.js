// Run the theme's own search worker in Node and print the pages a query finds.
// Usage: node search_query.js SITE_DIR QUERY  ->  JSON list of result locations.
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const [site, query] = process.argv.slice(2);
const workers = path.join(site, "assets", "javascripts", "workers");
const worker = fs.readdirSync(workers).find((name) => /^search\..*\.min\.js$/.test(name));

let onMessage = null;
const replies = [];
const context = {
  addEventListener: (type, handler) => { onMessage = handler; },
  postMessage: (message) => replies.push(message),
  // The worker asks for its lunr languages relative to itself ("../lunr/...").
  importScripts: (...urls) => urls.forEach((url) =>
    vm.runInContext(fs.readFileSync(path.join(workers, url), "utf8"), context)),
  console,
};
context.self = context;
vm.createContext(context);
vm.runInContext(fs.readFileSync(path.join(workers, worker), "utf8"), context);

const index = JSON.parse(fs.readFileSync(path.join(site, "search", "search_index.json"), "utf8"));
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));
(async () => {
  // The page adds the options (search.suggest off) to the index it hands the worker.
  onMessage({ data: { type: 0, data: { ...index, options: { suggest: false } } } }); // SETUP
  while (replies.length < 1) await settle();
  onMessage({ data: { type: 2, data: query } }); // QUERY
  while (replies.length < 2) await settle();
  const result = replies[1].data;
  const items = (result.items || []).flat().map((item) => item.location);
  console.log(JSON.stringify(items));
})();
