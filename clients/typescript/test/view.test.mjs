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
let pagesRead;
HubConnectionBuilder.prototype.build = () => hub;
globalThis.fetch = async (url) => {
  const page = Number(new URL(url).searchParams.get("page"));
  pagesRead.push(page);
  return new Response(JSON.stringify(serve(page)), { status: 200, headers: { "content-type": "application/json" } });
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
  serve = () => ({ items: [], total: 0, sequence: 0 });
  pagesRead = [];
});

test("resync() reloads the warehouse now", async () => {
  const first = task("SKU-1");
  serve = () => ({ items: [first], total: 1, sequence: 3 });
  const { view, resyncs } = await start();

  const second = task("SKU-2");
  serve = () => ({ items: [first, second], total: 2, sequence: 5 });
  await view.resync();

  assert.deepEqual([view.sequence, view.resyncs, resyncs], [5, 1, ["requested"]]);
  assert.deepEqual([...view.tasks.keys()].sort(), [first.id, second.id].sort());
});

test("notifications at or below the snapshot's sequence are ignored and the next one is applied", async () => {
  const known = task("SKU-1");
  serve = () => ({ items: [known], total: 1, sequence: 5 });
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
    serve = () => ({ items: [], total: 0, sequence: 1 });
    const { view, changes, resyncs } = await start();
    const imported = [task("IMP-1"), task("IMP-2"), task("IMP-3")];
    serve = () => ({ items: imported, total: 3, sequence });

    hub.send(notification(type, sequence, { jobId: "job", count: 3 }));
    await view.waitUntil((v) => v.resyncs === 1, 5000);

    assert.deepEqual([view.sequence, resyncs, changes], [sequence, [reason], []]);
    assert.deepEqual([...view.tasks.keys()].sort(), imported.map((t) => t.id).sort());
  });
}

const many = Array.from({ length: 250 }, (_, i) => task(`SKU-${i + 1}`));
const pageOf = (page, sequence) => ({ items: many.slice((page - 1) * 200, page * 200), total: many.length, sequence });

test("a snapshot whose pages disagree on the sequence is read again", async () => {
  let reads = 0;
  // The first read sees a change land between its two pages (sequence 7, then 8); the second is consistent.
  serve = (page) => pageOf(page, page === 1 && reads++ === 0 ? 7 : 8);

  const { view } = await start();

  assert.deepEqual([view.sequence, view.tasks.size, pagesRead], [8, 250, [1, 2, 1, 2]]);
});

test("a warehouse that changes during every read fails the start after five reads", async () => {
  serve = (page) => pageOf(page, page);

  await assert.rejects(start(), { message: "warehouse WH1 changed during each of 5 reads of its tasks" });
  assert.deepEqual(pagesRead, [1, 2, 1, 2, 1, 2, 1, 2, 1, 2]);
});
