// Fan-out with the official SignalR client: N hub connections follow one warehouse, then tasks are created in it
// over REST at a fixed rate; every delivery's latency is counted from just before its POST was sent. Each
// notification carries the task service's publish time and the realtime worker's send time (publishedAt, sentAt):
// the platform's part of a delivery runs from the POST to sentAt, the rest (the worker's writes to the group, the
// network, the gateway if any, the receiver) from sentAt to the receipt. The platform and this driver run on one
// machine, so they share the wall clock and the subtraction is valid.
//
// The connections are held by `receivers` worker threads, each with its own event loop and an equal share, while the
// main thread makes the changes: one event loop receiving 1,000 connections was itself most of the p99 (bench/RESULTS.md,
// issue 27 item 5). Prints "changes-start" and "changes-end" around the changes, then one JSON line for the bench
// (Warehouse.Bench's FanoutBenchmark) to summarise, with the receivers' event-loop utilisation and delay over the
// changes (the busiest receiver's).
//
//   node fanout.mjs '{"hubUrl":"...","apiUrl":"...","token":"...","warehouseId":"...","clients":1000,
//                     "changes":50,"perSecond":5,"idleMs":5000,"tag":"r1","receivers":2}'
import { HubConnectionBuilder, HttpTransportType, LogLevel } from "@microsoft/signalr";
import { monitorEventLoopDelay, performance, PerformanceObserver } from "node:perf_hooks";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";

const CONNECT_BATCH = 50;

/** Wall-clock Unix ms with the sub-millisecond part: comparable across threads, whose performance.now() origins differ. */
const wallNow = () => performance.timeOrigin + performance.now();

/** Unix ms of an ISO 8601 time, keeping the digits past the millisecond that Date.parse drops (.NET sends 7). */
function isoMs(text) {
  const digits = /\.(\d+)/.exec(text)?.[1] ?? "";
  return Date.parse(text) + (digits.length > 3 ? Number(`0.${digits.slice(3)}`) : 0);
}

/** A receiver thread: connects its share, reports each delivery as [change, receipt, sentAt, publishedAt] when told to stop. */
async function receive({ config, share }) {
  const deliveries = [];
  const expected = share * config.changes;
  const hubs = Array.from({ length: share }, () => {
    const hub = new HubConnectionBuilder()
      // WebSockets without the negotiate round trip: the transport handhelds and browsers end up on anyway.
      .withUrl(config.hubUrl, { accessTokenFactory: () => config.token, transport: HttpTransportType.WebSockets, skipNegotiation: true })
      .configureLogging(LogLevel.Error)
      .build();
    hub.on("notification", (notification) => {
      const receipt = wallNow();
      const sku = notification?.data?.sku;
      const index = typeof sku === "string" && sku.startsWith(`${config.tag}-`) ? Number(sku.slice(config.tag.length + 1)) : NaN;
      // The warm-up change ("<tag>-warm-up") is not counted.
      if (Number.isInteger(index)) {
        deliveries.push([index, receipt, isoMs(notification.sentAt), isoMs(notification.publishedAt)]);
        if (deliveries.length === expected) {
          parentPort.postMessage({ complete: true });
        }
      }
    });
    return hub;
  });
  for (let i = 0; i < hubs.length; i += CONNECT_BATCH) {
    await Promise.all(hubs.slice(i, i + CONNECT_BATCH).map((hub) => hub.start()));
  }

  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  let utilisationAtStart;
  // V8's collections over the changes: a pause holds every delivery queued behind it.
  const gc = { ms: 0, maxMs: 0, measuring: false };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries().filter(() => gc.measuring)) {
      gc.ms += entry.duration;
      gc.maxMs = Math.max(gc.maxMs, entry.duration);
    }
  }).observe({ entryTypes: ["gc"] });
  parentPort.on("message", async (message) => {
    if (message === "changes-start") {
      loopDelay.enable();
      gc.measuring = true;
      utilisationAtStart = performance.eventLoopUtilization();
    } else if (message === "changes-end") {
      loopDelay.disable();
      const eventLoop = {
        utilisation: performance.eventLoopUtilization(utilisationAtStart).utilization,
        delayP99Ms: loopDelay.percentile(99) / 1e6,
        delayMaxMs: loopDelay.max / 1e6,
        gcMs: gc.ms,
        gcMaxMs: gc.maxMs,
      };
      await Promise.all(hubs.map((hub) => hub.stop()));
      parentPort.postMessage({ deliveries, eventLoop });
      parentPort.close();
    }
  });
  parentPort.postMessage({ connected: true });
}

