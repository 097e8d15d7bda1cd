/*
 * hoso: the site's search worker. It wraps the theme's own search worker (whose address it is
 * given as ?m=...) so that search fits Vietnamese:
 *  - letters are compared without their diacritics, in the index and in what is typed, so
 *    "ket nap" finds "kết nạp";
 *  - a case id stays one word (the separator in mkdocs.yml does not split at "-"), and partial
 *    typing ("KN-2024-5a") matches its beginning;
 *  - cases are looked up in a separate index split into small files (tim-kiem/*.json), fetched
 *    only when a word is typed, so no page downloads an index that grows with the cases.
 * Written for this site, no library; it requests only files of this site.
 */
"use strict";

var SETUP = 0, QUERY = 2, RESULT = 3; /* the theme's message types */
var theirs = null;
var listen = self.addEventListener.bind(self);
self.addEventListener = function (type, handler, options) {
  if (type === "message") theirs = handler;
  else listen(type, handler, options);
};
importScripts(new URL(self.location.href).searchParams.get("m"));
self.addEventListener = listen;

function fold(text) {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
}

/* Index side: every token folded before the theme's pipeline sees it. */
function hosoFold(token) {
  return token.update(fold);
}
lunr.Pipeline.registerFunction(hosoFold, "hosoFold");
var addDocument = lunr.Builder.prototype.add;
lunr.Builder.prototype.add = function (doc, attributes) {
  if (!this.hosoFolded) {
    this.hosoFolded = true;
    this.pipeline._stack.unshift(hosoFold);
    this.searchPipeline._stack.unshift(hosoFold);
  }
  return addDocument.call(this, doc, attributes);
};
/* Query side: words are split at spaces only, so "KN-2024-5a6vl1" stays one word. */
lunr.QueryLexer.termSeparator = /\s+/;

var post = self.postMessage.bind(self);
var waiting = [];
self.postMessage = function (message) {
  var resolve = waiting.shift();
  if (resolve) resolve(message);
  else post(message);
};

function ask(message) {
  return new Promise(function (resolve) {
    waiting.push(resolve);
    theirs({ data: message });
  });
}

var root = new URL("../../", self.location.href);
var files = new Map();
var contents = undefined;

function load(path) {
  if (!files.has(path)) {
    files.set(path, fetch(new URL(path, root)).then(function (response) {
      if (!response.ok) throw new Error(path + ": " + response.status);
      return response.json();
    }));
  }
  return files.get(path);
}

async function findCases(typed) {
  if (contents === undefined) contents = await load("tim-kiem/muc-luc.json").catch(function () {
    return null;
  });
  if (!contents) return [];
  var words = fold(typed).split(/\s+/)
    .map(function (w) { return w.replace(/^[+\-]+/, "").replace(/[*~^]+$/, ""); })
    .filter(function (w) { return w.length >= 2; });
  var hits = new Map();
  for (var i = 0; i < words.length; i++) {
    var key = words[i].slice(0, 2);
    if (contents.keys.indexOf(key) < 0) continue;
    var shard = await load("tim-kiem/" + key + ".json");
    var found = new Set();
    Object.keys(shard).forEach(function (token) {
      if (token.indexOf(words[i]) === 0) shard[token].forEach(function (c) { found.add(c); });
    });
    found.forEach(function (c) { hits.set(c, (hits.get(c) || 0) + 1); });
  }
  if (!hits.size) return [];
  var best = Math.max.apply(null, Array.from(hits.values()));
  var chosen = Array.from(hits.keys())
    .filter(function (c) { return hits.get(c) === best; })
    .sort(function (a, b) { return a - b; })
    .slice(0, contents.limit);
  var terms = {};
  words.forEach(function (w) { terms[w] = true; });
  var items = [];
  for (var j = 0; j < chosen.length; j++) {
    var block = await load("tim-kiem/ho-so-" + Math.floor(chosen[j] / contents.block) + ".json");
    var row = block[chosen[j] % contents.block];
    items.push([{ location: row[0], title: row[1], text: row[2], score: 1e6 + best, terms: terms }]);
  }
  return items;
}

async function handle(message) {
  if (message.type !== QUERY) {
    post(await ask(message));
    return;
  }
  var answers = await Promise.all([
    ask({ type: QUERY, data: fold(message.data) }),
    findCases(message.data).catch(function (error) {
      console.warn(error);
      return [];
    })
  ]);
  var answer = answers[0];
  if (answer.type === RESULT && answers[1].length)
    answer.data.items = answers[1].concat(answer.data.items);
  post(answer);
}

var queue = Promise.resolve();
listen("message", function (event) {
  queue = queue.then(function () { return handle(event.data); }).catch(function (error) {
    console.warn(error);
  });
});
