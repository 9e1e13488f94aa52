// Fan-out with the official SignalR client: N hub connections follow one warehouse, then tasks are created in it
// over REST at a fixed rate; every delivery's latency is counted from just before its POST was sent, on this
// process's clock. Each notification carries the task service's publish time and the realtime worker's send time
// (publishedAt, sentAt): the platform's part of a delivery runs from the POST to sentAt, the rest (the worker's
// writes to the group, the network, the gateway if any, this receiver) from sentAt to the receipt. The platform and
// this driver run on one machine, so they share the wall clock and the subtraction is valid. Prints "changes-start"
// and "changes-end" around the changes, then one JSON line for the bench (Warehouse.Bench's FanoutBenchmark) to
// summarise, with this process's event-loop delay and utilisation over the changes (is the receiver the bound?).
//
//   node fanout.mjs '{"hubUrl":"...","apiUrl":"...","token":"...","warehouseId":"...","clients":1000,
//                     "changes":50,"perSecond":5,"idleMs":5000,"tag":"r1"}'
import { HubConnectionBuilder, HttpTransportType, LogLevel } from "@microsoft/signalr";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";

const config = JSON.parse(process.argv[2]);
const CONNECT_BATCH = 50;

const sentAt = new Map(); // sku -> performance.now() just before its POST
const deliveries = Array.from({ length: config.changes }, () => []);
// Per change, from just before its POST: to the task service's publish and to the worker's send, ms.
const publishedMs = Array(config.changes).fill(null);
const serverSentMs = Array(config.changes).fill(null);
// Per delivery: from the worker's send to the receipt, ms.
const received = Array.from({ length: config.changes }, () => []);

/** Wall-clock Unix ms with the sub-millisecond part (performance.now() is monotonic and finer than Date.now()). */
const wallMs = (now) => performance.timeOrigin + now;

/** Unix ms of an ISO 8601 time, keeping the digits past the millisecond that Date.parse drops (.NET sends 7). */
function isoMs(text) {
  const digits = /\.(\d+)/.exec(text)?.[1] ?? "";
  return Date.parse(text) + (digits.length > 3 ? Number(`0.${digits.slice(3)}`) : 0);
}

function connection() {
  const hub = new HubConnectionBuilder()
    // WebSockets without the negotiate round trip: the transport handhelds and browsers end up on anyway.
    .withUrl(config.hubUrl, { accessTokenFactory: () => config.token, transport: HttpTransportType.WebSockets, skipNegotiation: true })
    .configureLogging(LogLevel.Error)
    .build();
  hub.on("notification", (notification) => {
    const now = performance.now();
    const sku = notification?.data?.sku;
    const index = typeof sku === "string" && sku.startsWith(`${config.tag}-`) ? Number(sku.slice(config.tag.length + 1)) : NaN;
    // The warm-up change ("<tag>-warm-up") is not counted.
    if (Number.isInteger(index) && sentAt.has(sku)) {
      deliveries[index].push(now - sentAt.get(sku));
      const sent = isoMs(notification.sentAt);
      received[index].push(wallMs(now) - sent);
      if (serverSentMs[index] === null) {
        serverSentMs[index] = sent - wallMs(sentAt.get(sku));
        publishedMs[index] = isoMs(notification.publishedAt) - wallMs(sentAt.get(sku));
      }
    }
  });
  return hub;
}

async function post(index) {
  const sku = `${config.tag}-${index}`;
  sentAt.set(sku, performance.now());
  const response = await fetch(new URL("/api/tasks", config.apiUrl), {
    method: "POST",
    headers: { Authorization: `Bearer ${config.token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ warehouseId: config.warehouseId, type: "pick", sku, quantity: 1, fromLocation: "A-01" }),
  });
  const restMs = performance.now() - sentAt.get(sku);
  if (response.status !== 201) {
    throw new Error(`POST /api/tasks answered ${response.status}: ${await response.text()}`);
  }
  return restMs;
}

const hubs = Array.from({ length: config.clients }, connection);
const connectStart = performance.now();
for (let i = 0; i < hubs.length; i += CONNECT_BATCH) {
  await Promise.all(hubs.slice(i, i + CONNECT_BATCH).map((hub) => hub.start()));
}
const connectMs = performance.now() - connectStart;

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
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();
const utilisationAtStart = performance.eventLoopUtilization();
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
const deadline = performance.now() + 10_000;
while (deliveries.some((d) => d.length < config.clients) && performance.now() < deadline) {
  await new Promise((resolve) => setTimeout(resolve, 50));
}

process.stdout.write("changes-end\n");
loopDelay.disable();
const eventLoop = {
  utilisation: performance.eventLoopUtilization(utilisationAtStart).utilization,
  delayP99Ms: loopDelay.percentile(99) / 1e6,
  delayMaxMs: loopDelay.max / 1e6,
};

await Promise.all(hubs.map((hub) => hub.stop()));
process.stdout.write(JSON.stringify({ connectMs, restMs, deliveries, publishedMs, serverSentMs, received, eventLoop }) + "\n");
