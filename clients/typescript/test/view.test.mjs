// The shipped client's view against a scripted hub and REST API (node --test, after npm run build): what it applies,
// what it ignores, when it reloads. The hub is a stand-in returned by HubConnectionBuilder.build, and fetch serves
// the pages each test scripts, so every test goes through the public WarehouseTaskView.start.
import { test, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { HubConnectionBuilder, HubConnectionState } from "@microsoft/signalr";
import { WarehouseTaskView } from "../dist/index.js";

class ScriptedHub {
  state = HubConnectionState.Connected;
  handlers = new Map();
  on(method, handler) { this.handlers.set(method, handler); }
  onreconnected() {}
  async start() {}
  async stop() {}
  async invoke() {}
  send(notification) { this.handlers.get("notification")(notification); }
}

let hub;
let serve;
let serveCompleted;
let beforeServing;
let pagesRead;
HubConnectionBuilder.prototype.build = () => hub;
// GET /api/tasks/snapshot: a script answers page n as { items, sequence, more }; page n's cursor is a UUID ending in n.
globalThis.fetch = async (url) => {
  const query = new URL(url).searchParams;
  const page = query.has("after") ? Number(query.get("after").slice(-12)) + 1 : 1;
  let answer;
  if (query.get("completed") === "true") {
    answer = serveCompleted(page);
  } else {
    pagesRead.push(page);
    await beforeServing(page);
    answer = serve(page);
  }
  const next = answer.more ? `00000000-0000-0000-0000-${String(page).padStart(12, "0")}` : null;
  const body = { items: answer.items, sequence: answer.sequence, next };
  return new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });
};

let nextId = 0;
const task = (sku, quantityDone = 0) => ({
  id: `00000000-0000-0000-0000-${String(++nextId).padStart(12, "0")}`, warehouseId: "WH1", type: "pick", sku, quantity: 5,
  quantityDone, fromLocation: "A-01", toLocation: null, status: "open", assignee: null, version: 1, createdAt: "", updatedAt: "",
});
const notification = (type, sequence, data) => ({ type, warehouseId: "WH1", sequence, data });

async function start() {
  const view = await WarehouseTaskView.start({ gateway: "http://gateway.test", warehouseId: "WH1", accessTokenFactory: () => "token" });
  const changes = [];
  const resyncs = [];
  view.onChange((change) => changes.push(change));
  view.onResync((reason) => resyncs.push(reason));
  return { view, changes, resyncs };
}

beforeEach(() => {
  hub = new ScriptedHub();
  serve = () => ({ items: [], sequence: 0 });
  serveCompleted = () => ({ items: [], sequence: 0 });
  beforeServing = async () => {};
  pagesRead = [];
});

test("resync() reloads the warehouse now", async () => {
  const first = task("SKU-1");
  serve = () => ({ items: [first], sequence: 3 });
  const { view, resyncs } = await start();

  const second = task("SKU-2");
  serve = () => ({ items: [first, second], sequence: 5 });
  await view.resync();

  assert.deepEqual([view.sequence, view.resyncs, resyncs], [5, 1, ["requested"]]);
  assert.deepEqual([...view.tasks.keys()].sort(), [first.id, second.id].sort());
});

test("notifications at or below the snapshot's sequence are ignored and the next one is applied", async () => {
  const known = task("SKU-1");
  serve = () => ({ items: [known], sequence: 5 });
  const { view, changes } = await start();

  hub.send(notification("task_created", 4, task("STALE")));
  hub.send(notification("task_updated", 5, { ...known, quantityDone: 5 }));
  // The sentinel: applied in order, so the two before it have been handled once it is in.
  const next = task("NEXT");
  hub.send(notification("task_created", 6, next));
  await view.waitUntil((v) => v.sequence === 6, 5000);

  assert.deepEqual(changes.map((c) => [c.type, c.task.id, c.sequence]), [["task_created", next.id, 6]]);
  assert.deepEqual([view.tasks.get(known.id).quantityDone, view.resyncs], [0, 0]);
  assert.deepEqual([...view.tasks.keys()].sort(), [known.id, next.id].sort());
});

for (const [type, sequence, reason] of [["tasks_imported", 2, "imported"], ["task_created", 3, "gap"]]) {
  test(`a ${type} at sequence ${sequence} after 1 reloads the warehouse (${reason})`, async () => {
    serve = () => ({ items: [], sequence: 1 });
    const { view, changes, resyncs } = await start();
    const imported = [task("IMP-1"), task("IMP-2"), task("IMP-3")];
    serve = () => ({ items: imported, sequence });

    hub.send(notification(type, sequence, { jobId: "job", count: 3 }));
    await view.waitUntil((v) => v.resyncs === 1, 5000);

    assert.deepEqual([view.sequence, resyncs, changes], [sequence, [reason], []]);
    assert.deepEqual([...view.tasks.keys()].sort(), imported.map((t) => t.id).sort());
  });
}

const many = Array.from({ length: 250 }, (_, i) => task(`SKU-${i + 1}`));

test("a change made during the snapshot is neither lost nor applied twice", async () => {
  const early = { ...many[0], quantityDone: 1, version: 2 };
  const late = { ...many[210], quantityDone: 2, version: 2 };
  const created = task("NEW");
  // Page 1 is read at sequence 7. Before page 2 is read, sequence 8 changes a task of page 1 (the view must apply it)
  // and 9 one of page 2 (page 2, read at 9, already holds it: applying it again would report it twice); 10 comes after.
  beforeServing = async (page) => {
    if (page === 2) {
      hub.send(notification("task_updated", 8, early));
      hub.send(notification("task_updated", 9, late));
      hub.send(notification("task_created", 10, created));
    }
  };
  serve = (page) => page === 1
    ? { items: many.slice(0, 200), sequence: 7, more: true }
    : { items: many.slice(200).map((t) => (t.id === late.id ? late : t)), sequence: 9 };

  const { view, changes } = await start();
  await view.waitUntil((v) => v.sequence === 10, 5000);

  assert.deepEqual(changes.map((c) => [c.type, c.task.id, c.sequence]), [["task_updated", early.id, 8], ["task_created", created.id, 10]]);
  assert.deepEqual([view.tasks.size, view.tasks.get(early.id).quantityDone, view.tasks.get(late.id).quantityDone, view.resyncs], [251, 1, 2, 0]);
  assert.deepEqual(pagesRead, [1, 2]);
});

test("a warehouse that changes during every read loads in one pass at its first page's sequence", async () => {
  serve = (page) => ({ items: many.slice((page - 1) * 200, page * 200), sequence: page, more: page === 1 });

  const { view } = await start();

  assert.deepEqual([view.sequence, view.tasks.size, pagesRead], [1, 250, [1, 2]]);
});

test("completed tasks are loaded on demand and kept across reloads", async () => {
  const open = task("OPEN");
  const done = { ...task("DONE", 5), status: "done", version: 3 };
  serve = () => ({ items: [open], sequence: 4 });
  serveCompleted = () => ({ items: [done], sequence: 4 });
  const { view } = await start();
  assert.deepEqual([...view.tasks.keys()], [open.id]);

  await view.loadCompleted();
  await view.resync();

  assert.deepEqual([...view.tasks.keys()].sort(), [open.id, done.id].sort());
  assert.equal(view.tasks.get(done.id).status, "done");
});
