// Fan-out with the official SignalR client: N hub connections follow one warehouse, then tasks are created in it
// over REST at a fixed rate; every delivery's latency is counted from just before its POST was sent, on this
// process's clock. Prints "changes-start" and "changes-end" around the changes, then one JSON line for the bench
// (Warehouse.Bench's FanoutBenchmark) to summarise.
//
//   node fanout.mjs '{"hubUrl":"...","apiUrl":"...","token":"...","warehouseId":"...","clients":1000,
//                     "changes":50,"perSecond":5,"idleMs":5000,"tag":"r1"}'
import { HubConnectionBuilder, HttpTransportType, LogLevel } from "@microsoft/signalr";
import { performance } from "node:perf_hooks";

const config = JSON.parse(process.argv[2]);
const CONNECT_BATCH = 50;

const sentAt = new Map(); // sku -> performance.now() just before its POST
const deliveries = Array.from({ length: config.changes }, () => []);

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

await Promise.all(hubs.map((hub) => hub.stop()));
process.stdout.write(JSON.stringify({ connectMs, restMs, deliveries }) + "\n");