/** The main thread: starts the receivers, makes the changes, and summarises what they received. */
async function drive(config) {
  const receivers = Math.max(1, Math.min(config.receivers ?? 1, config.clients));
  const threads = Array.from({ length: receivers }, (_, r) => {
    const share = Math.floor(config.clients / receivers) + (r < config.clients % receivers ? 1 : 0);
    const worker = new Worker(new URL(import.meta.url), { workerData: { config, share } });
    worker.on("error", (error) => { throw error; });
    return worker;
  });
  const next = (worker, key) => new Promise((resolve) => worker.on("message", (m) => { if (m[key]) resolve(m); }));
  const complete = threads.map((worker) => next(worker, "complete"));

  const connectStart = performance.now();
  await Promise.all(threads.map((worker) => next(worker, "connected")));
  const connectMs = performance.now() - connectStart;

  const postedAt = new Map(); // index -> wall ms just before its POST
  async function post(index) {
    const sku = `${config.tag}-${index}`;
    const start = performance.now();
    postedAt.set(index, wallNow());
    const response = await fetch(new URL("/api/tasks", config.apiUrl), {
      method: "POST",
      headers: { Authorization: `Bearer ${config.token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ warehouseId: config.warehouseId, type: "pick", sku, quantity: 1, fromLocation: "A-01" }),
    });
    const restMs = performance.now() - start;
    if (response.status !== 201) {
      throw new Error(`POST /api/tasks answered ${response.status}: ${await response.text()}`);
    }
    return restMs;
  }

  // A client loads its snapshot before it follows changes. With one change made here before the idle spell, it warms
  // this process's fetch (its first call cost a quarter of a second, measured), as the handheld making a change on the
  // floor is warm, so the first measured change's time is the platform's.
  const snapshot = await fetch(new URL(`/api/tasks?warehouseId=${config.warehouseId}&pageSize=1`, config.apiUrl), {
    headers: { Authorization: `Bearer ${config.token}` },
  });
  if (snapshot.status !== 200) {
    throw new Error(`GET /api/tasks answered ${snapshot.status}: ${await snapshot.text()}`);
  }
  await snapshot.arrayBuffer();
  await post("warm-up");

  // Idle before the first change, as after a quiet spell on the floor: the first delivery shows any cold path.
  await new Promise((resolve) => setTimeout(resolve, config.idleMs));

  // The bench reads the realtime worker's CPU at these two marks: what it spent delivering the changes.
  process.stdout.write("changes-start\n");
  threads.forEach((worker) => worker.postMessage("changes-start"));
  const restMs = [];
  const started = performance.now();
  const posts = [];
  for (let i = 0; i < config.changes; i++) {
    const due = started + (i * 1000) / config.perSecond;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
    posts.push(post(i).then((ms) => { restMs[i] = ms; }));
  }
  await Promise.all(posts);

  // Deliveries still in flight get up to 10 s after the last POST answered.
  let deadline;
  await Promise.race([Promise.all(complete), new Promise((resolve) => { deadline = setTimeout(resolve, 10_000); })]);
  clearTimeout(deadline);
  process.stdout.write("changes-end\n");
  const results = threads.map((worker) => next(worker, "deliveries"));
  threads.forEach((worker) => worker.postMessage("changes-end"));
  const received = await Promise.all(results);
  await Promise.all(threads.map((worker) => worker.terminate()));

  // Per delivery, from just before its change's POST: to the receipt, and from the worker's send to the receipt, ms.
  // Per change: from just before its POST to the task service's publish and to the worker's send, ms.
  const deliveries = Array.from({ length: config.changes }, () => []);
  const fromSend = Array.from({ length: config.changes }, () => []);
  const publishedMs = Array(config.changes).fill(null);
  const serverSentMs = Array(config.changes).fill(null);
  for (const [index, receipt, sentAt, publishedAt] of received.flatMap((r) => r.deliveries)) {
    deliveries[index].push(receipt - postedAt.get(index));
    fromSend[index].push(receipt - sentAt);
    serverSentMs[index] = sentAt - postedAt.get(index);
    publishedMs[index] = publishedAt - postedAt.get(index);
  }
  const busiest = received.map((r) => r.eventLoop).sort((a, b) => b.utilisation - a.utilisation)[0];
  process.stdout.write(JSON.stringify({ connectMs, restMs, deliveries, publishedMs, serverSentMs, received: fromSend, eventLoop: busiest }) + "\n");
}

if (isMainThread) {
  await drive(JSON.parse(process.argv[2]));
} else {
  await receive(workerData);
}
